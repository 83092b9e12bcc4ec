"""Run integrity rules inside PostgreSQL and store what they found.

All row rules of one table run as **one scan**: an inner query evaluates each
rule's scope and condition once per row into a small state column (``OFFSET 0``
keeps PostgreSQL from inlining them back into every aggregate; the per-row work
still runs in parallel workers where the server allows), and the outer query
counts the states and collects at most :data:`~mdr.quality.rules.SAMPLE_LIMIT`
failing keys per rule. At a million residents, 25 separate scans of the resident
table would repeat the I/O and the joins 25 times (``bench/checks.py`` measures
one scan per table against one per rule).
The timeliness rules of all datasets are one query over ``sync_batch``; the
accuracy rules one query over ``reconciliation_run`` when it exists.

Only counts and sample keys leave the database. Each statement runs under a
savepoint: a statement that fails records its rules as ``error`` and the run
goes on. The caller owns the transaction (``unit_of_work``), so a run's results
are committed together.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from entities.masking import mask_field
from entities.registry import DATASETS, get_dataset
from entities.tables import ANNOUNCED_SQL, live_table, with_today_views
from mdr.quality.models import Dimension, ResultStatus, check_result, check_run
from mdr.quality.rules import (
    ACCURACY_CONTRACT,
    ACCURACY_TABLE,
    SAMPLE_LIMIT,
    Join,
    Rule,
    RuleKind,
    select_rules,
)
from mdr.quality.rules.model import lit, max_age_sql, q

log = logging.getLogger(__name__)

RUN_SETTINGS = {"work_mem": "128MB", "jit": "off"}
"""Settings during a run: the relation joins hash whole target tables, and compiling a
scan of thirty rules' expressions with JIT costs more (about a second each) than it
saves, since the time goes into the identifier functions."""


@dataclass
class RuleResult:
    rule: Rule
    status: str  # passed | failed | no_data (nothing to check) | error
    checked_rows: int
    failing_rows: int
    sample_keys: list[str]
    duration_ms: float
    scan: str
    error: str | None = None

    @property
    def error_rate(self) -> float | None:
        return self.failing_rows / self.checked_rows if self.checked_rows else None

    def masked_samples(self) -> list[str]:
        return mask_samples(self.rule, self.sample_keys)

    def as_dict(self, *, mask: bool = True) -> dict[str, Any]:
        return {
            "rule_id": self.rule.id,
            "dataset": self.rule.dataset,
            "dimension": self.rule.dimension.value,
            "severity": self.rule.severity.value,
            "status": self.status,
            "checked_rows": self.checked_rows,
            "failing_rows": self.failing_rows,
            "error_rate": self.error_rate,
            "sample_keys": self.masked_samples() if mask else list(self.sample_keys),
            "duration_ms": round(self.duration_ms, 1),
            "scan": self.scan,
            "error": self.error,
        }


@dataclass
class RunSummary:
    run_id: int
    triggered_by: str
    scope: dict[str, Any]
    started_at: dt.datetime
    finished_at: dt.datetime
    results: list[RuleResult] = field(default_factory=list)

    @property
    def failed(self) -> list[RuleResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def as_dict(self, *, mask: bool = True) -> dict[str, Any]:
        counts = {s.value: sum(r.status == s for r in self.results) for s in ResultStatus}
        return {
            "run_id": self.run_id,
            "triggered_by": self.triggered_by,
            "scope": self.scope,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "rules_run": len(self.results),
            **{f"rules_{k}": v for k, v in counts.items()},
            "results": [r.as_dict(mask=mask) for r in self.results],
        }


def mask_samples(rule: Rule, samples: Sequence[str]) -> list[str]:
    """Samples for display: record keys that identify a person are masked."""
    if rule.kind is not RuleKind.ROW:
        return list(samples)
    spec = get_dataset(rule.dataset)
    return [mask_field(spec, spec.key, s) or "" for s in samples]


# --------------------------------------------------------------------------- statements


@dataclass
class Statement:
    """One SQL statement evaluating several rules; ``parse`` maps its rows to counts."""

    label: str
    rules: list[Rule]
    sql: str
    kind: RuleKind

    def parse(self, rows: Sequence[Any]) -> dict[str, tuple[int, int, list[str]]]:
        if self.kind is RuleKind.ROW:
            (row,) = rows
            return {
                r.id: (int(row[3 * i]), int(row[3 * i + 1]), sorted(row[3 * i + 2] or []))
                for i, r in enumerate(self.rules)
            }
        found = {row[0]: (int(row[1]), int(row[2]), sorted(row[3] or [])) for row in rows}
        return {r.id: found[r.dataset] for r in self.rules if r.dataset in found}


def row_scan(dataset: str, rules: Sequence[Rule]) -> Statement:
    """All ``rules`` (row rules of ``dataset``) in one scan of its current table."""
    spec = get_dataset(dataset)
    joins: dict[str, Join] = {}
    for rule in rules:
        for join in rule.joins:
            known = joins.setdefault(join.alias, join)
            if known.sql != join.sql:
                raise ValueError(f"join alias {join.alias!r} means two different joins")
    inner = [f"t.{q(spec.key)} AS k"]
    outer = []
    for i, rule in enumerate(rules):
        # per row and rule: 0 out of scope, 1 checked and passing, 2 failing (scope and
        # condition each evaluated once)
        inner.append(f"CASE WHEN NOT coalesce(({rule.scope}), false) THEN 0 "
                     f"WHEN coalesce(({rule.condition}), false) THEN 2 ELSE 1 END AS r{i}")
        outer += [
            f"count(*) FILTER (WHERE r{i} > 0)",
            f"count(*) FILTER (WHERE r{i} = 2)",
            f"(array_agg(k) FILTER (WHERE r{i} = 2))[1:{SAMPLE_LIMIT}]",
        ]
    join_sql = "".join(f"\n  {j.sql}" for j in joins.values())
    sql = (
        f"SELECT {', '.join(outer)}\nFROM (SELECT {', '.join(inner)}\n"
        f"  FROM {live_table(spec)} t{join_sql}\n  OFFSET 0) x"
    )
    label = f"{dataset}: {len(rules)} rule{'s' if len(rules) != 1 else ''} in one scan"
    return Statement(label, list(rules), sql, RuleKind.ROW)


def timeliness_query(rules: Sequence[Rule]) -> Statement:
    """Every dataset's last applied sync against its cadence, in one query of the ledger."""
    values = ", ".join(
        f"({lit(r.dataset)}, {max_age_sql(get_dataset(r.dataset))})" for r in rules
    )
    sql = (
        "SELECT d.dataset, 1, (last IS NULL OR last < now() - d.max_age)::int,\n"
        "  CASE WHEN last IS NULL THEN ARRAY['never synced']\n"
        "       WHEN last < now() - d.max_age THEN ARRAY['last applied sync ' ||\n"
        "         to_char(last AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD HH24:MI') || ' KST'] END\n"
        f"FROM (VALUES {values}) AS d(dataset, max_age)\n"
        "LEFT JOIN LATERAL (SELECT max(b.finished_at) AS last FROM sync_batch b\n"
        "  WHERE b.dataset = d.dataset AND b.status = 'applied') s ON true"
    )
    return Statement("sync ledger: last applied sync per dataset", list(rules), sql,
                     RuleKind.TIMELINESS)


