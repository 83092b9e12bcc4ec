"""The change feed: applied changes after a cursor, with the granted fields."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from api.answers import ChangesAnswer, documented
from api.deps_access import read_context, service
from api.json import json_response
from api.records_service import ReadContext, RecordService

router = APIRouter(prefix="/v1", tags=["changes"])


@router.get("/changes", summary="Changes (created, changed, corrected, ended) after a cursor",
            responses=documented(ChangesAnswer, "Events in commit order, with the granted "
                                 "fields of each record"))
async def changes(
    dataset: str | None = Query(default=None, description="Only this dataset."),
    after: int = Query(default=0, ge=0, le=2**63 - 1,
                       description="next_after of the previous page."),
    limit: int = Query(default=100, ge=1, le=1000),
    ctx: ReadContext = Depends(read_context), svc: RecordService = Depends(service),
) -> Response:
    return json_response(await svc.changes(ctx, dataset, after, limit))
