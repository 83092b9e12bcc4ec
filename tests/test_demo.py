"""The demo data `mdr up` loads: completed after an interrupted first run, never twice,
never into a database holding other data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from entities.registry import DATASETS
from entities.synthetic.writer import generate_snapshot
from mdr.cli.demo import load_demo_data
from mdr.db.engine import Database
from mdr.settings import Settings
from sync.service import sync_file
from tests.helpers import empty_master, migrated_engine

pytestmark = pytest.mark.db

DEMO_SCALE = 100


@pytest.fixture(scope="module")
def demo_database(scratch_database) -> Iterator[tuple[str, Engine]]:
    url = scratch_database("demo")
    engine = migrated_engine(url)
    yield url, engine
    engine.dispose()


def _applied_batches(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT dataset, count(*) FROM sync_batch WHERE status = 'applied' GROUP BY dataset"
        )).all()
    return dict(rows)


def test_a_second_run_completes_an_interrupted_demo_load(
    demo_database: tuple[str, Engine], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine = demo_database
    empty_master(engine)
    settings = Settings(data_dir=tmp_path / "data", demo_scale=DEMO_SCALE)
    database = Database(url, embedded=False)
    interrupted_at = list(DATASETS)[2]

    def sync_until_ctrl_c(engine: Engine, dataset: str, *args: object, **kwargs: object) -> object:
        if dataset == interrupted_at:
            raise KeyboardInterrupt
        return sync_file(engine, dataset, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr("mdr.cli.demo.sync_file", sync_until_ctrl_c)
        with pytest.raises(KeyboardInterrupt):
            load_demo_data(settings, database)
    assert set(_applied_batches(engine)) == set(list(DATASETS)[:2])

    assert load_demo_data(settings, database)
    assert _applied_batches(engine) == dict.fromkeys(DATASETS, 1), \
        "every dataset loaded once, the first two not again"

    assert not load_demo_data(settings, database)
    assert _applied_batches(engine) == dict.fromkeys(DATASETS, 1)


def test_no_demo_data_joins_data_synced_from_elsewhere(
    demo_database: tuple[str, Engine], tmp_path: Path
) -> None:
    url, engine = demo_database
    empty_master(engine)
    real = next(iter(DATASETS))
    generate_snapshot(DEMO_SCALE, tmp_path / "agency", datasets=[real])
    sync_file(engine, real, tmp_path / "agency" / f"{real}.csv")
    settings = Settings(data_dir=tmp_path / "data", demo_scale=DEMO_SCALE)

    assert not load_demo_data(settings, Database(url, embedded=False))
    assert _applied_batches(engine) == {real: 1}
