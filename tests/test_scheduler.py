"""Scheduler: job store in PostgreSQL, advisory lock per job, heartbeat."""

from __future__ import annotations

import time

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import text

from mdr.db.engine import make_engine
from mdr.db.migrate import upgrade
from mdr.db.sql import advisory_key
from mdr.scheduler import JobSpec, MdrScheduler, heartbeat, run_locked

pytestmark = pytest.mark.db


@pytest.fixture
def sched_engine(scratch_database):
    url = scratch_database("sched")
    upgrade(url)
    engine = make_engine(url, "scheduler", pool_size=2)
    yield engine
    engine.dispose()


def _beats(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM scheduler_heartbeat")).scalar_one())


def test_locked_job_runs_and_commits(sched_engine) -> None:
    assert run_locked(sched_engine, JobSpec("heartbeat", heartbeat, trigger=None))
    assert _beats(sched_engine) == 1


def test_job_is_skipped_while_another_scheduler_holds_its_lock(sched_engine) -> None:
    calls: list[int] = []
    spec = JobSpec("exclusive", lambda session: calls.append(1), trigger=None)
    key = {"k": advisory_key("mdr-job:exclusive")}
    with sched_engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), key)
        assert run_locked(sched_engine, spec) is False
        other.execute(text("SELECT pg_advisory_unlock(:k)"), key)
    assert run_locked(sched_engine, spec) is True
    assert calls == [1]


def test_failed_job_rolls_back_and_releases_its_lock(sched_engine) -> None:
    def failing(session) -> None:
        heartbeat(session)
        raise RuntimeError("boom")

    spec = JobSpec("failing", failing, trigger=None)
    with pytest.raises(RuntimeError):
        run_locked(sched_engine, spec)
    assert _beats(sched_engine) == 0, "the failed job's writes must be rolled back"
    with sched_engine.connect() as conn:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"),
                           {"k": advisory_key("mdr-job:failing")}).scalar()
        assert got is True


def test_jobs_live_in_postgres_and_run(sched_engine) -> None:
    jobs = [JobSpec("heartbeat", heartbeat, trigger=IntervalTrigger(seconds=1))]
    scheduler = MdrScheduler(sched_engine, jobs)
    scheduler.start()
    try:
        with sched_engine.connect() as conn:
            stored = conn.execute(
                text("SELECT id, next_run_time FROM scheduler_jobs")
            ).all()
        assert [row.id for row in stored] == ["heartbeat"]
        assert stored[0].next_run_time is not None
        deadline = time.monotonic() + 10
        while _beats(sched_engine) == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _beats(sched_engine) == 1
    finally:
        scheduler.shutdown()
    # A restarted scheduler finds the stored job and replaces it (no duplicate).
    again = MdrScheduler(sched_engine, jobs)
    again.start()
    try:
        assert again.job_ids() == ["heartbeat"]
    finally:
        again.shutdown()


def test_failed_job_is_retried_with_backoff(sched_engine) -> None:
    import datetime as dt

    from apscheduler.triggers.date import DateTrigger

    attempts: list[int] = []

    def flaky(session) -> dict:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("source not ready")
        return {"ok": True}

    job = JobSpec("flaky", flaky, trigger=DateTrigger(run_date=dt.datetime.now(dt.UTC)),
                  retries=2, retry_backoff_seconds=1)
    scheduler = MdrScheduler(sched_engine, [job])
    scheduler.start()
    try:
        deadline = time.monotonic() + 20
        while len(attempts) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        scheduler.shutdown()
    with sched_engine.connect() as conn:
        runs = conn.execute(text(
            "SELECT attempt, status, error FROM job_run WHERE job_id = 'flaky' ORDER BY run_id"
        )).all()
    assert [(r.attempt, r.status) for r in runs] == [(1, "failed"), (2, "succeeded")]
    assert "source not ready" in runs[0].error


def test_status_says_whether_a_scheduler_is_running(sched_engine) -> None:
    from mdr.db.engine import Database
    from mdr.status import service_status

    database = Database(sched_engine.url.render_as_string(hide_password=False), embedded=False)
    assert service_status(database, sched_engine)["scheduler_running"] is False  # never beat
    run_locked(sched_engine, JobSpec("heartbeat", heartbeat, trigger=None))
    assert service_status(database, sched_engine, heartbeat_seconds=60)["scheduler_running"]
    with sched_engine.begin() as conn:  # the last beat was four intervals ago
        conn.execute(text("UPDATE scheduler_heartbeat SET beat_at = now() - interval '4 minutes'"))
    report = service_status(database, sched_engine, heartbeat_seconds=60)
    assert report["scheduler_running"] is False and report["scheduler_last_heartbeat"]