def accuracy_query(rules: Sequence[Rule]) -> Statement:
    """Each agency's latest reconciliation per dataset: compared and disagreeing records."""
    datasets = ", ".join(lit(r.dataset) for r in rules)
    sql = (
        "SELECT dataset, coalesce(sum(records_compared), 0),\n"
        "  coalesce(sum(records_compared - records_agreeing), 0),\n"
        "  (array_agg(agency || ': ' || records_agreeing || ' of ' || records_compared\n"
        "     || ' agree' ORDER BY agency) FILTER (WHERE records_agreeing < records_compared))"
        f"[1:{SAMPLE_LIMIT}]\n"
        "FROM (SELECT DISTINCT ON (dataset, agency) dataset, agency, records_compared,\n"
        f"        records_agreeing FROM {ACCURACY_TABLE}\n"
        f"      WHERE finished_at IS NOT NULL AND dataset IN ({datasets})\n"
        "      ORDER BY dataset, agency, finished_at DESC) latest\n"
        "GROUP BY dataset"
    )
    return Statement(f"{ACCURACY_TABLE}: latest run per agency", list(rules), sql,
                     RuleKind.ACCURACY)


def plan(rules: Sequence[Rule], *, combine: bool = True) -> list[Statement]:
    """The statements that evaluate ``rules``: one per table, or one per rule."""
    statements: list[Statement] = []
    for dataset in DATASETS:
        row_rules = [r for r in rules if r.dataset == dataset and r.kind is RuleKind.ROW]
        if not row_rules:
            continue
        if combine:
            statements.append(row_scan(dataset, row_rules))
        else:
            for rule in row_rules:
                statement = row_scan(dataset, [rule])
                statement.label = f"{rule.id} alone"
                statements.append(statement)
    timely = [r for r in rules if r.kind is RuleKind.TIMELINESS]
    if timely:
        statements.append(timeliness_query(timely))
    accurate = [r for r in rules if r.kind is RuleKind.ACCURACY]
    if accurate:
        statements.append(accuracy_query(accurate))
    return statements


