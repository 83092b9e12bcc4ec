"""Scheduled access-log work: a signed checkpoint of every chain head, hourly.

Checkpoints are what shows a superuser's removal of a chain's last rows or of a
whole chain; an hour between them bounds how much of the log a removal could hide
from them. The job writes into MDR_AUDIT_CHECKPOINT_DIR, which operators ship off
the machine; with the setting unset it logs that it skipped.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session

from mdr.access.checkpoints import write_checkpoint
from mdr.scheduler import JobSpec
from mdr.settings import Settings

log = logging.getLogger(__name__)

CHECKPOINT_MINUTE = 5  # clear of the syncs at the top of the hour


def hourly_checkpoint(session: Session, *, out_dir: str | None,
                      key_file: str) -> dict[str, Any]:
    """Write a checkpoint into ``out_dir`` signed with the key in ``key_file``."""
    if out_dir is None:
        log.info("access-log checkpoint skipped: MDR_AUDIT_CHECKPOINT_DIR is not set")
        return {"status": "skipped", "reason": "MDR_AUDIT_CHECKPOINT_DIR is not set"}
    written = write_checkpoint(session.connection(), Path(out_dir), Path(key_file))
    return {"status": "written", **written}


def audit_jobs(settings: Settings) -> list[JobSpec]:
    directory = settings.audit_checkpoint_dir
    return [
        JobSpec(
            id="audit-checkpoint",
            func=hourly_checkpoint,
            trigger=CronTrigger(minute=CHECKPOINT_MINUTE, timezone="Asia/Seoul"),
            kwargs={"out_dir": None if directory is None else str(directory),
                    "key_file": str(settings.signing_key_file)},
            description="Signed checkpoint of every access-log chain head",
            misfire_grace_seconds=1800,
            retries=2,
            retry_backoff_seconds=60,
        ),
    ]
