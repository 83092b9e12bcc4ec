"""Sync tests commit (a sync is its own transaction), so they get a database of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, text

from entities.catalogue import refresh_catalogue
from entities.registry import DATASETS, get_dataset
from mdr.db.engine import make_engine, session_factory, unit_of_work
from mdr.db.migrate import upgrade


@pytest.fixture(scope="session")
def sync_engine(scratch_database) -> Iterator[Engine]:
    url = scratch_database("sync")
    upgrade(url)
    engine = make_engine(url, "test", pool_size=3)
    with unit_of_work(session_factory(engine)) as session:
        refresh_catalogue(session)
    yield engine
    engine.dispose()


@pytest.fixture
def master(sync_engine: Engine) -> Engine:
    """The sync database, emptied of data before the test."""
    tables = [t for spec in DATASETS.values() for t in (spec.current_table, spec.version_table)]
    with sync_engine.begin() as conn:
        conn.execute(text(
            "TRUNCATE " + ", ".join(tables)
            + ", change_event, sync_quarantine, sync_batch, job_run RESTART IDENTITY CASCADE"
        ))
    return sync_engine


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | Decimal | int):
        return str(value)
    return str(value)


def frame_of(dataset: str, records: list[dict[str, Any]]) -> pl.DataFrame:
    """Canonical text rows, as a source adapter yields them."""
    spec = get_dataset(dataset)
    return pl.DataFrame(
        {f: [as_text(r.get(f)) for r in records] for f in spec.field_names},
        schema=dict.fromkeys(spec.field_names, pl.String),
    )
