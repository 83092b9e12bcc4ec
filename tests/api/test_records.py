"""Agency reads: grants, purposes, fields, lookup, get, search, history, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from tests.api.conftest import audit_rows, new_key, store
from tests.factories import make

pytestmark = pytest.mark.db

LOOKUP = "/v1/datasets/{}/records:lookup"


def problem_type(response) -> str:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.json()["type"].rsplit("/", 1)[-1]


def test_lookup_in_order_with_not_found_and_granted_fields_only(api, api_db) -> None:
    people = [make("resident") for _ in range(3)]
    store(api_db, "resident", people)
    key_id, headers = new_key(api_db, ["resident:name,birth_date"])
    keys = [people[2]["rrn"], "9001011234568", people[0]["rrn"][:6] + "-" + people[0]["rrn"][6:]]
    response = api.post(LOOKUP.format("resident"), json={"keys": keys}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # In order; without rrn in the grant the records do not name their key.
    assert [r["data"]["name"] for r in body["records"]] == [people[2]["name"], people[0]["name"]]
    assert all("key" not in r for r in body["records"])
    assert people[2]["rrn"] not in response.text and people[0]["rrn"] not in response.text
    assert body["not_found"] == ["9001011234568"]
    first = body["records"][0]
    assert set(first["data"]) == {"name", "birth_date"}
    assert first["data"]["name"] == people[2]["name"]
    assert first["provenance"]["owner"] == "MOIS"
    assert {"batch_id", "recorded_at", "valid_from", "version_id"} <= set(first["provenance"])
    assert "rrn" not in first["data"] and "address_id" not in response.text
    rows = audit_rows(api_db, key_id)
    assert [r["record_key"] for r in rows] == [people[2]["rrn"], people[0]["rrn"]]
    assert all(r["fields"] == ["name", "birth_date"] and r["purpose"] == "verification"
               for r in rows)
    assert rows[0]["request_id"] == response.headers["x-request-id"]
    assert people[0]["rrn"] not in (rows[0]["record_key_hash"] + "".join(rows[0]["subject_hashes"]))


def test_fields_outside_the_grant_are_refused_by_name_and_not_audited(api, api_db) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    key_id, headers = new_key(api_db, ["resident:name"])
    response = api.post(LOOKUP.format("resident"),
                        json={"keys": [person["rrn"]], "fields": ["name", "address_id"]},
                        headers=headers)
    assert response.status_code == 403
    assert problem_type(response) == "field-not-granted"
    assert response.json()["fields"] == ["address_id"]
    assert person["rrn"] not in response.text
    assert audit_rows(api_db, key_id) == []


@pytest.mark.parametrize(
    ("grants", "headers_extra", "status", "slug"),
    [
        (["vehicle"], {}, 403, "no-grant"),
        (["resident"], {"X-Purpose": "marketing"}, 403, "purpose-not-granted"),
        (["resident"], {"X-Purpose": ""}, 422, "invalid-input"),
        (["resident"], {"Authorization": "Bearer mdr_nope_nope"}, 401, "unauthorized"),
        (["resident"], {"Authorization": ""}, 401, "unauthorized"),
    ],
)
def test_refusals(api, api_db, grants, headers_extra, status, slug) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    key_id, headers = new_key(api_db, grants)
    headers = {**headers, **headers_extra}
    response = api.post(LOOKUP.format("resident"), json={"keys": [person["rrn"]]},
                        headers={k: v for k, v in headers.items() if v != ""})
    assert response.status_code == status
    assert problem_type(response) == slug
    assert person["rrn"] not in response.text
    assert audit_rows(api_db, key_id) == []


def test_revoked_and_expired_keys_are_refused(api, api_db) -> None:
    from mdr.access.keys import revoke_key
    from mdr.db.engine import session_factory, unit_of_work

    person = make("resident")
    store(api_db, "resident", [person])
    revoked_id, revoked = new_key(api_db, ["resident"])
    with unit_of_work(session_factory(api_db)) as session:
        revoke_key(session, revoked_id)
    _, expired = new_key(api_db, ["resident"],
                         expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    for headers in (revoked, expired):
        response = api.post(LOOKUP.format("resident"), json={"keys": [person["rrn"]]},
                            headers=headers)
        assert response.status_code == 401


def test_batch_size_and_unknown_dataset(api, api_db) -> None:
    _, headers = new_key(api_db, ["resident"])
    too_many = api.post(LOOKUP.format("resident"),
                        json={"keys": [str(i) for i in range(1001)]}, headers=headers)
    assert too_many.status_code == 422 and problem_type(too_many) == "invalid-input"
    unknown = api.post(LOOKUP.format("spaceship"), json={"keys": ["x"]}, headers=headers)
    assert unknown.status_code == 404 and problem_type(unknown) == "unknown-dataset"


def test_get_by_key_with_etag_and_personal_keys_stay_out_of_urls(api, api_db) -> None:
    corp = make("corporation")
    store(api_db, "corporation", [corp])
    key_id, headers = new_key(api_db, ["corporation", "resident"])
    url = f"/v1/datasets/corporation/records/{corp['crn']}"
    first = api.get(url, headers=headers)
    assert first.status_code == 200
    assert first.json()["data"]["name"] == corp["name"]
    again = api.get(url, headers={**headers, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    missing = api.get("/v1/datasets/corporation/records/1101111234567", headers=headers)
    assert missing.status_code == 404 and problem_type(missing) == "record-not-found"
    personal = api.get("/v1/datasets/resident/records/9001011234568", headers=headers)
    assert personal.status_code == 400 and problem_type(personal) == "personal-key-in-url"
    assert "9001011234568" not in personal.text
    assert len(audit_rows(api_db, key_id)) == 2  # the 200 and the 304


def test_search_keyset_pagination_and_fields(api, api_db) -> None:
    twins = [make("resident", name="김하나", birth_date=dt.date(1990, 5, 5)) for _ in range(5)]
    store(api_db, "resident", [*twins, make("resident")])
    key_id, headers = new_key(api_db, ["resident:rrn,name,birth_date,sex"])
    seen, cursor = [], None
    for _ in range(3):
        response = api.post("/v1/datasets/resident/records:search", headers=headers, json={
            "type": "name_birth_date", "params": {"name": "김하나", "birth_date": "1990-05-05"},
            "fields": ["name", "sex"], "limit": 2, "cursor": cursor})
        assert response.status_code == 200, response.text
        page = response.json()
        assert all(set(r["data"]) == {"name", "sex"} for r in page["records"])
        seen += [r["key"] for r in page["records"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(t["rrn"] for t in twins)
    assert len(audit_rows(api_db, key_id)) == 5
    bad = api.post("/v1/datasets/resident/records:search", headers=headers,
                   json={"type": "by_shoe_size", "params": {}})
    assert bad.status_code == 422


def test_trigram_search(api, api_db) -> None:
    store(api_db, "corporation", [make("corporation", name="주식회사 한빛소프트웨어"),
                                  make("corporation", name="대한물산")])
    _, headers = new_key(api_db, ["corporation"])
    response = api.post("/v1/datasets/corporation/records:search", headers=headers,
                        json={"type": "by_name", "params": {"name": "한빛소프트웨어"}})
    assert [r["data"]["name"] for r in response.json()["records"]] == ["주식회사 한빛소프트웨어"]


def test_history_and_time_travel(api, api_db) -> None:
    from sync.service import apply_snapshot
    from tests.sync.conftest import frame_of

    person = make("resident", status="alive", status_date=None)
    apply_snapshot(api_db, "resident", frame_of("resident", [person]), source="t", sha256="h1",
                   as_of=dt.date(2026, 1, 1))
    renamed = {**person, "name": "새이름"}
    apply_snapshot(api_db, "resident", frame_of("resident", [renamed]), source="t", sha256="h2",
                   as_of=dt.date(2026, 3, 1))
    _, headers = new_key(api_db, ["resident:name"])
    history = api.post("/v1/datasets/resident/records:history", headers=headers,
                       json={"key": person["rrn"]}).json()
    believed = [v for v in history["versions"] if v["provenance"]["superseded_at"] is None]
    assert [v["data"]["name"] for v in believed] == [person["name"], "새이름"]
    assert believed[0]["provenance"]["valid_to"] == "2026-03-01"
    assert len(history["versions"]) == 3, "the superseded open-ended belief is history too"
    past = api.post(LOOKUP.format("resident"), headers=headers,
                    json={"keys": [person["rrn"]], "valid_at": "2026-02-01"}).json()
    assert past["records"][0]["data"]["name"] == person["name"]
    with api_db.connect() as conn:
        changed_at = conn.execute(text("SELECT max(recorded_at) FROM resident_version"
                                       )).scalar_one()
    before_change = (changed_at - dt.timedelta(microseconds=1)).isoformat()
    known = api.post(LOOKUP.format("resident"), headers=headers, json={
        "keys": [person["rrn"]], "valid_at": "2026-04-01", "recorded_at": before_change}).json()
    assert known["records"][0]["data"]["name"] == person["name"], \
        "as recorded before the change was known"
    now = api.post(LOOKUP.format("resident"), headers=headers,
                   json={"keys": [person["rrn"]], "valid_at": "2026-04-01"}).json()
    assert now["records"][0]["data"]["name"] == "새이름"


def test_flags_are_shown_for_granted_fields(api, api_db) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    with api_db.begin() as conn:
        conn.execute(text("INSERT INTO field_flag (dataset, record_key, field, reason, raised_by)"
                          " VALUES ('resident', :k, 'name', 'agency reports a different name',"
                          " 'steward-1'), ('resident', :k, 'address_id', 'x', 'steward-1')"),
                     {"k": person["rrn"]})
        conn.execute(text("INSERT INTO field_flag (dataset, record_key, field, reason, raised_by,"
                          " cleared_at) VALUES ('resident', :k, 'name', 'cleared', 's', now())"),
                     {"k": person["rrn"]})
    _, headers = new_key(api_db, ["resident:name,birth_date"])
    record = api.post(LOOKUP.format("resident"), headers=headers,
                      json={"keys": [person["rrn"]]}).json()["records"][0]
    assert [f["field"] for f in record["flags"]] == ["name"]
    assert record["flags"][0]["status"] == "under_investigation"
    assert record["flags"][0]["reason"] == "agency reports a different name"
    assert dt.datetime.fromisoformat(record["flags"][0]["raised_at"]).tzinfo is not None
    found = api.post("/v1/datasets/resident/records:search", headers=headers, json={
        "type": "name_birth_date", "params": {"name": person["name"],
                                              "birth_date": str(person["birth_date"])},
    }).json()["records"]
    assert [f["field"] for f in found[0]["flags"]] == ["name"]
    as_of = api.post(LOOKUP.format("resident"), headers=headers, json={
        "keys": [person["rrn"]], "valid_at": str(dt.date.today())}).json()["records"][0]
    assert as_of["flags"] == record["flags"]


def test_rate_limit_answers_429_with_retry_after(api_db, api_url, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from mdr.db.engine import Database
    from tests.api.conftest import api_settings

    app = create_app(api_settings(tmp_path, rate_limit_per_second=1, rate_limit_burst=2),
                     Database(api_url, embedded=False))
    _, headers = new_key(api_db, ["resident"])
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [client.post(LOOKUP.format("resident"), json={"keys": ["1"]},
                             headers=headers) for _ in range(4)]
    assert [c.status_code for c in codes[:2]] == [200, 200]
    assert codes[-1].status_code == 429
    assert int(codes[-1].headers["retry-after"]) >= 1
    assert problem_type(codes[-1]) == "rate-limited"


def test_oversized_requests_get_413(api, api_db) -> None:
    _, headers = new_key(api_db, ["resident"])
    response = api.post(LOOKUP.format("resident"), headers={
        **headers, "content-type": "application/json"}, content=b"[" + b" " * 2_000_000 + b"]")
    assert response.status_code == 413
    assert problem_type(response) == "payload-too-large"


def test_keyset_pages_stay_stable_while_a_sync_changes_data(api, api_db) -> None:
    from sync.service import apply_snapshot
    from tests.sync.conftest import frame_of

    twins = [make("resident", name="박둘", birth_date=dt.date(1985, 1, 1), status="alive",
                  status_date=None) for _ in range(6)]
    apply_snapshot(api_db, "resident", frame_of("resident", twins), source="t", sha256="p1",
                   as_of=dt.date(2026, 1, 1))
    _, headers = new_key(api_db, ["resident:rrn,name,birth_date"])
    body = {"type": "name_birth_date", "params": {"name": "박둘", "birth_date": "1985-01-01"},
            "limit": 3}
    first = api.post("/v1/datasets/resident/records:search", headers=headers, json=body).json()
    seen = [r["key"] for r in first["records"]]
    # Between pages a sync renames the last record of page 1 and adds a newcomer.
    newcomer = make("resident", name="박둘", birth_date=dt.date(1985, 1, 1), status="alive",
                    status_date=None)
    keys = sorted(t["rrn"] for t in twins)
    renamed = [{**t, "name": "박셋"} if t["rrn"] == keys[2] else t for t in twins]
    apply_snapshot(api_db, "resident", frame_of("resident", [*renamed, newcomer]),
                   source="t", sha256="p2", as_of=dt.date(2026, 2, 1))
    second = api.post("/v1/datasets/resident/records:search", headers=headers,
                      json={**body, "cursor": first["next_cursor"], "limit": 10}).json()
    later = [r["key"] for r in second["records"]]
    assert not set(seen) & set(later), "no record appears on two pages"
    expected_later = sorted(k for k in [*keys, newcomer["rrn"]] if k > seen[-1])
    assert later == expected_later, "every record after the cursor appears once, in key order"
