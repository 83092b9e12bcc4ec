"""Test fixtures on real PostgreSQL.

One database per pytest-xdist worker, created by ``alembic upgrade head``;
each test runs in a transaction rolled back at its end. The server is the
embedded one (in ``.mdr/test``) unless ``MDR_TEST_DATABASE_URL`` names one,
e.g. ``postgresql://postgres@127.0.0.1:5432/postgres``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from psycopg2 import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from api import deps
from api.app import create_app
from mdr.db.engine import Database, make_engine
from mdr.db.migrate import upgrade
from mdr.embedded import EmbeddedPostgres
from mdr.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def _admin_url() -> tuple[str, EmbeddedPostgres | None]:
    given = os.environ.get("MDR_TEST_DATABASE_URL")
    if given:
        return given, None
    server = EmbeddedPostgres(Path(os.environ.get("MDR_TEST_DATA_DIR", REPO / ".mdr" / "test")))
    server.acquire()
    return server.url("postgres"), server


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def recreate_database(admin_url: str, name: str) -> str:
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    return with_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    conn = psycopg2.connect(admin_url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
    finally:
        conn.close()


@pytest.fixture(scope="session")
def worker_id_name(worker_id: str) -> str:
    return worker_id if worker_id != "master" else "gw"


@pytest.fixture(scope="session")
def admin_url() -> Iterator[str]:
    url, server = _admin_url()
    yield url
    if server is not None:
        server.release()


@pytest.fixture(scope="session")
def scratch_database(admin_url: str, worker_id_name: str) -> Iterator[object]:
    """Make empty throwaway databases (for migration and readiness tests)."""
    made: list[str] = []

    def make(suffix: str) -> str:
        name = f"mdr_scratch_{worker_id_name}_{suffix}"
        made.append(name)
        return recreate_database(admin_url, name)

    yield make
    for name in made:
        drop_database(admin_url, name)


@pytest.fixture(scope="session")
def database_url(admin_url: str, worker_id_name: str) -> Iterator[str]:
    """This worker's database, migrated to head."""
    name = f"mdr_test_{worker_id_name}"
    url = recreate_database(admin_url, name)
    upgrade(url)
    yield url
    drop_database(admin_url, name)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url, "test", pool_size=2)
    yield eng
    eng.dispose()


@pytest.fixture
def db_session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Code under test may commit: commits become savepoint releases.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False, autoflush=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", log_format="json")


@pytest.fixture
def app(settings: Settings, database_url: str, db_session: Session) -> FastAPI:
    application = create_app(settings, Database(database_url, embedded=False))

    def session_override() -> Iterator[Session]:
        yield db_session

    application.dependency_overrides[deps.get_session] = session_override
    application.dependency_overrides[deps.get_read_session] = session_override
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
