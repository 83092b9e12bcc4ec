"""API tests: the app on a database of its own, with committed data (asyncpg reads it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.app import create_app
from entities.catalogue import recount
from mdr.access.keys import create_key
from mdr.access.secrets import chain_key
from mdr.db.engine import Database, session_factory, unit_of_work
from mdr.settings import Settings
from tests.factories import persist
from tests.helpers import empty_master, migrated_engine

SECRET = "test-secret-key-of-at-least-32-chars"
#: The access-log chain key of apps on SECRET: every chain in the API database is under it.
CHAIN_KEY = chain_key(SECRET.encode())


@pytest.fixture(scope="session")
def api_url(scratch_database) -> str:
    return str(scratch_database("api"))


@pytest.fixture(scope="session")
def api_engine(api_url: str) -> Iterator[Engine]:
    engine = migrated_engine(api_url)
    yield engine
    engine.dispose()


@pytest.fixture
def api_db(api_engine: Engine) -> Engine:
    """The API database with every dataset emptied (the access log is append-only: kept)."""
    empty_master(api_engine, "field_flag")
    return api_engine


def api_settings(tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", secret_key=SECRET, **overrides)


@pytest.fixture
def api(api_db: Engine, api_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(api_settings(tmp_path),
                     Database(api_url, embedded=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def new_key(engine: Engine, grants: list[str], purposes: list[str] | None = None,
            agency: str = "TEST-AGENCY", **options: Any) -> tuple[str, dict[str, str]]:
    """A key and the headers that present it with its first purpose."""
    purposes = purposes or ["verification"]
    with unit_of_work(session_factory(engine)) as session:
        key_id, key = create_key(session, agency_code=agency, grants=grants, purposes=purposes,
                                 **options)
    return key_id, {"Authorization": f"Bearer {key}", "X-Purpose": purposes[0]}


def store(engine: Engine, dataset: str, records: list[dict[str, Any]], **options: Any) -> None:
    """Write records as a sync would, catalogue count included."""
    with unit_of_work(session_factory(engine)) as session:
        persist(session, dataset, records, **options)
        recount(session, dataset)


def audit_rows(engine: Engine, key_id: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text(
            "SELECT * FROM access_log WHERE key_id = :k ORDER BY audit_id"), {"k": key_id}
        ).mappings()]
