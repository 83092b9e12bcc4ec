"""Scheduled integrity checks: all rules nightly, timeliness hourly, a dataset after its sync.

The nightly run starts at 04:00 Korean time, after the staggered nightly syncs
(02:00 plus three minutes per dataset by default), so the morning's scorecards
describe the freshly synced master. Timeliness is cheap (one query of the sync
ledger) and runs hourly so a late source shows within the hour.
:func:`run_checks_for_dataset` is chained after each dataset's sync job by
whoever assembles the job list; it also rechecks other datasets' rules that
read the synced one (references into it may now resolve, or break).
"""

from __future__ import annotations

from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session

from mdr.quality.models import Dimension
from mdr.quality.runner import RunSummary, run_checks
from mdr.scheduler import JobSpec
from mdr.settings import Settings

NIGHTLY = {"hour": 4, "minute": 0}
HOURLY_MINUTE = 50  # clear of the syncs at the top of the hour


def _summary(run: RunSummary) -> dict[str, Any]:
    """What the job ledger keeps: counts, never sample keys."""
    return {
        "run_id": run.run_id,
        "rules_run": len(run.results),
        "rules_failed": len(run.failed),
        "failed": [r.rule.id for r in run.failed][:100],
        "seconds": round(run.seconds, 3),
    }


def nightly_checks(session: Session) -> dict[str, Any]:
    """Every rule of every dataset."""
    return _summary(run_checks(session, triggered_by="schedule"))


def hourly_timeliness(session: Session) -> dict[str, Any]:
    """The timeliness rules: is any dataset's last successful sync too old?"""
    return _summary(run_checks(session, dimensions=[Dimension.TIMELINESS],
                               triggered_by="schedule"))


def run_checks_for_dataset(session: Session, dataset: str) -> dict[str, Any]:
    """The rules of ``dataset`` and the rules that read it, after its sync."""
    return _summary(run_checks(session, datasets=[dataset], with_dependents=True,
                               triggered_by="after_sync"))


def quality_jobs(settings: Settings) -> list[JobSpec]:
    """The scheduled check jobs (``settings`` is taken for symmetry with other features)."""
    del settings  # the schedule is fixed relative to the default sync window
    return [
        JobSpec(
            id="checks-nightly",
            func=nightly_checks,
            trigger=CronTrigger(**NIGHTLY, timezone="Asia/Seoul"),
            description="All integrity checks, nightly after the syncs",
        ),
        JobSpec(
            id="checks-timeliness",
            func=hourly_timeliness,
            trigger=CronTrigger(minute=HOURLY_MINUTE, timezone="Asia/Seoul"),
            description="Timeliness checks: last successful sync of each dataset",
            misfire_grace_seconds=1800,
        ),
    ]
