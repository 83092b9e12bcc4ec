"""Every API statement is bounded in time (DESIGN.md section 7), on a real server.

A statement that runs past ``MDR_STATEMENT_TIMEOUT_SECONDS`` or waits past
``MDR_LOCK_TIMEOUT_SECONDS`` is cancelled by PostgreSQL and answered 503
``database-timeout`` with ``Retry-After``, on every kind of connection the API holds; a
search whose client leaves is cancelled in PostgreSQL. Statements are made slow here
by a lock the test holds on the table they read, as a long sync or a DBA's ``LOCK``
would: no code path of the product exists for the tests.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text

from api.app import create_app
from api.records_service import MAX_SEARCH_VALUE
from mdr.db.engine import Database, statement_limits
from tests.api.conftest import api_settings, new_key, store
from tests.api.test_http_protocol import _request, _responses
from tests.factories import make
from tests.helpers import live_server

pytestmark = pytest.mark.db

SEARCH = "/v1/datasets/business/records:search"
LOOKUP = "/v1/datasets/resident/records:lookup"
Serve = Callable[..., str]


@pytest.fixture
def serve(api_db: Engine, api_url: str, tmp_path: Path) -> Iterator[Serve]:
    """Start a live server with the given settings; each is stopped at the end."""
    with ExitStack() as servers:
        yield lambda **settings: servers.enter_context(live_server(create_app(
            api_settings(tmp_path, **settings), Database(api_url, embedded=False))))


@contextmanager
def locked(engine: Engine, table: str) -> Iterator[Connection]:
    """``table`` locked against every other session until the block ends."""
    with engine.connect() as conn:
        conn.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        try:
            yield conn
        finally:
            conn.rollback()


def _search(name: str = "Acme") -> dict[str, Any]:
    return {"type": "by_trade_name", "params": {"trade_name": name}}


def _is_timeout(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/database-timeout")
    assert response.headers["retry-after"] == "5"


def _waiting(engine: Engine) -> list[int]:
    """The API's statements of this database waiting for a lock."""
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name LIKE 'mdr-api%' AND state = 'active' "
            "AND wait_event_type = 'Lock'")).scalars())


def _poll(check: Callable[[], bool], limit: float = 10.0) -> float:
    """Seconds until ``check`` holds (failing the test past ``limit``)."""
    began = time.monotonic()
    while not check():
        assert time.monotonic() - began < limit, "timed out waiting"
        time.sleep(0.05)
    return time.monotonic() - began


def test_every_api_connection_carries_the_limits(api_db: Engine, api_url: str,
                                                 tmp_path: Path) -> None:
    # The database standing in for a replica of itself: its pools are made as a replica's.
    database = Database(api_url, embedded=False, replica_urls=[api_url])
    app = create_app(api_settings(tmp_path, statement_timeout_seconds=2.5,
                                  lock_timeout_seconds=0.75), database)
    shown = "SELECT current_setting('statement_timeout'), current_setting('lock_timeout')"
    with TestClient(app) as client:
        portal = client.portal
        assert portal is not None
        for target in app.state.reads.targets:  # the primary's pool and the replica's
            assert tuple(portal.call(target.pool.fetchrow, shown)) == ("2500ms", "750ms")
        for engine in (app.state.engine, app.state.read_sessions.primary().get_bind()):
            with engine.connect() as conn:
                assert tuple(conn.execute(text(shown)).one()) == ("2500ms", "750ms")
    limits = statement_limits(api_settings(tmp_path, statement_timeout_seconds=20))
    for ms, expected in ((10_000, "10s"), (30_000, "20s")):  # a replica's own, if shorter
        (replica,) = database.replica_engines("api", statement_timeout_ms=ms,
                                              server_settings=limits)
        try:
            with replica.connect() as conn:
                assert tuple(conn.execute(text(shown)).one()) == (expected, "5s")
        finally:
            replica.dispose()
    sync = database.engine("sync")  # long statements on purpose: not bounded
    try:
        with sync.connect() as conn:
            assert tuple(conn.execute(text(shown)).one()) == ("0", "0")
    finally:
        sync.dispose()


def test_a_search_past_the_statement_timeout_answers_503(serve: Serve, api_db: Engine) -> None:
    base = serve(statement_timeout_seconds=1.0, lock_timeout_seconds=30.0)
    _, headers = new_key(api_db, ["business"])
    with locked(api_db, "business"):
        began = time.monotonic()
        response = httpx.post(base + SEARCH, headers=headers, json=_search(), timeout=20)
        took = time.monotonic() - began
        assert _waiting(api_db) == []  # cancelled in PostgreSQL, not only answered
    _is_timeout(response)
    assert 0.9 <= took < 5
    assert httpx.post(base + SEARCH, headers=headers, json=_search()).status_code == 200


