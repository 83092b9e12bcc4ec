"""Sync tests commit (a sync is its own transaction), so they get a database of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine

from entities.registry import get_dataset
from tests.helpers import empty_master, migrated_engine


@pytest.fixture(scope="session")
def sync_engine(scratch_database) -> Iterator[Engine]:
    engine = migrated_engine(scratch_database("sync"))
    yield engine
    engine.dispose()


@pytest.fixture
def master(sync_engine: Engine) -> Engine:
    """The sync database, emptied of data before the test."""
    empty_master(sync_engine, "job_run")
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
