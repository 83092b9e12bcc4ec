"""factory-boy factories for every dataset, derived from the specs.

``factory_for("resident")`` is a factory of dicts holding one valid record of
the dataset (identifiers with correct check digits, codes from the vocabulary,
Korean names). :func:`persist` writes records to the bitemporal tables the way
a sync would (one current version each, plus the current row), for tests that
need data in the master without going through a sync.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from factory.base import Factory
from factory.declarations import LazyAttribute
from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from entities.identifiers import VALIDATORS
from entities.registry import DATASETS, get_dataset
from entities.spec import Comparator, DatasetSpec, FieldSpec, FieldType
from entities.tables import current_tables, version_tables

_rng = random.Random(20261127)
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
SYLLABLES = "민서준지현수영우진하은도윤예성재연주원태동혜경승아"


def _korean_name() -> str:
    return _rng.choice(SURNAMES) + _rng.choice(SYLLABLES) + _rng.choice(SYLLABLES)


def _value(spec: DatasetSpec, f: FieldSpec, row: dict[str, Any]) -> Any:
    if f.validator:
        return VALIDATORS[f.validator].generate(_rng)
    relation = next((r for r in spec.relations if r.field == f.name), None)
    if relation is not None:
        target_kind = row.get(relation.kind_field) if relation.kind_field else ""
        target = get_dataset(relation.targets.get(target_kind or "", relation.target_datasets[0]))
        validator = target.key_field.validator
        assert validator is not None
        return VALIDATORS[validator].generate(_rng)
    if f.type is FieldType.CODE:
        return f.codes[0]
    if f.type is FieldType.DATE:
        return dt.date(1990, 1, 1) + dt.timedelta(days=_rng.randrange(10_000))
    if f.type is FieldType.INTEGER:
        return _rng.randrange(1, 100)
    if f.type is FieldType.DECIMAL:
        return Decimal(_rng.randrange(1_000, 100_000)) / 10
    if f.type is FieldType.BOOLEAN:
        return False
    if f.compare is Comparator.NAME:
        return _korean_name()
    if f.name == "region_code":
        return "11110"
    return f"{f.label_en} {_rng.randrange(10_000)}"


def factory_for(dataset: str) -> type[Factory]:
    """A dict factory producing valid records of ``dataset``; override any field."""
    spec = get_dataset(dataset)
    # Kind fields first, so polymorphic references pick the matching target's identifier.
    kind_fields = {r.kind_field for r in spec.relations if r.kind_field}
    ordered = sorted(spec.fields, key=lambda f: f.name not in kind_fields)
    attributes: dict[str, Any] = {
        f.name: LazyAttribute(
            lambda row, f=f: _value(spec, f, row.__dict__)
        )
        for f in ordered
    }
    meta = type("Meta", (), {"model": dict})
    return type(f"{dataset.title().replace('_', '')}Factory", (Factory,),
                {"Meta": meta, **attributes})


FACTORIES: dict[str, type[Factory]] = {name: factory_for(name) for name in DATASETS}


def persist(
    session: Session,
    dataset: str,
    records: Iterable[dict[str, Any]],
    *,
    valid_from: dt.date = dt.date(2026, 1, 1),
    batch_id: int | None = None,
) -> list[int]:
    """Insert each record as a current version and a current row; return version ids."""
    spec = get_dataset(dataset)
    version, current = version_tables[dataset], current_tables[dataset]
    ids = []
    for record in records:
        values = {f.name: record.get(f.name) for f in spec.fields}
        row_hash = func.md5(text(":doc").bindparams(doc=repr(sorted(values.items())))).cast(
            version.c.row_hash.type)
        version_id = session.execute(
            insert(version).values(**values, valid_from=valid_from, batch_id=batch_id,
                                   row_hash=row_hash).returning(version.c.version_id)
        ).scalar_one()
        stored = session.execute(
            select(version.c.recorded_at, version.c.row_hash)
            .where(version.c.version_id == version_id)
        ).one()
        session.execute(insert(current).values(
            **values, version_id=version_id, valid_from=valid_from,
            recorded_at=stored.recorded_at, batch_id=batch_id, row_hash=stored.row_hash,
        ))
        ids.append(version_id)
    return ids


def make(dataset: str, **overrides: Any) -> dict[str, Any]:
    """One valid record of ``dataset`` (typed wrapper over its factory)."""
    return cast(dict[str, Any], FACTORIES[dataset](**overrides))
