"""Requests refused alike on every path, and refused without repeating personal data.

A credential header sent twice is a 400, never first- or last-wins: the lookup fast
paths (ASGI and uvicorn's protocol) and FastAPI's routes used to disagree on which of
the two counted. A 422 does not echo a member name that is not one of the API's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from mdr.db.engine import Database
from tests.api.conftest import api_settings, audit_rows, new_key, store
from tests.factories import make
from tests.helpers import live_server

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/resident/records:lookup"
SEARCH = "/v1/datasets/resident/records:search"


def _twice(headers: dict[str, str], name: str, other: str) -> list[tuple[str, str]]:
    return [*headers.items(), (name, other)]


def _requests(api_db: Engine) -> tuple[str, str, list[tuple[str, str, Any, Any]]]:
    person = make("resident")
    store(api_db, "resident", [person])
    key_id, headers = new_key(api_db, ["resident:rrn,name"], purposes=["P1", "P2"])
    _, stranger = new_key(api_db, ["resident:rrn"])
    lookup = {"keys": [person["rrn"]]}
    search = {"type": "name_birth", "params": {"name": person["name"],
                                               "birth_date": str(person["birth_date"])}}
    return key_id, person["rrn"], [
        (LOOKUP, "Authorization", lookup, _twice(headers, "Authorization",
                                                 stranger["Authorization"])),
        (LOOKUP, "X-Purpose", lookup, _twice(headers, "X-Purpose", "P2")),
        (SEARCH, "X-Purpose", search, _twice(headers, "X-Purpose", "P2")),
        (SEARCH, "Authorization", search, _twice(headers, "Authorization",
                                                 stranger["Authorization"])),
    ]


def _check(answer: httpx.Response, name: str) -> None:
    assert answer.status_code == 400, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/repeated-header")
    assert name.lower() in problem["detail"]


def test_repeated_credentials_are_refused_through_the_app(api: TestClient, api_db) -> None:
    key_id, _, cases = _requests(api_db)
    for path, name, body, headers in cases:
        _check(api.post(path, json=body, headers=headers), name)
    assert audit_rows(api_db, key_id) == []  # nothing was read


def test_repeated_credentials_are_refused_by_the_served_protocol(
        api_db: Engine, api_url: str, tmp_path: Path) -> None:
    key_id, _, cases = _requests(api_db)
    app = create_app(api_settings(tmp_path), Database(api_url, embedded=False))
    with live_server(app) as base, httpx.Client(base_url=base) as client:
        for path, name, body, headers in cases:
            _check(client.post(path, json=body, headers=headers), name)
    assert audit_rows(api_db, key_id) == []


def test_an_unknown_member_named_like_a_personal_identifier_is_not_echoed(
        api: TestClient, api_db: Engine) -> None:
    rrn = make("resident")["rrn"]
    _, headers = new_key(api_db, ["resident:rrn,name"])
    for path, body in ((LOOKUP, {"keys": [rrn]}), (SEARCH, {"type": "name_birth", "params": {}}),
                       ("/v1/datasets/resident/records:history", {"key": rrn})):
        for stray in (rrn, f"{rrn[:6]}-{rrn[6:]}", f"r{rrn[:5]}_{rrn[5:10]}_{rrn[10:]}"):
            answer = api.post(path, json={**body, stray: 1}, headers=headers)
            assert answer.status_code == 422, answer.text
            assert rrn[:5] not in answer.text and rrn[10:] + "\"" not in answer.text
            assert "(a member not shown)" in answer.json()["detail"]
    # this API's own member names are still named
    named = api.post(LOOKUP, json={"keys": [rrn], "fields": 3}, headers=headers)
    assert named.status_code == 422 and "fields" in named.json()["detail"]


def test_the_citizen_route_and_the_portal_refuse_repeated_credentials(
        api: TestClient, api_db: Engine) -> None:
    from mdr.access.subjects import issue_token

    person = make("resident")
    secret = api.app.state.secret  # type: ignore[attr-defined]
    mine, theirs = (issue_token(secret, p["rrn"]) for p in (person, make("resident")))
    twice = api.get("/v1/subject/access-log", headers=[
        ("Authorization", f"Bearer {mine}"), ("Authorization", f"Bearer {theirs}")])
    _check(twice, "authorization")

    store(api_db, "medicine", [make("medicine")])
    _, one = new_key(api_db, ["medicine"], ["public_info"])
    _, other = new_key(api_db, ["medicine"], ["public_info"])
    first, second = one["Authorization"][7:], other["Authorization"][7:]
    answer = api.get(f"/v1/portal/medicine?serviceKey={first}&serviceKey={second}")
    assert answer.status_code == 400, answer.text
    assert answer.json()["response"]["header"]["resultCode"] == "10"
