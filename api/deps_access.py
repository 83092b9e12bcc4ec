"""Dependencies of agency routes: the authenticated key, the declared purpose."""

from __future__ import annotations

from fastapi import Header, Request

from api.records_service import ReadContext, RecordService
from mdr.errors import Unauthorized
from mdr.logging import request_id_var


def service(request: Request) -> RecordService:
    svc: RecordService = request.app.state.records
    return svc


async def read_context(
    request: Request,
    authorization: str | None = Header(default=None, description="`Bearer <API key>`"),
    x_purpose: str | None = Header(default=None, description="Declared purpose code of the "
                                   "request; must be one of the grant's purposes."),
) -> ReadContext:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    principal = await service(request).authenticate(authorization[7:].strip())
    route = request.scope.get("route")
    return ReadContext(principal, (x_purpose or "").strip(), request_id_var.get() or "",
                       getattr(route, "path", request.url.path))
