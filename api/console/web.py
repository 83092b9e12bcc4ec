"""Template rendering for the console (Jinja2, autoescaped) and shared page helpers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from mdr.access.staff import StaffUser
from mdr.timezone import SEOUL

HERE: Final = Path(__file__).resolve().parent
STATIC_DIR: Final = HERE / "static"
STATIC_PREFIX: Final = "/console/static"

ROLE_LABELS: Final = {
    "steward": "데이터 관리자 · steward",
    "inspector": "점검관 · inspector",
    "administrator": "시스템 관리자 · administrator",
}

def kst(value: str | dt.datetime | None) -> str:
    """A moment (ISO text or datetime) in Korea Standard Time, to the second."""
    if not value:
        return "—"
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S KST")


env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals["static"] = lambda name: f"{STATIC_PREFIX}/{name}"
env.filters["kst"] = kst
env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)

SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
        " frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def render(
    request: Request,
    template: str,
    user: StaffUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    body = env.get_template(template).render(request=request, user=user, **context)
    return HTMLResponse(body, status_code=status_code, headers=SECURITY_HEADERS)
