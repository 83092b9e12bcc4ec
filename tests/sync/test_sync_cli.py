"""`mdr sync` end to end on files: encodings, Parquet, bad input, kill -9, the nightly job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from mdr.cli.main import app
from mdr.cli.sync_cmd import EXIT_QUARANTINED
from mdr.scheduler import JobSpec, run_locked
from mdr.settings import get_settings
from sync.jobs import nightly_sync
from tests.factories import make
from tests.helpers import clean_env
from tests.sync.conftest import frame_of

pytestmark = pytest.mark.db


@pytest.fixture
def cli(master, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("MDR_DATABASE_URL", master.url.render_as_string(hide_password=False)
                       .replace("postgresql+psycopg2", "postgresql"))
    monkeypatch.setenv("MDR_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def people(n: int) -> list[dict]:
    return [make("resident", status="alive", status_date=None) for _ in range(n)]


def write_csv(path: Path, records: list[dict], encoding: str = "utf-8") -> Path:
    text_csv = frame_of("resident", records).write_csv()
    path.write_bytes(text_csv.encode(encoding))
    return path


def count(engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def run(cli, *args: str):
    return cli.invoke(app, ["sync", "run", *args, "--json"])


def test_run_history_and_rerun(cli, master, tmp_path: Path) -> None:
    snapshot = write_csv(tmp_path / "resident.csv", people(30))
    first = run(cli, "resident", str(snapshot), "--as-of", "2026-01-01")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["status"], summary["created"]) == ("applied", 30)
    archived = list((tmp_path / "data" / "archive" / "resident").iterdir())
    assert [p.name for p in archived] == [f"{summary['sha256']}.csv"]
    assert archived[0].stat().st_mode & 0o777 == 0o600  # originals hold personal data
    assert archived[0].parent.stat().st_mode & 0o777 == 0o700
    again = json.loads(run(cli, "resident", str(snapshot)).stdout)
    assert again["status"] == "duplicate" and again["duplicate_of"] == summary["batch_id"]
    history = json.loads(cli.invoke(app, ["sync", "history", "resident", "--json"]).stdout)
    assert [b["status"] for b in history["batches"]] == ["duplicate", "applied"]


def test_a_file_without_an_optional_column_warns_and_history_keeps_the_warning(
        cli, master, tmp_path: Path) -> None:
    records = people(3)
    assert run(cli, "resident", str(write_csv(tmp_path / "a.csv", records))).exit_code == 0
    narrow = tmp_path / "narrow.csv"
    frame_of("resident", records).drop("name_hanja").write_csv(narrow)
    result = cli.invoke(app, ["sync", "run", "resident", str(narrow)])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "no column for name_hanja" in result.output
    history = cli.invoke(app, ["sync", "history", "resident"], terminal_width=200)
    assert "no column for name_hanja" in history.output
    batches = json.loads(cli.invoke(app, ["sync", "history", "resident", "--json"]).stdout)
    assert any("name_hanja" in w for w in batches["batches"][0]["warnings"])
    again = cli.invoke(app, ["sync", "run", "resident", str(narrow), "--json"])
    assert json.loads(again.stdout)["status"] == "duplicate"
    batches = json.loads(cli.invoke(app, ["sync", "history", "resident", "--json"]).stdout)
    assert any("name_hanja" in w for w in batches["batches"][0]["warnings"])  # kept too


def test_an_unknown_dataset_is_a_bad_argument(cli, master, tmp_path: Path) -> None:
    snapshot = write_csv(tmp_path / "resident.csv", people(1))
    result = cli.invoke(app, ["sync", "run", "no_such_dataset", str(snapshot)])
    assert result.exit_code == 2, result.output
    assert "no_such_dataset" in result.output
    assert count(master, "SELECT count(*) FROM sync_batch") == 0
    missing = cli.invoke(app, ["sync", "run", "resident", str(tmp_path / "nowhere.csv")])
    assert missing.exit_code == 2, missing.output
    assert count(master, "SELECT count(*) FROM sync_batch") == 0


def test_cp949_file_matches_utf8(cli, master, tmp_path: Path) -> None:
    records = people(5)
    path = write_csv(tmp_path / "resident_cp949.csv", records, encoding="cp949")
    result = run(cli, "resident", str(path), "--encoding", "cp949")
    assert result.exit_code == 0, result.output
    with master.connect() as conn:
        names = set(conn.execute(text("SELECT name FROM resident")).scalars())
    assert names == {r["name"] for r in records}


def test_parquet_file(cli, master, tmp_path: Path) -> None:
    path = tmp_path / "resident.parquet"
    frame_of("resident", people(4)).write_parquet(path)
    result = run(cli, "resident", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 4


def test_bad_rows_exit_code_and_quarantine_listing(cli, master, tmp_path: Path) -> None:
    records = people(4)
    records[1] = {**records[1], "birth_date": "1999-13-40"}
    result = run(cli, "resident", str(write_csv(tmp_path / "r.csv", records)))
    assert result.exit_code == EXIT_QUARANTINED
    summary = json.loads(result.stdout)
    assert (summary["created"], summary["quarantined"]) == (3, 1)
    assert [(p["row_number"], p["field"]) for p in summary["problems"]] == [(1, "birth_date")]
    assert records[1]["rrn"] not in result.stdout, "personal identifiers are masked"
    again = tmp_path / "again.csv"
    write_csv(again, [*records[:1], {**records[2], "sex": "X"}, *records[3:]])
    told = cli.invoke(app, ["sync", "run", "resident", str(again), "--mode", "delta"])
    assert told.exit_code == EXIT_QUARANTINED
    assert "row 1, sex: not one of the codes" in told.stdout, told.stdout
    listing = cli.invoke(app, ["sync", "quarantine", str(summary["batch_id"]), "--json"])
    problems = json.loads(listing.stdout)["problems"]
    assert [(p["row_number"], p["field"]) for p in problems] == [(1, "birth_date")]
    assert records[1]["rrn"] not in listing.stdout, "personal identifiers are masked"


def test_missing_and_unknown_columns_apply_nothing(cli, master, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    frame_of("resident", people(3)).drop("name").with_columns(
        pl.lit("x").alias("shoe_size")).write_csv(path)
    result = cli.invoke(app, ["sync", "run", "resident", str(path)])
    assert result.exit_code != 0
    assert count(master, "SELECT count(*) FROM resident_version") == 0
    assert count(master, "SELECT count(*) FROM sync_batch") == 0


def test_an_empty_full_snapshot_is_refused_unless_allowed(cli, master, tmp_path: Path) -> None:
    assert run(cli, "resident", str(write_csv(tmp_path / "day1.csv", people(12)))).exit_code == 0
    empty = tmp_path / "day2.csv"
    frame_of("resident", people(1)).clear().write_csv(empty)  # the header only
    refused = cli.invoke(app, ["sync", "run", "resident", str(empty)])
    assert refused.exit_code != 0
    assert "--allow-mass-end" in str(refused.exception)
    assert count(master, "SELECT count(*) FROM resident") == 12
    allowed = run(cli, "resident", str(empty), "--allow-mass-end")
    assert allowed.exit_code == 0, allowed.output
    assert json.loads(allowed.stdout)["ended"] == 12
    assert count(master, "SELECT count(*) FROM resident") == 0


def test_killed_mid_apply_leaves_master_unchanged_and_rerun_completes(
    master, tmp_path: Path
) -> None:
    url = master.url.render_as_string(hide_password=False).replace(
        "postgresql+psycopg2", "postgresql")
    first = people(50)
    env = clean_env(MDR_DATABASE_URL=url, MDR_DATA_DIR=str(tmp_path / "data"))
    mdr = [sys.executable, "-m", "mdr.cli.main", "sync", "run", "resident"]
    subprocess.run([*mdr, str(write_csv(tmp_path / "day1.csv", first)), "--as-of",
                    "2026-01-01"], env=env, check=True, capture_output=True, timeout=120)
    before = count(master, "SELECT count(*) FROM resident_version")
    changed = [{**p, "name": "변경" + p["name"][1:]} for p in first[:20]] + first[20:] + people(5)
    day2 = write_csv(tmp_path / "day2.csv", changed)
    with master.connect() as blocker:
        # Writes to the current table wait behind this lock, after the new versions were
        # inserted: the sync is caught in the middle of its apply.
        blocker.execute(text("LOCK TABLE resident IN EXCLUSIVE MODE"))
        proc = subprocess.Popen([*mdr, str(day2), "--as-of", "2026-02-01"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while count(master, "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                    "'mdr-sync' AND wait_event_type = 'Lock'") == 0:
            assert time.monotonic() < deadline and proc.poll() is None, "sync never blocked"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        blocker.rollback()
    time.sleep(0.5)  # the server notices the dropped connection and rolls back
    assert count(master, "SELECT count(*) FROM resident_version") == before
    assert count(master, "SELECT count(*) FROM change_event") == 50
    assert count(master, "SELECT count(*) FROM resident WHERE name LIKE '변경%'") == 0
    rerun = subprocess.run([*mdr, str(day2), "--as-of", "2026-02-01", "--json"], env=env,
                           capture_output=True, text=True, timeout=120, check=True)
    summary = json.loads(rerun.stdout)
    assert (summary["changed"], summary["created"]) == (20, 5)
    assert count(master, "SELECT count(*) FROM sync_batch WHERE status = 'failed' "
                 "AND error LIKE 'interrupted%'") == 1


def test_nightly_job_applies_the_newest_unprocessed_drop(master, tmp_path: Path) -> None:
    drop = tmp_path / "drop" / "resident"
    drop.mkdir(parents=True)
    old = write_csv(drop / "resident_20260101.csv", people(3))
    new = write_csv(drop / "resident_20260102.csv", people(4))
    os.utime(old, (1, 1))
    spec = JobSpec("sync-resident", nightly_sync, trigger=None, kwargs={
        "dataset": "resident", "drop_dir": str(tmp_path / "drop"),
        "archive_dir": str(tmp_path / "archive")})
    assert run_locked(master, spec)
    assert count(master, "SELECT count(*) FROM resident") == 4
    assert run_locked(master, spec)  # nothing new: the newest file is processed
    with master.connect() as conn:
        runs = conn.execute(text(
            "SELECT status, summary FROM job_run WHERE job_id = 'sync-resident' "
            "ORDER BY run_id")).all()
    assert [r.status for r in runs] == ["succeeded", "succeeded"]
    assert runs[0].summary["file"] == new.name and runs[0].summary["created"] == 4
    assert runs[1].summary["status"] == "nothing to sync"


def test_failed_job_is_recorded_with_its_error(master, tmp_path: Path) -> None:
    drop = tmp_path / "drop" / "resident"
    drop.mkdir(parents=True)
    (drop / "garbage.csv").write_text("not,the,right,columns\n1,2,3,4\n")
    spec = JobSpec("sync-resident", nightly_sync, trigger=None, kwargs={
        "dataset": "resident", "drop_dir": str(tmp_path / "drop"),
        "archive_dir": str(tmp_path / "archive")})
    with pytest.raises(Exception, match="missing required columns"):
        run_locked(master, spec)
    with master.connect() as conn:
        status, error = conn.execute(text(
            "SELECT status, error FROM job_run WHERE job_id = 'sync-resident'")).one()
    assert status == "failed" and "missing required columns" in error


def test_nightly_job_runs_the_datasets_checks_after_applying(master, tmp_path: Path) -> None:
    from mdr.cli.jobs import sync_then_check

    drop = tmp_path / "drop" / "resident"
    drop.mkdir(parents=True)
    write_csv(drop / "resident.csv", people(3))
    spec = JobSpec("sync-resident", sync_then_check, trigger=None, kwargs={
        "dataset": "resident", "drop_dir": str(tmp_path / "drop"),
        "archive_dir": str(tmp_path / "archive")})
    assert run_locked(master, spec)
    assert count(master, "SELECT count(*) FROM check_run WHERE triggered_by = 'after_sync'") == 1
    assert run_locked(master, spec)  # nothing new to sync: no checks either
    assert count(master, "SELECT count(*) FROM check_run WHERE triggered_by = 'after_sync'") == 1


def test_a_mapping_entry_naming_no_column_is_a_warning(cli, master, tmp_path: Path) -> None:
    snapshot = write_csv(tmp_path / "resident.csv", people(3))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  성명: name\n  주민번호: rrn\n", encoding="utf-8")
    result = run(cli, "resident", str(snapshot), "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert warnings == ["mapping entries naming no column of the file (a typo?): 성명, 주민번호"]
    shown = cli.invoke(app, ["sync", "run", "resident", str(snapshot), "--mapping", str(mapping)])
    assert "a typo?" in shown.stdout
