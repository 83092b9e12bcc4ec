"""Nothing outside a grant leaks: not the key, not through a search, a cursor, an error
body or the request log."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from api.app import create_app
from mdr.db.engine import Database
from tests.api.conftest import api_settings, audit_rows, new_key, store
from tests.factories import make

pytestmark = pytest.mark.db

SEARCH = "/v1/datasets/{}/records:search"


def _by_owner(owner: str, **extra: object) -> dict[str, object]:
    return {"type": "by_owner", "params": {"owner_id": owner}, **extra}


def test_records_name_their_key_only_when_the_key_is_granted(api: TestClient,
                                                             api_db: Engine) -> None:
    owner = make("resident")["rrn"]
    cars = [make("vehicle", owner_id=owner) for _ in range(3)]
    store(api_db, "vehicle", cars)
    _, with_vin = new_key(api_db, ["vehicle:vin,plate,owner_id"])
    _, without_vin = new_key(api_db, ["vehicle:plate,owner_id"])
    keyed = api.post(SEARCH.format("vehicle"), headers=with_vin, json=_by_owner(owner)).json()
    assert sorted(r["key"] for r in keyed["records"]) == sorted(c["vin"] for c in cars)

    response = api.post(SEARCH.format("vehicle"), headers=without_vin, json=_by_owner(owner))
    assert response.status_code == 200, response.text
    assert len(response.json()["records"]) == 3
    assert all("key" not in r for r in response.json()["records"])
    assert not any(c["vin"] in response.text for c in cars)
    history = api.post("/v1/datasets/vehicle/records:history", headers=without_vin,
                       json={"key": cars[0]["vin"]})
    assert history.status_code == 200 and cars[0]["vin"] not in history.text


def test_a_search_may_filter_only_on_granted_fields(api: TestClient, api_db: Engine) -> None:
    owner = make("resident")["rrn"]
    store(api_db, "vehicle", [make("vehicle", owner_id=owner)])
    key_id, plate_only = new_key(api_db, ["vehicle:vin,plate,model"])
    response = api.post(SEARCH.format("vehicle"), headers=plate_only, json=_by_owner(owner))
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["type"].endswith("/field-not-granted") and body["fields"] == ["owner_id"]
    assert owner not in response.text
    assert audit_rows(api_db, key_id) == []


def test_a_cursor_hides_its_key_and_belongs_to_its_search(api: TestClient,
                                                          api_db: Engine) -> None:
    owner, other = make("resident")["rrn"], make("resident")["rrn"]
    store(api_db, "vehicle", [make("vehicle", owner_id=owner) for _ in range(3)]
          + [make("vehicle", owner_id=other) for _ in range(3)])
    _, headers = new_key(api_db, ["vehicle:plate,owner_id"])
    first = api.post(SEARCH.format("vehicle"), headers=headers,
                     json=_by_owner(owner, limit=1)).json()
    cursor = first["next_cursor"]
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    with api_db.connect() as conn:
        vins = [row[0] for row in conn.exec_driver_sql("SELECT vin FROM vehicle")]
    assert not any(vin.encode() in raw for vin in vins), "the cursor is encrypted"
    walked = api.post(SEARCH.format("vehicle"), headers=headers,
                      json=_by_owner(owner, cursor=cursor, limit=10)).json()
    assert len(walked["records"]) == 2
    elsewhere = api.post(SEARCH.format("vehicle"), headers=headers,
                         json=_by_owner(other, cursor=cursor))
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "cursor"
    another_day = api.post(SEARCH.format("vehicle"), headers=headers,
                           json=_by_owner(owner, cursor=cursor, valid_at="2026-01-01"))
    assert another_day.status_code == 422
    forged = api.post(SEARCH.format("vehicle"), headers=headers,
                      json=_by_owner(owner, cursor=cursor[:-4] + "AAAA"))
    assert forged.status_code == 422


@pytest.mark.parametrize(("dataset", "body", "field"), [
    ("vehicle", {"type": "by_owner", "params": {"owner_id": "\u0000"}}, "params.owner_id"),
    ("medicine", {"type": "by_name", "params": {"name": "a\u0000b"}}, "params.name"),
    ("resident", {"type": "name_birth_date",
                  "params": {"name": "김\u0000", "birth_date": "1990-01-01"}}, "params.name"),
])
def test_a_nul_character_in_a_search_is_a_422_naming_the_field(
        api: TestClient, api_db: Engine, dataset: str, body: dict[str, object],
        field: str) -> None:
    _, headers = new_key(api_db, [dataset])
    response = api.post(SEARCH.format(dataset), headers=headers, json=body)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_nul_character_in_a_key_is_simply_not_found(api: TestClient, api_db: Engine) -> None:
    _, headers = new_key(api_db, ["goods", "resident"])
    assert api.get("/v1/datasets/goods/records/a%00b", headers=headers).status_code == 404
    lookup = api.post("/v1/datasets/goods/records:lookup", headers=headers,
                      json={"keys": ["a\u0000b"]})
    assert lookup.status_code == 200 and lookup.json()["not_found"] == ["a\u0000b"]
    history = api.post("/v1/datasets/goods/records:history", headers=headers,
                       json={"key": "a\u0000b"})
    assert history.status_code == 404


def test_unknown_search_params_are_refused(api: TestClient, api_db: Engine) -> None:
    _, headers = new_key(api_db, ["vehicle"])
    response = api.post(SEARCH.format("vehicle"), headers=headers, json={
        "type": "by_plate", "params": {"plate": "12가3456", "owner_id": "7603042381951"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "params"
    assert "7603042381951" not in response.text


def test_error_bodies_do_not_repeat_identifiers_sent_as_names(api: TestClient,
                                                              api_db: Engine) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    _, headers = new_key(api_db, ["resident"])
    fields = api.post("/v1/datasets/resident/records:lookup", headers=headers,
                      json={"keys": [person["rrn"]], "fields": [person["rrn"], "shoe_size"]})
    assert fields.status_code == 422
    assert person["rrn"] not in fields.text and "shoe_size" in fields.text
    search = api.post(SEARCH.format("resident"), headers=headers,
                      json={"type": person["rrn"], "params": {}})
    assert search.status_code == 422 and person["rrn"] not in search.text
    nowhere = api.get(f"/v1/people/{person['rrn']}", headers=headers)
    assert nowhere.status_code == 404 and person["rrn"] not in nowhere.text


def test_the_request_log_never_shows_an_identifier_in_a_path(
        api_db: Engine, api_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    person = make("resident")
    _, headers = new_key(api_db, ["resident"])
    # The app routes logs to stderr, as JSON lines.
    app = create_app(api_settings(tmp_path, access_log=True), Database(api_url, embedded=False))
    with TestClient(app, raise_server_exceptions=False) as client:
        dashed = person["rrn"][:6] + "-" + person["rrn"][6:]
        for path in (f"/v1/datasets/resident/records/{person['rrn']}",
                     f"/v1/datasets/resident/records/{dashed}"):
            response = client.get(path, headers=headers)
            assert response.status_code == 400 and person["rrn"] not in response.text
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines()
               if line.startswith("{")]
    lines = [r["message"] for r in records if r["logger"] == "mdr.access"]
    assert len(lines) == 2, lines
    assert all("/v1/datasets/resident/records/{redacted} 400" in line for line in lines), lines
    assert not any(person["rrn"][:6] in line for line in lines)


def test_identifiers_in_names_headers_and_queries_are_not_repeated(api: TestClient,
                                                                   api_db: Engine) -> None:
    rrn = make("resident")["rrn"]
    dashed = rrn[:6] + "-" + rrn[6:]
    _, headers = new_key(api_db, ["resident"])
    for answer in (api.get(f"/v1/datasets/{rrn}/records/x", headers=headers),
                   api.get(f"/v1/datasets/{dashed}", headers=headers),
                   api.get(f"/v1/changes?dataset={rrn}", headers=headers)):
        assert answer.status_code == 404, answer.text
        assert answer.json()["type"].endswith("/unknown-dataset")
        assert rrn[:6] not in answer.text
    echoed = api.get("/v1/datasets", headers={"X-Request-ID": f"rrn-{dashed}"})
    assert rrn[:6] not in echoed.headers["x-request-id"]
    kept = api.get("/v1/datasets", headers={"X-Request-ID": "trace-42"})
    assert kept.headers["x-request-id"] == "trace-42"
    purpose = api.post("/v1/datasets/resident/records:lookup", json={"keys": [rrn]},
                       headers={**headers, "X-Purpose": rrn})
    assert purpose.status_code == 403 and rrn not in purpose.text


@pytest.mark.parametrize("route", ["records:search", "records:history", "records:lookup"])
def test_a_chunked_body_over_the_limit_is_a_413(api_db: Engine, api_url: str, tmp_path: Path,
                                                route: str) -> None:
    _, headers = new_key(api_db, ["resident"])
    headers["Content-Type"] = "application/json"
    app = create_app(api_settings(tmp_path, max_request_bytes=2000),
                     Database(api_url, embedded=False))

    def chunks() -> Iterator[bytes]:  # no content-length: sent chunked
        yield b'{"key": "'
        yield b"x" * 3000
        yield b'"}'

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(f"/v1/datasets/resident/{route}", headers=headers,
                               content=chunks())
        assert response.status_code == 413, response.text
        assert response.json()["type"].endswith("/payload-too-large")
        small = client.post("/v1/datasets/resident/records:history", headers=headers,
                            content=iter([b'{"key": ', b'"9001011234568"}']))
        assert small.status_code == 404, small.text  # read whole, then answered
