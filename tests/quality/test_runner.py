"""The runner: clean data passes, every seeded fault is found exactly, results are stored."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from mdr.errors import NotFound, UnknownDataset
from mdr.quality.rules import SAMPLE_LIMIT, RuleKind, all_rules, get_rule
from mdr.quality.runner import RunSummary, run_checks
from tests.factories import make, persist
from tests.quality.faults import FAULTS, Fault, apply_all, rules_covered
from tests.quality.world import World

pytestmark = pytest.mark.db


def failing(summary: RunSummary) -> dict[str, int]:
    return {r.rule.id: r.failing_rows for r in summary.results if r.status == "failed"}


def assert_no_errors(summary: RunSummary) -> None:
    errors = {r.rule.id: r.error for r in summary.results if r.status == "error"}
    assert errors == {}


def test_clean_world_passes_every_rule(session: Session, world: World) -> None:
    summary = run_checks(session)
    assert_no_errors(summary)
    assert failing(summary) == {}
    assert len(summary.results) == len(all_rules())
    by_id = {r.rule.id: r for r in summary.results}
    # accuracy has no data until reconciliation exists; everything else checked rows
    for result in summary.results:
        if result.rule.kind is RuleKind.ACCURACY:
            assert result.status == "no_data"
    for rule in all_rules():
        if not rule.derived:
            # the passing case of every hand-written rule is a real one, not an empty scope
            assert by_id[rule.id].checked_rows > 0, rule.id


def test_clean_snapshot_passes_every_rule(snapshot: Session) -> None:
    """Both clean snapshots (factories; generator + sync service) raise no alarm."""
    summary = run_checks(snapshot)
    assert_no_errors(summary)
    assert failing(summary) == {}


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_each_fault_is_found_exactly(snapshot: Session, fault: Fault) -> None:
    expected = fault.apply(snapshot)
    summary = run_checks(snapshot)
    assert_no_errors(summary)
    assert failing(summary) == expected


def test_every_hand_written_rule_and_every_family_has_a_seeded_fault() -> None:
    covered = rules_covered()
    missing = [r.id for r in all_rules() if not r.derived and r.id not in covered]
    assert missing == []
    families = {get_rule(rule_id).family for rule_id in covered}
    assert families >= {"required", "validity", "uniqueness", "relation", "consistency",
                        "timeliness"}


def test_seeded_faults_all_together_are_found_exactly(snapshot: Session) -> None:
    """The seeded-fault test: clean data plus a known number of faults of every rule
    family; the checks report exactly those, no misses, no false alarms."""
    session = snapshot
    expected = apply_all(session)
    assert sum(expected.values()) >= len(FAULTS)
    combined = run_checks(session)
    assert_no_errors(combined)
    assert failing(combined) == expected

    # one scan per table gives the same answers as one statement per rule ...
    separate = run_checks(session, combine=False)
    assert [(r.rule.id, r.status, r.checked_rows, r.failing_rows, r.sample_keys)
            for r in separate.results] == [
        (r.rule.id, r.status, r.checked_rows, r.failing_rows, r.sample_keys)
        for r in combined.results]
    # ... and as each rule's published SQL (failing record keys; the dataset for timeliness)
    for result in combined.failed:
        keys = session.execute(text(result.rule.sql)).scalars().all()
        if result.rule.kind is RuleKind.ROW:
            assert sorted(keys) == result.sample_keys, result.rule.id
        else:
            assert keys == [result.rule.dataset]


def test_samples_are_capped_and_counts_are_exact(session: Session, world: World) -> None:
    persist(session, "goods", [make("goods", name="", maker_brn=None, status="active",
                                    status_date=None) for _ in range(SAMPLE_LIMIT + 10)])
    summary = run_checks(session, rules=["goods.required.name"])
    (result,) = summary.results
    assert (result.status, result.failing_rows) == ("failed", SAMPLE_LIMIT + 10)
    assert result.checked_rows == SAMPLE_LIMIT + 12
    assert len(result.sample_keys) == SAMPLE_LIMIT
    assert result.sample_keys == sorted(result.sample_keys)


def test_runs_and_results_are_stored_with_unmasked_samples(
    session: Session, world: World
) -> None:
    FAULTS[0].apply(session)  # a resident with a blank name
    first = run_checks(session, datasets=["resident"])
    second = run_checks(session, datasets=["resident"], triggered_by="schedule")
    runs = session.execute(text(
        "SELECT run_id, triggered_by, scope, rules_run, rules_failed, finished_at IS NOT NULL"
        " FROM check_run ORDER BY run_id"
    )).all()
    assert [tuple(r) for r in runs] == [
        (first.run_id, "cli", {"datasets": ["resident"]}, len(first.results), 1, True),
        (second.run_id, "schedule", {"datasets": ["resident"]}, len(second.results), 1, True),
    ]
    stored = session.execute(text(
        "SELECT checked_rows, failing_rows, sample_keys, status, dimension, severity, scan"
        " FROM check_result WHERE run_id = :r AND rule_id = 'resident.required.name'"
    ), {"r": second.run_id}).one()
    rrn = min(r["rrn"] for r in world.records["resident"])
    assert stored.checked_rows == len(world.records["resident"])
    assert (stored.failing_rows, stored.sample_keys) == (1, [rrn])  # the database keeps keys
    assert (stored.status, stored.dimension, stored.severity) == (
        "failed", "completeness", "error")
    assert stored.scan.startswith("resident: ")
    shown = next(r for r in second.as_dict()["results"] if r["rule_id"] ==
                 "resident.required.name")
    assert shown["sample_keys"] != [rrn] and shown["sample_keys"][0].endswith("*")


def test_a_rule_that_cannot_run_is_recorded_and_the_run_goes_on(
    session: Session, world: World
) -> None:
    session.execute(text(  # a reconciliation schema the accuracy contract does not fit
        "ALTER TABLE reconciliation_run RENAME COLUMN records_agreeing TO agreeing"))
    summary = run_checks(session, rules=["vehicle.accuracy.*", "vehicle.required.vin"])
    by_id = {r.rule.id: r for r in summary.results}
    assert by_id["vehicle.required.vin"].status == "passed"
    broken = by_id["vehicle.accuracy.agency_agreement"]
    assert broken.status == "error"
    assert broken.error is not None and "expected reconciliation_run(" in broken.error


def test_unknown_dataset_or_rule_fails_before_anything_is_stored(session: Session) -> None:
    with pytest.raises(UnknownDataset):
        run_checks(session, datasets=["nope"])
    with pytest.raises(NotFound):
        run_checks(session, rules=["resident.required.nope"])
    assert session.execute(text("SELECT count(*) FROM check_run")).scalar_one() == 0


def test_a_run_leaves_the_sessions_settings_as_they_were(session: Session) -> None:
    session.execute(text("SET LOCAL work_mem = '5MB'"))
    jit = session.execute(text("SHOW jit")).scalar_one()
    run_checks(session, rules=["resident.required.*"])
    assert session.execute(text("SHOW work_mem")).scalar_one() == "5MB"
    assert session.execute(text("SHOW jit")).scalar_one() == jit
