"""Scorecards: how good each dataset and each owning agency's data is, and the trend.

Numbers come from stored check results, never from the data itself, so an
inspector's view costs a few index reads. A scorecard uses the **latest result
of every rule** (a nightly run refreshes all; a run after one dataset's sync
refreshes that dataset's), restricted to rules still in the catalogue.

For a group of results (a dataset, an agency, a dimension):

``pass_rate``
    rules passing / rules run. Rules with nothing to check (``no_data``) or that
    could not run (``error``) are counted apart, not as passes.
``error_rate``
    failing rows / checked rows, summed over the rules run: the share of
    rule-by-row evaluations that failed (a row failing two rules counts twice).
``row_pass_rate``
    ``1 - error_rate``: the row-weighted pass rate.

The functions return plain dicts (JSON-ready) for the CLI, the report, the
console and the API.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from entities.agencies import AGENCIES
from entities.registry import DATASETS, get_dataset
from mdr.quality.models import DIMENSIONS, Severity
from mdr.quality.rules import ACCURACY_TABLE, all_rules, catalogue
from mdr.quality.runner import mask_samples


@dataclass
class Tally:
    """Counts of one group of rule results."""

    rules_passed: int = 0
    rules_failed: int = 0
    rules_no_data: int = 0
    rules_error: int = 0
    checked_rows: int = 0
    failing_rows: int = 0

    def add(self, status: str, checked: int, failing: int) -> None:
        if status == "passed":
            self.rules_passed += 1
        elif status == "failed":
            self.rules_failed += 1
        elif status == "no_data":
            self.rules_no_data += 1
        else:
            self.rules_error += 1
        if status in ("passed", "failed"):
            self.checked_rows += checked
            self.failing_rows += failing

    def merge(self, other: Tally) -> None:
        for name in ("rules_passed", "rules_failed", "rules_no_data", "rules_error",
                     "checked_rows", "failing_rows"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rules_run(self) -> int:
        return self.rules_passed + self.rules_failed

    def as_dict(self) -> dict[str, Any]:
        error_rate = self.failing_rows / self.checked_rows if self.checked_rows else None
        return {
            "rules_run": self.rules_run,
            "rules_passed": self.rules_passed,
            "rules_failed": self.rules_failed,
            "rules_no_data": self.rules_no_data,
            "rules_error": self.rules_error,
            "pass_rate": self.rules_passed / self.rules_run if self.rules_run else None,
            "checked_rows": self.checked_rows,
            "failing_rows": self.failing_rows,
            "error_rate": error_rate,
            "row_pass_rate": None if error_rate is None else 1 - error_rate,
        }


def _tallies(rows: Iterable[Mapping[str, Any]]) -> tuple[Tally, dict[str, Tally]]:
    """(overall, by dimension) of result rows."""
    overall = Tally()
    by_dimension = {d: Tally() for d in DIMENSIONS}
    for row in rows:
        overall.add(row["status"], row["checked_rows"], row["failing_rows"])
        by_dimension[row["dimension"]].add(row["status"], row["checked_rows"],
                                           row["failing_rows"])
    return overall, by_dimension


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# --------------------------------------------------------------------------- latest results


def latest_results(session: Session, datasets: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The latest stored result of every catalogue rule (of ``datasets``), catalogue order."""
    wanted = None if datasets is None else [get_dataset(d).name for d in datasets]
    rows = session.execute(text(
        "SELECT DISTINCT ON (c.rule_id) c.run_id, c.rule_id, c.dataset, c.dimension,"
        " c.severity, c.status, c.checked_rows, c.failing_rows, c.sample_keys, c.duration_ms,"
        " c.scan, c.error, r.finished_at AS checked_at"
        " FROM check_result c JOIN check_run r ON r.run_id = c.run_id"
        " WHERE r.finished_at IS NOT NULL AND (CAST(:datasets AS text[]) IS NULL"
        "   OR c.dataset = ANY(CAST(:datasets AS text[])))"
        " ORDER BY c.rule_id, c.run_id DESC"
    ), {"datasets": wanted}).mappings().all()
    order = {r.id: i for i, r in enumerate(all_rules())}
    found = [dict(row) for row in rows if row["rule_id"] in order]
    found.sort(key=lambda row: order[row["rule_id"]])
    return found


