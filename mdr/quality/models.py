"""Stored check runs and their per-rule results, so history and trends exist.

``check_result.sample_keys`` holds at most 50 failing record keys per rule,
unmasked: stewards need the real keys to fix records. Everything that shows
them to people (CLI, report, API) masks personal identifiers.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from mdr.db.base import metadata

TRIGGERS = ("cli", "schedule", "after_sync", "api")


class Dimension(StrEnum):
    """DAMA data-quality dimensions, in the order scorecards and reports show them."""

    COMPLETENESS = "completeness"
    VALIDITY = "validity"
    UNIQUENESS = "uniqueness"
    CONSISTENCY = "consistency"
    TIMELINESS = "timeliness"
    ACCURACY = "accuracy"


class Severity(StrEnum):
    """How bad a failing rule is, most severe first (worst rules are ranked so)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ResultStatus(StrEnum):
    """A rule's outcome in one run. ``no_data``: nothing to check; ``error``: could not run."""

    PASSED = "passed"
    FAILED = "failed"
    NO_DATA = "no_data"
    ERROR = "error"


DIMENSIONS: Final = tuple(d.value for d in Dimension)
"""The dimensions' values in order, as plain strings: the keys of scorecard documents,
what templates iterate and what a query string is compared with."""


def _in(column: str, values: Iterable[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


check_run = Table(
    "check_run",
    metadata,
    Column("run_id", BigInteger, Identity(), primary_key=True),
    Column("triggered_by", Text, nullable=False),
    Column("scope", JSONB, nullable=False, server_default=text("'{}'::jsonb"),
           comment="datasets, rule patterns and dimensions the run was limited to"),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("rules_run", Integer, nullable=False, server_default="0"),
    Column("rules_failed", Integer, nullable=False, server_default="0"),
    CheckConstraint(_in("triggered_by", TRIGGERS), name="triggered_by"),
    Index("ix_check_run_started_at", "started_at"),
    comment="One run of integrity checks",
)

check_result = Table(
    "check_result",
    metadata,
    Column("run_id", BigInteger, ForeignKey("check_run.run_id", ondelete="CASCADE"),
           primary_key=True),
    Column("rule_id", Text, primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("dimension", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("checked_rows", BigInteger, nullable=False),
    Column("failing_rows", BigInteger, nullable=False),
    Column("sample_keys", ARRAY(Text), nullable=False, server_default=text("'{}'::text[]"),
           comment="at most 50 failing record keys, unmasked"),
    Column("duration_ms", Float, nullable=False,
           comment="time of the statement that evaluated the rule (shared by a table's rules)"),
    Column("scan", Text, nullable=False, comment="label of that statement"),
    Column("error", Text, nullable=True),
    CheckConstraint(_in("status", ResultStatus), name="status"),
    CheckConstraint(_in("dimension", Dimension), name="dimension"),
    CheckConstraint(_in("severity", Severity), name="severity"),
    CheckConstraint("failing_rows >= 0 AND failing_rows <= checked_rows", name="counts"),
    Index("ix_check_result_rule_id_run_id", "rule_id", "run_id"),
    Index("ix_check_result_dataset_run_id", "dataset", "run_id"),
    comment="One rule's outcome in one check run",
)
