"""Batches that arrive late (dated before one already applied), and sources that lack
an optional column: nothing a later batch stated, and no stored value, is lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from entities.masking import mask
from sync.service import sync_file
from tests.sync.conftest import as_text, frame_of
from tests.sync.test_apply import apply, residents, rows, scalar

pytestmark = pytest.mark.db

NOV1, NOV20, NOV25, DEC1 = (dt.date(2026, 11, 1), dt.date(2026, 11, 20),
                            dt.date(2026, 11, 25), dt.date(2026, 12, 1))


def names(master) -> dict[str, str]:
    return {r["rrn"]: r["name"] for r in rows(master, "SELECT rrn, name FROM resident")}


def versions_of(master, key: str) -> list[tuple]:
    return [(r["name"], r["valid_from"], r["valid_to"]) for r in rows(
        master, "SELECT name, valid_from, valid_to FROM resident_version "
        "WHERE rrn = :k AND superseded_at IS NULL ORDER BY valid_from", k=key)]


def test_a_late_full_snapshot_changes_and_ends_nothing_a_later_one_stated(master) -> None:
    people = residents(12)
    apply(master, people, sha="nov1", as_of=NOV1)
    apply(master, people, sha="dec1", as_of=DEC1)  # all unchanged: leaves no version
    before = names(master)
    newcomer = residents(1)[0]
    late = [{**people[0], "name": "늦은개명"}, *people[2:], newcomer]  # people[1] left out
    result = apply(master, late, sha="nov20", as_of=NOV20)

    assert (result.created, result.changed, result.corrected, result.ended) == (0, 0, 0, 0)
    assert (result.unchanged, result.quarantined, result.ends_withheld) == (10, 2, 1)
    assert names(master) == before
    assert versions_of(master, people[0]["rrn"]) == [(people[0]["name"], NOV1, None)]
    reasons = rows(master, "SELECT row_number, reason FROM sync_quarantine "
                   "WHERE batch_id = :b ORDER BY row_number", b=result.batch_id)
    assert [r["row_number"] for r in reasons] == [0, 11]
    assert all("a batch dated 2026-12-01 was applied before this one" in r["reason"]
               and "--as-of 2026-12-01" in r["reason"] for r in reasons)
    assert "a full snapshot dated 2026-12-01 was applied before this one" in result.warnings[0]
    left_out = people[1]["rrn"]  # named, masked as everywhere
    assert f"for instance {mask(left_out)}" in result.warnings[0]
    assert left_out not in result.warnings[0]
    assert scalar(master, "SELECT warnings FROM sync_batch WHERE batch_id = :b",
                  b=result.batch_id) == result.warnings


def test_a_late_delta_cannot_contradict_what_a_later_delta_named(master) -> None:
    people = residents(5)
    apply(master, people, sha="nov1", as_of=NOV1)
    # 12-01 delta: people[0] as it is (unchanged, no new version), people[1] renamed.
    dec = frame_of("resident", [people[0], {**people[1], "name": "십이월"}])
    apply(master, [], sha="dec1", as_of=DEC1, mode="delta", frame=dec)
    assert {r["record_key"] for r in rows(master, "SELECT record_key FROM sync_delta_key")} \
        == {people[0]["rrn"], people[1]["rrn"]}

    late = frame_of("resident", [{**people[0], "name": "늦은개명"},
                                 {**people[2], "name": "십일월"}, people[3]])
    late = late.with_columns(pl.Series("_op", ["upsert", "upsert", "end"]))
    result = apply(master, [], sha="nov20", as_of=NOV20, mode="delta", frame=late)
    assert (result.changed, result.ended, result.quarantined) == (1, 1, 1)
    # people[2] was named by no later batch: its change is history from 11-20 on.
    assert versions_of(master, people[2]["rrn"]) == [
        (people[2]["name"], NOV1, NOV20), ("십일월", NOV20, None)]
    assert versions_of(master, people[0]["rrn"]) == [(people[0]["name"], NOV1, None)]
    (reason,) = rows(master, "SELECT row_number, reason FROM sync_quarantine "
                     "WHERE batch_id = :b", b=result.batch_id)
    assert reason["row_number"] == 0 and "a batch dated 2026-12-01" in reason["reason"]

    # Nor can a late delta end a record a later delta named.
    end = frame_of("resident", [people[0]]).with_columns(pl.Series("_op", ["end"]))
    refused = apply(master, [], sha="nov25", as_of=NOV25, mode="delta", frame=end)
    assert (refused.ended, refused.quarantined) == (0, 1)
    assert people[0]["rrn"] in names(master)
    (reason,) = rows(master, "SELECT reason FROM sync_quarantine WHERE batch_id = :b",
                     b=refused.batch_id)
    assert "an end dated earlier would contradict it" in reason["reason"]


def test_a_batch_in_date_order_is_not_held_back(master) -> None:
    people = residents(3)
    apply(master, people, sha="nov1", as_of=NOV1)
    result = apply(master, [{**people[0], "name": "개명"}, people[1]], sha="dec1", as_of=DEC1)
    assert (result.changed, result.ended, result.quarantined) == (1, 1, 0)
    assert result.warnings == []


def _csv(path: Path, records: list[dict], columns: list[str]) -> Path:
    pl.DataFrame({c: [as_text(r.get(c)) for r in records] for c in columns},
                 schema=dict.fromkeys(columns, pl.String)).write_csv(path)
    return path


def test_a_snapshot_without_an_optional_column_keeps_its_stored_values(
        master, tmp_path: Path) -> None:
    people = [p | {"name_hanja": "金哲洙"} for p in residents(6)]
    columns = list(frame_of("resident", people).columns)
    sync_file(master, "resident", _csv(tmp_path / "all.csv", people, columns), as_of=NOV1)

    without = [c for c in columns if c != "name_hanja"]
    renamed = [{**people[0], "name": "개명"}, *people[1:]]
    result = sync_file(master, "resident", _csv(tmp_path / "no_hanja.csv", renamed, without),
                       as_of=DEC1)
    assert (result.changed, result.unchanged, result.quarantined) == (1, 5, 0)
    assert any("no column for name_hanja" in w and "kept" in w for w in result.warnings)
    stored = rows(master, "SELECT name, name_hanja FROM resident WHERE rrn = :k",
                  k=people[0]["rrn"])[0]
    assert (stored["name"], stored["name_hanja"]) == ("개명", "金哲洙")
    assert scalar(master, "SELECT count(*) FROM resident WHERE name_hanja IS NULL") == 0

    # The column sent empty does clear the value.
    emptied = [p | {"name_hanja": None} for p in renamed]
    cleared = sync_file(master, "resident", _csv(tmp_path / "empty.csv", emptied, columns),
                        as_of=dt.date(2026, 12, 2))
    assert cleared.changed == 6, str(cleared.as_dict())
    assert scalar(master, "SELECT count(*) FROM resident WHERE name_hanja IS NULL") == 6
