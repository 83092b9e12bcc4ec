"""Database fixtures of the reconciliation tests (runs commit: a database of their own).

The resident master is a small generated snapshot synced once per session; each
test starts with no reconciliation runs, items, manual links or field flags.
Agency copies are written per test from the generated agency copy and truth.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.app import create_app
from entities.catalogue import refresh_catalogue
from entities.synthetic.writer import generate_snapshot
from mdr.db.engine import Database, make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade
from mdr.settings import Settings
from sync.service import sync_file

SCALE = 300
AGENCY = "MOHW"
RECONCILIATION_TABLES = (
    "reconciliation_manual_link",
    "reconciliation_request",
    "steward_action",
    "steward_item",
    "reconciliation_evidence",
    "reconciliation_outcome",
    "reconciliation_run",
    "field_flag",
)


@dataclass(frozen=True)
class Snapshot:
    """The generated resident master, its agency copy and the truth, as files and frames."""

    master_file: Path
    agency_file: Path
    truth_file: Path

    @property
    def master(self) -> pl.DataFrame:
        return pl.read_csv(self.master_file, infer_schema=False)

    @property
    def agency(self) -> pl.DataFrame:
        return pl.read_csv(self.agency_file, infer_schema=False)

    @property
    def truth(self) -> pl.DataFrame:
        return pl.read_csv(self.truth_file, infer_schema=False)


@pytest.fixture(scope="session")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    out = tmp_path_factory.mktemp("reconciliation-snapshot")
    (result,) = generate_snapshot(SCALE, out, agency_copies=True, datasets=["resident"])
    assert result.agency_file is not None and result.truth_file is not None
    return Snapshot(result.file, result.agency_file, result.truth_file)


@pytest.fixture(scope="session")
def rec_engine(scratch_database, snapshot: Snapshot) -> Iterator[Engine]:
    """A migrated database holding the synced resident master."""
    url = scratch_database("reconciliation")
    upgrade(url)
    engine = make_engine(url, "test", pool_size=3)
    with unit_of_work(session_factory(engine)) as session:
        refresh_catalogue(session)
    result = sync_file(engine, "resident", snapshot.master_file)
    assert result.quarantined == 0
    yield engine
    engine.dispose()


@pytest.fixture
def rec_db(rec_engine: Engine) -> Engine:
    """The reconciliation database with no runs, items, links or flags."""
    with rec_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(RECONCILIATION_TABLES)} RESTART IDENTITY CASCADE"))
    return rec_engine


def count(engine: Engine, sql: str, **params: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def rows(engine: Engine, sql: str, **params: object) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(sql), params).mappings()]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False).replace(
        "postgresql+psycopg2", "postgresql"
    )


@pytest.fixture
def api(rec_db: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """The API on the reconciliation database (runs are worked by ``helpers.poll``)."""
    app: FastAPI = create_app(
        Settings(data_dir=tmp_path / "data", secret_key="test-secret-of-at-least-32-characters"),
        Database(url_of(rec_db), embedded=False),
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
