"""A data.go.kr-style route family for agencies used to that portal.

``GET /v1/portal/{dataset}?serviceKey=...&pageNo=1&numOfRows=10&type=json|xml``
(``_type`` also names the format, as in many of the portal's services)
answers in the portal's envelope (``response.header.resultCode/resultMsg`` and
``response.body.items.item``, ``numOfRows``, ``pageNo``, ``totalCount``), in
JSON or XML. Only datasets whose key is not a personal identifier are offered.
The purpose is the ``purpose`` parameter, or the grant's only purpose.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from api.json import json_response
from api.records_service import ReadContext, RecordService
from entities.registry import get_dataset
from mdr.errors import MdrError
from mdr.logging import request_id_var

router = APIRouter(prefix="/v1/portal", tags=["data.go.kr compatibility"])


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
        (400, "Invalid request parameter (resultCode 10) or dataset not offered (12)"),
        (401, "Service key not registered (resultCode 30)"),
        (403, "Service access denied (resultCode 20)"),
        (404, "No such service (resultCode 12)"),
        (429, "Request limit exceeded (resultCode 22)"),
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


def _xml(value: Any, tag: str) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml_members(v, k) for k, v in value.items())
    else:
        inner = escape("" if value is None else str(value))
    return f"<{tag}>{inner}</{tag}>"


def _xml_members(value: Any, tag: str) -> str:
    """A list is its elements, each under the list's own tag, as the portal writes
    ``<items><item>...</item><item>...</item></items>``."""
    if isinstance(value, list):
        return "".join(_xml(v, tag) for v in value)
    return _xml(value, tag)


def _answer(envelope: dict[str, Any], fmt: str, status: int) -> Response:
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="UTF-8"?>' + _xml(envelope["response"], "response")
        return Response(body, status_code=status, media_type="application/xml")
    return json_response(envelope, status_code=status)


@router.get("/{dataset}", summary="Paged records in the data.go.kr envelope (JSON or XML)",
            responses=ENVELOPE_RESPONSES)
async def portal(
    dataset: str, request: Request,
    service_key: str = Query(alias="serviceKey", description="The agency's API key."),
    page_no: int = Query(default=1, alias="pageNo", ge=1, le=1_000_000),
    num_of_rows: int = Query(default=10, alias="numOfRows", ge=1, le=1000),
    fmt: str = Query(default="json", alias="type", pattern="^(json|xml)$"),
    portal_fmt: str | None = Query(default=None, alias="_type", pattern="^(json|xml)$",
                                   description="The portal's other spelling of `type`."),
    purpose: str | None = Query(default=None),
) -> Response:
    svc: RecordService = request.app.state.records
    fmt = portal_fmt or fmt
    try:
        spec = get_dataset(dataset)
        if spec.key_is_personal:
            from mdr.errors import PersonalKeyInUrl

            raise PersonalKeyInUrl(f"{dataset} is not offered through the portal route")
        principal = await svc.authenticate(service_key)
        grant = principal.grants.get(dataset)
        if purpose is None and grant is not None and len(grant.purposes) == 1:
            purpose = next(iter(grant.purposes))
        auth = svc.authorize(principal, dataset, purpose, None)
        ctx = ReadContext(principal, purpose or "", request_id_var.get() or "",
                          "/v1/portal/{dataset}")
        items, total = await svc.page(ctx, auth, page_no, num_of_rows)
    except MdrError as exc:
        code, message = RESULT_CODES.get(exc.slug, ("99", "UNKNOWN_ERROR"))
        envelope = {"response": {"header": {"resultCode": code, "resultMsg": message},
                                 "body": {"items": {"item": []}, "numOfRows": num_of_rows,
                                          "pageNo": page_no, "totalCount": 0}}}
        # The portal's clients read resultCode; invalid input keeps 400 so that 422 stays
        # FastAPI's own (problem+json) validation answer.
        return _answer(envelope, fmt, 400 if exc.status in (400, 422) else exc.status)
    envelope = {"response": {
        "header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
        "body": {"items": {"item": items}, "numOfRows": num_of_rows, "pageNo": page_no,
                 "totalCount": total},
    }}
    return _answer(envelope, fmt, 200)
