"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import Engine

from api.replicas import replica_summary
from mdr.db.engine import check_connection
from mdr.db.migrate import current_revision, head_revision
from mdr.errors import NotMigrated

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The primary is reachable and migrated; each read replica's state")
def readyz(request: Request) -> dict[str, Any]:
    """Ready as long as the primary is: reads fall back to it when no replica is usable,
    so a replica down, hung or lagging is reported here, not a reason to take the process
    out of service."""
    engine: Engine = request.app.state.engine
    check_connection(engine)
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise NotMigrated(
            f"database schema is at {current or 'nothing'}, expected {head}; run `mdr db upgrade`"
        )
    reads = getattr(request.app.state, "reads", None)  # set when the app has started
    return {"status": "ready", "revision": current,
            **(reads.report() if reads is not None else replica_summary([], 0))}
