"""Bitemporal apply: history, idempotence, quarantine, delta, as-of, locking."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import text

from entities.registry import get_dataset
from mdr.db.sql import advisory_key
from mdr.errors import ConfigurationError, InvalidInput, MassEndRefused
from sync.service import SyncAlreadyRunning, apply_snapshot, source_row_hash
from tests.factories import make
from tests.sync.conftest import frame_of

pytestmark = pytest.mark.db

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def residents(n: int) -> list[dict]:
    return [make("resident", status="alive", status_date=None) for _ in range(n)]


def apply(engine, records, *, sha: str, as_of=JAN, mode="full", dataset="resident", frame=None,
          allow_mass_end=False):
    return apply_snapshot(engine, dataset, frame if frame is not None else
                          frame_of(dataset, records), source="test", sha256=sha, as_of=as_of,
                          mode=mode, allow_mass_end=allow_mass_end)


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).mappings().all()


def test_first_load_creates_versions_current_rows_and_events(master) -> None:
    people = residents(20)
    result = apply(master, people, sha="a")
    assert (result.status, result.created, result.unchanged) == ("applied", 20, 0)
    assert scalar(master, "SELECT count(*) FROM resident_version") == 20
    assert scalar(master, "SELECT count(*) FROM resident") == 20
    assert scalar(master, "SELECT count(*) FROM change_event WHERE kind = 'created'") == 20
    batch = rows(master, "SELECT * FROM sync_batch WHERE batch_id = :b", b=result.batch_id)[0]
    assert (batch["status"], batch["rows_read"], batch["rows_created"]) == ("applied", 20, 20)
    assert scalar(master, "SELECT row_count FROM dataset_catalogue WHERE name = 'resident'") == 20
    assert scalar(master, "SELECT last_sync_at FROM dataset_catalogue WHERE name = 'resident'")
    stored = rows(master, "SELECT * FROM resident WHERE rrn = :k", k=people[0]["rrn"])[0]
    assert stored["name"] == people[0]["name"]
    assert stored["valid_from"] == JAN
    assert stored["batch_id"] == result.batch_id


def test_unchanged_reload_writes_nothing(master) -> None:
    people = residents(10)
    apply(master, people, sha="a")
    again = apply(master, people, sha="b", as_of=FEB)
    assert (again.created, again.changed, again.ended, again.unchanged) == (0, 0, 0, 10)
    assert scalar(master, "SELECT count(*) FROM resident_version") == 10
    assert scalar(master, "SELECT count(*) FROM change_event") == 10


def test_same_file_twice_is_a_recorded_duplicate(master) -> None:
    people = residents(5)
    first = apply(master, people, sha="same")
    second = apply(master, people, sha="same", as_of=FEB)
    assert second.status == "duplicate"
    assert second.duplicate_of == first.batch_id
    assert scalar(master, "SELECT count(*) FROM resident_version") == 5
    assert scalar(master, "SELECT status FROM sync_batch WHERE batch_id = :b",
                  b=second.batch_id) == "duplicate"


def test_changed_rows_make_new_versions_and_end_old_ones(master) -> None:
    people = residents(10)
    apply(master, people, sha="a")
    people[3] = {**people[3], "name": "홍길동"}
    result = apply(master, people, sha="b", as_of=FEB)
    assert (result.changed, result.unchanged) == (1, 9)
    history = rows(master, "SELECT name, valid_from, valid_to FROM resident_version "
                   "WHERE rrn = :k AND superseded_at IS NULL ORDER BY valid_from",
                   k=people[3]["rrn"])
    assert [(h["valid_from"], h["valid_to"]) for h in history] == [(JAN, FEB), (FEB, None)]
    assert history[1]["name"] == "홍길동"
    superseded = rows(master, "SELECT valid_to FROM resident_version WHERE rrn = :k "
                      "AND superseded_at IS NOT NULL", k=people[3]["rrn"])
    assert [s["valid_to"] for s in superseded] == [None], "the old belief is kept as it was"
    stored = scalar(master, "SELECT name FROM resident WHERE rrn = :k", k=people[3]["rrn"])
    assert stored == "홍길동"
    event = rows(master, "SELECT * FROM change_event WHERE kind = 'changed'")[0]
    assert event["record_key"] == people[3]["rrn"]
    assert event["previous_version_id"] is not None and event["version_id"] is not None


def stored_hashes(engine) -> dict[str, int | None]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT rrn, raw_hash FROM resident")).all()
    return {row.rrn: row.raw_hash for row in rows}


def source_hashes(records: list[dict]) -> dict[str, int]:
    frame = frame_of("resident", records)
    hashes = frame.select(source_row_hash(get_dataset("resident"))).to_series()
    return dict(zip(frame["rrn"], hashes, strict=True))


def test_each_new_version_stores_its_source_row_hash(master) -> None:
    people = residents(4)
    apply(master, people, sha="a")
    assert stored_hashes(master) == source_hashes(people)
    renamed = [{**people[0], "name": "새이름"}, *people[1:]]
    result = apply(master, renamed, sha="b", as_of=FEB)
    assert (result.changed, result.checked) == (1, 1), "only the changed row is checked"
    assert stored_hashes(master) == source_hashes(renamed)
    back = apply(master, people, sha="c", as_of=MAR)
    assert (back.changed, back.checked) == (1, 1)
    assert stored_hashes(master) == source_hashes(people)


def test_a_row_known_by_its_hash_is_not_checked_again(master) -> None:
    people = residents(3)
    first = apply(master, people, sha="a")
    assert first.checked == 3
    again = apply(master, people, sha="b", as_of=FEB)
    assert (again.checked, again.unchanged) == (0, 3)
    assert scalar(master, "SELECT timings->>'checked_rows' FROM sync_batch WHERE batch_id = :b",
                  b=again.batch_id) == "0"


def test_a_missing_or_outdated_hash_is_filled_in_without_a_new_version(master) -> None:
    people = residents(3)
    apply(master, people, sha="a")
    with master.begin() as conn:  # as after the migration that added the column
        conn.execute(text("UPDATE resident SET raw_hash = NULL"))
    refill = apply(master, people, sha="b", as_of=FEB)
    assert (refill.checked, refill.unchanged, refill.changed) == (3, 3, 0)
    assert stored_hashes(master) == source_hashes(people)
    # The same values in another spelling: checked once, then known by their new hash.
    dotted = [{**p, "birth_date": p["birth_date"].isoformat().replace("-", ".")}
              for p in people]
    respelled = apply(master, dotted, sha="c", as_of=FEB)
    assert (respelled.checked, respelled.unchanged, respelled.changed) == (3, 3, 0)
    assert stored_hashes(master) == source_hashes(dotted)
    assert apply(master, dotted, sha="d", as_of=MAR).checked == 0
    assert scalar(master, "SELECT count(*) FROM resident_version") == 3
    assert scalar(master, "SELECT count(*) FROM change_event") == 3


def test_keys_absent_from_a_full_snapshot_end(master) -> None:
    people = residents(6)
    apply(master, people, sha="a")
    result = apply(master, people[:4], sha="b", as_of=FEB)
    assert (result.ended, result.unchanged) == (2, 4)
    assert scalar(master, "SELECT count(*) FROM resident") == 4
    ended = rows(master, "SELECT valid_to FROM resident_version WHERE rrn = :k "
                 "AND superseded_at IS NULL", k=people[5]["rrn"])
    assert [e["valid_to"] for e in ended] == [FEB]
    assert scalar(master, "SELECT count(*) FROM change_event WHERE kind = 'ended'") == 2


@pytest.mark.parametrize("kept", [0, 9], ids=["empty file", "9 of 20 rows"])
def test_a_full_snapshot_ending_most_records_is_refused_unless_allowed(master, kept) -> None:
    people = residents(20)
    apply(master, people, sha="a")
    with pytest.raises(MassEndRefused, match=f"would end {20 - kept} of 20 live records"):
        apply(master, people[:kept], sha="b", as_of=FEB)
    assert scalar(master, "SELECT count(*) FROM resident") == 20, "nothing was applied"
    assert scalar(master, "SELECT count(*) FROM change_event WHERE kind = 'ended'") == 0
    failed = rows(master, "SELECT status, error FROM sync_batch WHERE sha256 = 'b'")
    assert failed[0]["status"] == "failed" and "MassEndRefused" in failed[0]["error"]
    result = apply(master, people[:kept], sha="b", as_of=FEB, allow_mass_end=True)
    assert (result.status, result.ended) == ("applied", 20 - kept)
    assert scalar(master, "SELECT count(*) FROM resident") == kept


def test_a_full_snapshot_ending_a_few_records_needs_no_allowance(master) -> None:
    people = residents(20)
    apply(master, people, sha="a")
    assert apply(master, people[:11], sha="b", as_of=FEB).ended == 9  # under MASS_END_MIN
    assert apply(master, people[:6], sha="c", as_of=MAR).ended == 5  # 5 of 11, under half


def test_delta_applies_only_given_rows_and_explicit_ends(master) -> None:
    people = residents(6)
    apply(master, people, sha="a")
    newcomer = residents(1)[0]
    changed = {**people[0], "name": "김철수"}
    frame = frame_of("resident", [changed, newcomer, people[1]])
    import polars as pl

    frame = frame.with_columns(pl.Series("_op", ["upsert", None, "end"]))
    result = apply(master, [], sha="d", as_of=FEB, mode="delta", frame=frame)
    assert (result.changed, result.created, result.ended) == (1, 1, 1)
    assert scalar(master, "SELECT count(*) FROM resident") == 6  # 6 + 1 new - 1 ended
    assert scalar(master, "SELECT count(*) FROM resident WHERE rrn = :k",
                  k=people[5]["rrn"]) == 1, "rows not in a delta are untouched"


def test_as_of_sets_valid_from_and_same_day_change_is_a_correction(master) -> None:
    people = residents(3)
    apply(master, people, sha="a", as_of=MAR)
    assert scalar(master, "SELECT min(valid_from) FROM resident_version") == MAR
    fixed = [{**people[0], "name": "이영희"}, *people[1:]]
    result = apply(master, fixed, sha="b", as_of=MAR)
    assert (result.corrected, result.changed) == (1, 0)
    versions = rows(master, "SELECT name, valid_from, valid_to, superseded_at FROM "
                    "resident_version WHERE rrn = :k ORDER BY version_id", k=people[0]["rrn"])
    assert len(versions) == 2, "a correction replaces the belief; it closes nothing"
    assert versions[0]["superseded_at"] is not None and versions[0]["valid_to"] is None
    assert (versions[1]["name"], versions[1]["valid_from"]) == ("이영희", MAR)
    assert scalar(master, "SELECT count(*) FROM change_event WHERE kind = 'corrected'") == 1


def test_bad_rows_are_quarantined_and_good_rows_applied(master) -> None:
    people = residents(5)
    apply(master, people, sha="a")
    bad_date = {**people[0], "birth_date": "2024-02-30", "name": "바뀐이름"}
    bad_code = {**people[1], "status": "on_holiday"}
    missing = {**people[2], "name": None}
    bad_key = {**make("resident"), "rrn": "9913321234567"}
    result = apply(master, [bad_date, bad_code, missing, bad_key, *people[3:]], sha="b",
                   as_of=FEB)
    assert result.quarantined == 4
    assert result.ended == 0, "a quarantined row must not end its record"
    reasons = {(r["row_number"], r["field"]): r["reason"] for r in rows(
        master, "SELECT * FROM sync_quarantine WHERE batch_id = :b", b=result.batch_id)}
    assert reasons[(0, "birth_date")].startswith("not a date")
    assert reasons[(1, "status")].startswith("not one of the codes")
    assert reasons[(2, "name")] == "required"
    assert (3, "rrn") in reasons
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=people[0]["rrn"]) == people[0]["name"], "the bad row changed nothing"
    raw = rows(master, "SELECT raw FROM sync_quarantine WHERE batch_id = :b AND row_number = 2",
               b=result.batch_id)[0]["raw"]
    assert raw["rrn"] == people[2]["rrn"], "the rejected row is kept as received"


def test_a_nul_character_quarantines_its_row_not_the_batch(master) -> None:
    people = residents(3)
    apply(master, people, sha="a")
    noisy = {**people[0], "name": "김\x00철수"}
    renamed = {**people[1], "name": "새이름"}
    noisy_key = {**make("resident"), "rrn": "900101\x001234568"}
    result = apply(master, [noisy, renamed, people[2], noisy_key], sha="b", as_of=FEB)
    assert (result.quarantined, result.changed + result.corrected) == (2, 1)
    reasons = {(r["row_number"], r["field"]): r["reason"] for r in rows(
        master, "SELECT * FROM sync_quarantine WHERE batch_id = :b", b=result.batch_id)}
    assert reasons[(0, "name")] == "holds a NUL or U+FFFD (replacement) character"
    assert reasons[(3, "rrn")] == "holds a NUL or U+FFFD (replacement) character"
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=people[1]["rrn"]) == "새이름"


def test_a_full_snapshot_sent_again_after_another_restores_it(master) -> None:
    people = residents(3)
    first = apply(master, people, sha="a")
    renamed = [{**people[0], "name": "바뀐이름"}, *people[1:]]
    apply(master, renamed, sha="b", as_of=FEB)
    again = apply(master, people, sha="a", as_of=MAR)
    assert again.status == "applied" and again.batch_id != first.batch_id
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=people[0]["rrn"]) == people[0]["name"]
    assert apply(master, people, sha="a", as_of=MAR).status == "duplicate", \
        "right after itself it changes nothing"


def test_a_delta_sent_again_after_another_is_still_a_duplicate(master) -> None:
    people = residents(2)
    apply(master, people, sha="base")
    first = apply(master, [{**people[0], "name": "첫째"}], sha="d1", as_of=FEB, mode="delta")
    apply(master, [{**people[0], "name": "둘째"}], sha="d2", as_of=FEB, mode="delta")
    replay = apply(master, [{**people[0], "name": "첫째"}], sha="d1", as_of=FEB, mode="delta")
    assert (replay.status, replay.duplicate_of) == ("duplicate", first.batch_id)
    assert scalar(master, "SELECT name FROM resident WHERE rrn = :k",
                  k=people[0]["rrn"]) == "둘째"


def test_duplicate_keys_in_one_file_are_quarantined(master) -> None:
    people = residents(3)
    twin = {**people[0], "name": "쌍둥이"}
    result = apply(master, [*people, twin], sha="a")
    assert result.quarantined == 2
    assert result.created == 2


def test_a_key_written_twice_in_any_spelling_quarantines_both_rows(master) -> None:
    people = residents(4)
    apply(master, people, sha="a")

    def hyphened(person: dict) -> dict:
        return {**person, "rrn": person["rrn"][:6] + "-" + person["rrn"][6:]}

    file = [
        people[0], {**people[0], "name": "둘째줄"},  # as stored (known by its hash) + another
        hyphened(people[1]), {**hyphened(people[1]), "name": "같은철자"},  # one spelling twice
        people[2], {**hyphened(people[2]), "name": "다른철자"},  # two spellings
        people[3],
    ]
    result = apply(master, file, sha="b", as_of=FEB)
    quarantined = {r["row_number"] for r in rows(
        master, "SELECT row_number FROM sync_quarantine WHERE batch_id = :b", b=result.batch_id)}
    # Rows 0 and 4 agree with the master (unchanged: nothing of theirs is applied either).
    assert quarantined == {1, 2, 3, 5}
    assert (result.quarantined, result.unchanged) == (4, 3)
    assert (result.changed, result.ended, result.created) == (0, 0, 0)
    assert scalar(master, "SELECT count(*) FROM resident_version") == 4


def test_identifier_spellings_are_normalised_and_match(master) -> None:
    people = residents(2)
    apply(master, people, sha="a")
    spelled = [{**p, "rrn": p["rrn"][:6] + "-" + p["rrn"][6:]} for p in people]
    result = apply(master, spelled, sha="b", as_of=FEB)
    assert (result.unchanged, result.created, result.ended) == (2, 0, 0)


def test_a_second_sync_of_the_same_dataset_is_refused(master) -> None:
    with master.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:k)"),
                       {"k": advisory_key("mdr-sync:resident")})
        with pytest.raises(SyncAlreadyRunning, match="already running"):
            apply(master, residents(1), sha="x")
        holder.execute(text("SELECT pg_advisory_unlock(:k)"),
                       {"k": advisory_key("mdr-sync:resident")})
    assert apply(master, residents(1), sha="y").created == 1


def test_an_interrupted_batch_is_marked_failed_by_the_next_run(master) -> None:
    with master.begin() as conn:
        conn.execute(text("INSERT INTO sync_batch (dataset, mode, source, status) "
                          "VALUES ('resident', 'full', 'crashed', 'running')"))
    apply(master, residents(1), sha="z")
    stale = rows(master, "SELECT status, error FROM sync_batch WHERE source = 'crashed'")[0]
    assert stale["status"] == "failed"
    assert "interrupted" in stale["error"]


def test_polymorphic_and_list_references_are_validated_per_kind(master) -> None:
    vehicle = make("vehicle", owner_kind="corporation", owner_id=make("corporation")["crn"])
    wrong = make("vehicle", owner_kind="resident", owner_id=make("corporation")["crn"][:12] + "x")
    result = apply(master, [vehicle, wrong], sha="v", dataset="vehicle")
    assert (result.created, result.quarantined) == (1, 1)
    farm = make("farm_business", parcels=";".join(make("land_parcel")["pnu"] for _ in range(3)))
    assert apply(master, [farm], sha="f", dataset="farm_business").created == 1


def test_outbox_writers_commit_in_id_order(master) -> None:
    """A writer holding the outbox lock makes the next one wait: ids follow commit order."""
    import threading

    from sync.service import OUTBOX_LOCK

    with master.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": OUTBOX_LOCK})
        done: list[object] = []
        worker = threading.Thread(target=lambda: done.append(
            apply(master, residents(2), sha="w")))
        worker.start()
        worker.join(3)
        assert worker.is_alive(), "the second writer waits for the outbox lock"
        assert scalar(master, "SELECT count(*) FROM change_event") == 0
        holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": OUTBOX_LOCK})
        worker.join(30)
    assert done and scalar(master, "SELECT count(*) FROM change_event") == 2


def test_unreadable_keys_withhold_the_ends_of_a_full_snapshot(master) -> None:
    """An identifier that lost its leading zeros (a spreadsheet's number column) is not
    a key the master knows: the row is quarantined, and since it may stand for any live
    key left out, the snapshot ends none."""
    people = residents(12)
    apply(master, people, sha="a")
    mangled = {**people[0], "rrn": people[0]["rrn"].lstrip("0")[:12]}
    result = apply(master, [mangled, *people[1:]], sha="b", as_of=FEB)
    assert result.quarantined == 1 and result.ended == 0 and result.ends_withheld == 1
    assert "cannot be read" in result.warnings[0]
    assert scalar(master, "SELECT count(*) FROM resident") == 12
    # A blank row (a spreadsheet's trailing row) stands for no key: ends go ahead.
    blank = dict.fromkeys(people[0])
    ended = apply(master, [blank, *people[1:]], sha="c", as_of=MAR)
    assert ended.quarantined == 1 and ended.ended == 1 and ended.warnings == []


def test_a_delta_ending_an_unknown_key_quarantines_the_row_with_its_op(master) -> None:
    people = residents(3)
    apply(master, people, sha="a")
    stranger = make("resident")
    frame = frame_of("resident", [stranger, people[1]]).with_columns(
        pl.Series("_op", ["end", "remove"]))
    result = apply(master, [], sha="d", as_of=FEB, mode="delta", frame=frame)
    assert result.quarantined == 2 and result.ended == 0
    kept = rows(master, "SELECT row_number, field, reason, raw FROM sync_quarantine "
                "WHERE batch_id = :b ORDER BY row_number", b=result.batch_id)
    assert (kept[0]["field"], kept[0]["reason"]) == ("rrn", "no live record with this key to end")
    assert kept[1]["field"] == "_op" and kept[1]["raw"]["_op"] == "remove"


@pytest.mark.parametrize("as_of", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_an_absurd_as_of_date_is_refused(master, as_of) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        apply(master, residents(2), sha="x", as_of=as_of)
    assert scalar(master, "SELECT count(*) FROM sync_batch") == 0


def test_an_archive_that_cannot_be_written_fails_the_batch_naming_the_setting(
        master, tmp_path) -> None:
    original = tmp_path / "resident.csv"
    original.write_text("x")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(ConfigurationError, match="MDR_DATA_DIR"):
        apply_snapshot(master, "resident", frame_of("resident", residents(2)), source="test",
                       sha256="s", original=original, archive_dir=blocked / "archive")
    assert rows(master, "SELECT status FROM sync_batch") == [{"status": "failed"}]
    assert scalar(master, "SELECT count(*) FROM resident") == 0
