"""The dataset catalogue and standard vocabulary, kept in the database from the specs.

The specs in code are the source of truth; :func:`refresh_catalogue` writes
them to ``dataset_catalogue`` and ``vocabulary_term`` (run after every
migration), so SQL users, the API and reports read one catalogue. Row counts
and the last sync time are maintained by the sync service in the same
transaction as the data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Table,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.orm import Session

from entities.registry import DATASETS, get_dataset
from entities.spec import DatasetSpec
from entities.vocabulary import CODE_LABELS, TERMS
from mdr.db.base import metadata
from mdr.db.sql import quote_ident

dataset_catalogue = Table(
    "dataset_catalogue",
    metadata,
    Column("name", Text, primary_key=True),
    Column("label_ko", Text, nullable=False),
    Column("label_en", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner_code", Text, nullable=False),
    Column("owner_name_ko", Text, nullable=False),
    Column("owner_name_en", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("cadence", Text, nullable=False),
    Column("natural_key", Text, nullable=False),
    Column("spec", JSONB, nullable=False, comment="fields, relations, searches, linkage"),
    Column("row_count", BigInteger, nullable=False, server_default="0"),
    Column("last_sync_at", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

vocabulary_term = Table(
    "vocabulary_term",
    metadata,
    Column("code", Text, primary_key=True),
    Column("name_ko", Text, nullable=False),
    Column("name_en", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("format", Text, nullable=False),
    Column("synonyms", ARRAY(Text), nullable=False),
)


def spec_document(spec: DatasetSpec) -> dict[str, Any]:
    """The spec as plain JSON: what the catalogue stores and the API serves."""
    return {
        "fields": [
            {
                "name": f.name,
                "type": f.type.value,
                "term": f.term,
                "label_ko": f.label_ko,
                "label_en": f.label_en,
                "description": f.description,
                "required": f.required,
                "pii": f.pii.value,
                "validator": f.validator,
                "codes": list(f.codes),
                "compare": f.compare.value,
                "unique": f.unique,
            }
            for f in spec.fields
        ],
        "relations": [
            {
                "name": r.name,
                "field": r.field,
                "targets": r.targets,
                "kind_field": r.kind_field,
                "required": r.required,
                "many": r.many,
                "description": r.description,
            }
            for r in spec.relations
        ],
        "searches": [
            {"name": s.name, "fields": list(s.fields), "kind": s.kind.value,
             "description": s.description}
            for s in spec.searches
        ],
        "linkage": {
            "secondary_keys": [list(k) for k in spec.linkage.secondary_keys],
            "blocking": [list(k) for k in spec.linkage.blocking],
            "scope_field": spec.linkage.scope_field,
        },
        "status_field": spec.status_field,
    }


def refresh_catalogue(session: Session) -> None:
    """Upsert every spec and vocabulary term; keep row counts and sync times."""
    rows = [
        {
            "name": spec.name,
            "label_ko": spec.label_ko,
            "label_en": spec.label_en,
            "description": spec.description,
            "owner_code": spec.owner.code,
            "owner_name_ko": spec.owner.name_ko,
            "owner_name_en": spec.owner.name_en,
            "legal_basis": spec.legal_basis,
            "cadence": spec.cadence.value,
            "natural_key": spec.key,
            "spec": spec_document(spec),
        }
        for spec in DATASETS.values()
    ]
    stmt = insert(dataset_catalogue).values(rows)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["name"],
        set_={c: stmt.excluded[c] for c in rows[0] if c != "name"} | {"updated_at": func.now()},
    ))
    session.execute(dataset_catalogue.delete().where(dataset_catalogue.c.name.not_in(DATASETS)))
    terms = [
        asdict(term) | {"type": term.type.value, "synonyms": list(term.synonyms)}
        for term in TERMS.values()
    ]
    term_stmt = insert(vocabulary_term).values(terms)
    session.execute(term_stmt.on_conflict_do_update(
        index_elements=["code"],
        set_={c: term_stmt.excluded[c] for c in terms[0] if c != "code"},
    ))
    session.execute(vocabulary_term.delete().where(vocabulary_term.c.code.not_in(TERMS)))


def recount(
    session: Session | Connection, dataset: str, synced_at: dt.datetime | None = None
) -> int:
    """Refresh a dataset's row count (live records) and, after a sync, its sync time."""
    spec = get_dataset(dataset)
    count = int(session.execute(
        text(f"SELECT count(*) FROM {quote_ident(spec.today_view)}")
    ).scalar_one())
    values: dict[str, Any] = {"row_count": count}
    if synced_at is not None:
        values["last_sync_at"] = synced_at
    session.execute(
        dataset_catalogue.update().where(dataset_catalogue.c.name == dataset).values(**values)
    )
    return count


def list_datasets(session: Session) -> list[dict[str, Any]]:
    """The catalogue in dependency order, with row counts and last sync times."""
    stored = {
        row.name: row
        for row in session.execute(select(
            dataset_catalogue.c.name, dataset_catalogue.c.row_count,
            dataset_catalogue.c.last_sync_at,
        ))
    }
    result = []
    for spec in DATASETS.values():
        row = stored.get(spec.name)
        result.append({
            "name": spec.name,
            "label_ko": spec.label_ko,
            "label_en": spec.label_en,
            "owner": spec.owner.code,
            "owner_name": spec.owner.name_en,
            "legal_basis": spec.legal_basis,
            "cadence": spec.cadence.value,
            "key": spec.key,
            "fields": len(spec.fields),
            "row_count": row.row_count if row else 0,
            "last_sync_at": row.last_sync_at.isoformat() if row and row.last_sync_at else None,
        })
    return result


def describe_dataset(session: Session | None, name: str) -> dict[str, Any]:
    """One dataset: spec, vocabulary terms of its fields, counts (when a session is given)."""
    spec = get_dataset(name)
    document: dict[str, Any] = {
        "name": spec.name,
        "label_ko": spec.label_ko,
        "label_en": spec.label_en,
        "description": spec.description,
        "owner": {"code": spec.owner.code, "name_ko": spec.owner.name_ko,
                  "name_en": spec.owner.name_en},
        "legal_basis": spec.legal_basis,
        "cadence": spec.cadence.value,
        "key": spec.key,
        "key_is_personal": spec.key_is_personal,
        "csv_columns": list(spec.field_names),
        **spec_document(spec),
        "vocabulary": {
            f.term: _with_code_list(f.term, {
                "name_ko": TERMS[f.term].name_ko,
                "name_en": TERMS[f.term].name_en,
                "definition": TERMS[f.term].definition,
                "type": TERMS[f.term].type.value,
                "format": TERMS[f.term].format,
            })
            for f in spec.fields
        },
    }
    if session is not None:
        row = session.execute(
            select(dataset_catalogue.c.row_count, dataset_catalogue.c.last_sync_at)
            .where(dataset_catalogue.c.name == name)
        ).first()
        document["row_count"] = row.row_count if row else 0
        document["last_sync_at"] = (
            row.last_sync_at.isoformat() if row and row.last_sync_at else None
        )
    return document


def vocabulary(session: Session) -> list[dict[str, Any]]:
    """The standard vocabulary as stored, code terms with their code lists."""
    return [_with_code_list(row["code"], dict(row)) for row in session.execute(
        select(vocabulary_term).order_by(vocabulary_term.c.code)).mappings()]


def _with_code_list(code: str, term: dict[str, Any]) -> dict[str, Any]:
    """A code term with its code list (value: Korean label)."""
    if code in CODE_LABELS:
        term["codes"] = CODE_LABELS[code]
    return term
