"""APScheduler wiring: a PostgreSQL job store and one advisory lock per job.

Jobs are declared next to their domain as :class:`JobSpec` and handed to
:class:`MdrScheduler` by whoever assembles the service (``mdr.cli.jobs``).
The job store lives in PostgreSQL (table ``scheduler_jobs``, created by a
migration) so schedules and next run times survive restarts. Each run takes a
PostgreSQL advisory lock named after the job, so two schedulers sharing the
database never run the same job at once; the one that loses skips that run.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Engine,
    Float,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    Unicode,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Session

from mdr.db.base import metadata
from mdr.db.engine import session_factory, unit_of_work
from mdr.db.sql import advisory_lock
from mdr.errors import error_text
from mdr.logging import request_id_var

log = logging.getLogger(__name__)

JOBS_TABLE = "scheduler_jobs"

# Same shape as APScheduler's SQLAlchemyJobStore table, declared here so that a
# migration, not the job store, creates it.
scheduler_jobs = Table(
    JOBS_TABLE,
    metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)

scheduler_heartbeat = Table(
    "scheduler_heartbeat",
    metadata,
    Column("scheduler_id", Text, primary_key=True),
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("beat_at", DateTime(timezone=True), nullable=False),
)


job_run = Table(
    "job_run",
    metadata,
    Column("run_id", BigInteger, Identity(), primary_key=True),
    Column("job_id", Text, nullable=False),
    Column("attempt", Integer, nullable=False, server_default="1"),
    Column("status", Text, nullable=False),  # running | succeeded | failed | skipped
    Column("scheduler_id", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("summary", JSONB, nullable=True),
    Column("error", Text, nullable=True),
    Index("ix_job_run_job_started", "job_id", "started_at"),
)


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: ``func(session, **kwargs)`` run on ``trigger`` under its own lock.

    ``func`` may return a dict summary; it is logged and kept in ``job_run``. A failed
    run is recorded with its error and, when ``retries`` allow, run again after
    ``retry_backoff_seconds`` (doubling each attempt).
    """

    id: str
    func: Callable[..., object]
    trigger: Any  # an APScheduler trigger
    kwargs: dict[str, Any] | None = None
    description: str = ""
    misfire_grace_seconds: int = 3600
    retries: int = 0
    retry_backoff_seconds: int = 300
    run_at_start: bool = False


_registry: dict[str, JobSpec] = {}
_engine: Engine | None = None
_scheduler: Any = None  # the running APScheduler, for scheduling retries
SCHEDULER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
_started_at = dt.datetime.now(dt.UTC)


def run_job(job_id: str, attempt: int = 1) -> None:
    """Entry point APScheduler stores by reference; runs one registered job under its lock."""
    spec = _registry.get(job_id)
    if spec is None or _engine is None:
        log.error("scheduled job is not registered in this process", extra={"job": job_id})
        return
    token = request_id_var.set(f"job-{job_id}-{uuid.uuid4().hex[:8]}")
    try:
        run_locked(_engine, spec, attempt=attempt)
    except Exception:
        if attempt <= spec.retries and _scheduler is not None:
            delay = spec.retry_backoff_seconds * 2 ** (attempt - 1)
            log.warning("job will be retried", extra={"job": job_id, "attempt": attempt + 1,
                                                     "in_seconds": delay})
            _scheduler.add_job(
                run_job, trigger="date", args=[job_id, attempt + 1],
                run_date=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay),
                id=f"{job_id}-retry", replace_existing=True, misfire_grace_time=3600,
            )
    finally:
        request_id_var.reset(token)


def run_locked(engine: Engine, spec: JobSpec, *, attempt: int = 1) -> bool:
    """Run a job if no other scheduler holds its lock; record it in ``job_run``.

    Returns whether it ran; re-raises the job's error after recording it.
    """
    with engine.connect() as lock_conn, \
            advisory_lock(lock_conn, "mdr-job:" + spec.id, wait=False) as got:
        if not got:
            log.info("job skipped: another scheduler is running it", extra={"job": spec.id})
            return False
        run_id = lock_conn.execute(job_run.insert().values(
            job_id=spec.id, attempt=attempt, status="running", scheduler_id=SCHEDULER_ID,
        ).returning(job_run.c.run_id)).scalar_one()
        lock_conn.commit()
        started = time.perf_counter()
        status, summary, error = "failed", None, None
        try:
            with unit_of_work(session_factory(engine)) as session:
                outcome = spec.func(session, **(spec.kwargs or {}))
            summary = outcome if isinstance(outcome, dict) else None
            status = "succeeded"
            log.info("job finished", extra={
                "job": spec.id, "seconds": round(time.perf_counter() - started, 3),
                "summary": summary,
            })
        except Exception as exc:
            error = error_text(exc)
            log.exception("job failed", extra={"job": spec.id, "attempt": attempt})
            raise
        finally:
            lock_conn.execute(job_run.update().where(job_run.c.run_id == run_id).values(
                status=status, finished_at=func.now(), summary=summary, error=error,
            ))
            lock_conn.commit()
    return True


def heartbeat(session: Session) -> None:
    """Record that this scheduler is alive (``mdr status`` reads it)."""
    now = dt.datetime.now(dt.UTC)
    stmt = insert(scheduler_heartbeat).values(
        scheduler_id=SCHEDULER_ID,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=_started_at,
        beat_at=now,
    )
    session.execute(stmt.on_conflict_do_update(
        index_elements=["scheduler_id"], set_={"beat_at": now}
    ))
    # Keep the table small: schedulers silent for a day are gone.
    session.execute(scheduler_heartbeat.delete().where(
        scheduler_heartbeat.c.beat_at < func.now() - text("interval '1 day'")
    ))


def last_heartbeat(session: Session) -> dt.datetime | None:
    return session.execute(
        text("SELECT max(beat_at) FROM scheduler_heartbeat")
    ).scalar_one_or_none()


class MdrScheduler:
    """An APScheduler (background or blocking) over the PostgreSQL job store."""

    def __init__(self, engine: Engine, jobs: list[JobSpec], *, blocking: bool = False) -> None:
        # Here, not at the top: the API and every CLI command import this module (job
        # runs, heartbeats); APScheduler loads only in a process that runs a scheduler.
        from apscheduler.executors.pool import ThreadPoolExecutor  # noqa: PLC0415
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore  # noqa: PLC0415
        from apscheduler.schedulers.background import BackgroundScheduler  # noqa: PLC0415
        from apscheduler.schedulers.blocking import BlockingScheduler  # noqa: PLC0415

        global _engine, _scheduler  # noqa: PLW0603 - run_job is called by reference
        _engine = engine
        self.jobs = jobs
        _registry.update({job.id: job for job in jobs})
        cls = BlockingScheduler if blocking else BackgroundScheduler
        self._scheduler = cls(
            jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone="Asia/Seoul",
        )
        _scheduler = self._scheduler

    def start(self) -> None:
        for job in self.jobs:
            self._scheduler.add_job(
                run_job,
                trigger=job.trigger,
                args=[job.id],
                id=job.id,
                name=job.description or job.id,
                replace_existing=True,
                misfire_grace_time=job.misfire_grace_seconds,
                **({"next_run_time": dt.datetime.now(dt.UTC)} if job.run_at_start else {}),
            )
        log.info("scheduler starting", extra={"jobs": [job.id for job in self.jobs]})
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def job_ids(self) -> list[str]:
        return [job.id for job in self._scheduler.get_jobs()]
