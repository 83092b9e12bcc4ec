"""A data.go.kr-style route family for agencies used to that portal.

``GET /v1/portal/{dataset}?serviceKey=...&pageNo=1&numOfRows=10&type=json|xml``
(``_type`` also names the format, as in many of the portal's services)
answers in the portal's envelope (``response.header.resultCode/resultMsg`` and
``response.body.items.item``, ``numOfRows``, ``pageNo``, ``totalCount``), in
JSON or XML. Only datasets whose key is not a personal identifier are offered.
The purpose is the ``purpose`` parameter, or the grant's only purpose.

The portal never serves a field classed ``PII.UNIQUE_IDENTIFIER`` (an owner's or a
representative's resident registration number, say), whatever the grant says: it
serves the granted fields minus those, and the access log names only the fields
served. A grant left with no field answers resultCode 20 (HTTP 403).

Every answer, errors included, is the envelope. Parameters are checked here rather
than by FastAPI, so that a portal client never meets a problem+json 422: an invalid
``pageNo`` (not 1 to 1,000,000), ``numOfRows`` (not 1 to 1,000), ``type`` or
``_type`` (not ``json`` or ``xml``) answers resultCode 10
(INVALID_REQUEST_PARAMETER_ERROR, HTTP 400), in the requested format when it is
recognisable (JSON otherwise), echoing ``pageNo`` and ``numOfRows`` only when they
are valid (else 1 and 10) and never echoing a value. An empty parameter counts as
absent. A missing or empty ``serviceKey`` answers resultCode 30
(SERVICE_KEY_IS_NOT_REGISTERED_ERROR, HTTP 401), as an unknown key does, and as
data.go.kr itself answers a request without a key. A rate-limited request (resultCode
22, HTTP 429) carries ``Retry-After``.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, WithJsonSchema
from starlette.responses import Response

from api.json import json_response, plain_text
from api.problems import problem_headers
from api.records_service import Authorized, ReadContext, RecordService
from entities.registry import get_dataset
from entities.spec import PII
from mdr.errors import InvalidInput, MdrError, NoGrant, PersonalKeyInUrl, Unauthorized
from mdr.logging import request_id_var

router = APIRouter(prefix="/v1/portal", tags=["data.go.kr compatibility"])

MAX_PAGE_NO = 1_000_000
MAX_ROWS = 1000
DEFAULT_PAGE_NO, DEFAULT_ROWS = 1, 10
FORMATS = ("json", "xml")


class PortalHeader(BaseModel):
    resultCode: str
    resultMsg: str


class PortalBody(BaseModel):
    items: dict[str, list[dict[str, Any]]]
    numOfRows: int
    pageNo: int
    totalCount: int


class PortalResponse(BaseModel):
    header: PortalHeader
    body: PortalBody


class PortalEnvelope(BaseModel):
    response: PortalResponse


_ENVELOPE = {"model": PortalEnvelope, "content": {"application/xml": {}}}
#: Errors answer in the portal's envelope, with the HTTP status of the error.
ENVELOPE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Records in the portal envelope (JSON, or XML with type=xml)",
          **_ENVELOPE},
    **{status: {"description": description, **_ENVELOPE} for status, description in (
        (400, "Invalid request parameter (resultCode 10)"),
        (401, "Service key missing or not registered (resultCode 30)"),
        (403, "Service access denied (resultCode 20)"),
        (404, "No such service: an unknown dataset, or one keyed by a personal identifier "
               "(resultCode 12)"),
        (429, "Request limit exceeded (resultCode 22); see Retry-After"),
    )},
}

# The portal's result codes for the errors this route can meet.
RESULT_CODES = {
    "invalid-input": ("10", "INVALID_REQUEST_PARAMETER_ERROR"),
    "unknown-dataset": ("12", "NO_OPENAPI_SERVICE_ERROR"),
    "personal-key-in-url": ("12", "NO_OPENAPI_SERVICE_ERROR"),
    "unauthorized": ("30", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"),
    "no-grant": ("20", "SERVICE_ACCESS_DENIED_ERROR"),
    "purpose-not-granted": ("20", "SERVICE_ACCESS_DENIED_ERROR"),
    "field-not-granted": ("20", "SERVICE_ACCESS_DENIED_ERROR"),
    "rate-limited": ("22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"),
}

# The parameters arrive as raw strings (checked in the route, answered in the envelope);
# OpenAPI shows the values that are valid.
_INVALID = "(else resultCode 10, HTTP 400)"
_FORMAT_SCHEMA = WithJsonSchema({"type": "string", "enum": list(FORMATS)})
ServiceKey = Annotated[str | None, Query(
    alias="serviceKey",
    description="The agency's API key. Required: without it, resultCode 30 (HTTP 401)."),
    WithJsonSchema({"type": "string"})]
PageNo = Annotated[str | None, Query(
    alias="pageNo",
    description=f"Page number, a whole number from 1 to {MAX_PAGE_NO:,}; "
                f"default {DEFAULT_PAGE_NO} {_INVALID}."),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NO})]
NumOfRows = Annotated[str | None, Query(
    alias="numOfRows",
    description=f"Records per page, a whole number from 1 to {MAX_ROWS:,}; "
                f"default {DEFAULT_ROWS} {_INVALID}."),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_ROWS})]
Format = Annotated[str | None, Query(
    alias="type", description=f"Answer format, `json` (default) or `xml` {_INVALID}."),
    _FORMAT_SCHEMA]
PortalFormat = Annotated[str | None, Query(
    alias="_type",
    description=f"The portal's other spelling of `type`, which it overrides: `json` or `xml` "
                f"{_INVALID}."),
    _FORMAT_SCHEMA]
Purpose = Annotated[str | None, Query(
    description="The purpose of the request; default: the grant's only purpose."),
    WithJsonSchema({"type": "string"})]


#: Characters XML 1.0 cannot carry at all, even escaped; a text holding one (a control
#: character in a source file) gets U+FFFD in its place, so the document stays well-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(value: Any, tag: str) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml_members(v, k) for k, v in value.items())
    else:
        inner = _NOT_XML.sub("\ufffd", escape("" if value is None else plain_text(value)))
    return f"<{tag}>{inner}</{tag}>"


def _xml_members(value: Any, tag: str) -> str:
    """A list is its elements, each under the list's own tag, as the portal writes
    ``<items><item>...</item><item>...</item></items>``."""
    if isinstance(value, list):
        return "".join(_xml(v, tag) for v in value)
    return _xml(value, tag)


def _answer(envelope: dict[str, Any], fmt: str, status: int,
            headers: dict[str, str] | None = None) -> Response:
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="UTF-8"?>' + _xml(envelope["response"], "response")
        return Response(body, status_code=status, media_type="application/xml",
                        headers=headers)
    return json_response(envelope, status_code=status, headers=headers)


def _number(raw: str | None, default: int, maximum: int) -> int | None:
    """The parameter as a whole number from 1 to ``maximum``; None when it is not one."""
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        return None
    value = int(raw)
    return value if 1 <= value <= maximum else None


def _format(raw: str | None) -> str | None:
    """``json`` or ``xml`` (absent or empty: None); anything else is ``""``."""
    if raw is None or raw == "":
        return None
    return raw if raw in FORMATS else ""


def _served_fields(auth: Authorized) -> Authorized:
    """The granted fields minus unique identifiers, which the portal never serves."""
    fields = tuple(f for f in auth.fields
                   if auth.spec.field_spec(f).pii is not PII.UNIQUE_IDENTIFIER)
    if not fields:
        raise NoGrant(f"the grant for {auth.spec.name} leaves no field the portal serves")
    return dataclasses.replace(auth, fields=fields)  # the access log names these only


@router.get("/{dataset}", summary="Paged records in the data.go.kr envelope (JSON or XML)",
            responses=ENVELOPE_RESPONSES)
async def portal(
    dataset: str, request: Request, service_key: ServiceKey = None, page_no: PageNo = None,
    num_of_rows: NumOfRows = None, type_: Format = None, portal_type: PortalFormat = None,
    purpose: Purpose = None,
) -> Response:
    svc: RecordService = request.app.state.records
    formats = [_format(portal_type), _format(type_)]
    fmt = next((f for f in formats if f), "json")
    page = _number(page_no, DEFAULT_PAGE_NO, MAX_PAGE_NO)
    rows = _number(num_of_rows, DEFAULT_ROWS, MAX_ROWS)
    try:
        repeated = [name for name in ("serviceKey", "purpose")
                    if len(request.query_params.getlist(name)) > 1]
        if page is None or rows is None or "" in formats or repeated:
            # The message never carries a value: the values stay out of logs and answers.
            raise InvalidInput("invalid portal request parameter")
        if not service_key:
            raise Unauthorized("the serviceKey parameter is required")
        spec = get_dataset(dataset)
        if spec.key_is_personal:
            raise PersonalKeyInUrl(f"{dataset} is not offered through the portal route")
        principal = await svc.authenticate(service_key)
        grant = principal.grants.get(dataset)
        if not purpose and grant is not None and len(grant.purposes) == 1:
            purpose = next(iter(grant.purposes))
        auth = _served_fields(svc.authorize(principal, dataset, purpose, None))
        ctx = ReadContext(principal, purpose or "", request_id_var.get() or "",
                          "/v1/portal/{dataset}")
        items, total = await svc.page(ctx, auth, page, rows)
    except MdrError as exc:
        code, message = RESULT_CODES.get(exc.slug, ("99", "UNKNOWN_ERROR"))
        envelope = {"response": {"header": {"resultCode": code, "resultMsg": message},
                                 "body": {"items": {"item": []},
                                          "numOfRows": rows or DEFAULT_ROWS,
                                          "pageNo": page or DEFAULT_PAGE_NO, "totalCount": 0}}}
        # The portal's clients read resultCode; one code, one status: "no such service"
        # (an unknown or a personal dataset) is a 404, invalid input a 400.
        status = 404 if code == "12" else 400 if exc.status in (400, 422) else exc.status
        return _answer(envelope, fmt, status, problem_headers(exc) or None)
    envelope = {"response": {
        "header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
        "body": {"items": {"item": items}, "numOfRows": rows, "pageNo": page,
                 "totalCount": total},
    }}
    return _answer(envelope, fmt, 200)
