"""Scorecards on a small case computed by hand, trends over runs, accuracy from reconciliation."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from mdr.quality.report import build_report
from mdr.quality.runner import run_checks
from mdr.quality.scorecards import accuracy, scorecards, trend, worst_rules
from tests.quality.world import World

pytestmark = pytest.mark.db

SUBSET = ["hazardous_substance.required.*", "hazardous_substance.validity.un_number"]


def break_substances(session: Session) -> None:
    """Of the 2 substances: one loses its Korean name, one gets a 5-character UN number."""
    session.execute(text(
        "UPDATE hazardous_substance SET name_ko = '' WHERE cas_no = "
        "(SELECT min(cas_no) FROM hazardous_substance)"))
    session.execute(text(
        "UPDATE hazardous_substance SET un_number = '10050' WHERE cas_no = "
        "(SELECT max(cas_no) FROM hazardous_substance)"))


def test_scorecard_numbers_on_a_known_case(session: Session, world: World) -> None:
    break_substances(session)
    run_checks(session, rules=SUBSET)
    cards = scorecards(session)

    # 6 required fields x 2 rows, 1 blank; 1 UN-number rule over 2 rows, 1 too long
    hazardous = next(d for d in cards["datasets"] if d["dataset"] == "hazardous_substance")
    completeness = hazardous["dimensions"]["completeness"]
    assert (completeness["rules_run"], completeness["rules_passed"]) == (6, 5)
    assert completeness["pass_rate"] == pytest.approx(5 / 6)
    assert (completeness["checked_rows"], completeness["failing_rows"]) == (12, 1)
    assert completeness["error_rate"] == pytest.approx(1 / 12)
    assert completeness["row_pass_rate"] == pytest.approx(11 / 12)
    validity = hazardous["dimensions"]["validity"]
    assert (validity["rules_run"], validity["rules_passed"], validity["pass_rate"]) == (1, 0, 0.0)
    assert validity["error_rate"] == pytest.approx(1 / 2)
    overall = hazardous["overall"]
    assert overall["pass_rate"] == pytest.approx(5 / 7)
    assert overall["error_rate"] == pytest.approx(2 / 14)
    assert hazardous["dimensions"]["uniqueness"]["pass_rate"] is None

    environment = next(a for a in cards["agencies"] if a["agency"] == "ME")
    assert environment["datasets"] == ["hazardous_substance"]
    assert environment["overall"] == overall
    resident = next(d for d in cards["datasets"] if d["dataset"] == "resident")
    assert resident["overall"]["rules_run"] == 0 and resident["overall"]["pass_rate"] is None
    assert cards["overall"]["pass_rate"] == pytest.approx(5 / 7)

    worst = worst_rules(session)
    assert [(w["rule_id"], w["failing_rows"], w["checked_rows"]) for w in worst] == [
        ("hazardous_substance.required.name_ko", 1, 2),
        ("hazardous_substance.validity.un_number", 1, 2),
    ]


def test_agency_scorecard_adds_up_its_datasets(session: Session, world: World) -> None:
    session.execute(text("UPDATE resident SET name = '' WHERE rrn = (SELECT min(rrn) FROM "
                         "resident)"))
    run_checks(session, datasets=["resident", "address"])
    cards = scorecards(session)
    mois = next(a for a in cards["agencies"] if a["agency"] == "MOIS")
    parts = [d for d in cards["datasets"] if d["dataset"] in ("resident", "address")]
    for key in ("rules_run", "rules_passed", "checked_rows", "failing_rows"):
        assert mois["overall"][key] == sum(d["overall"][key] for d in parts)
    assert mois["overall"]["failing_rows"] == 1


def test_latest_result_per_rule_and_trend_over_runs(session: Session, world: World) -> None:
    run_checks(session, rules=SUBSET)
    break_substances(session)
    run_checks(session, rules=SUBSET)
    run_checks(session, datasets=["vehicle"])  # a run that does not touch the substances

    cards = scorecards(session)
    hazardous = next(d for d in cards["datasets"] if d["dataset"] == "hazardous_substance")
    assert hazardous["overall"]["rules_passed"] == 5  # the latest results, not the first run

    points = [p for p in trend(session) if p["dataset"] == "hazardous_substance"
              and p["dimension"] == "completeness"]
    assert [(p["rules_passed"], p["rules_run"]) for p in points] == [(6, 6), (5, 6)]
    assert points[0]["run_id"] < points[1]["run_id"]
    assert [p["pass_rate"] for p in points] == [1.0, pytest.approx(5 / 6)]
    by_agency = [p for p in trend(session, by="agency") if p["agency"] == "ME"
                 and p["dimension"] == "validity"]
    assert [p["error_rate"] for p in by_agency] == [0.0, 0.5]
    # the window is per dataset and dimension: a later run of other datasets keeps these
    latest = {(p["dataset"], p["dimension"]): p["run_id"] for p in trend(session, limit=1)}
    assert latest[("hazardous_substance", "completeness")] == points[1]["run_id"]
    assert latest[("vehicle", "completeness")] > points[1]["run_id"]
    assert len([p for p in trend(session, limit=1) if p["dataset"] == "hazardous_substance"
                and p["dimension"] == "completeness"]) == 1


def test_accuracy_from_reconciliation_runs(session: Session, world: World) -> None:
    assert accuracy(session) == {"available": True, "agencies": []}
    session.execute(text(
        "INSERT INTO reconciliation_run (dataset, agency, source, status, finished_at,"
        " records_compared, records_agreeing, field_agreement) VALUES"
        " ('resident', 'NHIS', 'a.csv', 'finished', now() - interval '2 days', 50, 10, NULL),"
        " ('resident', 'NHIS', 'b.csv', 'finished', now() - interval '1 day', 100, 97,"
        "  '{\"name\": {\"compared\": 100, \"agreeing\": 99},"
        "    \"address_id\": {\"compared\": 100, \"agreeing\": 98}}'),"
        " ('vehicle', 'KNPA', 'c.csv', 'finished', now(), 20, 20, NULL),"
        " ('vehicle', 'NHIS', 'd.csv', 'running', NULL, NULL, NULL, NULL)"))  # not counted
    summary = run_checks(session, rules=["*.accuracy.*"])
    by_id = {r.rule.id: r for r in summary.results}
    resident = by_id["resident.accuracy.agency_agreement"]
    assert (resident.status, resident.checked_rows, resident.failing_rows) == ("failed", 100, 3)
    assert resident.sample_keys == ["NHIS: 97 of 100 agree"]
    vehicle = by_id["vehicle.accuracy.agency_agreement"]
    assert (vehicle.status, vehicle.checked_rows, vehicle.failing_rows) == ("passed", 20, 0)
    assert by_id["goods.accuracy.agency_agreement"].status == "no_data"

    report = accuracy(session)
    assert report["available"]
    nhis = next(a for a in report["agencies"] if a["agency"] == "NHIS")
    assert (nhis["records_compared"], nhis["records_agreeing"]) == (100, 97)
    assert nhis["datasets"][0]["fields"] == {"name": 0.99, "address_id": 0.98}
    cards = scorecards(session)
    assert cards["dimensions"]["accuracy"]["error_rate"] == pytest.approx(3 / 120)

    html = build_report(session)
    assert "NHIS" in html and "97.00%" in html and "address_id 98.0%" in html


def test_accuracy_without_reconciliation_is_no_data(session: Session, world: World) -> None:
    """Before reconciliation's migration (or without it), accuracy is reported as no data."""
    session.execute(text("ALTER TABLE reconciliation_run RENAME TO reconciliation_run_hidden"))
    assert accuracy(session) == {"available": False, "agencies": []}
    summary = run_checks(session, rules=["*.accuracy.*"])
    assert {r.status for r in summary.results} == {"no_data"}
    assert "No reconciliation runs yet" in build_report(session)
