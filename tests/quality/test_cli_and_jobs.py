"""`mdr checks`, `mdr report` and the scheduled check jobs, on committed data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from mdr.cli import checks_cmd, report_cmd
from mdr.db.engine import session_factory, unit_of_work
from mdr.errors import NotFound, UnknownDataset
from mdr.quality.jobs import (
    hourly_timeliness,
    nightly_checks,
    quality_jobs,
    run_checks_for_dataset,
)
from mdr.quality.rules import all_rules
from mdr.scheduler import JobSpec, run_locked
from mdr.settings import Settings, get_settings
from tests.quality.world import World, build_world, persist_world

pytestmark = pytest.mark.db

# The lead registers these in mdr.cli.main; the tests assemble the same app.
cli_app = typer.Typer()
cli_app.add_typer(checks_cmd.app, name="checks")
cli_app.command("report")(report_cmd.report)


@pytest.fixture
def loaded(committed: Engine) -> Iterator[World]:
    """The small world committed, with one resident's name blanked."""
    world = build_world()
    with unit_of_work(session_factory(committed)) as session:
        persist_world(session, world)
        session.execute(text("UPDATE resident SET name = '' WHERE rrn = "
                             "(SELECT min(rrn) FROM resident)"))
    yield world


@pytest.fixture
def cli(committed: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    monkeypatch.setenv("MDR_DATABASE_URL", committed.url.render_as_string(hide_password=False)
                       .replace("postgresql+psycopg2", "postgresql"))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_checks_run_json_exits_0_with_failing_rules(cli, loaded: World, committed) -> None:
    result = cli.invoke(cli_app, ["checks", "run", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rules_run"] == len(all_rules())
    assert doc["rules_failed"] == 1 and doc["rules_error"] == 0
    (failed,) = [r for r in doc["results"] if r["status"] == "failed"]
    assert failed["rule_id"] == "resident.required.name"
    rrn = min(r["rrn"] for r in loaded.records["resident"])
    assert failed["sample_keys"] != [rrn] and rrn not in result.stdout  # masked on screen
    with committed.connect() as conn:
        assert conn.execute(text("SELECT triggered_by FROM check_run")).scalars().all() == [
            "cli"]


def test_checks_run_table_and_filters(cli, loaded: World) -> None:
    result = cli.invoke(cli_app, ["checks", "run", "--dataset", "resident", "--rule",
                                  "resident.required.*", "--failing"])
    assert result.exit_code == 0, result.output
    assert "resident.required.name" in result.stdout
    assert "resident.required.sex" not in result.stdout  # passing rows hidden by --failing
    assert "1 failed" in result.stdout


def test_checks_list_json_lists_the_catalogue(cli, committed) -> None:
    result = cli.invoke(cli_app, ["checks", "list", "--json"])
    assert result.exit_code == 0, result.output
    rules = json.loads(result.stdout)["rules"]
    assert len(rules) == len(all_rules())
    plate = next(r for r in rules if r["id"] == "vehicle.uniqueness.plate")
    assert plate["dimension"] == "uniqueness" and "GROUP BY" in plate["sql"]
    one = cli.invoke(cli_app, ["checks", "list", "--dataset", "goods", "--json"])
    assert {r["dataset"] for r in json.loads(one.stdout)["rules"]} == {"goods"}


def test_unknown_dataset_or_rule_is_an_error(cli, committed) -> None:
    result = cli.invoke(cli_app, ["checks", "run", "--dataset", "cars"])
    assert isinstance(result.exception, UnknownDataset)
    assert "unknown dataset 'cars'" in result.exception.detail
    result = cli.invoke(cli_app, ["checks", "run", "--rule", "cars.*"])
    assert isinstance(result.exception, NotFound)


def test_report_command_writes_the_html(cli, loaded: World, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "inspection.html"
    result = cli.invoke(cli_app, ["report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "resident.required.name" in html
    assert "Running all integrity checks first" in result.stderr  # none had run


def test_quality_jobs_are_scheduled_nightly_and_hourly() -> None:
    jobs = {job.id: job for job in quality_jobs(Settings())}
    assert set(jobs) == {"checks-nightly", "checks-timeliness"}
    nightly, hourly = jobs["checks-nightly"].trigger, jobs["checks-timeliness"].trigger
    assert isinstance(nightly, CronTrigger) and isinstance(hourly, CronTrigger)
    fields = {f.name: str(f) for f in nightly.fields}
    assert (fields["hour"], fields["minute"]) == ("4", "0")
    assert str(nightly.timezone) == "Asia/Seoul"
    assert {f.name: str(f) for f in hourly.fields}["hour"] == "*"


def test_job_functions_choose_their_rules(session: Session, world: World) -> None:
    after = run_checks_for_dataset(session, "land_parcel")
    assert after["rules_failed"] == 0
    scope, trigger = session.execute(text(
        "SELECT scope, triggered_by FROM check_run WHERE run_id = :r"), {"r": after["run_id"]}
    ).one()
    assert trigger == "after_sync"
    assert scope == {"datasets": ["land_parcel"], "with_dependents": True}
    checked = set(session.execute(text(
        "SELECT rule_id FROM check_result WHERE run_id = :r"), {"r": after["run_id"]}
    ).scalars())
    assert {"land_parcel.required.pnu", "address.relation.parcel",
            "farm_business.relation.parcels"} <= checked
    assert "resident.required.name" not in checked

    hourly = hourly_timeliness(session)
    assert hourly["rules_run"] == 14 and hourly["rules_failed"] == 0


def test_nightly_job_runs_under_the_scheduler(loaded: World, committed: Engine) -> None:
    spec = JobSpec(id="checks-nightly-test", func=nightly_checks, trigger=None)
    assert run_locked(committed, spec)
    with committed.connect() as conn:
        status, summary = conn.execute(text(
            "SELECT status, summary FROM job_run WHERE job_id = 'checks-nightly-test'")).one()
        triggered = conn.execute(text("SELECT triggered_by FROM check_run")).scalar_one()
    assert status == "succeeded" and triggered == "schedule"
    assert summary["failed"] == ["resident.required.name"]
    assert "sample" not in json.dumps(summary)
