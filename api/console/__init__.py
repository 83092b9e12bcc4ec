"""The staff web console under ``/console`` (issue 8).

Server-rendered pages (Jinja2) for stewards, inspectors and administrators,
with every asset shipped in this package (no CDN). The app factory calls
:func:`install_console` once: it adds the routes, serves ``static/`` and maps
the console's sign-in, role and CSRF refusals to HTML pages.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from api.console.auth import CsrfRefused, NotSignedIn, RoleRequired
from api.console.pages import router
from api.console.web import STATIC_DIR, STATIC_PREFIX, render
from mdr.errors import MdrError

__all__ = ["install_console", "router"]


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    return RedirectResponse("/console/login", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RoleRequired)
    needed = ", ".join(exc.needed)
    return render(
        request, "message.html", exc.user, status_code=403,
        heading="권한 없음 · Not allowed",
        message=f"이 페이지는 다음 역할만 사용할 수 있습니다 · This page is for: {needed}.",
    )


async def _csrf(request: Request, exc: Exception) -> Response:
    return render(
        request, "message.html", None, status_code=403,
        heading="요청 거부 · Request refused",
        message="양식이 만료되었거나 위조되었습니다. 페이지를 다시 열어 주세요 · "
        "The form expired or did not come from this console (CSRF check failed). "
        "Reload the page and try again.",
    )


def _mdr_errors_as_pages(app: FastAPI) -> None:
    """Service errors on console pages are shown as pages; elsewhere as problem+json."""
    api_handler = app.exception_handlers.get(MdrError)

    async def handler(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/console/") or api_handler is None:
            assert isinstance(exc, MdrError)
            user = getattr(request.state, "console_user", None)
            return render(request, "message.html", user, status_code=exc.status,
                          heading=f"{exc.title}", message=exc.detail)
        answer = api_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(MdrError, handler)


def install_console(app: FastAPI) -> None:
    """Add the console to ``app`` (idempotent); call it after the problem handlers."""
    if getattr(app.state, "console_installed", False):
        return
    app.state.console_installed = True
    _mdr_errors_as_pages(app)
    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="console-static")
    app.include_router(router)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(RoleRequired, _forbidden)
    app.add_exception_handler(CsrfRefused, _csrf)
