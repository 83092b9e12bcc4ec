"""The rule model, the SQL a rule becomes, and the helpers rules are written with.

Row rules (:attr:`RuleKind.ROW`) are SQL over the dataset's current table aliased
``t``: ``scope`` selects the rows the rule checks (its ``checked_rows``),
``condition`` is true for a failing row, and ``joins`` add ``LEFT JOIN``s that match
at most one row each (on a target's primary key or a grouped subquery), so the
runner can put all rules of a table into one scan.

A timeliness rule reads the sync ledger (``sync_batch``) by name; an accuracy rule
reads reconciliation results (``reconciliation_run``, see :data:`ACCURACY_CONTRACT`)
when that table exists and reports "no data" otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from entities.registry import get_dataset
from entities.spec import DatasetSpec, FieldSpec, FieldType, RelationSpec
from entities.tables import live_table
from mdr.db.sql import literal, quote_ident
from mdr.quality.models import Dimension, Severity
from mdr.timezone import TODAY_IN_KOREA_SQL

SAMPLE_LIMIT = 50
"""Most failing keys a rule brings out of the database (DESIGN.md section 7)."""

TODAY = TODAY_IN_KOREA_SQL
"""Today in Korea, the calendar every date of the master data is in."""

ACCURACY_TABLE = "reconciliation_run"
ACCURACY_CONTRACT = (
    "reconciliation_run(dataset text, agency text, finished_at timestamptz, "
    "records_compared bigint, records_agreeing bigint[, field_agreement jsonb])"
)
"""Columns the accuracy rules and report read from reconciliation results.

One row per reconciliation run of an agency's copy of a dataset: how many of its
records were linked to a master record and compared, and how many agreed on
every compared field. The optional ``field_agreement`` maps a field name to
``{"compared": n, "agreeing": m}``. The latest finished run per agency counts.
"""


class RuleKind(StrEnum):
    ROW = "row"  # rows of the dataset's current table
    TIMELINESS = "timeliness"  # the dataset's sync ledger
    ACCURACY = "accuracy"  # the dataset's reconciliation results


@dataclass(frozen=True)
class Join:
    """A ``LEFT JOIN`` matching at most one row per row of ``t``."""

    alias: str
    sql: str
    reads: tuple[str, ...] = ()  # datasets it reads


@dataclass(frozen=True)
class Rule:
    id: str
    dataset: str
    dimension: Dimension
    severity: Severity
    description: str
    condition: str = "FALSE"
    scope: str = "TRUE"
    joins: tuple[Join, ...] = ()
    kind: RuleKind = RuleKind.ROW
    derived: bool = True

    @property
    def family(self) -> str:
        """``required``, ``validity``, ``uniqueness``, ``relation``, ``consistency`` ..."""
        return self.id.split(".")[1]

    @property
    def reads(self) -> tuple[str, ...]:
        """Datasets other than its own whose data the rule reads."""
        return tuple(dict.fromkeys(d for j in self.joins for d in j.reads if d != self.dataset))

    @property
    def sql(self) -> str:
        """One statement returning the keys of the failing records (column ``key``)."""
        spec = get_dataset(self.dataset)
        if self.kind is RuleKind.TIMELINESS:
            return (
                f"SELECT {lit(self.dataset)} AS key FROM (SELECT max(finished_at) AS last "
                f"FROM sync_batch WHERE dataset = {lit(self.dataset)} AND status = 'applied') s "
                f"WHERE s.last IS NULL OR s.last < now() - {max_age_sql(spec)}"
            )
        if self.kind is RuleKind.ACCURACY:
            return (
                f"SELECT agency AS key FROM (SELECT DISTINCT ON (agency) agency, "
                f"records_compared, records_agreeing FROM {ACCURACY_TABLE} "
                f"WHERE dataset = {lit(self.dataset)} AND finished_at IS NOT NULL "
                f"ORDER BY agency, finished_at DESC) r WHERE records_agreeing < records_compared"
            )
        joins = "".join(f"\n  {j.sql}" for j in self.joins)
        return (
            f"SELECT t.{q(spec.key)} AS key\nFROM {live_table(spec)} t{joins}\n"
            f"WHERE ({self.scope}) AND ({self.condition})"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "dataset": self.dataset,
            "owner": get_dataset(self.dataset).owner.code,
            "dimension": self.dimension.value,
            "severity": self.severity.value,
            "family": self.family,
            "kind": self.kind.value,
            "derived": self.derived,
            "description": self.description,
            "reads": list(self.reads),
            "sql": self.sql,
        }


# --------------------------------------------------------------------------- SQL helpers


q, lit = quote_ident, literal  # short: rules are written as SQL text full of them


def col(name: str, alias: str = "t") -> str:
    return f"{alias}.{q(name)}"


def max_age_sql(spec: DatasetSpec) -> str:
    return f"interval '{int(spec.cadence.max_age.total_seconds())} seconds'"


def present(f: FieldSpec, alias: str = "t") -> str:
    """SQL: the field holds a value (blank text counts as missing)."""
    c = col(f.name, alias)
    if f.type in (FieldType.TEXT, FieldType.CODE):
        return f"({c} IS NOT NULL AND btrim({c}) <> '')"
    return f"{c} IS NOT NULL"


def codes_sql(dataset: str, field_name: str, *values: str) -> str:
    """``('a', 'b')`` for an ``IN``; every value must be one of the field's codes."""
    allowed = get_dataset(dataset).field_spec(field_name).codes
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValueError(f"{dataset}.{field_name}: {unknown} are not codes of the field")
    return "(" + ", ".join(lit(v) for v in values) + ")"