def test_lookups_and_access_log_writes_past_the_lock_timeout_answer_503(
        serve: Serve, api_db: Engine) -> None:
    base = serve(statement_timeout_seconds=30.0, lock_timeout_seconds=0.5)
    _, headers = new_key(api_db, ["resident", "business"])
    store(api_db, "business", [make("business", trade_name="Acme")])
    lookup = {"keys": ["9001011234568"]}
    with locked(api_db, "resident"):  # the key readers' statement
        began = time.monotonic()
        _is_timeout(httpx.post(base + LOOKUP, headers=headers, json=lookup, timeout=20))
        assert time.monotonic() - began < 5
    with locked(api_db, "access_log"):  # the access-log writers' insert, after a search
        _is_timeout(httpx.post(base + SEARCH, headers=headers, json=_search(), timeout=20))
    assert httpx.post(base + LOOKUP, headers=headers, json=lookup).status_code == 200
    found = httpx.post(base + SEARCH, headers=headers, json=_search())
    assert [r["data"]["trade_name"] for r in found.json()["records"]] == ["Acme"]


def test_routes_on_the_sqlalchemy_engine_are_bounded_too(serve: Serve, api_db: Engine) -> None:
    base = serve(statement_timeout_seconds=30.0, lock_timeout_seconds=0.5)
    _, headers = new_key(api_db, ["steward"])
    with locked(api_db, "steward_item"):
        _is_timeout(httpx.get(base + "/v1/steward/items", headers=headers, timeout=20))
    assert httpx.get(base + "/v1/steward/items", headers=headers).status_code == 200


def test_a_search_cancelled_by_an_operator_answers_503_not_500(
        serve: Serve, api_db: Engine) -> None:
    base = serve(statement_timeout_seconds=60.0, lock_timeout_seconds=60.0)
    _, headers = new_key(api_db, ["business"])
    with locked(api_db, "business") as holder, httpx.Client(timeout=30) as client:
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(_request(SEARCH, headers, json.dumps(_search()).encode()))
            _poll(lambda: len(_waiting(api_db)) == 1)
            holder.execute(text("SELECT pg_cancel_backend(:p)"), {"p": _waiting(api_db)[0]})
            ((status, _, body),) = _responses(_read_answer(sock))
        assert status == 503 and json.loads(body)["type"].endswith("/database-timeout")
        assert client.get(base + "/healthz").status_code == 200


def _read_answer(sock: socket.socket) -> bytes:
    received, deadline = b"", time.monotonic() + 20
    sock.settimeout(20)
    while b"\r\n\r\n" not in received or not received.rstrip().endswith(b"}"):
        assert time.monotonic() < deadline
        chunk = sock.recv(65536)
        assert chunk, received
        received += chunk
    return received


def test_a_search_whose_client_leaves_is_cancelled_in_postgresql(
        serve: Serve, api_db: Engine) -> None:
    base = serve(statement_timeout_seconds=60.0, lock_timeout_seconds=60.0)
    _, headers = new_key(api_db, ["business"])
    with locked(api_db, "business"):
        host, port = base.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(_request(SEARCH, headers, json.dumps(_search()).encode()))
            _poll(lambda: len(_waiting(api_db)) == 1)
        # The client is gone; the statement stops long before its 60 s would.
        assert _poll(lambda: _waiting(api_db) == []) < 5
    response = httpx.post(base + SEARCH, headers=headers, json=_search())
    assert response.status_code == 200  # the pool's connection came back usable


def test_search_values_longer_than_the_limit_are_refused_with_422(
        serve: Serve, api_db: Engine) -> None:
    base = serve()
    _, headers = new_key(api_db, ["business"])
    longest = "가" * MAX_SEARCH_VALUE
    assert httpx.post(base + SEARCH, headers=headers, json=_search(longest)).status_code == 200
    response = httpx.post(base + SEARCH, headers=headers, json=_search("a" * 24_000))
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == [{"field": "params.trade_name",
                                  "message": f"at most {MAX_SEARCH_VALUE} characters"}]
    assert f"longer than {MAX_SEARCH_VALUE} characters" in problem["detail"]
