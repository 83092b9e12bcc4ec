"""Quality tests run on a database of their own: rules scan whole tables, so no other
test's data may be in them. Most tests roll back; CLI tests commit and clean up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from entities.catalogue import refresh_catalogue
from entities.registry import DATASETS
from mdr.db.engine import make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade
from tests.helpers import migrated_engine
from tests.quality.world import World, build_world, persist_world

SYNTHETIC_SCALE = 500


@pytest.fixture(scope="session")
def quality_engine(scratch_database) -> Iterator[Engine]:
    engine = migrated_engine(scratch_database("quality"))
    yield engine
    engine.dispose()


@pytest.fixture
def session(quality_engine: Engine) -> Iterator[Session]:
    """An empty master in a transaction rolled back after the test."""
    yield from _rolled_back(quality_engine)


def _rolled_back(engine: Engine) -> Iterator[Session]:
    connection = engine.connect()
    transaction = connection.begin()
    s = Session(bind=connection, join_transaction_mode="create_savepoint",
                expire_on_commit=False, autoflush=False)
    try:
        yield s
    finally:
        s.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def synthetic_engine(scratch_database, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[Engine]:
    """A master loaded the production way: the synthetic generator's snapshot at scale
    500, each CSV applied by the sync service (committed, shared by the tests)."""
    from entities.synthetic import generate_snapshot
    from sync.service import sync_file

    url = scratch_database("quality_synthetic")
    upgrade(url)
    engine = make_engine(url, "test", pool_size=3)
    with unit_of_work(session_factory(engine)) as s:
        refresh_catalogue(s)
    out: Path = tmp_path_factory.mktemp("snapshot")
    generate_snapshot(SYNTHETIC_SCALE, out, seed=7)
    for dataset in DATASETS:
        result = sync_file(engine, dataset, out / f"{dataset}.csv")
        assert (result.status, result.quarantined) == ("applied", 0), result.as_dict()
    yield engine
    engine.dispose()


@pytest.fixture(params=["factories", "synthetic"])
def snapshot(request: pytest.FixtureRequest, quality_engine: Engine) -> Iterator[Session]:
    """A clean national snapshot in a rolled-back session: the factories' small world,
    or the synthetic generator's synced through the sync service."""
    if request.param == "factories":
        for s in _rolled_back(quality_engine):
            persist_world(s, build_world())
            yield s
    else:
        yield from _rolled_back(request.getfixturevalue("synthetic_engine"))


@pytest.fixture
def world(session: Session) -> World:
    """The consistent small snapshot, persisted in ``session``."""
    w = build_world()
    persist_world(session, w)
    return w


def truncate_all(engine: Engine) -> None:
    tables = [t for spec in DATASETS.values() for t in (spec.current_table, spec.version_table)]
    with engine.begin() as conn:
        conn.execute(text(
            "TRUNCATE " + ", ".join(tables)
            + ", check_result, check_run, change_event, sync_quarantine, sync_batch"
            " RESTART IDENTITY CASCADE"
        ))


@pytest.fixture
def committed(quality_engine: Engine) -> Iterator[Engine]:
    """The quality database, empty, for tests whose code commits; emptied again after."""
    truncate_all(quality_engine)
    yield quality_engine
    truncate_all(quality_engine)
