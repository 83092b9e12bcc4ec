"""Dependencies of agency routes: the authenticated key, the declared purpose."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Header, Request

from api.records_service import ReadContext, RecordService
from entities.registry import DATASETS
from mdr.access import gate
from mdr.access.keys import Principal
from mdr.errors import Forbidden, RepeatedHeader, Unauthorized
from mdr.logging import request_id_var

#: Roles an agency key may hold besides datasets (``mdr keys create --grant steward``).
STAFF_ROLES = ("steward", "inspector")


async def service(request: Request) -> RecordService:
    # async: FastAPI runs a plain function dependency in a worker thread
    svc: RecordService = request.app.state.records
    return svc


#: Request headers an agency call must send at most once.
SINGLE_HEADERS = (b"authorization", b"x-purpose")


def repeated_credentials(raw_headers: Iterable[tuple[bytes, bytes]],
                         single: tuple[bytes, ...] = SINGLE_HEADERS) -> list[str]:
    """The names of ``single`` that ``raw_headers`` (lower-cased names, as ASGI servers
    give them) carry more than once."""
    names = [name for name, _ in raw_headers if name in single]
    return sorted({name.decode() for name in names if names.count(name) > 1})


def refuse_repeated_credentials(request: Request,
                                single: tuple[bytes, ...] = SINGLE_HEADERS) -> None:
    """:class:`RepeatedHeader` if ``request`` carries one of ``single`` twice: which copy
    counts is not for the server to guess."""
    repeated = repeated_credentials(request.headers.raw, single)
    if repeated:
        raise RepeatedHeader(f"send {' and '.join(repeated)} once; the request carries "
                             "it more than once", headers=repeated)


async def read_context(
    request: Request,
    authorization: str | None = Header(default=None, description="`Bearer <API key>`"),
    x_purpose: str | None = Header(default=None, description="Declared purpose code of the "
                                   "request; must be one of the grant's purposes."),
) -> ReadContext:
    refuse_repeated_credentials(request)
    route = request.scope.get("route")
    return await agency_context(await service(request), authorization, x_purpose,
                                getattr(route, "path", request.url.path))


async def agency_context(svc: RecordService, authorization: str | None,
                         purpose: str | None, route: str) -> ReadContext:
    """Who is asking (their key, checked and rate-limited) and for what purpose."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("send the API key as `Authorization: Bearer <key>`")
    principal = await svc.authenticate(authorization[7:].strip())
    return ReadContext(principal, (purpose or "").strip(), request_id_var.get() or "", route)


def as_staff(principal: Principal, role: str) -> Principal:
    """An agency key holding a staff role, reading as staff: every field, for the role's
    purpose only, logged under the key (:func:`mdr.access.gate.staff_principal`)."""
    if role not in principal.grants:
        raise Forbidden(f"this key does not hold the {role} role")
    return gate.staff_principal(principal.key_id, role, DATASETS,
                                agency_code=principal.agency_code, actor=principal.key_id)
