"""The scheduler's job list, assembled from the jobs each feature declares.

Features do not import each other, so the one chaining that crosses them lives
here: after a dataset's nightly sync applies a batch, that dataset's integrity
checks (and the rules of datasets that read it) run in the same job.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.orm import Session

from mdr.access.jobs import audit_jobs
from mdr.quality.jobs import quality_jobs, run_checks_for_dataset
from mdr.scheduler import JobSpec, heartbeat
from mdr.settings import Settings
from sync.jobs import nightly_sync, sync_jobs


def sync_then_check(session: Session, *, dataset: str, drop_dir: str,
                    archive_dir: str) -> dict[str, Any]:
    """The nightly sync of one dataset, then its checks when something was applied."""
    summary = nightly_sync(session, dataset=dataset, drop_dir=drop_dir, archive_dir=archive_dir)
    if summary.get("status") == "applied":
        summary["checks"] = run_checks_for_dataset(session, dataset)
    return summary


def scheduled_jobs(settings: Settings) -> list[JobSpec]:
    return [
        *(dataclasses.replace(job, func=sync_then_check) for job in sync_jobs(settings)),
        *quality_jobs(settings),
        *audit_jobs(settings),
        JobSpec(
            id="heartbeat",
            func=heartbeat,
            trigger=IntervalTrigger(seconds=settings.scheduler_heartbeat_seconds),
            description="Record that the scheduler is alive",
            misfire_grace_seconds=settings.scheduler_heartbeat_seconds,
            run_at_start=True,
        ),
    ]
