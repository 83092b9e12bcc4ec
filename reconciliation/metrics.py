"""Accuracy of agency copies: agreement per field, outcome shares, drift between runs.

Per finished run of an agency's copy of a dataset (stored on ``reconciliation_run``,
the columns :data:`mdr.quality.rules.ACCURACY_CONTRACT` names, so the integrity
checks and scorecards read the same numbers):

* ``records_compared``: agency records linked to a master record (``match`` and
  ``match_with_differences``; an ambiguous candidate is not a link);
* ``records_agreeing``: those with no differing field (``match``);
* ``field_agreement``: per compared field, ``compared`` = linked pairs where the
  agency or the master has a value (two blanks say nothing) and ``agreeing`` =
  those where the normalised values are equal;
* outcome shares: each outcome's part of the agency's records (master-only
  records are counted apart: they are not rows of the copy).

Drift compares a run with the previous finished run of the same agency and
dataset: the change of the agreement rate, of each field's rate and of each
outcome share, and one ``score``: the total variation distance between the two
outcome distributions (half the sum of the absolute share changes; 0 when the
copy relates to the master exactly as before, 1 when nothing is alike). A copy
that is re-exported unchanged scores 0; one that starts dropping a field or
loses its keys moves the score at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from sqlalchemy import Connection, text

AGENCY_OUTCOMES = ("match", "match_with_differences", "agency_only", "ambiguous")
LINKED = ("match", "match_with_differences")
DEFAULT_HISTORY = 10
"""Runs per agency and dataset that :func:`accuracy` returns as a trend."""


@dataclass(frozen=True)
class RunFigures:
    """The accuracy numbers of one run."""

    run_id: int
    agency_records: int
    outcomes: dict[str, int]
    records_compared: int
    records_agreeing: int
    field_agreement: dict[str, dict[str, int]]
    finished_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def agreement_rate(self) -> float | None:
        return _rate(self.records_agreeing, self.records_compared)

    @property
    def outcome_shares(self) -> dict[str, float | None]:
        return {o: _rate(self.outcomes.get(o, 0), self.agency_records) for o in AGENCY_OUTCOMES}

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "finished_at": self.finished_at,
            "agency_records": self.agency_records,
            "outcomes": {o: self.outcomes.get(o, 0) for o in (*AGENCY_OUTCOMES, "master_only")},
            "outcome_shares": self.outcome_shares,
            "records_compared": self.records_compared,
            "records_agreeing": self.records_agreeing,
            "agreement_rate": self.agreement_rate,
            "field_agreement": field_rates(self.field_agreement),
            **self.extra,
        }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def field_rates(agreement: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, Any]]:
    """``{field: {compared, agreeing, rate}}`` from stored counts."""
    return {
        name: {
            "compared": int(c.get("compared", 0)),
            "agreeing": int(c.get("agreeing", 0)),
            "rate": _rate(int(c.get("agreeing", 0)), int(c.get("compared", 0))),
        }
        for name, c in agreement.items()
    }


def figures_from_frames(
    outcomes: pl.DataFrame,
    agency: pl.DataFrame,
    master: pl.DataFrame,
    fields: Sequence[str],
    master_key: str,
) -> RunFigures:
    """A run's figures from its outcomes and the normalised frames they came from.

    ``outcomes``: agency_row, master_key (the master's stored key), outcome,
    differing_fields; ``agency`` by agency_row and ``master`` by its ``master_key``
    column hold the normalised values of ``fields``.
    """
    counts = {o: int(n) for o, n in outcomes.get_column("outcome").value_counts().iter_rows()}
    linked = outcomes.filter(pl.col("outcome").is_in(LINKED))
    agreement: dict[str, dict[str, int]] = {}
    if linked.height and fields:
        a = agency.select("agency_row", *[pl.col(f).is_not_null().alias(f"a:{f}") for f in fields])
        m = master.select(
            pl.col(master_key).alias("master_key"),
            *[pl.col(f).is_not_null().alias(f"m:{f}") for f in fields],
        )
        pairs = (
            linked.select("agency_row", "master_key", "differing_fields")
            .join(a, on="agency_row", how="left")
            .join(m, on="master_key", how="left")
        )
        present = pairs.select(
            [
                (pl.col(f"a:{f}").fill_null(False) | pl.col(f"m:{f}").fill_null(False))
                .sum()
                .alias(f)
                for f in fields
            ]
        ).row(0, named=True)
        differing = dict(
            pairs.select(pl.col("differing_fields").explode().drop_nulls())
            .to_series()
            .value_counts()
            .iter_rows()
        )
        for f in fields:
            compared = int(present[f])
            agreement[f] = {
                "compared": compared,
                "agreeing": max(compared - int(differing.get(f, 0)), 0),
            }
    return RunFigures(
        run_id=0,
        agency_records=outcomes.height,
        outcomes={o: counts.get(o, 0) for o in AGENCY_OUTCOMES},
        records_compared=linked.height,
        records_agreeing=counts.get("match", 0),
        field_agreement=agreement,
    )


def run_figures(row: Mapping[str, Any]) -> RunFigures:
    """Figures of a stored ``reconciliation_run`` row."""
    finished = row.get("finished_at")
    return RunFigures(
        run_id=int(row["run_id"]),
        agency_records=int(row.get("agency_records") or 0),
        outcomes={
            "match": int(row.get("match_count") or 0),
            "match_with_differences": int(row.get("match_with_differences_count") or 0),
            "agency_only": int(row.get("agency_only_count") or 0),
            "ambiguous": int(row.get("ambiguous_count") or 0),
            "master_only": int(row.get("master_only_count") or 0),
        },
        records_compared=int(row.get("records_compared") or 0),
        records_agreeing=int(row.get("records_agreeing") or 0),
        field_agreement=dict(row.get("field_agreement") or {}),
        finished_at=finished.isoformat() if isinstance(finished, dt.datetime) else finished,
    )


_RUN_COLUMNS = (
    "run_id, dataset, agency, source, finished_at, agency_records, records_compared, "
    "records_agreeing, field_agreement, match_count, match_with_differences_count, "
    "agency_only_count, ambiguous_count, master_only_count"
)


def previous_run(
    conn: Connection, dataset: str, agency: str, before: dt.datetime | None
) -> RunFigures | None:
    """The latest finished run of the agency and dataset (before ``before``, if given)."""
    row = (
        conn.execute(
            text(
                f"SELECT {_RUN_COLUMNS} FROM reconciliation_run WHERE dataset = :d AND agency = :a "
                "AND status = 'finished' AND (CAST(:b AS timestamptz) IS NULL "
                "OR finished_at < CAST(:b AS timestamptz)) "
                "ORDER BY finished_at DESC, run_id DESC LIMIT 1"
            ),
            {"d": dataset, "a": agency, "b": before},
        )
        .mappings()
        .first()
    )
    return run_figures(dict(row)) if row is not None else None


def drift(current: RunFigures, previous: RunFigures | None) -> dict[str, Any] | None:
    """How the copy moved since the previous run (see the module docstring); None if first."""
    if previous is None:
        return None
    now, then = current.outcome_shares, previous.outcome_shares
    share_change = {o: _diff(now[o], then[o]) for o in AGENCY_OUTCOMES}
    score = 0.5 * sum(abs(v) for v in share_change.values() if v is not None)
    now_fields, then_fields = (
        field_rates(current.field_agreement),
        field_rates(previous.field_agreement),
    )
    return {
        "previous_run": previous.run_id,
        "score": round(score, 6),
        "agreement_rate_change": _diff(current.agreement_rate, previous.agreement_rate),
        "outcome_share_change": share_change,
        "field_agreement_change": {
            f: _diff(now_fields[f]["rate"], then_fields.get(f, {}).get("rate")) for f in now_fields
        },
    }


def _diff(now: float | None, then: float | None) -> float | None:
    return round(now - then, 6) if now is not None and then is not None else None


def accuracy(
    conn: Connection,
    *,
    dataset: str | None = None,
    agency: str | None = None,
    history: int = DEFAULT_HISTORY,
) -> dict[str, Any]:
    """Per agency and dataset: the latest run's figures, its drift and the recent trend."""
    rows = (
        conn.execute(
            text(
                f"SELECT * FROM (SELECT {_RUN_COLUMNS}, row_number() OVER "
                "(PARTITION BY dataset, agency ORDER BY finished_at DESC, run_id DESC) AS n "
                "FROM reconciliation_run "
                "WHERE status = 'finished' AND (CAST(:d AS text) IS NULL OR dataset = :d) "
                "AND (CAST(:a AS text) IS NULL OR agency = :a)) r WHERE n <= :h "
                "ORDER BY dataset, agency, n"
            ),
            {"d": dataset, "a": agency, "h": max(history, 2)},
        )
        .mappings()
        .all()
    )
    groups: dict[tuple[str, str], list[RunFigures]] = {}
    for row in rows:
        groups.setdefault((row["dataset"], row["agency"]), []).append(run_figures(dict(row)))
    entries = []
    for (name, code), runs in groups.items():
        latest = runs[0]
        entries.append(
            {
                "dataset": name,
                "agency": code,
                "latest": latest.as_dict(),
                "drift": drift(latest, runs[1] if len(runs) > 1 else None),
                "trend": [
                    {
                        "run_id": r.run_id,
                        "finished_at": r.finished_at,
                        "agreement_rate": r.agreement_rate,
                        "outcome_shares": r.outcome_shares,
                    }
                    for r in runs[:history]
                ],
            }
        )
    return {"dataset": dataset, "agency": agency, "entries": entries}
