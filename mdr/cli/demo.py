"""What `mdr up` adds for a newcomer: demo data in an empty database and a demo key."""

from __future__ import annotations

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import text

from entities.registry import DATASETS
from entities.synthetic.writer import generate_snapshot
from mdr.access.keys import rotate_demo_key
from mdr.cli import common
from mdr.db.engine import Database, make_engine, session_factory, unit_of_work
from mdr.settings import Settings
from sync.service import sync_file


def load_demo_data(settings: Settings, db: Database) -> bool:
    """Generate and sync a small national snapshot if nothing was ever synced."""
    engine = make_engine(db.url, "cli", pool_size=2)
    try:
        with engine.connect() as conn:
            synced = conn.execute(text(
                "SELECT count(*) FROM sync_batch WHERE status IN ('applied', 'duplicate')"
            )).scalar_one()
        if synced or settings.demo_scale <= 0:
            return False
        out = settings.data_dir / "demo" / f"scale-{settings.demo_scale}"
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=common.err_console, transient=True) as bar:
            task = bar.add_task("demo data: generating", total=len(DATASETS) + 1)
            generate_snapshot(settings.demo_scale, out)
            for dataset in DATASETS:
                bar.update(task, advance=1, description=f"demo data: syncing {dataset}")
                sync_file(engine, dataset, out / f"{dataset}.csv",
                          archive_dir=settings.archive_dir)
        common.err_console.print(
            f"Loaded demo data: a national snapshot of {settings.demo_scale:,} residents "
            "(MDR_DEMO_SCALE; 0 for none).")
        return True
    finally:
        engine.dispose()


def demo_key(db: Database) -> str:
    """A fresh demo key with every dataset granted for the purpose `demo`."""
    engine = make_engine(db.url, "cli", pooled=False)
    try:
        with unit_of_work(session_factory(engine)) as session:
            _, key = rotate_demo_key(session)
    finally:
        engine.dispose()
    return key
