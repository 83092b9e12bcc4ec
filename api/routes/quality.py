"""Inspectors' view of data quality, under the `inspector` grant of their key."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse

from api.deps import READ_SESSION, ReadRetryRoute
from api.deps_access import read_context
from api.records_service import ReadContext
from mdr.errors import Forbidden
from mdr.quality.report import build_report
from mdr.quality.scorecards import accuracy, runs, scorecards, trend, worst_rules

INSPECTOR = "inspector"

router = APIRouter(prefix="/v1/quality", tags=["inspection"], route_class=ReadRetryRoute)


def inspector(ctx: ReadContext = Depends(read_context)) -> ReadContext:
    if INSPECTOR not in ctx.principal.grants:
        raise Forbidden("this key does not hold the inspector role")
    return ctx


@router.get("/scorecards", summary="Pass and error rates per dataset, agency and dimension")
def get_scorecards(_ctx: ReadContext = Depends(inspector),
                   session: Session = READ_SESSION) -> dict[str, Any]:
    return scorecards(session)


@router.get("/trend", summary="Pass rates over the last check runs")
def get_trend(
    by: str = Query(default="dataset", pattern="^(dataset|agency)$"),
    limit: int = Query(default=30, ge=1, le=365),
    _ctx: ReadContext = Depends(inspector), session: Session = READ_SESSION,
) -> dict[str, Any]:
    return {"points": trend(session, limit=limit, by=by)}


@router.get("/runs", summary="The latest check runs")
def get_runs(limit: int = Query(default=30, ge=1, le=365),
             _ctx: ReadContext = Depends(inspector),
             session: Session = READ_SESSION) -> dict[str, Any]:
    return {"runs": runs(session, limit)}


@router.get("/worst-rules", summary="The rules failing most, with masked sample keys")
def get_worst(limit: int = Query(default=20, ge=1, le=200),
              _ctx: ReadContext = Depends(inspector),
              session: Session = READ_SESSION) -> dict[str, Any]:
    return {"rules": worst_rules(session, limit, mask=True)}


@router.get("/accuracy", summary="Agreement of agency copies with the master")
def get_accuracy(_ctx: ReadContext = Depends(inspector),
                 session: Session = READ_SESSION) -> dict[str, Any]:
    return accuracy(session)


@router.get("/report", summary="The inspector report (self-contained HTML)",
            response_class=HTMLResponse)
def get_report(_ctx: ReadContext = Depends(inspector),
               session: Session = READ_SESSION) -> HTMLResponse:
    return HTMLResponse(build_report(session))
