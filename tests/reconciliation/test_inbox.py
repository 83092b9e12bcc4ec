"""The steward inbox: items from runs, dedup across runs, every action's lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text

from entities.registry import DATASETS
from mdr.access.gate import staff_principal
from mdr.access.secrets import LogKeys
from mdr.errors import InvalidInput, NotFound
from reconciliation import inbox
from reconciliation.inbox import ItemAlreadyResolved, item_detail, list_items, resolve_item
from reconciliation.service import RunResult, reconcile_file
from tests.reconciliation.conftest_db import AGENCY, Snapshot, count, rows

pytestmark = pytest.mark.db

KINDS = ("match_with_differences", "ambiguous", "agency_only", "master_only")
#: A run without a scope makes no master-only items (they would be the whole register).
UNSCOPED_KINDS = KINDS[:3]
#: A scope holding every resident (region codes start 1 to 5; a code matches by prefix).
EVERYWHERE = ["region_code=1,2,3,4,5"]
STEWARD = staff_principal("kim", "steward", DATASETS)


def write(frame: pl.DataFrame, path: Path) -> Path:
    path.write_bytes(frame.write_csv(null_value="").encode())
    return path


def run(engine: Engine, path: Path, scope: list[str] | None = None) -> RunResult:
    return reconcile_file(engine, "resident", path, agency=AGENCY, scope=scope)


def items(engine: Engine, **filters: Any) -> list[dict[str, Any]]:
    return rows(
        engine,
        "SELECT * FROM steward_item WHERE (CAST(:k AS text) IS NULL OR kind = :k) ORDER BY item_id",
        k=filters.get("kind"),
    )


def resolve(engine: Engine, item_id: int, **options: Any) -> dict[str, Any]:
    with engine.begin() as conn:
        return resolve_item(conn, item_id, **({"steward": "kim"} | options))


def detail(engine: Engine, item_id: int) -> dict[str, Any]:
    with engine.connect() as conn:
        return item_detail(conn, item_id, STEWARD, keys=LogKeys(b"s" * 32, b"c" * 32))


def test_every_mismatch_becomes_one_item_and_dedups_across_runs(
    rec_db: Engine, snapshot: Snapshot
) -> None:
    first = run(rec_db, snapshot.agency_file, EVERYWHERE)
    expected = sum(first.outcomes[k] for k in KINDS)
    assert first.items == {"new": expected, "seen_again": 0, "reopened": 0, "closed": 0,
                           "held_back": 0}
    assert count(rec_db, "SELECT count(*) FROM steward_item WHERE status = 'open'") == expected
    by_kind = {k: len(items(rec_db, kind=k)) for k in KINDS}
    assert by_kind == {k: first.outcomes[k] for k in KINDS}
    created = {r["item_id"]: r["created_at"] for r in items(rec_db)}

    second = run(rec_db, snapshot.agency_file, EVERYWHERE)
    assert second.items == {"new": 0, "seen_again": expected, "reopened": 0, "closed": 0,
                            "held_back": 0}
    after = items(rec_db)
    assert len(after) == expected
    assert all(
        r["last_seen_run"] == second.run_id and r["first_seen_run"] == first.run_id for r in after
    )
    assert {r["item_id"]: r["created_at"] for r in after} == created
    due = after[0]["due_at"] - after[0]["created_at"]
    assert due.days == inbox.DUE_DAYS


def test_fixed_differences_close_and_come_back_reopened(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    master = snapshot.master.head(20)
    broken = master.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("가나다")).otherwise("name").alias("name")
    )
    run(rec_db, write(broken, tmp_path / "broken.csv"))
    (item,) = items(rec_db, kind="match_with_differences")
    assert item["differing_fields"] == ["name"]

    fixed = run(rec_db, write(master, tmp_path / "fixed.csv"))
    assert fixed.items["closed"] == 1
    (closed,) = rows(rec_db, "SELECT * FROM steward_item WHERE item_id = :i", i=item["item_id"])
    assert closed["status"] == "resolved" and closed["resolution"] == "no_longer_present"
    assert closed["resolved_by"] == "system"

    again = run(rec_db, write(broken, tmp_path / "broken-again.csv"))
    assert again.items["reopened"] == 1 and again.items["new"] == 0
    (back,) = rows(rec_db, "SELECT * FROM steward_item WHERE item_id = :i", i=item["item_id"])
    assert back["status"] == "open" and back["resolved_at"] is None
    actions = [a["action"] for a in detail(rec_db, item["item_id"])["actions"]]
    assert actions == ["no_longer_present", "reopened"]


def _difference(engine: Engine, snapshot: Snapshot, tmp_path: Path) -> tuple[int, str]:
    """A run where one agency record's name differs; that item's id and its master key."""
    master = snapshot.master.head(30)
    copy = master.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("가나다")).otherwise("name").alias("name")
    )
    run(engine, write(copy, tmp_path / "copy.csv"))
    (item,) = items(engine, kind="match_with_differences")
    return int(item["item_id"]), str(master["rrn"][3])


def test_master_right_asks_the_agency_to_fix_its_copy(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, key = _difference(rec_db, snapshot, tmp_path)
    with pytest.raises(InvalidInput, match="reason"):
        resolve(rec_db, item_id, action="master_right", reason="  ")
    done = resolve(rec_db, item_id, action="master_right", reason="birth register checked")
    assert done["status"] == "resolved" and done["request_id"]
    (item,) = rows(rec_db, "SELECT * FROM steward_item WHERE item_id = :i", i=item_id)
    assert (item["status"], item["resolution"], item["resolved_by"]) == (
        "resolved",
        "master_right",
        "kim",
    )
    assert item["resolution_reason"] == "birth register checked" and item["resolved_at"]
    (request,) = rows(rec_db, "SELECT * FROM reconciliation_request")
    assert (request["kind"], request["to_agency"], request["record_key"], request["fields"]) == (
        "fix_copy",
        AGENCY,
        key,
        ["name"],
    )
    assert count(rec_db, "SELECT count(*) FROM field_flag") == 0
    with pytest.raises(ItemAlreadyResolved):
        resolve(rec_db, item_id, action="not_an_issue", reason="again")
    shown = detail(rec_db, item_id)
    assert [(a["action"], a["steward"], a["reason"]) for a in shown["actions"]] == [
        ("master_right", "kim", "birth register checked")
    ]


def test_master_wrong_requests_a_correction_and_flags_the_field(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, key = _difference(rec_db, snapshot, tmp_path)
    done = resolve(rec_db, item_id, action="master_wrong", reason="family court ruling 2026-3")
    assert done["flags"] == ["name"]
    (request,) = rows(rec_db, "SELECT * FROM reconciliation_request")
    assert (request["kind"], request["to_agency"], request["record_key"]) == (
        "correct_master",
        "MOIS",
        key,
    )
    (flag,) = rows(rec_db, "SELECT * FROM field_flag")
    assert (flag["dataset"], flag["record_key"], flag["field"], flag["status"]) == (
        "resident",
        key,
        "name",
        "under_investigation",
    )
    assert flag["cleared_at"] is None and flag["raised_by"] == "kim"
    shown = detail(rec_db, item_id)
    assert [f["field"] for f in shown["flags"]] == ["name"]


def test_not_an_issue_stays_resolved_when_seen_again(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, _ = _difference(rec_db, snapshot, tmp_path)
    resolve(rec_db, item_id, action="not_an_issue", reason="alias registered")
    assert count(rec_db, "SELECT count(*) FROM reconciliation_request") == 0
    again = run(rec_db, tmp_path / "copy.csv")
    (item,) = rows(rec_db, "SELECT * FROM steward_item WHERE item_id = :i", i=item_id)
    assert item["status"] == "resolved" and item["resolution"] == "not_an_issue"
    assert item["last_seen_run"] == again.run_id
    assert again.items["new"] == 0


def test_wrong_link_relink_by_hand_survives_the_next_run(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, wrong = _difference(rec_db, snapshot, tmp_path)
    master = snapshot.master
    right = str(master["rrn"][100])  # not in the copy: master-only so far
    with pytest.raises(NotFound):
        resolve(rec_db, item_id, action="wrong_link", reason="x", master_key="9001011234568")
    with pytest.raises(InvalidInput, match="only with wrong_link"):
        resolve(rec_db, item_id, action="not_an_issue", reason="x", master_key=right)
    done = resolve(
        rec_db, item_id, action="wrong_link", reason="same person, new RRN", master_key=right
    )
    (link,) = rows(rec_db, "SELECT * FROM reconciliation_manual_link")
    assert link["link_id"] == done["link_id"] and link["active"]
    assert (link["master_key"], link["rejected_master_key"]) == (right, wrong)

    following = run(rec_db, tmp_path / "copy.csv")
    assert following.manual_links == {"relinked": 1, "unlinked": 0, "standing": 1}
    results = following.results
    assert results is not None
    row = results.filter(pl.col("agency_row") == 3).row(0, named=True)
    assert row["master_key"] == right
    assert row["outcome"] == "match_with_differences"  # it is another person's record
    (stored,) = rows(
        rec_db,
        "SELECT tier, score FROM reconciliation_outcome WHERE run_id = :r AND agency_row = 3",
        r=following.run_id,
    )
    assert stored == {"tier": "manual", "score": 1.0}
    evidence = rows(
        rec_db,
        "SELECT field, level, weight FROM reconciliation_evidence "
        "WHERE run_id = :r AND agency_row = 3",
        r=following.run_id,
    )
    assert {e["field"] for e in evidence} >= {"rrn", "name", "birth_date"}
    master_only = following.master_only
    assert master_only is not None
    assert wrong in master_only["master_key"].to_list()  # freed by the steward
    assert right not in master_only["master_key"].to_list()
    # and the run after that still honours it
    third = run(rec_db, tmp_path / "copy.csv")
    assert third.results is not None
    assert third.results.filter(pl.col("agency_row") == 3)["master_key"][0] == right


def test_wrong_link_without_a_target_unlinks_for_good(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, wrong = _difference(rec_db, snapshot, tmp_path)
    resolve(rec_db, item_id, action="wrong_link", reason="namesake, not this person")
    following = run(rec_db, tmp_path / "copy.csv")
    assert following.manual_links["unlinked"] == 1
    assert following.results is not None
    row = following.results.filter(pl.col("agency_row") == 3).row(0, named=True)
    assert (row["outcome"], row["master_key"]) == ("agency_only", None)
    assert following.master_only is not None
    assert wrong in following.master_only["master_key"].to_list()
    (agency_only,) = items(rec_db, kind="agency_only")
    assert agency_only["status"] == "open" and agency_only["agency_ident"].startswith("k:")
    # an agency-only item needs a target to be relinked
    with pytest.raises(InvalidInput, match="--master-key"):
        resolve(rec_db, agency_only["item_id"], action="wrong_link", reason="x")
    resolve(
        rec_db, agency_only["item_id"], action="wrong_link", reason="found them", master_key=wrong
    )
    assert count(rec_db, "SELECT count(*) FROM reconciliation_manual_link WHERE active") == 1
    back = run(rec_db, tmp_path / "copy.csv")
    assert back.results is not None
    assert back.results.filter(pl.col("agency_row") == 3)["master_key"][0] == wrong


def test_master_only_items_cannot_be_relinked(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    five = run(rec_db, write(snapshot.master.head(5), tmp_path / "five.csv"), EVERYWHERE)
    master_only = items(rec_db, kind="master_only")
    # 295 master-only records, but a 5-row copy opens at most MIN_NEW_ITEMS items
    assert five.outcomes["master_only"] == snapshot.master.height - 5
    assert len(master_only) == inbox.MIN_NEW_ITEMS
    assert five.items["held_back"] == snapshot.master.height - 5 - inbox.MIN_NEW_ITEMS
    shown = detail(rec_db, master_only[0]["item_id"])
    assert shown["master_record_live"] and shown["fields"]
    assert all(f["agency_value"] is None and not f["differs"] for f in shown["fields"])
    with pytest.raises(InvalidInput, match="master-only"):
        resolve(rec_db, master_only[0]["item_id"], action="wrong_link", reason="x")
    done = resolve(
        rec_db, master_only[0]["item_id"], action="master_wrong", reason="emigrated in 2019"
    )
    assert done["flags"] == ["rrn"]


def test_listing_pages_filters_and_masks(rec_db: Engine, snapshot: Snapshot) -> None:
    first = run(rec_db, snapshot.agency_file, EVERYWHERE)
    total = sum(first.outcomes[k] for k in KINDS)
    seen: list[int] = []
    after = None
    with rec_db.connect() as conn:
        while True:
            page = list_items(conn, limit=7, after=after)
            assert page["total"] == total
            seen += [i["item_id"] for i in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert seen == sorted(seen) and len(seen) == total
        only = list_items(conn, kind="master_only", agency=AGENCY, dataset="resident", limit=1000)
        assert only["total"] == first.outcomes["master_only"]
        assert {i["outcome"] for i in only["items"]} == {"master_only"}
        assert list_items(conn, overdue=True)["total"] == 0
        conn.execute(
            text("UPDATE steward_item SET due_at = now() - interval '1 day' WHERE item_id = :i"),
            {"i": seen[0]},
        )
        overdue = list_items(conn, overdue=True)
        assert [i["item_id"] for i in overdue["items"]] == [seen[0]]
        assert overdue["items"][0]["overdue"]
        assert list_items(conn, min_age_days=10)["total"] == 0
        conn.execute(
            text("UPDATE steward_item SET created_at = now() - interval '30 days' "
                 "WHERE item_id = :i"), {"i": seen[1]},
        )
        aged = list_items(conn, min_age_days=10)
        assert [i["item_id"] for i in aged["items"]] == [seen[1]]
        assert list_items(conn, min_age_days=31)["total"] == 0
        conn.rollback()
        with pytest.raises(InvalidInput, match="unknown outcome"):
            list_items(conn, kind="match")
        sample = list_items(conn, kind="match_with_differences", limit=1)["items"][0]
    # listings mask personal identifiers; the item a steward opens shows them (logged)
    assert "*" in sample["master_key"]
    logged = count(rec_db, "SELECT count(*) FROM access_log")
    shown = detail(rec_db, sample["item_id"])
    assert shown["master_key"].startswith(sample["master_key"].rstrip("*"))
    assert "*" not in shown["master_key"]
    names = {f["field"]: f for f in shown["fields"]}
    assert names["rrn"]["master_value"] == shown["master_key"]
    assert "*" not in (names["name"]["master_value"] or "")
    # detail() rolls back: the read was logged in its transaction, not committed
    assert count(rec_db, "SELECT count(*) FROM access_log") == logged
    differing = [f for f in shown["fields"] if f["differs"]]
    assert differing and {f["field"] for f in differing} == set(sample["differing_fields"])
    assert all(f["level"] is not None for f in differing)


def reopen(engine: Engine, item_id: int, reason: str = "decided too fast") -> dict[str, Any]:
    with engine.begin() as conn:
        return inbox.reopen_item(conn, item_id, reason=reason, steward="park")


def test_a_relink_is_reversed_and_the_engine_links_again(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, wrong = _difference(rec_db, snapshot, tmp_path)
    right = str(snapshot.master["rrn"][100])
    done = resolve(rec_db, item_id, action="wrong_link", reason="same person", master_key=right)
    undone = reopen(rec_db, item_id)
    assert undone["reversed"] == "wrong_link" and undone["links_withdrawn"] == [done["link_id"]]
    (item,) = rows(rec_db, "SELECT * FROM steward_item WHERE item_id = :i", i=item_id)
    assert item["status"] == "open" and item["resolution"] is None
    following = run(rec_db, tmp_path / "copy.csv")
    assert following.manual_links["standing"] == 0
    assert following.results is not None
    assert following.results.filter(pl.col("agency_row") == 3)["master_key"][0] == wrong
    shown = detail(rec_db, item_id)
    assert shown["rule_version"]  # the evidence names the linkage rules it came from
    history = [(a["action"], a["steward"]) for a in shown["actions"]]
    assert history[-2:] == [("wrong_link", "kim"), ("reopened", "park")]
    # It is open again: a new decision can be taken.
    assert resolve(rec_db, item_id, action="not_an_issue", reason="checked")["status"] == "resolved"


def test_reversing_master_wrong_clears_its_flags_and_withdraws_its_request(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, _ = _difference(rec_db, snapshot, tmp_path)
    resolve(rec_db, item_id, action="master_wrong", reason="court ruling")
    undone = reopen(rec_db, item_id, reason="the ruling was about someone else")
    assert undone["flags_cleared"] == ["name"] and len(undone["requests_withdrawn"]) == 1
    assert count(rec_db, "SELECT count(*) FROM field_flag WHERE cleared_at IS NULL") == 0
    assert rows(rec_db, "SELECT status FROM reconciliation_request") == [{"status": "withdrawn"}]
    with pytest.raises(InvalidInput, match="no decision to reverse"):
        reopen(rec_db, item_id)
    with pytest.raises(InvalidInput, match="reason"):
        reopen(rec_db, item_id, reason=" ")


def test_reversing_one_of_two_decisions_keeps_the_field_under_investigation(
    rec_db: Engine, snapshot: Snapshot, tmp_path: Path
) -> None:
    item_id, key = _difference(rec_db, snapshot, tmp_path)
    reconcile_file(rec_db, "resident", tmp_path / "copy.csv", agency="OTHER")
    (other,) = [i for i in items(rec_db, kind="match_with_differences") if i["agency"] == "OTHER"]
    resolve(rec_db, item_id, action="master_wrong", reason="court ruling")
    assert resolve(rec_db, other["item_id"], action="master_wrong", reason="same")["flags"] == []
    assert reopen(rec_db, item_id)["flags_cleared"] == ["name"]
    (flag,) = rows(rec_db, "SELECT * FROM field_flag WHERE cleared_at IS NULL")
    assert (flag["record_key"], flag["field"]) == (key, "name")  # the other decision stands
    assert flag["reason"].endswith(f"(steward item {other['item_id']})")
    # and reversing that one too clears it
    assert reopen(rec_db, other["item_id"])["flags_cleared"] == ["name"]
    assert count(rec_db, "SELECT count(*) FROM field_flag WHERE cleared_at IS NULL") == 0
