"""A real primary with two streaming standbys, for the read-replica tests.

One cluster per test session (per xdist worker), started on first use and stopped in
the session's finalizer (and by :mod:`atexit` should that not run). A test may stop,
freeze or pause a standby, or stop the primary: the ``standbys`` fixture heals the
cluster after each test (and before, should an earlier heal have failed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.api.conftest import store
from tests.factories import make
from tests.helpers import migrated_engine
from tests.replication.cluster import Cluster, Server


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    started = Cluster(standbys=2)
    try:
        started.start()
        yield started
    finally:
        started.close()


@pytest.fixture(scope="session")
def primary_engine(cluster: Cluster) -> Iterator[Engine]:
    """The primary's ``mdr`` database, migrated, with a few residents, replayed by every
    standby."""
    engine = migrated_engine(cluster.primary.url())
    store(engine, "resident", [make("resident", birth_date=dt.date(1990, 5, 5))
                               for _ in range(20)])
    cluster.wait_replayed()
    yield engine
    engine.dispose()


@pytest.fixture
def standbys(cluster: Cluster, primary_engine: Engine) -> Iterator[list[Server]]:
    """The standbys, streaming and caught up; healed again after the test whatever it
    did to them (stopped, frozen, replay paused) or to the primary."""
    cluster.heal()
    try:
        yield cluster.standbys
    finally:
        cluster.heal()
