"""Bitemporal storage: version tables, the exclusion constraint, current tables."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.exc import DataError, IntegrityError

from entities.registry import DATASETS
from entities.tables import current_tables, version_tables
from tests.factories import make, persist

pytestmark = pytest.mark.db


def _version_row(dataset: str, record: dict, valid_from: dt.date, valid_to=None) -> dict:
    return {**record, "valid_from": valid_from, "valid_to": valid_to,
            "row_hash": "00000000-0000-0000-0000-000000000000"}


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_dataset_stores_a_factory_record(db_session, dataset: str) -> None:
    record = make(dataset)
    (version_id,) = persist(db_session, dataset, [record])
    key = DATASETS[dataset].key
    current = current_tables[dataset]
    stored = db_session.execute(
        select(current).where(current.c[key] == record[key])
    ).mappings().one()
    assert stored["version_id"] == version_id
    for field in DATASETS[dataset].fields:
        assert stored[field.name] == record[field.name], field.name


def test_overlapping_current_versions_are_rejected(db_session) -> None:
    version = version_tables["resident"]
    record = make("resident")
    db_session.execute(insert(version).values(_version_row(
        "resident", record, dt.date(2020, 1, 1))))
    with (pytest.raises(IntegrityError, match="ex_resident_version_current_validity"),
          db_session.begin_nested()):
            db_session.execute(insert(version).values(_version_row(
                "resident", record, dt.date(2024, 1, 1))))


def test_adjacent_and_superseded_versions_are_allowed(db_session) -> None:
    version = version_tables["vehicle"]
    record = make("vehicle")
    first = db_session.execute(insert(version).values(_version_row(
        "vehicle", record, dt.date(2020, 1, 1), dt.date(2024, 1, 1))
    ).returning(version.c.version_id)).scalar_one()
    # adjacent validity: [2020, 2024) then [2024, open)
    db_session.execute(insert(version).values(_version_row(
        "vehicle", record, dt.date(2024, 1, 1))))
    # a correction: the first belief is superseded, a corrected version overlaps it
    db_session.execute(update(version).where(version.c.version_id == first)
                       .values(superseded_at=func.now()))
    db_session.execute(insert(version).values(_version_row(
        "vehicle", record, dt.date(2021, 1, 1), dt.date(2024, 1, 1))))
    count = db_session.execute(select(func.count()).select_from(version)
                               .where(version.c.vin == record["vin"])).scalar_one()
    assert count == 3


def test_code_fields_reject_values_outside_the_vocabulary(db_session) -> None:
    record = make("resident", status="on_holiday")
    with (pytest.raises(IntegrityError, match="ck_resident_version_status_code"),
          db_session.begin_nested()):
            db_session.execute(insert(version_tables["resident"]).values(
                _version_row("resident", record, dt.date(2020, 1, 1))))


def test_valid_to_must_not_precede_valid_from(db_session) -> None:
    record = make("goods")
    # The computed validity range refuses it before the CHECK constraint gets to.
    with (pytest.raises((IntegrityError, DataError), match=r"valid_order|range lower bound"),
          db_session.begin_nested()):
            db_session.execute(insert(version_tables["goods"]).values(_version_row(
                "goods", record, dt.date(2024, 1, 1), dt.date(2023, 1, 1))))


def test_every_declared_search_has_an_index(engine) -> None:
    inspector = inspect(engine)
    for spec in DATASETS.values():
        names = {ix["name"] for ix in inspector.get_indexes(spec.current_table)}
        for search in spec.searches:
            assert f"ix_{spec.current_table}_search_{search.name}" in names


def test_trigram_search_indexes_use_pg_trgm(engine) -> None:
    with engine.connect() as conn:
        definition = conn.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_corporation_search_by_name'"
        ).scalar_one()
    assert "gin" in definition and "gin_trgm_ops" in definition
