"""Helpers of the reconciliation API tests: keys, uploads, and waiting for a run."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mdr.access.keys import create_key
from mdr.db.engine import session_factory, unit_of_work
from reconciliation.queue import work
from tests.reconciliation.conftest_db import AGENCY

PURPOSE = "verification"


def key(engine: Engine, grants: list[str], agency: str = AGENCY) -> dict[str, str]:
    """Headers of a new key with ``grants`` declaring its purpose."""
    with unit_of_work(session_factory(engine)) as session:
        _, presented = create_key(session, agency_code=agency, grants=grants, purposes=[PURPOSE])
    return {"Authorization": f"Bearer {presented}", "X-Purpose": PURPOSE}


def upload(
    api: TestClient, headers: dict[str, str], path: Path, name: str | None = None, **form: Any
) -> Any:
    data = {"dataset": "resident", "agency": AGENCY} | form
    with path.open("rb") as fh:
        return api.post(
            "/v1/reconciliation/runs",
            headers=headers,
            data=data,
            files={"file": (name or path.name, fh, "text/csv")},
        )


def poll(api: TestClient, headers: dict[str, str], run_id: int) -> dict[str, Any]:
    """The run once a worker has carried it out (here: the queue, worked in this process)."""
    work(api.app.state.engine, once=True)  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while True:
        answer = api.get(f"/v1/reconciliation/runs/{run_id}", headers=headers)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        if body["status"] in ("finished", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)
