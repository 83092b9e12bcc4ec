"""Nightly sync jobs: each dataset's drop folder, newest unprocessed file first.

An owning agency (or its transfer system) drops snapshot files into
``MDR_DATA_DIR/drop/<dataset>/``. The dataset's job applies the newest file that
has not been applied yet (by checksum), as a full snapshot; older unprocessed
files are superseded by it and left in place for the record. The jobs of the 14
datasets start three minutes apart so they do not compete for the machine.

A batch dated after the day it is applied (a change announced ahead) takes effect
on its date; ``recount_due`` refreshes the catalogue's counts of records valid
today just after midnight, when such changes come due.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from entities.catalogue import recount
from entities.registry import DATASETS
from mdr.scheduler import JobSpec
from mdr.settings import Settings
from mdr.timezone import TODAY_IN_KOREA_SQL
from sync.models import sync_batch
from sync.service import sync_file
from sync.sources import file_sha256

SOURCE_SUFFIXES = (".csv", ".parquet", ".pq")


def newest_unprocessed(session: Session, dataset: str, folder: Path) -> Path | None:
    """The newest file in ``folder`` whose checksum no batch of ``dataset`` applied."""
    if not folder.is_dir():
        return None
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES),
        key=lambda p: (p.stat().st_mtime, p.name), reverse=True,
    )
    if not files:
        return None
    newest = files[0]
    done = session.execute(select(sync_batch.c.batch_id).where(
        sync_batch.c.dataset == dataset,
        sync_batch.c.sha256 == file_sha256(newest),
        sync_batch.c.status.in_(("applied", "duplicate")),
    ).limit(1)).first()
    return None if done else newest


def nightly_sync(session: Session, *, dataset: str, drop_dir: str,
                 archive_dir: str) -> dict[str, Any]:
    """Apply the dataset's newest unprocessed drop file; return the job summary."""
    folder = Path(drop_dir) / dataset
    path = newest_unprocessed(session, dataset, folder)
    if path is None:
        return {"dataset": dataset, "status": "nothing to sync", "folder": str(folder)}
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    result = sync_file(engine, dataset, path, mode="full", archive_dir=Path(archive_dir))
    return {"file": path.name, **{k: v for k, v in result.as_dict().items()
                                  if k not in {"timings", "source"}}}


def recount_due(session: Session) -> dict[str, Any]:
    """Recount the datasets with an applied batch dated after the day it was applied
    and due by today, so the catalogue counts the records valid today."""
    due = session.execute(text(
        "SELECT DISTINCT dataset FROM sync_batch WHERE status = 'applied' "
        "AND as_of > (started_at AT TIME ZONE 'Asia/Seoul')::date "
        f"AND as_of <= {TODAY_IN_KOREA_SQL} ORDER BY dataset"
    )).scalars().all()
    return {"recounted": {dataset: recount(session, dataset) for dataset in due}}


def sync_jobs(settings: Settings) -> list[JobSpec]:
    base = {f.name: str(f) for f in
            CronTrigger.from_crontab(settings.sync_cron, timezone="Asia/Seoul").fields}
    jobs = []
    for index, dataset in enumerate(DATASETS):
        trigger = CronTrigger.from_crontab(settings.sync_cron, timezone="Asia/Seoul")
        if base["minute"].isdigit() and base["hour"].isdigit():
            # A fixed daily time: stagger the datasets from it.
            start = int(base["hour"]) * 60 + int(base["minute"]) + 3 * index
            trigger = CronTrigger(hour=(start // 60) % 24, minute=start % 60, day=base["day"],
                                  month=base["month"], day_of_week=base["day_of_week"],
                                  timezone="Asia/Seoul")
        jobs.append(JobSpec(
            id=f"sync-{dataset}",
            func=nightly_sync,
            trigger=trigger,
            kwargs={"dataset": dataset, "drop_dir": str(settings.drop_dir),
                    "archive_dir": str(settings.archive_dir)},
            description=f"Nightly sync of {dataset} from its drop folder",
            retries=settings.sync_retries,
            retry_backoff_seconds=settings.sync_retry_backoff_seconds,
        ))
    jobs.append(JobSpec(
        id="catalogue-recount",
        func=recount_due,
        trigger=CronTrigger(hour=0, minute=1, timezone="Asia/Seoul"),
        description="Recount datasets whose announced changes came due",
    ))
    return jobs
