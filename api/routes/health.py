"""Liveness and readiness for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import Engine

from mdr.db.engine import check_connection
from mdr.db.migrate import current_revision, head_revision
from mdr.errors import NotMigrated

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="The database is reachable and migrated")
def readyz(request: Request) -> dict[str, str | None]:
    engine: Engine = request.app.state.engine
    check_connection(engine)
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise NotMigrated(
            f"database schema is at {current or 'nothing'}, expected {head}; run `mdr db upgrade`"
        )
    return {"status": "ready", "revision": current}