def scorecards(session: Session) -> dict[str, Any]:
    """Per dataset and per owning agency: overall and per-dimension rates."""
    results = latest_results(session)
    by_dataset: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in results:
        by_dataset[row["dataset"]].append(row)
    datasets = []
    agency_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for spec in DATASETS.values():
        rows = by_dataset.get(spec.name, [])
        agency_rows[spec.owner.code].extend(rows)
        overall, dims = _tallies(rows)
        checked_at = max((r["checked_at"] for r in rows), default=None)
        datasets.append({
            "dataset": spec.name, "label_ko": spec.label_ko, "label_en": spec.label_en,
            "owner": spec.owner.code, "last_checked_at": _iso(checked_at),
            "overall": overall.as_dict(),
            "dimensions": {d: t.as_dict() for d, t in dims.items()},
        })
    agencies = []
    for code, rows in agency_rows.items():
        agency = AGENCIES[code]
        overall, dims = _tallies(rows)
        agencies.append({
            "agency": code, "name_ko": agency.name_ko, "name_en": agency.name_en,
            "datasets": [s.name for s in DATASETS.values() if s.owner.code == code],
            "overall": overall.as_dict(),
            "dimensions": {d: t.as_dict() for d, t in dims.items()},
        })
    national, national_dims = _tallies(results)
    return {
        "as_of": _iso(max((r["checked_at"] for r in results), default=None)),
        "rules_in_catalogue": len(all_rules()),
        "rules_with_results": len(results),
        "overall": national.as_dict(),
        "dimensions": {d: t.as_dict() for d, t in national_dims.items()},
        "datasets": datasets,
        "agencies": agencies,
    }


# --------------------------------------------------------------------------- trend


def runs(session: Session, limit: int = 30) -> list[dict[str, Any]]:
    """The latest finished runs, oldest first."""
    rows = session.execute(text(
        "SELECT run_id, triggered_by, scope, started_at, finished_at, rules_run, rules_failed"
        " FROM (SELECT * FROM check_run WHERE finished_at IS NOT NULL"
        "       ORDER BY run_id DESC LIMIT :n) r ORDER BY run_id"
    ), {"n": limit}).mappings().all()
    return [
        {**row, "started_at": _iso(row["started_at"]), "finished_at": _iso(row["finished_at"])}
        for row in rows
    ]


def trend(session: Session, *, limit: int = 30, by: str = "dataset") -> list[dict[str, Any]]:
    """Rates per run and per dataset (or owning agency, ``by="agency"``) and dimension.

    One point per (run, group, dimension) the run checked, oldest first, and for
    each (group, dimension) its latest ``limit`` runs: hourly timeliness runs do
    not push the nightly runs of the other dimensions out of the window.
    """
    if by not in ("dataset", "agency"):
        raise ValueError("by must be 'dataset' or 'agency'")
    rows = session.execute(text(
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY dataset, dimension"
        "                                            ORDER BY run_id DESC) AS recent"
        " FROM (SELECT r.run_id, r.finished_at, r.triggered_by, c.dataset, c.dimension,"
        " count(*) FILTER (WHERE c.status = 'passed') AS passed,"
        " count(*) FILTER (WHERE c.status = 'failed') AS failed,"
        " count(*) FILTER (WHERE c.status = 'no_data') AS no_data,"
        " count(*) FILTER (WHERE c.status = 'error') AS error,"
        " coalesce(sum(c.checked_rows) FILTER (WHERE c.status IN ('passed', 'failed')), 0)"
        "   AS checked,"
        " coalesce(sum(c.failing_rows) FILTER (WHERE c.status IN ('passed', 'failed')), 0)"
        "   AS failing"
        " FROM check_run r JOIN check_result c ON c.run_id = r.run_id"
        " WHERE r.finished_at IS NOT NULL"
        " GROUP BY r.run_id, r.finished_at, r.triggered_by, c.dataset, c.dimension) per) ranked"
        " WHERE recent <= :n"
    ), {"n": limit}).mappings().all()
    points: dict[tuple[int, str, str], Tally] = defaultdict(Tally)
    meta: dict[int, tuple[dt.datetime, str]] = {}
    for row in rows:
        group = row["dataset"] if by == "dataset" else get_dataset(row["dataset"]).owner.code
        points[(row["run_id"], group, row["dimension"])].merge(Tally(
            int(row["passed"]), int(row["failed"]), int(row["no_data"]), int(row["error"]),
            int(row["checked"]), int(row["failing"]),
        ))
        meta[row["run_id"]] = (row["finished_at"], row["triggered_by"])
    out = []
    for (run_id, group, dimension), tally in sorted(
        points.items(), key=lambda kv: (kv[0][0], kv[0][1], DIMENSIONS.index(kv[0][2]))
    ):
        finished_at, triggered_by = meta[run_id]
        out.append({
            "run_id": run_id, "finished_at": _iso(finished_at), "triggered_by": triggered_by,
            by: group, "dimension": dimension, **tally.as_dict(),
        })
    return out


