"""Bitemporal tables derived from the dataset specs (DESIGN.md section 4).

For each dataset:

``<dataset>_version``
    every version ever recorded: the spec's typed columns plus ``valid_from`` /
    ``valid_to`` (true in the world), ``recorded_at`` / ``superseded_at`` (believed
    by the repository), ``batch_id`` and ``source_row`` (provenance) and
    ``row_hash`` (digest of the source row the version came from). An exclusion
    constraint forbids two current-belief versions of one key with overlapping
    validity.
``<dataset>``
    one row per live key, kept in the same transaction as the versions, for point
    reads and searches; it carries the version id it mirrors, and ``raw_hash``: a
    64-bit hash of the key's source row as last received, so a nightly snapshot is
    compared with the master by one join on key and hash (NULL: not known, the row
    is checked in full and the hash filled in).

References between datasets are indexed but are not foreign keys: each owning
agency syncs on its own schedule, so a reference may arrive before its target.
``<dataset>_today`` (a view)
    the records valid today. The current table holds each key's latest version;
    after a sync dated later than today (a change announced ahead) that version is
    not valid yet, and the version valid today, which it replaces or ends, is only
    in the version table. Checks, reconciliation and row counts read this view.

Unresolved references are what the referential integrity checks report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import DATERANGE, UUID, ExcludeConstraint
from sqlalchemy.types import TypeEngine

from entities.registry import DATASETS
from entities.spec import DatasetSpec, FieldSpec, FieldType, SearchKind
from mdr.db.base import metadata
from mdr.db.sql import literal, quote_ident
from mdr.timezone import TODAY_IN_KOREA_SQL

SQL_TYPES: dict[FieldType, type[TypeEngine[Any]]] = {
    FieldType.TEXT: Text,
    FieldType.CODE: Text,
    FieldType.INTEGER: BigInteger,
    FieldType.DECIMAL: Numeric,
    FieldType.DATE: Date,
    FieldType.BOOLEAN: Boolean,
}


def sql_type(field_type: FieldType) -> str:
    """The PostgreSQL type a field is stored as (``bigint``, ``date``, ...), for casts."""
    return _SQL_TYPE_NAMES[field_type]


_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_SQL_TYPE_NAMES: dict[FieldType, str] = {
    t: kind().compile(dialect=_DIALECT).lower() for t, kind in SQL_TYPES.items()}

#: Columns every version table adds to the spec's fields.
VERSION_COLUMNS = (
    "version_id", "valid_from", "valid_to", "valid_period", "key_hash", "recorded_at",
    "superseded_at",
    "batch_id", "source_row", "row_hash",
)
#: Columns every current table adds to the spec's fields.
CURRENT_COLUMNS = ("version_id", "valid_from", "recorded_at", "batch_id", "row_hash",
                   "raw_hash")


def _field_column(spec_field: FieldSpec, *, nullable: bool) -> Column[object]:
    return Column(
        spec_field.name,
        SQL_TYPES[spec_field.type](),
        nullable=nullable,
        comment=f"{spec_field.label_ko} / {spec_field.label_en}",
    )


def _code_checks(spec: DatasetSpec) -> list[CheckConstraint]:
    checks = []
    for f in spec.fields:
        if f.type is FieldType.CODE and f.codes:
            allowed = ", ".join("'" + code.replace("'", "''") + "'" for code in f.codes)
            checks.append(CheckConstraint(f"{f.name} IN ({allowed})", name=f"{f.name}_code"))
    return checks


def build_version_table(spec: DatasetSpec) -> Table:
    key = spec.key
    return Table(
        spec.version_table,
        metadata,
        Column("version_id", BigInteger, Identity(), primary_key=True),
        *(_field_column(f, nullable=not f.required) for f in spec.fields),
        Column("valid_from", Date, nullable=False),
        Column("valid_to", Date, nullable=True, comment="exclusive; NULL while still valid"),
        Column(
            "valid_period", DATERANGE,
            Computed("daterange(valid_from, valid_to, '[)')", persisted=True),
        ),
        # The exclusion constraint works on a 64-bit hash of the key: btree_gist on
        # bigint inserts ten times faster than on text. It is stricter than the key
        # itself (two keys with one hash may not overlap either); such a collision,
        # about 1 in 10^4 over 50 million keys, would fail a sync loudly, never let
        # two current versions of one key overlap.
        Column("key_hash", BigInteger, Computed(f"hashtextextended({key}, 0)", persisted=True)),
        Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("superseded_at", DateTime(timezone=True), nullable=True),
        Column("batch_id", BigInteger, ForeignKey("sync_batch.batch_id"), nullable=True),
        Column("source_row", Integer, nullable=True, comment="0-based data row in the source"),
        Column("row_hash", UUID(as_uuid=False), nullable=False),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_order"),
        CheckConstraint(
            "superseded_at IS NULL OR superseded_at >= recorded_at", name="recorded_order"
        ),
        *_code_checks(spec),
        ExcludeConstraint(
            ("key_hash", "="), ("valid_period", "&&"),
            name=f"ex_{spec.version_table}_current_validity",
            using="gist",
            where="superseded_at IS NULL",
        ),
        # No index on batch_id: nothing reads versions by batch, and each index costs
        # every sync a random page write per version written or superseded.
        Index(f"ix_{spec.version_table}_{key}_valid_from", key, "valid_from"),
        comment=f"{spec.label_ko} ({spec.label_en}): every recorded version",
    )


def _search_index(spec: DatasetSpec, search_name: str) -> Index:
    search = next(s for s in spec.searches if s.name == search_name)
    name = f"ix_{spec.current_table}_search_{search.name}"
    if search.kind is SearchKind.TRIGRAM:
        (field,) = search.fields
        return Index(name, field, postgresql_using="gin",
                     postgresql_ops={field: "gin_trgm_ops"})
    if search.kind is SearchKind.PREFIX:
        last = search.fields[-1]
        return Index(name, *search.fields, postgresql_ops={last: "text_pattern_ops"})
    return Index(name, *search.fields)


def _reference_indexes(spec: DatasetSpec) -> list[Index]:
    """Indexes on reference fields not already led by a search index."""
    led = {s.fields[0] for s in spec.searches if s.kind is not SearchKind.TRIGRAM}
    return [
        Index(f"ix_{spec.current_table}_ref_{rel.field}", rel.field)
        for rel in spec.relations
        if rel.field not in led and not rel.many
    ]


def build_current_table(spec: DatasetSpec, version: Table) -> Table:
    return Table(
        spec.current_table,
        metadata,
        *(
            _field_column(f, nullable=not f.required) if f.name != spec.key
            else Column(f.name, SQL_TYPES[f.type](), primary_key=True,
                        comment=f"{f.label_ko} / {f.label_en}")
            for f in spec.fields
        ),
        Column("version_id", BigInteger, ForeignKey(version.c.version_id), nullable=False,
               unique=True),
        Column("valid_from", Date, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("batch_id", BigInteger, ForeignKey("sync_batch.batch_id"), nullable=True),
        Column("row_hash", UUID(as_uuid=False), nullable=False),
        Column("raw_hash", BigInteger, nullable=True,
               comment="hash of the source row as last received (sync change detection)"),
        *(_search_index(spec, s.name) for s in spec.searches),
        *_reference_indexes(spec),
        comment=f"{spec.label_ko} ({spec.label_en}): live records",
    )


version_tables: dict[str, Table] = {}
current_tables: dict[str, Table] = {}

for _spec in DATASETS.values():
    version_tables[_spec.name] = build_version_table(_spec)
    current_tables[_spec.name] = build_current_table(_spec, version_tables[_spec.name])


def today_view_sql(spec: DatasetSpec, fields: Sequence[str] | None = None) -> str:
    """``CREATE VIEW`` of the dataset's records valid today, with ``fields`` (default:
    the spec's; a migration passes the columns the tables have at that revision).

    The second part runs only while an applied batch of the dataset is dated after
    today: one probe of ``ix_sync_batch_dataset_applied_as_of``, evaluated once per
    statement, so otherwise the view costs a filter on the current table.
    """
    columns = ", ".join(quote_ident(name) for name in (fields or spec.field_names))
    columns += ", version_id, valid_from, recorded_at, batch_id, row_hash"
    today = TODAY_IN_KOREA_SQL
    return (
        f"CREATE VIEW {quote_ident(spec.today_view)} AS "
        f"SELECT {columns} FROM {quote_ident(spec.current_table)} WHERE valid_from <= {today} "
        f"UNION ALL SELECT {columns} FROM {quote_ident(spec.version_table)} "
        f"WHERE (SELECT max(as_of) FROM sync_batch WHERE dataset = {literal(spec.name)} "
        f"AND status = 'applied') > {today} "
        f"AND superseded_at IS NULL AND valid_from <= {today} AND valid_to > {today}"
    )


#: Marks a current table in generated SQL where the records valid today are meant.
TODAY_MARK = "/*today*/"


def live_table(spec: DatasetSpec) -> str:
    """The dataset's current table, marked for :func:`with_today_views`.

    Joining a view made of a UNION ALL hides the current table's unique key from the
    planner (a check run at national scale took eight times as long), so statements
    name the table and read the view only for datasets with announced changes.
    """
    return f'{TODAY_MARK}"{spec.current_table}"'


def with_today_views(sql: str, datasets: Iterable[str]) -> str:
    """``sql`` reading the today view of each of ``datasets`` where it marks the table."""
    for name in datasets:
        spec = DATASETS[name]
        sql = sql.replace(live_table(spec), quote_ident(spec.today_view))
    return sql


#: Datasets with an applied batch dated after today: their current table holds
#: versions not valid yet.
ANNOUNCED_SQL = (
    "SELECT DISTINCT dataset FROM sync_batch WHERE status = 'applied' "
    f"AND as_of > {TODAY_IN_KOREA_SQL}"
)
