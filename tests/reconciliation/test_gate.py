"""The one gate at the reconciliation doors: uploads, results, master-only listings, items.

The attacks an outside review made are replayed here: each is refused, or reduced to
the fields the key was granted, and every master record a door reveals is in the
access log (and in the data subject's own log).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from mdr.access.audit import verify_chain
from mdr.access.subjects import issue_token
from reconciliation import inbox
from tests.reconciliation.conftest_db import AGENCY, Snapshot, count, rows
from tests.reconciliation.helpers import PURPOSE, key, poll, upload

pytestmark = pytest.mark.db

SECRET = "test-secret-of-at-least-32-characters"  # the api fixture's
EVERYWHERE = "region_code=1,2,3,4,5"


def logged(engine: Engine) -> int:
    return count(engine, "SELECT count(*) FROM access_log")


def uploads(api: TestClient) -> list[Path]:
    folder = Path(api.app.state.settings.data_dir) / "reconciliation" / "uploads"  # type: ignore[attr-defined]
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def copy_of(snapshot: Snapshot, path: Path, columns: list[str], n: int,
            **changes: pl.Expr) -> Path:
    frame = snapshot.master.head(n).with_columns(**changes).select(columns)
    path.write_text(frame.write_csv(null_value=""), encoding="utf-8")
    return path


def csv_rows(text: str) -> list[dict[str, Any]]:
    return pl.read_csv(text.encode(), infer_schema=False).to_dicts() if text.strip() else []


def test_names_and_birth_dates_buy_no_registration_numbers(
    api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    """A key granted name and birth date, uploading 50 of them, learns who matches, but
    no registration number, and only in the scope of its grant."""
    agency = key(rec_db, ["resident:name,birth_date"])
    copy = copy_of(snapshot, tmp_path / "guess.csv", ["name", "birth_date"], 50)
    before = logged(rec_db)
    run = poll(api, agency, upload(api, agency, copy).json()["run_id"])
    assert run["status"] == "finished", run
    assert set(run["compared_fields"]) <= {"name", "birth_date"}

    answer = api.get(f"/v1/reconciliation/runs/{run['run_id']}/results.csv", headers=agency)
    assert answer.status_code == 200, answer.text
    assert answer.text.splitlines()[0] == "agency_row,master_ref,outcome,score,differing_fields"
    for rrn in snapshot.master["rrn"].to_list():
        assert rrn not in answer.text
    results = csv_rows(answer.text)
    assert len(results) == 50
    assert all(set((r["differing_fields"] or "").split(";")) <= {"", "name", "birth_date"}
               for r in results)
    revealed = {r["master_ref"] for r in results if r["master_ref"]}
    assert revealed and all(ref.startswith("m") and len(ref) == 17 for ref in revealed)
    # every master record the file revealed is logged, for the grant's fields only
    new = rows(rec_db, "SELECT agency_code, purpose, fields, dataset FROM access_log "
                       "ORDER BY audit_id DESC LIMIT :n", n=logged(rec_db) - before)
    assert len(new) == len(revealed)
    assert {(r["agency_code"], r["purpose"], r["dataset"]) for r in new} == {
        (AGENCY, PURPOSE, "resident")}
    assert all(set(r["fields"]) <= {"name", "birth_date"} for r in new)

    # the whole register is not the answer to "what do I lack": a listing needs a scope
    only = api.get(f"/v1/reconciliation/runs/{run['run_id']}/results.csv?part=master_only",
                   headers=agency)
    assert only.status_code == 409, only.text
    # ... on granted fields: a scope filters the master by its values
    runs, files = count(rec_db, "SELECT count(*) FROM reconciliation_run"), uploads(api)
    refused = upload(api, agency, copy, scope="sex=M")
    assert refused.status_code == 403 and refused.json()["type"].endswith("/field-not-granted")
    assert count(rec_db, "SELECT count(*) FROM reconciliation_run") == runs
    assert uploads(api) == files  # nothing of the refused upload was kept


def test_a_field_outside_the_grant_is_neither_compared_nor_reported(
    api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    """A key without birth_date guessing birth dates learns nothing about them."""
    agency = key(rec_db, ["resident:rrn,name,sex,region_code"])
    copy = copy_of(snapshot, tmp_path / "guess.csv", ["rrn", "name", "birth_date", "sex"], 40,
                   birth_date=pl.lit("1901-01-01"))
    run = poll(api, agency, upload(api, agency, copy).json()["run_id"])
    assert run["status"] == "finished", run
    assert "birth_date" not in run["compared_fields"]
    assert run["mapping"]["fields_not_granted"] == ["birth_date"]
    assert "birth_date" not in run["field_agreement"]
    results = csv_rows(api.get(f"/v1/reconciliation/runs/{run['run_id']}/results.csv",
                               headers=agency).text)
    assert results and all("birth_date" not in (r["differing_fields"] or "") for r in results)
    assert {r["outcome"] for r in results} == {"match"}  # only the granted fields agree
    assert results[0]["master_key"] == snapshot.master["rrn"][0]  # the key is granted
    assert count(rec_db, "SELECT count(*) FROM reconciliation_evidence WHERE field = "
                         "'birth_date'") == 0
    assert count(rec_db, "SELECT count(*) FROM steward_item") == 0


def test_a_refused_upload_is_not_read(api: TestClient, rec_db: Engine) -> None:
    """Without a key the body is never read; without a grant no byte of the file is."""
    app = api.app
    answers: list[dict[str, Any]] = []

    async def unread() -> dict[str, Any]:
        raise AssertionError("the body of an unauthenticated upload was read")

    async def send(message: dict[str, Any]) -> None:
        answers.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/reconciliation/runs",
             "raw_path": b"/v1/reconciliation/runs", "query_string": b"", "root_path": "",
             "headers": [(b"content-type", b"multipart/form-data; boundary=b"),
                         (b"content-length", b"999999999")],
             "http_version": "1.1", "scheme": "http", "server": ("testserver", 80),
             "client": ("127.0.0.1", 1)}
    api.portal.call(app, scope, unread, send)  # type: ignore[union-attr,call-arg,arg-type]
    assert answers[0]["status"] == 401

    no_grant = key(rec_db, ["medicine"])
    head = (b'--b\r\nContent-Disposition: form-data; name="dataset"\r\n\r\nresident\r\n'
            b'--b\r\nContent-Disposition: form-data; name="agency"\r\n\r\n' + AGENCY.encode()
            + b'\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
            b"Content-Type: text/csv\r\n\r\n")
    chunks = [{"type": "http.request", "body": head, "more_body": True}]

    async def first_chunk_only() -> dict[str, Any]:
        assert chunks, "the file of an upload without a grant was read"
        return chunks.pop()

    answers.clear()
    scope["headers"] = [(b"content-type", b"multipart/form-data; boundary=b"),
                        (b"content-length", b"999999999"),
                        *((k.lower().encode(), v.encode()) for k, v in no_grant.items())]
    api.portal.call(app, scope, first_chunk_only, send)  # type: ignore[union-attr,call-arg,arg-type]
    assert answers[0]["status"] == 403
    assert uploads(api) == []


def test_results_go_to_the_agency_and_stewards_and_each_read_is_in_the_subjects_log(
    api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    agency = key(rec_db, ["resident"])
    copy = copy_of(snapshot, tmp_path / "copy.csv", list(snapshot.master.columns), 30,
                   name=pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("가나다"))
                   .otherwise("name"))
    run = poll(api, agency, upload(api, agency, copy, scope=EVERYWHERE).json()["run_id"])
    results_url = f"/v1/reconciliation/runs/{run['run_id']}/results.csv"
    person = str(snapshot.master["rrn"][3])
    token = {"Authorization": f"Bearer {issue_token(SECRET.encode(), person)}"}
    earlier = api.get("/v1/subject/access-log", headers=token).json()["count"]
    first_id = count(rec_db, "SELECT coalesce(max(audit_id), 0) FROM access_log")

    before = logged(rec_db)
    mine = csv_rows(api.get(results_url, headers=agency).text)
    linked = [r for r in mine if r["master_key"]]
    assert len(linked) == 30 and logged(rec_db) - before == 30
    only = api.get(results_url + "?part=master_only", headers=agency)
    assert only.status_code == 200
    assert len(csv_rows(only.text)) == run["outcomes"]["master_only"] == snapshot.master.height - 30
    assert logged(rec_db) - before == snapshot.master.height  # each listed record once more

    for outsider in (key(rec_db, ["inspector"], agency="MOIS"), key(rec_db, ["resident"], "KNPA")):
        before = logged(rec_db)
        assert api.get(results_url, headers=outsider).status_code == 403
        assert logged(rec_db) == before  # a refused request logs nothing

    steward = key(rec_db, ["steward"], agency="MOIS")
    assert len(csv_rows(api.get(results_url, headers=steward).text)) == 30
    page = api.get("/v1/steward/items?outcome=match_with_differences", headers=steward).json()
    (item,) = page["items"]
    assert "*" in item["master_key"]  # listings stay masked
    before = logged(rec_db)
    shown = api.get(f"/v1/steward/items/{item['item_id']}", headers=steward).json()
    assert shown["master_key"] == person  # the item the steward judges: unmasked
    values = {f["field"]: f for f in shown["fields"]}
    assert values["name"]["agency_value"] == "가나다"
    assert values["name"]["master_value"] == snapshot.master["name"][3]
    assert logged(rec_db) - before == 1

    log = api.get("/v1/subject/access-log", headers=token).json()
    readers = [(a["reader"], a["purpose"], a["agency_code"]) for a in log["accesses"]]
    # the rows the doors wrote verify under the API's chain key
    chains = {r["chain_id"] for r in rows(
        rec_db, "SELECT DISTINCT chain_id FROM access_log WHERE audit_id > :i", i=first_id)}
    with rec_db.connect() as conn:
        report = verify_chain(conn, [api.app.state.chain_key])  # type: ignore[attr-defined]
    assert report["rows_checked"] > 0
    assert not [p for p in report["problems"] if p["chain_id"] in chains], report["problems"]
    # newest first: this test's reads (the database's earlier tests read this person too)
    assert readers[:log["count"] - earlier] == [
        ("steward", "stewardship", "MOIS"),  # the item
        ("steward", "stewardship", "MOIS"),  # the steward's results file
        ("agency", PURPOSE, AGENCY),  # the agency's results file
    ]


def test_uploads_cannot_flood_the_inbox(
    api: TestClient, rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    steward = key(rec_db, ["steward"], agency="MOIS")
    five = copy_of(snapshot, tmp_path / "five.csv", list(snapshot.master.columns), 5)
    for agency_code in ("A1", "A2"):
        answer = upload(api, steward, five, agency=agency_code)  # stewards upload for anyone
        assert poll(api, steward, answer.json()["run_id"])["status"] == "finished"
    # without a scope, master-only records are not work: there is none
    assert count(rec_db, "SELECT count(*) FROM steward_item") == 0
    scoped = poll(api, steward, upload(api, steward, five, agency="A3",
                                       scope=EVERYWHERE).json()["run_id"])
    assert scoped["items"]["new"] == inbox.MIN_NEW_ITEMS
    assert scoped["items"]["held_back"] == snapshot.master.height - 5 - inbox.MIN_NEW_ITEMS
    again = poll(api, steward, upload(api, steward, five, agency="A3",
                                      scope=EVERYWHERE).json()["run_id"])
    assert again["items"]["seen_again"] == inbox.MIN_NEW_ITEMS  # the same items, not new ones
    assert count(rec_db, "SELECT count(*) FROM steward_item") == 2 * inbox.MIN_NEW_ITEMS


def test_an_upload_is_read_in_bounded_memory(rec_db: Engine, tmp_path: Path) -> None:
    """A 96 MB copy streamed to a real server grows it by far less than the copy: it is
    written to disk as it arrives (a 68 MB upload once took a worker from 262 MB to 2 GB)."""
    import threading

    import httpx
    import psutil

    from api.app import create_app
    from mdr.db.engine import Database
    from mdr.settings import Settings
    from tests.helpers import live_server
    from tests.reconciliation.conftest_db import url_of

    app = create_app(Settings(data_dir=tmp_path / "data", secret_key=SECRET),
                     Database(url_of(rec_db), embedded=False))
    headers = key(rec_db, ["resident:name,birth_date"])
    row = "김철수,1980-01-01\n".encode() * 4096  # about 90 kB
    size = 96 << 20

    def body() -> Any:
        yield (b'--b\r\nContent-Disposition: form-data; name="dataset"\r\n\r\nresident\r\n'
               b'--b\r\nContent-Disposition: form-data; name="agency"\r\n\r\n'
               + AGENCY.encode() + b"\r\n--b\r\nContent-Disposition: form-data; "
               b'name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n'
               b"name,birth_date\n")
        for _ in range(size // len(row)):
            yield row
        yield b"\r\n--b--\r\n"

    me = psutil.Process()
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], me.memory_info().rss)

    with live_server(app) as base:
        httpx.get(base + "/healthz")
        before = me.memory_info().rss
        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            answer = httpx.post(base + "/v1/reconciliation/runs", content=body(), timeout=120,
                                headers=headers | {"Content-Type": "multipart/form-data; "
                                                                  "boundary=b"})
        finally:
            done.set()
            sampler.join()
    assert answer.status_code == 202, answer.text
    stored = list((tmp_path / "data").rglob("big.csv"))
    expected = len(b"name,birth_date\n") + size // len(row) * len(row)
    assert len(stored) == 1 and stored[0].stat().st_size == expected  # nothing lost
    assert peak[0] - before < 32 << 20, f"grew {(peak[0] - before) >> 20} MB for 96 MB"
