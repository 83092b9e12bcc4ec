"""Agency reads of authoritative records: lookup, get, search, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from api.answers import HistoryAnswer, LookupAnswer, Record, SearchAnswer, documented
from api.deps_access import read_context, service
from api.disconnect import unless_disconnected
from api.json import json_response
from api.records_service import (
    MAX_BATCH,
    MAX_PAGE,
    MAX_SEARCH_VALUE,
    ReadContext,
    RecordService,
)
from entities.registry import DATASETS, get_dataset
from mdr.errors import PersonalKeyInUrl

router = APIRouter(prefix="/v1/datasets/{dataset}/records", tags=["records"])
#: Answered by api.fast_lookup.MdrApi in a running app; the route below
#: describes it in OpenAPI, and tests check that both answer alike.
LOOKUP_ROUTE = "/v1/datasets/{dataset}/records:lookup"


class TimeTravel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: list[str] | None = Field(default=None, description="Fields to return "
                                     "(default: every granted field).")
    valid_at: dt.date | None = Field(default=None, description="As true in the world on "
                                     "this date.")
    recorded_at: dt.datetime | None = Field(default=None, description="As the repository "
                                            "knew it at this time.")


class LookupBody(TimeTravel):
    keys: list[str] = Field(min_length=1, max_length=MAX_BATCH,
                            description=f"1 to {MAX_BATCH} natural keys; answered in order.")


class SearchBody(TimeTravel):
    type: str = Field(description="A search type of the dataset (see its catalogue entry).")
    params: dict[str, str | int] = Field(description="Values for the search type's fields "
                                         "(which the grant must include), each at most "
                                         f"{MAX_SEARCH_VALUE} characters.")
    cursor: str | None = Field(default=None, description="next_cursor of the previous page.")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


class HistoryBody(TimeTravel):
    """``valid_at``: only versions valid on that date; ``recorded_at``: the history as
    the repository knew it then."""

    key: str


@router.post(":lookup", summary="Records by natural key (1 to 1,000), in order",
             responses=documented(LookupAnswer, "Found records and the keys not found"))
async def lookup(dataset: str, body: LookupBody, ctx: ReadContext = Depends(read_context),
                 svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.lookup(ctx, auth, body.keys, body.valid_at, body.recorded_at))


@router.post(":search", summary="Search by a declared search type, keyset-paginated",
             responses=documented(SearchAnswer, "A page of records, in key order"))
async def search(dataset: str, body: SearchBody, request: Request,
                 ctx: ReadContext = Depends(read_context),
                 svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    # A search may take seconds: a client that leaves stops it.
    return json_response(await unless_disconnected(request, svc.search(
        ctx, auth, body.type, params=body.params, cursor=body.cursor, limit=body.limit,
        valid_at=body.valid_at, recorded_at=body.recorded_at)))


@router.post(":history", summary="Every version of one record, along both time axes",
             responses=documented(HistoryAnswer, "The versions, by validity then recording"))
async def history(dataset: str, body: HistoryBody, ctx: ReadContext = Depends(read_context),
                  svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.history(ctx, auth, body.key, body.valid_at,
                                           body.recorded_at))


#: The datasets a key may name in a URL; the others answer 400 personal-key-in-url.
URL_KEYED_DATASETS = sorted(name for name, spec in DATASETS.items() if not spec.key_is_personal)


def none_match(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: ``*``, or a list of tags compared weakly (``W/`` aside)."""
    if if_none_match is None:
        return False
    if if_none_match.strip() == "*":
        return True
    return etag in (tag.strip().removeprefix("W/") for tag in if_none_match.split(","))


NOT_MODIFIED = {"description": "Not modified: If-None-Match names the current ETag (the "
                "record, its flags and the fields served are unchanged)",
                "headers": {"ETag": {"schema": {"type": "string"}}}}


@router.get("/{key}", summary="One record (datasets whose key is not a personal identifier)",
            responses={**documented(Record, "The record, with its ETag"), 304: NOT_MODIFIED})
async def get_record(
    key: str,
    dataset: str = Path(json_schema_extra={"enum": URL_KEYED_DATASETS}),
    fields: str | None = Query(default=None, description="Comma-separated field names."),
    valid_at: dt.date | None = None, recorded_at: dt.datetime | None = None,
    if_none_match: str | None = Header(default=None, description="ETags of a copy held; "
                                       "304 when one is current."),
    ctx: ReadContext = Depends(read_context), svc: RecordService = Depends(service),
) -> Response:
    if get_dataset(dataset).key_is_personal:
        raise PersonalKeyInUrl(f"{dataset} is keyed by a personal identifier: use "
                               f"POST /v1/datasets/{dataset}/records:lookup")
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, wanted)
    record, etag = await svc.get_one(ctx, auth, key, valid_at, recorded_at)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if none_match(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    body: dict[str, Any] = record
    return json_response(body, headers=headers)
