"""Staff users: argon2 passwords, throttled sign-in, server-side sessions.

* Passwords are hashed with argon2id (:mod:`argon2`).
* Failed sign-ins are counted per account name and per source address (an IPv6 /64
  counts as one source). Past :data:`FREE_FAILURES`, each failure makes the next
  attempt wait twice as long, up to :data:`ACCOUNT_MAX_DELAY` for an account and
  :data:`SOURCE_MAX_DELAY` for a source; an attempt within a wait is refused (429,
  ``Retry-After``) before any password is checked, and is not counted. A success
  clears its account's count; a count is forgotten :data:`FORGET_AFTER` its last
  failure. So a stranger's failures delay an account's owner by seconds at most, and
  nobody can lock anyone out, while one source guessing gets a few tries an hour.
  One attempt at a time per account and per source: another meanwhile is refused.
  (There was a lock after 5 failures: anyone knowing a name could lock its account
  again and again, and a locked account answered at once, an unknown one after a
  hash: which names exist showed.)
* Unknown and known names are answered alike, in status, body and time: an unknown
  name costs the same hash verification, and the counts key on the name as typed
  (an HMAC of it), whether or not such a user exists.
* A session is a random token; the database keeps only its SHA-256, the user and a
  per-session CSRF token. The console (``api/console/auth.py``) carries the token in
  a cookie and the CSRF token in its forms; the CLI (``mdr users``) creates users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import text
from sqlalchemy.orm import Session

from mdr.access.models import StaffRole
from mdr.db.sql import advisory_key
from mdr.errors import Conflict, InvalidInput

FREE_FAILURES: Final = 3
ACCOUNT_MAX_DELAY: Final = dt.timedelta(seconds=30)
SOURCE_MAX_DELAY: Final = dt.timedelta(minutes=15)
FORGET_AFTER: Final = dt.timedelta(days=1)
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


class UserExists(Conflict):
    slug = "staff-user-exists"
    title = "A staff user of that name exists"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ----------------------------------------------------------------------------- users


def create_user(session: Session, username: str, role: str, password: str) -> int:
    """A new staff user; the password is stored only as its argon2id hash."""
    username = username.strip()
    if role not in set(StaffRole):
        raise InvalidInput(f"unknown role {role!r}; use one of: "
                           f"{', '.join(r.value for r in StaffRole)}")
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
    retry_after: int | None = None  # refused unheard: seconds until an attempt is heard


@dataclass(frozen=True)
class Throttle:
    """Whose failures an attempt counts toward: its account name's and its source's."""

    account: str
    source: str

    @classmethod
    def of(cls, username: str, source: str | None, secret: bytes) -> Throttle:
        def subject(kind: str, value: str) -> str:
            # Keyed: a password typed into the name field is not kept readable.
            return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

        return cls(subject("account", username.strip().casefold()),
                   subject("source", source_address(source)))

    @property
    def subjects(self) -> tuple[str, str]:
        return self.account, self.source


def source_address(host: str | None) -> str:
    """A client's address as one source: an IPv6 /64 (one host's usual share) whole."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return host or "unknown"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(getattr(address, "ipv4_mapped", None) or address)


def delay_after(failures: int, most: dt.timedelta) -> float:
    """Seconds the next attempt waits after ``failures`` failures in a row."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(most.total_seconds(), 2.0 ** (failures - FREE_FAILURES - 1)))


def sign_in(session: Session, username: str, password: str, *, source: str | None,
            secret: bytes) -> SignInResult:
    """Check a password from ``source`` (the client's address), throttled as the module
    says. On success, a new session is stored and its token returned. The caller must
    commit whatever the result (failures are counted in the database)."""
    throttle = Throttle.of(username, source, secret)
    for subject in sorted(throttle.subjects):  # one attempt at a time per subject
        if not session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"),
                               {"k": advisory_key(f"mdr-sign-in:{subject}")}).scalar_one():
            return SignInResult(ok=False, retry_after=1)
    counts = {row.subject: row for row in session.execute(text(
        "SELECT subject, CASE WHEN last_failure_at > now() - make_interval(secs => :forget)"
        " THEN failures ELSE 0 END AS failures,"
        " ceil(extract(epoch FROM blocked_until - now()))::int AS wait"
        " FROM sign_in_throttle WHERE subject IN (:a, :s)"),
        {"a": throttle.account, "s": throttle.source, "forget": FORGET_AFTER.total_seconds()})}
    wait = max((row.wait for row in counts.values()), default=0)
    if wait > 0:
        return SignInResult(ok=False, retry_after=wait)
    row = (
        session.execute(
            text(
                "SELECT user_id, password_hash FROM staff_user"
                " WHERE username = :u AND disabled_at IS NULL"
            ),
            {"u": username.strip()},
        )
        .mappings()
        .first()
    )
    # An unknown name costs the hash a known one does.
    if not _verify(row["password_hash"] if row is not None else _DUMMY_HASH, password) \
            or row is None:
        for subject, most in ((throttle.account, ACCOUNT_MAX_DELAY),
                              (throttle.source, SOURCE_MAX_DELAY)):
            failures = (counts[subject].failures if subject in counts else 0) + 1
            _count_failure(session, subject, failures, delay_after(failures, most))
        return SignInResult(ok=False)
    if _hasher.check_needs_rehash(row["password_hash"]):
        session.execute(
            text("UPDATE staff_user SET password_hash = :h WHERE user_id = :i"),
            {"h": _hasher.hash(password), "i": row["user_id"]},
        )
    session.execute(text("DELETE FROM sign_in_throttle WHERE subject = :a"),
                    {"a": throttle.account})  # the source's count stays: it may guess on
    session.execute(
        text("UPDATE staff_user SET last_sign_in_at = now() WHERE user_id = :i"),
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


def _count_failure(session: Session, subject: str, failures: int, delay: float) -> None:
    session.execute(text(
        "INSERT INTO sign_in_throttle (subject, failures, last_failure_at, blocked_until)"
        " VALUES (:s, :f, now(), now() + make_interval(secs => :d))"
        " ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures,"
        " last_failure_at = excluded.last_failure_at, blocked_until = excluded.blocked_until"),
        {"s": subject, "f": failures, "d": delay})
    # Names tried once and forgotten go, a few at a time (the index finds them).
    session.execute(text(
        "DELETE FROM sign_in_throttle WHERE subject IN (SELECT subject FROM sign_in_throttle"
        " WHERE last_failure_at < now() - make_interval(secs => :forget) LIMIT 20)"),
        {"forget": FORGET_AFTER.total_seconds()})


def delayed_until(session: Session, usernames: list[str],
                  secret: bytes) -> dict[str, dt.datetime]:
    """For the administrators' list: the users whose next sign-in must wait, until when."""
    subjects = {Throttle.of(name, None, secret).account: name for name in usernames}
    rows = session.execute(text(
        "SELECT subject, blocked_until FROM sign_in_throttle"
        " WHERE subject = ANY(:s) AND blocked_until > now()"), {"s": list(subjects)})
    return {subjects[row.subject]: row.blocked_until for row in rows}


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