# --------------------------------------------------------------------------- worst rules


def worst_rules(session: Session, limit: int = 20, *, mask: bool = True) -> list[dict[str, Any]]:
    """Failing rules of the latest results, most severe first, then most failing rows.

    Sample keys are masked (``mask=True``) where the dataset's key identifies a person.
    """
    by_id = catalogue().by_id
    failing = [r for r in latest_results(session) if r["status"] == "failed"]
    severities = list(Severity)  # most severe first
    failing.sort(key=lambda r: (severities.index(r["severity"]), -r["failing_rows"], r["rule_id"]))
    out = []
    for row in failing[:limit]:
        rule = by_id[row["rule_id"]]
        samples = list(row["sample_keys"] or [])
        out.append({
            "rule_id": rule.id, "dataset": rule.dataset,
            "owner": get_dataset(rule.dataset).owner.code, "dimension": row["dimension"],
            "severity": row["severity"], "description": rule.description,
            "checked_rows": row["checked_rows"], "failing_rows": row["failing_rows"],
            "error_rate": row["failing_rows"] / row["checked_rows"] if row["checked_rows"]
            else None,
            "sample_keys": mask_samples(rule, samples) if mask else samples,
            "run_id": row["run_id"], "checked_at": _iso(row["checked_at"]),
        })
    return out


# --------------------------------------------------------------------------- accuracy


def accuracy(session: Session) -> dict[str, Any]:
    """Agreement of agency copies with the master: each agency's latest run per dataset.

    ``available`` is False until a ``reconciliation_run`` table exists; ``fields``
    (per-field agreement) is filled when that table has ``field_agreement``.
    """
    exists = session.execute(
        text("SELECT to_regclass(:t) IS NOT NULL"), {"t": ACCURACY_TABLE}
    ).scalar_one()
    if not exists:
        return {"available": False, "agencies": []}
    has_fields = session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM information_schema.columns"
        " WHERE table_name = :t AND column_name = 'field_agreement'"
        " AND table_schema = ANY(current_schemas(false)))"
    ), {"t": ACCURACY_TABLE}).scalar_one()
    fields = "field_agreement" if has_fields else "NULL::jsonb AS field_agreement"
    rows = session.execute(text(
        f"SELECT DISTINCT ON (dataset, agency) dataset, agency, finished_at, records_compared,"
        f" records_agreeing, {fields} FROM {ACCURACY_TABLE} WHERE finished_at IS NOT NULL"
        " ORDER BY dataset, agency, finished_at DESC"
    )).mappings().all()
    by_agency: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        compared, agreeing = int(row["records_compared"]), int(row["records_agreeing"])
        field_rates = {}
        for name, counts in (row["field_agreement"] or {}).items():
            n = int(counts.get("compared", 0))
            field_rates[name] = int(counts.get("agreeing", 0)) / n if n else None
        by_agency[row["agency"]].append({
            "dataset": row["dataset"], "finished_at": _iso(row["finished_at"]),
            "records_compared": compared, "records_agreeing": agreeing,
            "agreement_rate": agreeing / compared if compared else None,
            "fields": field_rates,
        })
    agencies = []
    for code in sorted(by_agency):
        entries = by_agency[code]
        compared = sum(e["records_compared"] for e in entries)
        agreeing = sum(e["records_agreeing"] for e in entries)
        agencies.append({
            "agency": code,
            "name_en": AGENCIES[code].name_en if code in AGENCIES else code,
            "name_ko": AGENCIES[code].name_ko if code in AGENCIES else code,
            "records_compared": compared, "records_agreeing": agreeing,
            "agreement_rate": agreeing / compared if compared else None,
            "datasets": entries,
        })
    return {"available": True, "agencies": agencies}