def present_name(dataset: str, field_name: str) -> str:
    """:func:`present` of a field named by dataset and field name."""
    return present(get_dataset(dataset).field_spec(field_name))


# --------------------------------------------------------------------------- joins


def relation_join(spec: DatasetSpec, rel: RelationSpec, kind: str = "") -> Join:
    """The join resolving one relation (one target kind of a polymorphic one)."""
    target = get_dataset(rel.targets[kind])
    key = q(target.key)
    if rel.many:
        alias = f"r_{rel.name}"
        return Join(
            alias,
            f"LEFT JOIN (SELECT m.{q(spec.key)} AS k, count(*) AS missing "
            f"FROM {live_table(spec)} m CROSS JOIN LATERAL "
            f"unnest(string_to_array(m.{q(rel.field)}, ';')) AS x(v) "
            f"WHERE btrim(x.v) <> '' AND NOT EXISTS (SELECT 1 FROM {live_table(target)} p "
            f"WHERE p.{key} = btrim(x.v)) GROUP BY m.{q(spec.key)}) {alias} "
            f"ON {alias}.k = t.{q(spec.key)}",
            reads=(target.name,),
        )
    if rel.kind_field:
        alias = f"r_{rel.name}_{kind}"
        return Join(
            alias,
            f"LEFT JOIN {live_table(target)} {alias} ON {col(rel.kind_field)} = {lit(kind)} "
            f"AND {alias}.{key} = {col(rel.field)}",
            reads=(target.name,),
        )
    alias = f"r_{rel.name}"
    return Join(
        alias,
        f"LEFT JOIN {live_table(target)} {alias} ON {alias}.{key} = {col(rel.field)}",
        reads=(target.name,),
    )


def relation_named(spec: DatasetSpec, name: str) -> RelationSpec:
    return next(r for r in spec.relations if r.name == name)


def reference(dataset: str, relation: str, kind: str = "") -> tuple[Join, str]:
    """(join, alias) of a relation, for hand-written rules that read the target."""
    spec = get_dataset(dataset)
    join = relation_join(spec, relation_named(spec, relation), kind)
    return join, join.alias