# --------------------------------------------------------------------------- running


def _accuracy_available(session: Session) -> bool:
    return session.execute(
        text("SELECT to_regclass(:t) IS NOT NULL"), {"t": ACCURACY_TABLE}
    ).scalar_one() is True


def _evaluate(session: Session, statement: Statement,
              announced: Sequence[str] = ()) -> list[RuleResult]:
    """Run one statement; ``announced`` datasets are read through their today views."""
    started = time.perf_counter()
    try:
        with session.begin_nested():
            rows = session.execute(text(with_today_views(statement.sql, announced))).all()
    except DBAPIError as exc:
        message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if statement.kind is RuleKind.ACCURACY:
            message += f" (expected {ACCURACY_CONTRACT})"
        log.error("check statement failed", extra={"scan": statement.label, "error": message})
        ms = (time.perf_counter() - started) * 1000
        return [RuleResult(r, "error", 0, 0, [], ms, statement.label, message[:2000])
                for r in statement.rules]
    ms = (time.perf_counter() - started) * 1000
    counts = statement.parse(rows)
    results = []
    for rule in statement.rules:
        if rule.id not in counts:
            results.append(RuleResult(rule, "no_data", 0, 0, [], ms, statement.label))
            continue
        checked, failing, samples = counts[rule.id]
        # a rule that found nothing to check has not passed: it is not applicable yet
        status = "failed" if failing else "passed" if checked else "no_data"
        results.append(RuleResult(rule, status, checked, failing, samples, ms, statement.label))
    return results


def run_checks(
    session: Session,
    *,
    datasets: Iterable[str] | None = None,
    rules: Iterable[str] | None = None,
    dimensions: Iterable[Dimension | str] | None = None,
    with_dependents: bool = False,
    triggered_by: str = "cli",
    combine: bool = True,
) -> RunSummary:
    """Run the selected rules (all by default), store the run and return it.

    Rule failures are data, not errors: this raises only for an unknown dataset
    or rule (before anything is written). ``combine=False`` runs each row rule as
    its own scan, which the benchmark uses to time rules one by one.
    """
    dataset_list = None if datasets is None else list(datasets)
    rule_list = None if rules is None else list(rules)
    dimension_list = None if dimensions is None else [Dimension(d).value for d in dimensions]
    selected = select_rules(dataset_list, rule_list, dimension_list,
                            with_dependents=with_dependents)
    scope: dict[str, Any] = {
        k: v for k, v in (("datasets", dataset_list), ("rules", rule_list),
                          ("dimensions", dimension_list)) if v is not None
    }
    if with_dependents:
        scope["with_dependents"] = True
    run_id, started_at = session.execute(
        insert(check_run).values(triggered_by=triggered_by, scope=scope,
                                 started_at=func.clock_timestamp())
        .returning(check_run.c.run_id, check_run.c.started_at)
    ).one()
    previous = {
        name: session.execute(text("SELECT current_setting(:n)"), {"n": name}).scalar_one()
        for name in RUN_SETTINGS
    }
    for name, value in RUN_SETTINGS.items():
        session.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})
    results: list[RuleResult] = []
    announced = list(session.execute(text(ANNOUNCED_SQL)).scalars())
    try:
        for statement in plan(selected, combine=combine):
            if statement.kind is RuleKind.ACCURACY and not _accuracy_available(session):
                results += [RuleResult(r, "no_data", 0, 0, [], 0.0, statement.label)
                            for r in statement.rules]
                continue
            results += _evaluate(session, statement, announced)
    finally:
        for name, value in previous.items():
            session.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})
    order = {r.id: i for i, r in enumerate(selected)}
    results.sort(key=lambda r: order[r.rule.id])
    if results:
        session.execute(insert(check_result), [
            {
                "run_id": run_id, "rule_id": r.rule.id, "dataset": r.rule.dataset,
                "dimension": r.rule.dimension.value, "severity": r.rule.severity.value,
                "status": r.status, "checked_rows": r.checked_rows,
                "failing_rows": r.failing_rows, "sample_keys": r.sample_keys,
                "duration_ms": r.duration_ms, "scan": r.scan, "error": r.error,
            }
            for r in results
        ])
    finished_at = session.execute(
        update(check_run).where(check_run.c.run_id == run_id).values(
            finished_at=func.clock_timestamp(), rules_run=len(results),
            rules_failed=sum(r.status == "failed" for r in results),
        ).returning(check_run.c.finished_at)
    ).scalar_one()
    summary = RunSummary(run_id, triggered_by, scope, started_at, finished_at, results)
    log.info("checks finished", extra={
        "run_id": run_id, "rules": len(results), "failed": len(summary.failed),
        "seconds": round(summary.seconds, 3),
    })
    return summary
