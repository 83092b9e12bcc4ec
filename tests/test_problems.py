"""Every error is problem+json: our hierarchy, routing errors, validation, crashes."""

from __future__ import annotations

import asyncpg
import pytest
from asyncpg.exceptions._base import DataError as ArgumentError
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from api.problems import unexpected_response
from mdr.errors import Forbidden, UnknownDataset

pytestmark = pytest.mark.db

PROBLEM = "application/problem+json"


class Body(BaseModel):
    keys: list[str] = Field(min_length=1, max_length=3)
    limit: int = Field(ge=1, le=100)


@pytest.fixture
def app_with_probes(app: FastAPI) -> FastAPI:
    @app.get("/_probe/crash")
    def crash() -> None:
        raise RuntimeError("secret internals 900101-1234567")

    @app.get("/_probe/unknown")
    def unknown() -> None:
        raise UnknownDataset("no dataset named 'spaceships'")

    @app.get("/_probe/forbidden")
    def forbidden() -> None:
        raise Forbidden("fields not granted: rrn", fields=["rrn"])

    @app.post("/_probe/validate")
    def validate(body: Body) -> dict[str, int]:
        return {"n": len(body.keys)}

    return app


@pytest.fixture
def probe_client(app_with_probes: FastAPI):
    with TestClient(app_with_probes, raise_server_exceptions=False) as client:
        yield client


def assert_problem(response, status: int, slug: str) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"https://mdr.go.kr/problems/{slug}"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_unknown_route_is_404_problem(probe_client: TestClient) -> None:
    body = assert_problem(probe_client.get("/v1/nothing-here"), 404, "not-found")
    assert body["instance"] == "/v1/nothing-here"


def test_wrong_method_is_405_problem(probe_client: TestClient) -> None:
    assert_problem(probe_client.delete("/healthz"), 405, "method-not-allowed")


def test_validation_error_is_422_naming_fields(probe_client: TestClient) -> None:
    response = probe_client.post("/_probe/validate", json={"keys": [], "limit": 0})
    body = assert_problem(response, 422, "invalid-input")
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"keys", "limit"}
    assert "keys" in body["detail"] and "limit" in body["detail"]


def test_malformed_json_is_422_problem(probe_client: TestClient) -> None:
    response = probe_client.post(
        "/_probe/validate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422, "invalid-input")


def test_unexpected_error_is_500_without_traceback(probe_client: TestClient) -> None:
    response = probe_client.get("/_probe/crash")
    body = assert_problem(response, 500, "internal-error")
    assert "Traceback" not in response.text
    assert "secret internals" not in response.text
    assert "900101" not in response.text
    assert "request id" in body["detail"]


def test_domain_errors_keep_their_type_and_extras(probe_client: TestClient) -> None:
    assert_problem(probe_client.get("/_probe/unknown"), 404, "unknown-dataset")
    body = assert_problem(probe_client.get("/_probe/forbidden"), 403, "forbidden")
    assert body["fields"] == ["rrn"]


def test_request_id_is_echoed_or_generated(probe_client: TestClient) -> None:
    given = probe_client.get("/healthz", headers={"X-Request-ID": "agency-42.abc"})
    assert given.headers["x-request-id"] == "agency-42.abc"
    made = probe_client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert made.headers["x-request-id"] != "bad id with spaces"
    assert len(made.headers["x-request-id"]) == 32


def test_openapi_has_real_title_version_and_description(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"].startswith("mdr")
    assert spec["info"]["version"] == "0.1.0"
    assert "National Master Data Repository" in spec["info"]["description"]


@pytest.mark.parametrize("broke", [
    asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
    asyncpg.InternalClientError("cannot switch to state 12; another operation (2) is in "
                                "progress"),
], ids=["InterfaceError", "InternalClientError"])
def test_a_connection_broken_mid_statement_is_a_503(broke: Exception) -> None:
    """What asyncpg raises when a backend is killed under a pooled query (key checks,
    searches, the change feed): the database went away, not a bug."""
    answer = unexpected_response(broke, "/v1/changes")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"


def test_a_bad_query_argument_is_not_taken_for_a_lost_database() -> None:
    bad_argument = ArgumentError("invalid input for query argument $1")
    assert unexpected_response(bad_argument, "/v1/changes").status_code == 500
