"""Console pages through FastAPI's TestClient: sign-in, CSRF, throttling, roles, masking."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from api.console import views
from api.console.auth import COOKIE
from entities.masking import mask
from entities.registry import get_dataset
from mdr.access.staff import FREE_FAILURES, StaffUser, Throttle
from tests.console.seed import (
    PASSWORD,
    add_check_runs,
    add_item,
    add_user,
    csrf_of,
    sign_in,
)
from tests.factories import make, persist

pytestmark = pytest.mark.db


def test_sign_in_sets_a_safe_session_cookie(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    response = sign_in(console, "kim")
    assert response.status_code == 200
    assert "kim" in response.text and "로그아웃" in response.text
    cookie = response.history[0].headers["set-cookie"]
    assert f"{COOKIE}=" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain http here; https requests get Secure
    stored = db_session.execute(text("SELECT password_hash FROM staff_user")).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_secure_cookie_over_https(app, db_session: Session) -> None:
    from api.console import install_console

    install_console(app)
    add_user(db_session, "kim", "steward")
    with TestClient(app, base_url="https://testserver") as client:
        response = sign_in(client, "kim")
    assert "Secure" in response.history[0].headers["set-cookie"]


def test_wrong_password_is_refused(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    response = sign_in(console, "kim", "wrong password!")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text
    assert console.get("/console/", follow_redirects=False).status_code == 303
    unknown = sign_in(console, "nobody", PASSWORD)
    assert unknown.status_code == 401


def test_repeated_failures_delay_the_next_attempt_and_lock_nobody_out(
        console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    for _ in range(FREE_FAILURES + 1):
        assert sign_in(console, "kim", "nope nope nope").status_code == 401
    delayed = sign_in(console, "kim")  # the right password, during the delay
    assert delayed.status_code == 429 and delayed.headers["retry-after"] == "1"
    assert "try again in 1 seconds" in delayed.text
    db_session.execute(text("UPDATE sign_in_throttle SET blocked_until = now()"))  # waited
    assert sign_in(console, "kim").status_code == 200


def test_unknown_and_delayed_names_are_answered_alike(console: TestClient,
                                                       db_session: Session) -> None:
    """Status, body and Retry-After; the work (one hash per heard attempt) in
    test_sign_in_throttle.py."""
    add_user(db_session, "kim", "steward")
    app: Any = console.app
    source = Throttle.of("", "testclient", app.state.secret).source
    answers = []
    for name in ("kim", "nobody"):
        for _ in range(FREE_FAILURES + 1):
            assert sign_in(console, name, "nope nope nope").status_code == 401
        # Only the name's own count delays it (the source's is another test's).
        db_session.execute(text("DELETE FROM sign_in_throttle WHERE subject = :s"),
                           {"s": source})
        answers.append(sign_in(console, name))
    bodies = [re.sub(r'value="[^"]*"', 'value=""', answer.text) for answer in answers]
    assert [a.status_code for a in answers] == [429, 429]
    assert bodies[0] == bodies[1]
    assert answers[0].headers["retry-after"] == answers[1].headers["retry-after"]


def test_sign_in_form_without_csrf_token_is_refused(
    console: TestClient, db_session: Session
) -> None:
    add_user(db_session, "kim", "steward")
    console.get("/console/login")
    response = console.post("/console/login", data={
        "csrf_token": "forged", "username": "kim", "password": PASSWORD})
    assert response.status_code == 403
    assert console.cookies.get(COOKIE) is None


def test_forms_with_a_wrong_csrf_token_are_refused(
    console: TestClient, db_session: Session
) -> None:
    add_user(db_session, "kim", "steward")
    item = add_item(db_session)
    sign_in(console, "kim")
    response = console.post(f"/console/inbox/{item['item_id']}/resolve", data={
        "csrf_token": "forged", "action": "master_right", "reason": "agency typo"})
    assert response.status_code == 403 and "CSRF" in response.text
    status = db_session.execute(text("SELECT status FROM steward_item WHERE item_id = :i"),
                                {"i": item["item_id"]}).scalar_one()
    assert status == "open"
    assert console.post("/console/logout", data={"csrf_token": "x"}).status_code == 403


def test_sign_out_ends_the_session(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "inspector")
    home = sign_in(console, "kim")
    token = console.cookies.get(COOKIE)
    out = console.post("/console/logout", data={"csrf_token": csrf_of(home.text)})
    assert out.url.path == "/console/login"
    console.cookies.set(COOKIE, token, path="/console")  # replaying the old cookie
    assert console.get("/console/", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(("role", "path", "allowed"), [
    ("steward", "/console/admin/users", False),
    ("inspector", "/console/admin/users", False),
    ("administrator", "/console/admin/users", True),
    ("inspector", "/console/inbox", False),
    ("steward", "/console/quality", False),
    ("steward", "/console/inbox", True),
    ("inspector", "/console/quality", True),
    ("administrator", "/console/quality/report", True),
])
def test_roles(console: TestClient, db_session: Session, role: str, path: str,
               allowed: bool) -> None:
    add_user(db_session, "user1", role)
    sign_in(console, "user1")
    response = console.get(path)
    assert response.status_code == (200 if allowed else 403), response.text[:300]


def test_pages_need_a_session(console: TestClient) -> None:
    for path in ("/console/", "/console/inbox", "/console/quality", "/console/records"):
        response = console.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/console/login"


def test_inspector_cannot_resolve_items(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "lee", "inspector")
    item = add_item(db_session)
    page = sign_in(console, "lee")
    response = console.post(f"/console/inbox/{item['item_id']}/resolve", data={
        "csrf_token": csrf_of(page.text), "action": "master_right", "reason": "x"})
    assert response.status_code == 403
    bulk = console.post("/console/inbox/bulk", data={
        "csrf_token": csrf_of(page.text), "item_ids": [item["item_id"]],
        "action": "master_right", "reason": "x"})
    assert bulk.status_code == 403
    status = db_session.execute(text("SELECT status FROM steward_item")).scalar_one()
    assert status == "open"


def test_steward_resolves_and_the_record_shows_the_flag(
    console: TestClient, db_session: Session
) -> None:
    add_user(db_session, "kim", "steward")
    item = add_item(db_session)
    resident = item["resident"]
    sign_in(console, "kim")
    inbox = console.get("/console/inbox")
    assert inbox.status_code == 200
    assert f"#{item['item_id']}" in inbox.text and "match_with_differences: 1" in inbox.text
    assert resident["rrn"] not in inbox.text and mask(resident["rrn"]) in inbox.text
    page = console.get(f"/console/inbox/{item['item_id']}")
    assert page.status_code == 200
    assert 'class="differs"' in page.text and "<svg" in page.text
    assert 'id="master-history"' in page.text and "현재 · current belief" in page.text
    # the item a steward judges shows its values, and the read is in the subject's log
    assert resident["name"] in page.text and resident["rrn"] in page.text
    assert staff_reads(db_session, resident["rrn"]) == [("staff:kim", "stewardship")]
    missing_reason = console.post(f"/console/inbox/{item['item_id']}/resolve", data={
        "csrf_token": csrf_of(page.text), "action": "master_wrong", "reason": "  "})
    assert missing_reason.status_code == 422 and "reason" in missing_reason.text
    done = console.post(f"/console/inbox/{item['item_id']}/resolve", data={
        "csrf_token": csrf_of(page.text), "action": "master_wrong",
        "reason": "court record shows the new name"})
    assert done.status_code == 200 and "The decision is recorded" in done.text
    record = console.get(f"/console/records/resident/version/{item['version_id']}")
    assert record.status_code == 200
    assert "under investigation" in record.text and "court record shows" in record.text
    assert resident["rrn"] in record.text and resident["name"] in record.text
    assert "Who accessed this record" not in record.text  # administrators only
    # each page that showed the record is a read: the item, the item again with the
    # refused form, the item with the decision, the record
    assert staff_reads(db_session, resident["rrn"]) == [("staff:kim", "stewardship")] * 4


def staff_reads(session: Session, rrn: str) -> list[tuple[str, str]]:
    """Who read the record keyed ``rrn`` and why, oldest first (the access log)."""
    rows = session.execute(text(
        "SELECT key_id, purpose FROM access_log WHERE record_key = :k ORDER BY audit_id"),
        {"k": rrn}).all()
    return [tuple(r) for r in rows]


def test_bulk_resolution(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    first, second = add_item(db_session), add_item(db_session)
    page = sign_in(console, "kim")
    done = console.post("/console/inbox/bulk", data={
        "csrf_token": csrf_of(page.text), "item_ids": [first["item_id"], second["item_id"]],
        "action": "master_right", "reason": "agency copies are stale"})
    assert done.status_code == 200 and "resolved-2" in str(done.url)
    rows = db_session.execute(text(
        "SELECT status, resolved_by FROM steward_item ORDER BY item_id")).all()
    assert [tuple(r) for r in rows] == [("resolved", "kim"), ("resolved", "kim")]
    empty = console.post("/console/inbox/bulk", data={
        "csrf_token": csrf_of(page.text), "action": "master_right", "reason": "x"})
    assert empty.status_code == 422


def test_record_search_masks_for_every_role_and_an_opened_record_is_logged(
    console: TestClient, db_session: Session
) -> None:
    add_user(db_session, "kim", "steward")
    add_user(db_session, "root", "administrator")
    item = add_item(db_session)
    resident = item["resident"]
    form = {"search": "name_birth_date", "p_name": resident["name"],
            "p_birth_date": resident["birth_date"].isoformat()}
    page = sign_in(console, "kim")
    found = console.post("/console/records/resident/search",
                         data=form | {"csrf_token": csrf_of(page.text)})
    assert found.status_code == 200
    assert mask(resident["rrn"]) in found.text and resident["rrn"] not in found.text
    assert f"/console/records/resident/version/{item['version_id']}" in found.text
    forged = console.post("/console/records/resident/search", data=form | {"csrf_token": "x"})
    assert forged.status_code == 403
    assert staff_reads(db_session, resident["rrn"]) == []  # a masked listing reveals nothing
    console.cookies.clear()
    page = sign_in(console, "root")
    found = console.post("/console/records/resident/search",
                         data=form | {"csrf_token": csrf_of(page.text)})
    assert mask(resident["rrn"]) in found.text and resident["rrn"] not in found.text
    record = console.get(f"/console/records/resident/version/{item['version_id']}")
    assert resident["rrn"] in record.text and "Who accessed this record" in record.text
    assert "현재 · now" in record.text  # history along valid time
    assert staff_reads(db_session, resident["rrn"]) == [("staff:root", "administration")]


def test_inspector_dashboard_drill_down_and_report(
    console: TestClient, db_session: Session
) -> None:
    add_user(db_session, "lee", "inspector")
    sample = "9001011234568"
    rule_id = add_check_runs(db_session, sample)
    add_item(db_session)  # a finished reconciliation run: accuracy over time
    sign_in(console, "lee")
    board = console.get("/console/quality")
    assert board.status_code == 200
    assert board.text.count("<svg") >= 3  # national, per dataset, per agency
    assert 'id="accuracy-charts"' in board.text and "copy agreement over time" in board.text
    drill = console.get("/console/quality/datasets/resident")
    assert drill.status_code == 200 and rule_id in drill.text
    assert sample not in drill.text and mask(sample) in drill.text
    report = console.get("/console/quality/report")
    assert report.status_code == 200
    assert report.headers["content-disposition"].startswith("attachment;")
    assert sample not in report.text


def test_static_assets_are_served_locally(console: TestClient) -> None:
    login = console.get("/console/login")
    assert "http" not in login.text.split("<main")[0].replace("http-equiv", "")
    assert console.get("/console/static/console.css").status_code == 200
    assert console.get("/console/static/console.js").status_code == 200


def test_history_along_both_time_axes(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "root", "administrator")
    item = add_item(db_session)
    rrn = item["resident"]["rrn"]
    columns = "rrn, name, birth_date, sex, address_id, household_id, household_role, status," \
              " region_code"
    for name, valid, superseded in (("옛이름", "[2025-01-01,2026-01-01)", None),
                                    ("오타이름", "[2025-01-01,2026-01-01)", "now()")):
        db_session.execute(text(
            f"INSERT INTO resident_version ({columns}, valid_from, valid_to, recorded_at,"
            " superseded_at, row_hash) SELECT rrn, :n, birth_date, sex, address_id,"
            " household_id, household_role, status, region_code, lower(CAST(:v AS daterange)),"
            " upper(CAST(:v AS daterange)), now() - interval '1 day',"
            f" {superseded or 'NULL'}, md5(:n)::uuid FROM resident WHERE rrn = :k"),
            {"n": name, "v": valid, "k": rrn})
    sign_in(console, "root")
    page = console.get(f"/console/records/resident/version/{item['version_id']}")
    assert page.status_code == 200
    history = page.text.split('id="history"')[1].split("</table>")[0]
    assert history.count("<tr>") == 4  # header and three versions
    assert "2025-01-01 – 2026-01-01" in history  # valid time
    assert "현재 · current belief" in history and "KST – 2026" in history  # recorded time
    assert "오타이름" in history  # administrators see the superseded value


def test_unknown_dataset_is_a_page(console: TestClient, db_session: Session) -> None:
    add_user(db_session, "kim", "steward")
    sign_in(console, "kim")
    response = console.get("/console/records/unicorn/version/1")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert console.get("/v1/datasets/unicorn").headers["content-type"] == \
        "application/problem+json"


@pytest.mark.slow
def test_inbox_pages_stay_fast_with_100000_open_items(
    console: TestClient, db_session: Session
) -> None:

    add_user(db_session, "kim", "steward")
    run_id = add_item(db_session)["run_id"]
    db_session.execute(text(
        "INSERT INTO steward_item (fingerprint, dataset, agency, kind, master_key,"
        " differing_fields, score, first_seen_run, last_seen_run, due_at, created_at)"
        " SELECT md5('bulk' || i)::uuid, 'resident', 'AGENCY-X', 'master_only',"
        " lpad(i::text, 13, '0'), '{}', 1.0, :r, :r, now() - make_interval(days => i % 30),"
        " now() - interval '40 days' FROM generate_series(1, 100000) i"), {"r": run_id})
    db_session.execute(text("ANALYZE steward_item"))
    sign_in(console, "kim")
    # Pages come from SQL (keyset, counts in one pass); no timing is asserted here:
    # the machine is shared and noisy.
    first = console.get("/console/inbox?overdue=true")
    later = console.get("/console/inbox?after=90000&kind=master_only")
    assert first.status_code == 200 and later.status_code == 200
    assert "master_only: 100000" in first.text
    assert first.text.count('name="item_ids"') == 50
    # every seeded item was raised 40 days ago; the item add_item made is new
    aged = console.get("/console/inbox?min_age=30")
    assert "Total: <strong>100000</strong>" in aged.text
    too_old = console.get("/console/inbox?min_age=41")
    assert "Total: <strong>0</strong>" in too_old.text


def test_the_console_address_without_a_slash_leads_to_the_console(console: TestClient) -> None:
    response = console.get("/console", follow_redirects=False)
    assert response.status_code == 308 and response.headers["location"] == "/console/"


def test_the_next_page_cursor_is_opaque_and_bound_to_the_session(
    console: TestClient, db_session: Session
) -> None:
    """The next-page form used to carry the last registration number in a hidden field
    that the browser could set; now it carries a sealed cursor only this session can
    use, for this search."""
    people = sorted((make("resident", name="홍길동", birth_date=dt.date(1980, 5, 5))
                     for _ in range(3)), key=lambda p: p["rrn"])
    persist(db_session, "resident", people)
    add_user(db_session, "kim", "steward")
    add_user(db_session, "lee", "steward")
    form = {"search": "name_birth_date", "p_name": "홍길동", "p_birth_date": "1980-05-05"}
    page = sign_in(console, "kim")
    # the console pages 50 rows; a page of one, from the same view, makes a cursor
    kim = StaffUser(0, "kim", "steward", csrf_of(page.text))
    first = views.search_records(db_session, get_dataset("resident"), form["search"], form,
                                 after=None, limit=1, user=kim,
                                 secret=console.app.state.secret)  # type: ignore[attr-defined]
    cursor = str(first["after"])
    assert not any(p["rrn"] in cursor or p["rrn"][:6] in cursor for p in people)

    def search(page_text: str, **extra: str) -> Any:
        return console.post("/console/records/resident/search",
                            data=form | {"csrf_token": csrf_of(page_text)} | extra)

    rest = search(page.text, after=cursor)
    assert rest.status_code == 200, rest.text
    assert len(set(re.findall(r"/console/records/resident/version/(\d+)", rest.text))) == 2
    # worthless when set by hand, for another search, or in another session
    assert search(page.text, after=people[0]["rrn"]).status_code == 422
    assert search(page.text, after=cursor, p_birth_date="1980-05-06").status_code == 422
    console.cookies.clear()
    page = sign_in(console, "lee")
    assert search(page.text, after=cursor).status_code == 422
