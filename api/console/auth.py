"""Staff sign-in for the console, on the request side: cookies, CSRF, roles.

The accounts, passwords, throttling and sessions are :mod:`mdr.access.staff`'s; here a
session token rides in an HttpOnly, SameSite=Lax cookie (Secure when the request came
over https), every form carries the session's CSRF token in a hidden field that every
POST must present, and before sign-in the form is protected by a double-submit token
(a cookie and a hidden field that must agree).
"""

from __future__ import annotations

import hmac
from typing import Any, Final

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.deps import WRITE_SESSION
from mdr.access.staff import SESSION_LIFETIME, StaffUser, session_user
from mdr.errors import Forbidden

COOKIE: Final = "mdr_console"
PRE_COOKIE: Final = "mdr_console_pre"


class NotSignedIn(Exception):
    """No valid session: the console answers with a redirect to the sign-in page."""


class RoleRequired(Forbidden):
    """Signed in, but the role may not use this page (the console renders it as a page)."""

    slug = "role-required"
    title = "Your role may not use this page"

    def __init__(self, user: StaffUser, needed: tuple[str, ...]) -> None:
        super().__init__(f"{user.role} may not use this page")
        self.user, self.needed = user, needed


class CsrfRefused(Exception):
    """A form came without the right CSRF token."""


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
            raise RoleRequired(user, roles)
        return user

    return Depends(dependency)


def check_csrf(user: StaffUser, presented: str | None) -> None:
    """Refuse a POST whose hidden CSRF field does not carry the session's token."""
    if not tokens_equal(presented, user.csrf_token):
        raise CsrfRefused()
