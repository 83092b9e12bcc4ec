"""A sync dated after today announces changes: until their date, checks, reconciliation
and the catalogue's count see the records valid today (the ``<dataset>_today`` views),
while the current table already holds the announced versions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from entities.catalogue import refresh_catalogue
from mdr.db.engine import session_factory, unit_of_work
from mdr.quality.runner import run_checks
from mdr.timezone import today_in_korea
from reconciliation.service import reconcile_file
from sync.jobs import recount_due
from tests.sync.conftest import frame_of
from tests.sync.test_apply import apply, residents, rows, scalar

pytestmark = pytest.mark.db


@pytest.fixture
def announced(master):
    """20 residents valid since last month; a snapshot dated next month renames the first
    and leaves out the second (it ends then)."""
    with unit_of_work(session_factory(master)) as session:
        refresh_catalogue(session)
    today = today_in_korea()
    people = residents(20)
    apply(master, people, sha="now", as_of=today - dt.timedelta(days=30))
    later = [{**people[0], "name": "개명된이름"}, *people[2:]]
    result = apply(master, later, sha="later", as_of=today + dt.timedelta(days=30))
    assert (result.changed, result.ended) == (1, 1)
    return people


def test_the_today_view_holds_the_versions_valid_today(master, announced) -> None:
    first, second = announced[0]["rrn"], announced[1]["rrn"]
    current = {r["rrn"]: r["name"] for r in rows(master, "SELECT rrn, name FROM resident")}
    assert current[first] == "개명된이름" and second not in current

    today = {r["rrn"]: r["name"] for r in rows(master, "SELECT rrn, name FROM resident_today")}
    assert len(today) == 20
    assert today[first] == announced[0]["name"] and today[second] == announced[1]["name"]
    assert scalar(master, "SELECT row_count FROM dataset_catalogue WHERE name = 'resident'") == 20


def test_without_a_later_batch_the_view_is_the_current_table(master) -> None:
    apply(master, residents(5), sha="a", as_of=today_in_korea())
    assert scalar(master, "SELECT count(*) FROM resident_today") == 5
    # Nothing is pending: the version table's part is not even scanned.
    with master.connect() as conn:
        plan = "\n".join(conn.execute(text(
            "EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM resident_today")).scalars())
    assert "resident_version" in plan and "(never executed)" in plan


def test_checks_count_the_records_valid_today(master, announced) -> None:
    with unit_of_work(session_factory(master)) as session:
        summary = run_checks(session, datasets=["resident"])
    # Rules over every record check 20 (the current table holds 19, one renamed).
    assert max(r.checked_rows for r in summary.results if r.rule.dataset == "resident") == 20


def test_reconciliation_compares_with_the_records_valid_today(master, announced,
                                                              tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    pl.DataFrame([{k: None if v is None else str(v) for k, v in p.items()}
                  for p in announced]).write_csv(copy)
    result = reconcile_file(master, "resident", copy, agency="MOHW")
    assert {k: n for k, n in result.outcomes.items() if n} == {"match": 20}


def test_the_recount_job_counts_announced_changes_on_their_date(master, announced) -> None:
    with unit_of_work(session_factory(master)) as session:
        assert recount_due(session) == {"recounted": {}}  # not due yet
    with master.begin() as conn:  # the announced date arrives
        conn.execute(text("UPDATE sync_batch SET started_at = started_at - interval '40 days', "
                          "as_of = as_of - 40 WHERE sha256 = 'later'"))
        conn.execute(text("UPDATE resident_version SET valid_to = valid_to - 40 "
                          "WHERE valid_to > (now() AT TIME ZONE 'Asia/Seoul')::date"))
        conn.execute(text("UPDATE resident_version SET valid_from = valid_from - 40 "
                          "WHERE valid_from > (now() AT TIME ZONE 'Asia/Seoul')::date"))
        conn.execute(text("UPDATE resident SET valid_from = valid_from - 40 "
                          "WHERE valid_from > (now() AT TIME ZONE 'Asia/Seoul')::date"))
    with unit_of_work(session_factory(master)) as session:
        assert recount_due(session) == {"recounted": {"resident": 19}}
    assert scalar(master, "SELECT row_count FROM dataset_catalogue WHERE name = 'resident'") == 19


def test_the_nightly_snapshot_before_an_announced_change_leaves_it_in_place(
        master, announced) -> None:
    """Until the announced date the source still sends today's values: they agree with
    the versions valid today, so nothing changes, the announced rename stays and the
    announced end is not undone by a 'creation'."""
    result = apply(master, announced, sha="tonight", as_of=today_in_korea())
    assert (result.created, result.changed, result.corrected, result.ended,
            result.quarantined) == (0, 0, 0, 0, 0)
    assert result.unchanged == 20
    first = announced[0]["rrn"]
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k", k=first) == "개명된이름"
    assert scalar(master, "SELECT count(*) FROM resident_today") == 20
    assert scalar(master, "SELECT count(*) FROM resident") == 19


def test_a_different_value_dated_before_a_later_version_is_quarantined_not_misdated(
        master, announced) -> None:
    today = today_in_korea()
    other = [{**announced[0], "name": "다른이름"}, {**announced[1], "name": "또다른이름"},
             *announced[2:]]
    result = apply(master, other, sha="contradicts", as_of=today)
    assert (result.changed, result.corrected, result.created, result.quarantined) == (0, 0, 0, 2)
    later = (today + dt.timedelta(days=30)).isoformat()
    reasons = rows(master, "SELECT row_number, field, reason FROM sync_quarantine "
                   "WHERE batch_id = :b ORDER BY row_number", b=result.batch_id)
    assert [(r["row_number"], r["field"]) for r in reasons] == [(0, "rrn"), (1, "rrn")]
    assert all(f"dated {later}" in r["reason"] and f"--as-of {later}" in r["reason"]
               for r in reasons)
    # Nothing was stored under a date the batch does not carry.
    assert scalar(master, "SELECT count(*) FROM resident_version WHERE batch_id = :b",
                  b=result.batch_id) == 0


def test_a_snapshot_leaving_out_a_key_with_a_later_version_does_not_end_it(
        master, announced) -> None:
    result = apply(master, [announced[1], *announced[2:]], sha="short", as_of=today_in_korea())
    assert result.ended == 0 and result.ends_withheld == 1
    assert "version dated after" in result.warnings[0]
    assert scalar(master, "SELECT count(*) FROM resident_today") == 20
    stored = scalar(master, "SELECT warnings FROM sync_batch WHERE batch_id = :b",
                    b=result.batch_id)
    assert stored == result.warnings


def test_a_delta_ending_a_key_whose_end_is_announced_says_it_already_ends(
        master, announced) -> None:
    later = (today_in_korea() + dt.timedelta(days=30)).isoformat()
    frame = frame_of("resident", [announced[1]]).with_columns(pl.Series("_op", ["end"]))
    result = apply(master, [], sha="end-now", as_of=today_in_korea(), mode="delta", frame=frame)
    assert result.quarantined == 1 and result.ended == 0
    (kept,) = rows(master, "SELECT reason FROM sync_quarantine WHERE batch_id = :b",
                   b=result.batch_id)
    # Not "send it with --as-of <that date>": on that date the record no longer lives.
    assert kept["reason"].startswith(f"this record already ends on {later}")
    assert "--as-of" not in kept["reason"]


def test_a_row_agreeing_only_with_the_announced_version_is_quarantined(
        master, announced) -> None:
    """Today's snapshot already carrying next month's value disagrees with the record
    valid today: it is not counted unchanged (it is, as written, the very row that
    announced the change, so it is compared in full, not skipped by its hash)."""
    today = today_in_korea()
    early = [{**announced[0], "name": "개명된이름"}, *announced[1:]]
    result = apply(master, early, sha="early", as_of=today)
    assert (result.quarantined, result.unchanged, result.changed) == (1, 19, 0)
    (reason,) = rows(master, "SELECT row_number, reason FROM sync_quarantine "
                     "WHERE batch_id = :b", b=result.batch_id)
    later = (today + dt.timedelta(days=30)).isoformat()
    assert reason["row_number"] == 0 and f"dated {later}" in reason["reason"]


def test_an_announcement_does_not_freeze_the_records_it_leaves_as_they_are(
        master, announced) -> None:
    """Tonight's snapshot, before next month's announced batch takes effect, still
    records tonight's changes to the other records (the announcement is not a later
    observation of them), and leaves the announced rename in place."""
    today = today_in_korea()
    tonight = [*announced[:5], {**announced[5], "name": "오늘개명"}, *announced[6:]]
    result = apply(master, tonight, sha="tonight-change", as_of=today)
    assert (result.changed, result.quarantined, result.ended) == (1, 0, 0), result.warnings
    renamed = rows(master, "SELECT name, valid_from FROM resident WHERE rrn = :k",
                   k=announced[5]["rrn"])[0]
    assert (renamed["name"], renamed["valid_from"]) == ("오늘개명", today)
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=announced[0]["rrn"]) == "개명된이름"
