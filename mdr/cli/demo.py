"""What `mdr up` adds for a newcomer: demo data in an empty database and a demo key."""

from __future__ import annotations

from pathlib import Path

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
    """Generate and sync a small national snapshot into a database without other data.

    Each dataset with no applied batch is loaded, so a first `mdr up` interrupted midway
    is completed by the next (the generator is seeded: its files come out the same). A
    batch from any other source means the database holds real data: nothing is added.
    Return whether anything was loaded.
    """
    if settings.demo_scale <= 0:
        return False
    out = (settings.data_dir / "demo" / f"scale-{settings.demo_scale}").resolve()
    engine = make_engine(db.url, "cli", pool_size=2)
    try:
        with engine.connect() as conn:
            synced = conn.execute(text(
                "SELECT DISTINCT dataset, source FROM sync_batch "
                "WHERE status IN ('applied', 'duplicate')"
            )).all()
        if any(not Path(source).resolve().is_relative_to(out) for _, source in synced):
            return False
        loaded = {dataset for dataset, _ in synced}
        missing = [dataset for dataset in DATASETS if dataset not in loaded]
        if not missing:
            return False
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=common.err_console, transient=True) as bar:
            task = bar.add_task("demo data: generating", total=len(missing) + 1)
            generate_snapshot(settings.demo_scale, out, datasets=missing)
            for dataset in missing:
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
