"""Staff sign-in for the console: argon2 passwords, server-side sessions, CSRF, lock-out.

* Passwords are hashed with argon2id (:mod:`argon2`); an unknown user name costs
  the same hash verification as a known one, so timing does not reveal names.
* :data:`MAX_FAILURES` failed attempts in a row lock the account for
  :data:`LOCKOUT`; while locked, even the right password is refused.
* A session is 32 random bytes in an HttpOnly, SameSite=Lax cookie (Secure when
  the request came over https); the database keeps only its SHA-256, the user
  and a per-session CSRF token that every form carries in a hidden field and
  every POST must present.
* Before sign-in there is no session: the sign-in form is protected by a
  double-submit token (a cookie and a hidden field that must agree).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Depends, Request
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.console.models import ROLES
from api.deps import WRITE_SESSION
from mdr.errors import Conflict, InvalidInput

COOKIE: Final = "mdr_console"
PRE_COOKIE: Final = "mdr_console_pre"
MAX_FAILURES: Final = 5
LOCKOUT: Final = dt.timedelta(minutes=15)
SESSION_LIFETIME: Final = dt.timedelta(hours=10)
MIN_PASSWORD: Final = 10

_hasher = PasswordHasher()
_DUMMY_HASH: Final = _hasher.hash("not-a-real-password-but-same-cost")


@dataclass(frozen=True)
class StaffUser:
    user_id: int
    username: str
    role: str
    csrf_token: str


class NotSignedIn(Exception):
    """No valid session: the console answers with a redirect to the sign-in page."""


class Forbidden(Exception):
    """Signed in, but the role may not use this page."""

    def __init__(self, user: StaffUser, needed: tuple[str, ...]) -> None:
        super().__init__(f"{user.role} may not use this page")
        self.user, self.needed = user, needed


class CsrfRefused(Exception):
    """A form came without the right CSRF token."""


class UserExists(Conflict):
    slug = "staff-user-exists"
    title = "A staff user of that name exists"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ----------------------------------------------------------------------------- users


def create_user(session: Session, username: str, role: str, password: str) -> int:
    """A new staff user; the password is stored only as its argon2id hash."""
    username = username.strip()
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise InvalidInput("a user name is 1 to 64 characters without spaces")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password has at least {MIN_PASSWORD} characters")
    exists = session.execute(
        text("SELECT 1 FROM staff_user WHERE username = :u"), {"u": username}
    ).first()
    if exists:
        raise UserExists(f"staff user {username!r} exists")
    return int(
        session.execute(
            text(
                "INSERT INTO staff_user (username, role, password_hash) VALUES (:u, :r, :h)"
                " RETURNING user_id"
            ),
            {"u": username, "r": role, "h": _hasher.hash(password)},
        ).scalar_one()
    )


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    token: str | None = None
    locked: bool = False


def sign_in(session: Session, username: str, password: str) -> SignInResult:
    """Check a password; count failures and lock the account after :data:`MAX_FAILURES`.

    On success, a new session is stored and its token returned. The caller must
    commit whatever the result (failures are counted in the database).
    """
    row = (
        session.execute(
            text(
                "SELECT user_id, password_hash, failed_attempts, locked_until > now() AS locked"
                " FROM staff_user WHERE username = :u AND disabled_at IS NULL FOR UPDATE"
            ),
            {"u": username.strip()},
        )
        .mappings()
        .first()
    )
    if row is None:
        _verify(_DUMMY_HASH, password)
        return SignInResult(ok=False)
    if row["locked"]:
        return SignInResult(ok=False, locked=True)
    if not _verify(row["password_hash"], password):
        failures = int(row["failed_attempts"]) + 1
        locked = failures >= MAX_FAILURES
        session.execute(
            text(
                "UPDATE staff_user SET failed_attempts = :f, locked_until = CASE WHEN :l"
                " THEN now() + make_interval(secs => :secs) ELSE locked_until END"
                " WHERE user_id = :i"
            ),
            {
                "f": 0 if locked else failures,
                "l": locked,
                "secs": LOCKOUT.total_seconds(),
                "i": row["user_id"],
            },
        )
        return SignInResult(ok=False, locked=locked)
    if _hasher.check_needs_rehash(row["password_hash"]):
        session.execute(
            text("UPDATE staff_user SET password_hash = :h WHERE user_id = :i"),
            {"h": _hasher.hash(password), "i": row["user_id"]},
        )
    session.execute(
        text(
            "UPDATE staff_user SET failed_attempts = 0, locked_until = NULL,"
            " last_sign_in_at = now() WHERE user_id = :i"
        ),
        {"i": row["user_id"]},
    )
    token = secrets.token_urlsafe(32)
    session.execute(
        text(
            "INSERT INTO staff_session (token_sha256, user_id, csrf_token, expires_at)"
            " VALUES (:t, :i, :c, now() + make_interval(secs => :secs))"
        ),
        {
            "t": _digest(token),
            "i": row["user_id"],
            "c": secrets.token_urlsafe(32),
            "secs": SESSION_LIFETIME.total_seconds(),
        },
    )
    return SignInResult(ok=True, token=token)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_out(session: Session, token: str) -> None:
    session.execute(
        text("UPDATE staff_session SET ended_at = now() WHERE token_sha256 = :t"),
        {"t": _digest(token)},
    )


def session_user(session: Session, token: str | None) -> StaffUser | None:
    if not token:
        return None
    row = (
        session.execute(
            text(
                "SELECT u.user_id, u.username, u.role, s.csrf_token FROM staff_session s"
                " JOIN staff_user u USING (user_id) WHERE s.token_sha256 = :t"
                " AND s.ended_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL"
            ),
            {"t": _digest(token)},
        )
        .mappings()
        .first()
    )
    return StaffUser(**row) if row is not None else None


# ----------------------------------------------------------------------------- request side


def set_session_cookie(response: Any, request: Request, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/console",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def set_pre_cookie(response: Any, request: Request, token: str) -> None:
    response.set_cookie(
        PRE_COOKIE,
        token,
        max_age=3600,
        path="/console",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def tokens_equal(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def current_user(request: Request, session: Session = WRITE_SESSION) -> StaffUser:
    user = session_user(session, request.cookies.get(COOKIE))
    if user is None:
        raise NotSignedIn()
    request.state.console_user = user
    return user


def require(*roles: str) -> Any:
    """A dependency: the signed-in user, if their role is one of ``roles``."""

    def dependency(user: StaffUser = Depends(current_user)) -> StaffUser:
        if user.role not in roles:
            raise Forbidden(user, roles)
        return user

    return Depends(dependency)


def check_csrf(user: StaffUser, presented: str | None) -> None:
    """Refuse a POST whose hidden CSRF field does not carry the session's token."""
    if not tokens_equal(presented, user.csrf_token):
        raise CsrfRefused()
