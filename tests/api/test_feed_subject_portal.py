"""Change feed, the citizen's access log, the data.go.kr envelope, the audit chain."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import text

from mdr.access.audit import verify_chain
from mdr.access.subjects import issue_token
from sync.service import apply_snapshot
from tests.api.conftest import CHAIN_KEY, SECRET, audit_rows, new_key, store
from tests.factories import make
from tests.sync.conftest import frame_of

pytestmark = pytest.mark.db


def sync(engine, dataset: str, records: list, sha: str, as_of: dt.date) -> object:
    return apply_snapshot(engine, dataset, frame_of(dataset, records), source="t", sha256=sha,
                          as_of=as_of)


def test_change_feed_has_every_kind_only_granted_fields_and_a_stable_cursor(api, api_db) -> None:
    people = [make("resident", status="alive", status_date=None) for _ in range(4)]
    sync(api_db, "resident", people, "f1", dt.date(2026, 1, 1))
    changed = [{**people[0], "name": "바뀐이름"}, people[1], people[2]]  # people[3] ends
    sync(api_db, "resident", changed, "f2", dt.date(2026, 2, 1))
    corrected = [{**changed[0], "name": "고친이름"}, people[1], people[2]]
    sync(api_db, "resident", corrected, "f3", dt.date(2026, 2, 1))
    key_id, headers = new_key(api_db, ["resident:name"])
    events, after = [], 0
    while True:
        page = api.get(f"/v1/changes?dataset=resident&after={after}&limit=3",
                       headers=headers).json()
        events += page["events"]
        if not page["events"]:
            break
        after = page["next_after"]
    assert [e["kind"] for e in events].count("created") == 4
    assert {e["kind"] for e in events} == {"created", "changed", "ended", "corrected"}
    ended = next(e for e in events if e["kind"] == "ended")
    assert ended["record"]["provenance"]["valid_to"]
    assert all(set(e["record"]["data"]) == {"name"} for e in events)
    assert "birth_date" not in str(events)
    # The key is a field too: without rrn in the grant, no event names the person.
    assert all("key" not in e and "key" not in e["record"] for e in events)
    assert not any(p["rrn"] in str(events) for p in people)
    assert [e["event_id"] for e in events] == sorted(e["event_id"] for e in events)
    assert len(audit_rows(api_db, key_id)) == len(events)
    again = api.get(f"/v1/changes?dataset=resident&after={after}", headers=headers).json()
    assert again["events"] == [] and again["next_after"] == after
    _, with_key = new_key(api_db, ["resident:rrn,name"])
    keyed = api.get("/v1/changes?dataset=resident&after=0", headers=with_key).json()["events"]
    ended = next(e for e in keyed if e["kind"] == "ended")
    assert ended["key"] == ended["record"]["key"] == people[3]["rrn"]


def test_change_feed_refuses_datasets_without_grant(api, api_db) -> None:
    _, headers = new_key(api_db, ["vehicle"])
    response = api.get("/v1/changes?dataset=resident", headers=headers)
    assert response.status_code == 403


def test_citizen_sees_who_read_records_about_them(api, api_db) -> None:
    person = make("resident")
    licence = make("licence", holder_rrn=person["rrn"])
    store(api_db, "resident", [person])
    store(api_db, "licence", [licence])
    _, police = new_key(api_db, ["licence"], ["traffic_enforcement"], agency="KNPA-TRAFFIC")
    _, bank = new_key(api_db, ["resident:name"], ["kyc"], agency="BANK-KYC")
    api.post("/v1/datasets/licence/records:lookup", json={"keys": [licence["licence_no"]]},
             headers=police)
    api.post("/v1/datasets/resident/records:lookup", json={"keys": [person["rrn"]]},
             headers=bank)
    token = issue_token(SECRET.encode(), person["rrn"])
    response = api.get("/v1/subject/access-log", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    seen = {(a["agency_code"], a["dataset"], a["purpose"]) for a in response.json()["accesses"]}
    assert seen == {("KNPA-TRAFFIC", "licence", "traffic_enforcement"),
                    ("BANK-KYC", "resident", "kyc")}
    other = issue_token(SECRET.encode(), make("resident")["rrn"])
    assert api.get("/v1/subject/access-log",
                   headers={"Authorization": f"Bearer {other}"}).json()["count"] == 0
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert api.get("/v1/subject/access-log",
                   headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_a_foreign_resident_sees_who_read_their_record(api, api_db) -> None:
    person = make("foreign_resident")
    store(api_db, "foreign_resident", [person])
    _, immigration = new_key(api_db, ["foreign_resident:frn,name"], ["immigration"],
                             agency="MOJ-IMMIGRATION")
    read = api.post("/v1/datasets/foreign_resident/records:lookup",
                    json={"keys": [person["frn"]]}, headers=immigration)
    assert read.status_code == 200 and read.json()["records"]
    spelled = f"{person['frn'][:6]}-{person['frn'][6:]}"  # any spelling of the number
    token = issue_token(SECRET.encode(), spelled)
    response = api.get("/v1/subject/access-log", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert [(a["agency_code"], a["dataset"]) for a in response.json()["accesses"]] == [
        ("MOJ-IMMIGRATION", "foreign_resident")]


def test_portal_envelope_json_and_xml(api, api_db) -> None:
    medicines = [make("medicine") for _ in range(3)]
    store(api_db, "medicine", medicines)
    key_id, headers = new_key(api_db, ["medicine"], ["public_info"])
    key = headers["Authorization"][7:]
    body = api.get(f"/v1/portal/medicine?serviceKey={key}&pageNo=1&numOfRows=2").json()
    assert body["response"]["header"] == {"resultCode": "00", "resultMsg": "NORMAL SERVICE."}
    assert body["response"]["body"]["totalCount"] == 3
    assert len(body["response"]["body"]["items"]["item"]) == 2
    xml = api.get(f"/v1/portal/medicine?serviceKey={key}&pageNo=1&numOfRows=2&type=xml")
    assert xml.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(xml.content)
    assert root.findtext("header/resultCode") == "00"
    assert root.findtext("body/totalCount") == "3" and root.findtext("body/pageNo") == "1"
    items = root.findall("body/items/item")  # one <item> per record, as the portal writes
    assert [item.findtext("product_code") for item in items] == [
        item["product_code"] for item in body["response"]["body"]["items"]["item"]]
    last_page = ET.fromstring(api.get(
        f"/v1/portal/medicine?serviceKey={key}&pageNo=2&numOfRows=2&_type=xml").content)
    assert len(last_page.findall("body/items/item")) == 1
    denied = api.get("/v1/portal/medicine?serviceKey=mdr_wrong_key")
    assert denied.json()["response"]["header"]["resultCode"] == "30"
    personal = api.get(f"/v1/portal/resident?serviceKey={key}").json()
    assert personal["response"]["header"]["resultCode"] == "12"
    unknown = api.get(f"/v1/portal/shoes?serviceKey={key}")
    assert unknown.json()["response"]["header"]["resultCode"] == "12"
    assert api.get(f"/v1/portal/resident?serviceKey={key}").status_code == unknown.status_code \
        == 404
    assert len(audit_rows(api_db, key_id)) == 5  # 2 + 2 + 1 records served


def test_public_catalogue_needs_no_key(api, api_db) -> None:
    assert len(api.get("/v1/datasets").json()["datasets"]) == 14
    resident = api.get("/v1/datasets/resident").json()
    assert resident["key_is_personal"] is True
    terms = api.get("/v1/vocabulary").json()["terms"]
    assert terms and not any("CODE_LABELS" in str(t["format"]) for t in terms)
    status = next(t for t in resident["vocabulary"].values() if t.get("codes")
                  and "alive" in t["codes"])
    assert status["codes"]["alive"] == "생존"


def test_access_log_is_append_only_and_chained(api, api_db) -> None:
    person = make("resident")
    store(api_db, "resident", [person])
    key_id, headers = new_key(api_db, ["resident"])
    for _ in range(3):
        api.post("/v1/datasets/resident/records:lookup", json={"keys": [person["rrn"]]},
                 headers=headers)
    rows = audit_rows(api_db, key_id)
    assert len(rows) == 3
    for chain in {r["chain_id"] for r in rows}:
        with api_db.connect() as conn:
            mine = conn.execute(text("SELECT prev_hash, row_hash FROM access_log WHERE "
                                     "chain_id = :c ORDER BY audit_id"), {"c": chain}).all()
        assert mine[0].prev_hash == "0" * 64
        assert [r.prev_hash for r in mine[1:]] == [r.row_hash for r in mine[:-1]]
    for statement in ("UPDATE access_log SET purpose = 'x' WHERE key_id = :k",
                      "DELETE FROM access_log WHERE key_id = :k", "TRUNCATE access_log"):
        with api_db.connect() as conn, pytest.raises(Exception, match="append-only"):
            conn.execute(text(statement), {"k": key_id})
    with api_db.connect() as conn:
        assert verify_chain(conn, CHAIN_KEY)["ok"] is True


@pytest.mark.parametrize("tampering, reason", [
    ("UPDATE access_log SET purpose = 'changed' WHERE record_key = '1' AND chain_id = 7",
     "content"),
    ("DELETE FROM access_log WHERE record_key = '1' AND chain_id = 7", "missing"),
    ("UPDATE access_log SET chain_id = 8 WHERE chain_id = 7", "content"),
    ("UPDATE access_log SET fields = '{}' WHERE record_key = '2' AND chain_id = 0", "content"),
])
def test_tampering_is_detected(scratch_database, tampering: str, reason: str) -> None:
    """On a database of its own: the trigger is lifted to simulate a tampering superuser."""
    from mdr.access.audit import GENESIS, chain_hash, chain_key_id
    from mdr.db.engine import make_engine
    from mdr.db.migrate import upgrade

    url = scratch_database("tamper")
    upgrade(url)
    engine = make_engine(url, "test", pooled=False)
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE access_log_chain"))
        conn.execute(text("ALTER TABLE access_log DISABLE TRIGGER access_log_no_truncate"))
        conn.execute(text("TRUNCATE access_log"))
        conn.execute(text("ALTER TABLE access_log ENABLE TRIGGER access_log_no_truncate"))
        # The chain from before writer chains (unkeyed), a keyed writer's, and an empty one.
        conn.execute(text(
            "INSERT INTO access_log_chain (chain_id, host, pid, scheme, key_id) VALUES "
            "(0, 'h', 0, 'sha256', NULL), (7, 'h', 1, 'blake2b-keyed', :k), "
            "(8, 'h', 2, 'blake2b-keyed', :k)"), {"k": chain_key_id(CHAIN_KEY)})
        heads = {0: GENESIS, 7: GENESIS}
        for n in range(3):
            for chain in heads:
                row = {"accessed_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                       "agency_code": "A", "key_id": "k", "dataset": "resident",
                       "record_key": str(n), "record_key_hash": "h", "subject_hashes": [],
                       "fields": ["name"], "purpose": "p", "request_id": "r", "route": "/"}
                row_hash = chain_hash(heads[chain], row, chain, CHAIN_KEY if chain else None)
                conn.execute(text(
                    "INSERT INTO access_log (chain_id, accessed_at, agency_code, key_id, "
                    "dataset, record_key, record_key_hash, subject_hashes, fields, purpose, "
                    "request_id, route, prev_hash, row_hash) VALUES (:chain, :accessed_at, "
                    ":agency_code, :key_id, :dataset, :record_key, :record_key_hash, "
                    ":subject_hashes, :fields, :purpose, :request_id, :route, :prev, "
                    ":row_hash)"), {**row, "chain": chain, "prev": heads[chain],
                                    "row_hash": row_hash})
                heads[chain] = row_hash
    with engine.connect() as conn:
        intact = verify_chain(conn, CHAIN_KEY)
    assert intact["ok"] and intact["rows_checked"] == 6 and intact["chains"] == 3
    assert intact["unkeyed"] == [0] and intact["keyed"] == 2
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE access_log DISABLE TRIGGER access_log_append_only"))
        conn.execute(text(tampering))
        conn.execute(text("ALTER TABLE access_log ENABLE TRIGGER access_log_append_only"))
    with engine.connect() as conn:
        report = verify_chain(conn, CHAIN_KEY)
    assert report["ok"] is False and reason in report["reason"]
    engine.dispose()


def test_feed_without_dataset_covers_datasets_granted_for_the_purpose(api, api_db) -> None:
    from sqlalchemy import text as sql

    from mdr.access.keys import create_key
    from mdr.db.engine import session_factory, unit_of_work

    sync(api_db, "resident", [make("resident", status="alive", status_date=None)], "r1",
         dt.date(2026, 1, 1))
    with unit_of_work(session_factory(api_db)) as session:
        # residents for identity checks only, medicines for public information only
        key_id, key = create_key(session, agency_code="MIXED", grants=["resident"],
                                 purposes=["kyc"])
        session.execute(sql("INSERT INTO access_grant (key_id, dataset, purposes) "
                            "VALUES (:k, 'medicine', ARRAY['public_info'])"), {"k": key_id})
    auth = {"Authorization": f"Bearer {key}"}
    kyc = api.get("/v1/changes", headers={**auth, "X-Purpose": "kyc"})
    assert kyc.status_code == 200, kyc.text
    assert {e["dataset"] for e in kyc.json()["events"]} == {"resident"}
    public = api.get("/v1/changes", headers={**auth, "X-Purpose": "public_info"})
    assert public.status_code == 200 and public.json()["events"] == []
    other = api.get("/v1/changes", headers={**auth, "X-Purpose": "marketing"})
    assert other.status_code == 403


def test_the_citizen_view_is_rate_limited_per_person_and_401s_name_bearer(
        api_db, api_url, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from mdr.db.engine import Database
    from tests.api.conftest import api_settings

    app = create_app(api_settings(tmp_path, rate_limit_per_second=1, rate_limit_burst=2),
                     Database(api_url, embedded=False))
    person, other = make("resident")["rrn"], make("resident")["rrn"]
    mine = {"Authorization": f"Bearer {issue_token(SECRET.encode(), person)}"}
    theirs = {"Authorization": f"Bearer {issue_token(SECRET.encode(), other)}"}
    with TestClient(app, raise_server_exceptions=False) as client:
        codes = [client.get("/v1/subject/access-log", headers=mine).status_code
                 for _ in range(4)]
        assert codes[:2] == [200, 200] and codes[-1] == 429
        assert client.get("/v1/subject/access-log", headers=theirs).status_code == 200
        refused = client.get("/v1/subject/access-log")
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        no_key = client.post("/v1/datasets/resident/records:lookup", json={"keys": ["1"]})
        assert no_key.status_code == 401 and no_key.headers["www-authenticate"] == "Bearer"
