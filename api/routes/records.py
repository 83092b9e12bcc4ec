"""Agency reads of authoritative records: lookup, get, search, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from api.deps_access import read_context, service
from api.json import json_response
from api.records_service import MAX_BATCH, MAX_PAGE, ReadContext, RecordService
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


class SearchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(description="A search type of the dataset (see its catalogue entry).")
    params: dict[str, str | int] = Field(description="Values for the search type's fields.")
    fields: list[str] | None = None
    cursor: str | None = Field(default=None, description="next_cursor of the previous page.")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)


class HistoryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str
    fields: list[str] | None = None


@router.post(":lookup", summary="Records by natural key (1 to 1,000), in order")
async def lookup(dataset: str, body: LookupBody, ctx: ReadContext = Depends(read_context),
                 svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.lookup(ctx, auth, body.keys, body.valid_at, body.recorded_at))


@router.post(":search", summary="Search by a declared search type, keyset-paginated")
async def search(dataset: str, body: SearchBody, ctx: ReadContext = Depends(read_context),
                 svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.search(ctx, auth, body.type, params=body.params,
                                          cursor=body.cursor, limit=body.limit))


@router.post(":history", summary="Every version of one record, along both time axes")
async def history(dataset: str, body: HistoryBody, ctx: ReadContext = Depends(read_context),
                  svc: RecordService = Depends(service)) -> Response:
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, body.fields)
    return json_response(await svc.history(ctx, auth, body.key))


#: The datasets a key may name in a URL; the others answer 400 personal-key-in-url.
URL_KEYED_DATASETS = sorted(name for name, spec in DATASETS.items() if not spec.key_is_personal)


@router.get("/{key}", summary="One record (datasets whose key is not a personal identifier)")
async def get_record(
    key: str, request: Request,
    dataset: str = Path(json_schema_extra={"enum": URL_KEYED_DATASETS}),
    fields: str | None = Query(default=None, description="Comma-separated field names."),
    valid_at: dt.date | None = None, recorded_at: dt.datetime | None = None,
    ctx: ReadContext = Depends(read_context), svc: RecordService = Depends(service),
) -> Response:
    if get_dataset(dataset).key_is_personal:
        raise PersonalKeyInUrl(f"{dataset} is keyed by a personal identifier: use "
                               f"POST /v1/datasets/{dataset}/records:lookup")
    wanted = [f.strip() for f in fields.split(",") if f.strip()] if fields else None
    auth = svc.authorize(ctx.principal, dataset, ctx.purpose, wanted)
    record, etag = await svc.get_one(ctx, auth, key, valid_at, recorded_at)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    body: dict[str, Any] = record
    return json_response(body, headers=headers)
