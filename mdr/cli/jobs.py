"""The scheduler's job list, assembled from the jobs each feature declares."""

from __future__ import annotations

from apscheduler.triggers.interval import IntervalTrigger

from mdr.scheduler import JobSpec, heartbeat
from mdr.settings import Settings


def scheduled_jobs(settings: Settings) -> list[JobSpec]:
    from sync.jobs import sync_jobs

    return [
        *sync_jobs(settings),
        JobSpec(
            id="heartbeat",
            func=heartbeat,
            trigger=IntervalTrigger(seconds=settings.scheduler_heartbeat_seconds),
            description="Record that the scheduler is alive",
            misfire_grace_seconds=settings.scheduler_heartbeat_seconds,
            run_at_start=True,
        ),
    ]
