"""The lookup hot path answers exactly as the documented FastAPI route does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from mdr.db.engine import Database
from tests.api.conftest import api_settings, audit_rows, new_key, store
from tests.factories import make

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/{}/records:lookup"


@pytest.fixture
def route_only(api_db: Engine, api_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(api_settings(tmp_path), Database(api_url, embedded=False),
                     fast_lookup=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _comparable(response: Any) -> tuple[int, str, Any]:
    """Status, media type and body; for a problem, its type, instance and the fields it
    names (pydantic words a message differently when it parses JSON itself)."""
    body = response.json()
    if response.status_code >= 400:
        body = (body["type"], body["instance"],
                sorted((e["field"], e.get("in")) for e in body.get("errors", [])))
    return response.status_code, response.headers["content-type"], body


def test_fast_path_and_route_answer_alike(api: TestClient, route_only: TestClient,
                                          api_db: Engine) -> None:
    people = [make("resident") for _ in range(3)]
    store(api_db, "resident", people)
    _, headers = new_key(api_db, ["resident:name,birth_date"])
    keys = [p["rrn"] for p in people]
    requests: list[tuple[str, dict[str, Any], Any]] = [
        ("resident", headers, {"keys": [keys[2], "9001011234568", keys[0]]}),
        ("resident", headers, {"keys": keys, "fields": ["name"]}),
        ("resident", headers, {"keys": keys, "valid_at": str(dt.date.today())}),
        ("resident", headers, {"keys": keys, "fields": ["address_id"]}),  # not granted
        ("resident", headers, {"keys": keys, "fields": ["no_such_field"]}),
        ("resident", headers, {"keys": []}),
        ("resident", headers, {"keys": ["x"] * 1001}),
        ("resident", headers, {"keys": keys, "extra": 1}),
        ("resident", headers, {"keys": "not a list"}),
        ("resident", headers, {"keys": keys, "valid_at": "yesterday"}),
        ("resident", headers, [1, 2]),
        ("resident", {**headers, "X-Purpose": "marketing"}, {"keys": keys}),
        ("resident", {k: v for k, v in headers.items() if k != "X-Purpose"}, {"keys": keys}),
        ("resident", {"X-Purpose": "verification"}, {"keys": keys}),
        ("resident", {**headers, "Authorization": "Bearer nope"}, {"keys": keys}),
        ("vehicle", headers, {"keys": keys}),  # no grant
        ("no_such_dataset", headers, {"keys": keys}),
    ]
    for dataset, sent_headers, body in requests:
        fast = api.post(LOOKUP.format(dataset), headers=sent_headers, json=body)
        routed = route_only.post(LOOKUP.format(dataset), headers=sent_headers, json=body)
        assert _comparable(fast) == _comparable(routed), (dataset, body)
        assert fast.headers["x-request-id"]


def test_fast_path_refuses_malformed_and_oversized_bodies_as_the_route_does(
        api: TestClient, route_only: TestClient, api_db: Engine) -> None:
    _, headers = new_key(api_db, ["resident"])
    for content in (b"{not json", b"", b'{"keys": ["' + b"9" * 2_000_000 + b'"]}'):
        fast = api.post(LOOKUP.format("resident"), headers=headers, content=content)
        routed = route_only.post(LOOKUP.format("resident"), headers=headers, content=content)
        assert fast.status_code == routed.status_code
        assert fast.json()["type"] == routed.json()["type"]


def test_fast_path_audits_with_the_route_template_and_request_id(api: TestClient,
                                                                 api_db: Engine) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    key_id, headers = new_key(api_db, ["resident"])
    response = api.post(LOOKUP.format("resident"), json={"keys": [person["rrn"]]},
                        headers={**headers, "X-Request-ID": "trace-42"})
    assert response.headers["x-request-id"] == "trace-42"
    (row,) = audit_rows(api_db, key_id)
    assert row["route"] == LOOKUP.format("{dataset}")
    assert row["request_id"] == "trace-42"
    assert row["record_key"] == person["rrn"]


def test_fast_path_failure_is_a_500_problem_with_the_request_id(
        api: TestClient, api_db: Engine, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    _, headers = new_key(api_db, ["resident"])

    async def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret internals " + person["rrn"])

    monkeypatch.setattr(api.app.state.records, "lookup", crash)  # type: ignore[attr-defined]
    response = api.post(LOOKUP.format("resident"), json={"keys": [person["rrn"]]},
                        headers={**headers, "X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "trace-500"
    body = response.json()
    assert body["type"].endswith("/internal-error") and body["request_id"] == "trace-500"
    assert "secret internals" not in response.text and person["rrn"] not in response.text
    assert any(r.levelname == "ERROR" and r.getMessage() == "unhandled error"
               for r in caplog.records)


@pytest.mark.parametrize("socket", ["tcp", "unix"])
@pytest.mark.parametrize("fast_lookup", [True, False])
def test_a_lost_database_is_a_503_problem_to_retry_later(tmp_path: Path, fast_lookup: bool,
                                                         socket: str) -> None:
    # Nothing listens on port 1; no server's socket is in tmp_path (asyncpg: no
    # ConnectionRefusedError but FileNotFoundError).
    nowhere = {"tcp": "postgresql://postgres@127.0.0.1:1/mdr",
               "unix": f"postgresql://postgres@/mdr?host={tmp_path}"}[socket]
    app = create_app(api_settings(tmp_path), Database(nowhere, embedded=False),
                     fast_lookup=fast_lookup)
    headers = {"Authorization": "Bearer mdr_k1_x", "X-Purpose": "verification",
               "X-Request-ID": "trace-503"}
    with TestClient(app, raise_server_exceptions=False) as client:
        for response in (
            client.post(LOOKUP.format("resident"), json={"keys": ["9001011234568"]},
                        headers=headers),
            client.get("/v1/changes", headers=headers),
        ):
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == "5"
            assert response.headers["x-request-id"] == "trace-503"
            body = response.json()
            assert body["type"].endswith("/database-unavailable")
            assert "9001011234568" not in response.text and "Traceback" not in response.text
