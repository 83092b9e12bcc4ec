"""Reads in detail: numbers as written, conditional GETs, flags on every view of a live
record, and time travel on searches and histories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from sync.service import apply_snapshot
from tests.api.conftest import audit_rows, new_key, store
from tests.factories import make
from tests.sync.conftest import frame_of

pytestmark = pytest.mark.db


def test_decimals_are_written_positionally(api: TestClient, api_db: Engine) -> None:
    corporations = [make("corporation", capital=Decimal(v)) for v in ("18000000", "12.50")]
    store(api_db, "corporation", corporations)
    _, headers = new_key(api_db, ["corporation"])
    capitals = [api.get(f"/v1/datasets/corporation/records/{c['crn']}", headers=headers)
                .json()["data"]["capital"] for c in corporations]
    assert capitals == ["18000000", "12.50"]


def test_if_none_match_compares_weakly_and_takes_lists_and_star(api: TestClient,
                                                                api_db: Engine) -> None:
    corporation = make("corporation")
    store(api_db, "corporation", [corporation])
    _, headers = new_key(api_db, ["corporation"])
    url = f"/v1/datasets/corporation/records/{corporation['crn']}"
    etag = api.get(url, headers=headers).headers["etag"]
    for held in (etag, f"W/{etag}", f'"stale", {etag}', "*"):
        response = api.get(url, headers={**headers, "If-None-Match": held})
        assert response.status_code == 304, held
        assert response.headers["etag"] == etag and response.content == b""
    assert api.get(url, headers={**headers, "If-None-Match": '"stale"'}).status_code == 200


def _flag(engine: Engine, dataset: str, key: str, field: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO field_flag (dataset, record_key, field, reason, raised_by)"
                          " VALUES (:d, :k, :f, 'under review', 'steward-1')"),
                     {"d": dataset, "k": key, "f": field})


def test_flags_ride_on_the_live_version_in_history_and_the_change_feed(
        api: TestClient, api_db: Engine) -> None:
    person = make("resident", status="alive", status_date=None)
    apply_snapshot(api_db, "resident", frame_of("resident", [person]), source="t",
                   sha256="f1", as_of=dt.date(2026, 1, 1))
    apply_snapshot(api_db, "resident", frame_of("resident", [{**person, "name": "새이름"}]),
                   source="t", sha256="f2", as_of=dt.date(2026, 3, 1))
    _flag(api_db, "resident", person["rrn"], "name")
    _, headers = new_key(api_db, ["resident"])
    versions = api.post("/v1/datasets/resident/records:history", headers=headers,
                        json={"key": person["rrn"]}).json()["versions"]
    live = [v for v in versions if v["provenance"]["superseded_at"] is None
            and v["provenance"]["valid_to"] is None]
    assert len(live) == 1 and [f["field"] for f in live[0]["flags"]] == ["name"]
    assert all(v["flags"] == [] for v in versions if v is not live[0])
    events = api.get("/v1/changes?dataset=resident", headers=headers).json()["events"]
    changed = next(e for e in events if e["kind"] == "changed")
    assert [f["field"] for f in changed["record"]["flags"]] == ["name"]
    created = next(e for e in events if e["kind"] == "created")
    assert created["record"]["flags"] == []  # that version is no longer live


def test_search_and_history_travel_in_time(api: TestClient, api_db: Engine) -> None:
    owner = make("resident")["rrn"]
    car = make("vehicle", owner_id=owner, plate="12가3456")
    apply_snapshot(api_db, "vehicle", frame_of("vehicle", [car]), source="t", sha256="v1",
                   as_of=dt.date(2026, 1, 1))
    with api_db.connect() as conn:
        first_known = conn.execute(text("SELECT max(recorded_at) FROM vehicle_version")
                                   ).scalar_one()
    apply_snapshot(api_db, "vehicle", frame_of("vehicle", [{**car, "plate": "34나5678"}]),
                   source="t", sha256="v2", as_of=dt.date(2026, 3, 1))
    _, headers = new_key(api_db, ["vehicle"])

    def by_plate(plate: str, **when: str) -> list[str]:
        response = api.post("/v1/datasets/vehicle/records:search", headers=headers,
                            json={"type": "by_plate", "params": {"plate": plate}, **when})
        assert response.status_code == 200, response.text
        return [r["data"]["plate"] for r in response.json()["records"]]

    assert by_plate("12가3456") == []
    assert by_plate("34나5678") == ["34나5678"]
    assert by_plate("12가3456", valid_at="2026-02-01") == ["12가3456"]
    assert by_plate("34나5678", valid_at="2026-02-01") == []
    assert by_plate("34나5678", valid_at="2026-04-01",
                    recorded_at=first_known.isoformat()) == [], "not yet known then"
    assert by_plate("12가3456", valid_at="2026-04-01",
                    recorded_at=first_known.isoformat()) == ["12가3456"]

    def history(**when: str) -> list[tuple[str, str | None]]:
        response = api.post("/v1/datasets/vehicle/records:history", headers=headers,
                            json={"key": car["vin"], **when})
        assert response.status_code == 200, response.text
        return [(v["data"]["plate"], v["provenance"]["superseded_at"])
                for v in response.json()["versions"]]

    assert len(history()) == 3  # the first belief, its supersession, the change
    assert [plate for plate, _ in history(valid_at="2026-04-01")] == ["12가3456", "34나5678"]
    assert history(recorded_at=first_known.isoformat()) == [("12가3456", None)], \
        "as known before the change: one version, not yet superseded"


def test_a_change_dated_after_today_is_not_read_before_its_day(api: TestClient,
                                                               api_db: Engine) -> None:
    owner = make("resident")["rrn"]
    renamed, ending, steady = (make("vehicle", owner_id=owner, plate=plate)
                               for plate in ("12가3456", "23나4567", "34다5678"))
    apply_snapshot(api_db, "vehicle", frame_of("vehicle", [renamed, ending, steady]),
                   source="t", sha256="d1", as_of=dt.date(2026, 1, 1))
    ahead = dt.datetime.now(dt.timezone(dt.timedelta(hours=9))).date() + dt.timedelta(days=10)
    # Announced today, effective in ten days: a new plate, and one vehicle deregistered.
    apply_snapshot(api_db, "vehicle", frame_of("vehicle", [{**renamed, "plate": "99가9999"},
                                                           steady]),
                   source="t", sha256="d2", as_of=ahead)
    _, headers = new_key(api_db, ["vehicle"])

    def plates(keys: list[str], **when: str) -> list[str]:
        response = api.post("/v1/datasets/vehicle/records:lookup", headers=headers,
                            json={"keys": keys, **when})
        assert response.status_code == 200, response.text
        return [r["data"]["plate"] for r in response.json()["records"]]

    every = [renamed["vin"], ending["vin"], steady["vin"]]
    assert plates(every) == ["12가3456", "23나4567", "34다5678"]
    assert plates(every, valid_at=ahead.isoformat()) == ["99가9999", "34다5678"]
    record = api.get(f"/v1/datasets/vehicle/records/{renamed['vin']}", headers=headers).json()
    assert record["data"]["plate"] == "12가3456"
    assert record["provenance"]["valid_to"] == ahead.isoformat()

    def by_plate(plate: str) -> list[str]:
        response = api.post("/v1/datasets/vehicle/records:search", headers=headers,
                            json={"type": "by_plate", "params": {"plate": plate}})
        assert response.status_code == 200, response.text
        return [r["key"] for r in response.json()["records"]]

    assert by_plate("12가3456") == [renamed["vin"]]
    assert by_plate("23나4567") == [ending["vin"]]
    assert by_plate("99가9999") == []
    owned = api.post("/v1/datasets/vehicle/records:search", headers=headers, json={
        "type": "by_owner", "params": {"owner_id": owner}, "limit": 2}).json()
    rest = api.post("/v1/datasets/vehicle/records:search", headers=headers, json={
        "type": "by_owner", "params": {"owner_id": owner},
        "cursor": owned["next_cursor"]}).json()
    assert sorted(r["key"] for r in owned["records"] + rest["records"]) == sorted(every)
    _flag(api_db, "vehicle", renamed["vin"], "plate")
    versions = api.post("/v1/datasets/vehicle/records:history", headers=headers,
                        json={"key": renamed["vin"]}).json()["versions"]
    flagged = {v["data"]["plate"]: [f["field"] for f in v["flags"]] for v in versions
               if v["provenance"]["superseded_at"] is None}
    assert flagged == {"12가3456": ["plate"], "99가9999": []}, "flags go with today's version"
    portal = api.get(f"/v1/portal/vehicle?serviceKey={headers['Authorization'][7:]}"
                     "&numOfRows=10&purpose=verification").json()
    assert sorted(i["plate"] for i in portal["response"]["body"]["items"]["item"]) == [
        "12가3456", "23나4567", "34다5678"]


def test_answers_match_their_documented_shapes(api: TestClient, api_db: Engine) -> None:
    from api.answers import ChangesAnswer, HistoryAnswer, LookupAnswer, Record, SearchAnswer

    person = make("resident", status="alive", status_date=None)
    apply_snapshot(api_db, "resident", frame_of("resident", [person]), source="t",
                   sha256="s1", as_of=dt.date(2026, 1, 1))
    _flag(api_db, "resident", person["rrn"], "name")
    corporation = make("corporation")
    store(api_db, "corporation", [corporation])
    for grant in (["resident", "corporation"], ["resident:name", "corporation:name"]):
        _, headers = new_key(api_db, grant)
        post = {"headers": headers}
        LookupAnswer.model_validate(api.post(
            "/v1/datasets/resident/records:lookup", json={"keys": [person["rrn"], "x"]},
            **post).json())
        SearchAnswer.model_validate(api.post(
            "/v1/datasets/corporation/records:search",
            json={"type": "by_name", "params": {"name": corporation["name"]}}, **post).json())
        HistoryAnswer.model_validate(api.post(
            "/v1/datasets/resident/records:history", json={"key": person["rrn"]},
            **post).json())
        ChangesAnswer.model_validate(api.get("/v1/changes?dataset=resident", **post).json())
        Record.model_validate(api.get(f"/v1/datasets/corporation/records/{corporation['crn']}",
                                      **post).json())
    paths = api.get("/openapi.json").json()["paths"]
    lookup = paths["/v1/datasets/{dataset}/records:lookup"]["post"]["responses"]["200"]
    assert lookup["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/LookupAnswer"}


def test_the_feed_across_datasets_keeps_each_datasets_versions_apart(
        api: TestClient, api_db: Engine) -> None:
    # Both datasets number their versions from 1: version 1 of each must stay its own.
    address = make("address")
    apply_snapshot(api_db, "address", frame_of("address", [address]), source="t",
                   sha256="a1", as_of=dt.date(2026, 1, 1))
    car = make("vehicle")
    apply_snapshot(api_db, "vehicle", frame_of("vehicle", [car]), source="t", sha256="c1",
                   as_of=dt.date(2026, 1, 1))
    key_id, headers = new_key(api_db, ["address", "vehicle"])
    response = api.get("/v1/changes", headers=headers)
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert [(e["dataset"], e["key"]) for e in events] == [
        ("address", address["road_address_id"]), ("vehicle", car["vin"])]
    assert events[1]["record"]["data"]["plate"] == car["plate"]
    assert [r["dataset"] for r in audit_rows(api_db, key_id)] == ["address", "vehicle"]
    silent = api.get("/v1/changes", headers={"Authorization": headers["Authorization"]})
    assert silent.status_code == 422 and silent.json()["errors"][0]["field"] == "X-Purpose"


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+09:00"])
def test_a_time_out_of_range_is_a_422(api: TestClient, api_db: Engine, when: str) -> None:
    corporation = make("corporation")
    store(api_db, "corporation", [corporation])
    _, headers = new_key(api_db, ["corporation"])
    crn = corporation["crn"]
    answers = [
        api.post("/v1/datasets/corporation/records:lookup", headers=headers,
                 json={"keys": [crn], "recorded_at": when}),
        api.post("/v1/datasets/corporation/records:history", headers=headers,
                 json={"key": crn, "recorded_at": when}),
        api.post("/v1/datasets/corporation/records:search", headers=headers, json={
            "type": "by_name", "params": {"name": corporation["name"]}, "recorded_at": when}),
        api.get(f"/v1/datasets/corporation/records/{crn}", headers=headers,
                params={"recorded_at": when}),
    ]
    for answer in answers:
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "recorded_at"


def test_a_trailing_slash_is_not_redirected(api: TestClient, api_db: Engine) -> None:
    _, headers = new_key(api_db, ["resident"])
    response = api.get("/v1/datasets/resident/records/7603042381951/", headers=headers,
                       follow_redirects=False)
    assert response.status_code == 404 and "location" not in response.headers
    assert "7603042381951" not in response.text
