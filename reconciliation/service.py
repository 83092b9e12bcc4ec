"""Reconciliation runs: an agency copy against the master, stored with its evidence.

A run (:func:`reconcile_file`, or :func:`create_run` then :func:`execute_run` for
the API's background runs):

1. reads the agency copy (:mod:`reconciliation.intake`) and normalises it;
2. loads the master's current table with ``COPY (SELECT ...) TO STDOUT`` straight
   into polars. With a scope, only the master records in scope, plus those whose
   key the copy carries (so a record that moved out of the scope still links and
   shows the difference instead of becoming agency-only), plus the targets of the
   steward's manual links;
3. applies the steward's manual links (:data:`reconciliation.models.reconciliation_manual_link`)
   and runs the linkage engine (:func:`reconciliation.linkage.link`) on the rest:
   a relinked agency record and its master record are taken out before linking
   and joined by hand; an agency record whose engine link a steward rejected is
   unlinked after;
4. computes the accuracy figures (:mod:`reconciliation.metrics`);
5. writes outcomes and evidence with ``COPY``, the steward's work items
   (:func:`reconciliation.inbox.record_run_items`) and the run's final row in
   one transaction. A failure rolls all of that back and marks the run
   ``failed`` with its error: a run is finished with all its rows, or has none.

Runs of one agency's copy of one dataset are serialised by a PostgreSQL
advisory lock (a later upload waits, ``queued``), so manual links, work items
and drift always see the previous run complete. Master-only records count only
inside the scope; without one, every master record the copy lacks is one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import Connection, Engine, RowMapping, text

from entities.mapping import load_mapping
from entities.registry import DATASETS, get_dataset
from entities.spec import Comparator, DatasetSpec, FieldSpec
from entities.tables import ANNOUNCED_SQL
from entities.tabular import normalise_encoding
from mdr.access import gate
from mdr.access.keys import Principal
from mdr.db.sql import advisory_lock, json_param, quote_ident
from mdr.errors import FieldNotGranted, Forbidden, InvalidInput, NotFound, error_text
from reconciliation import comparators, inbox, intake, metrics
from reconciliation.disclosure import SCORE_DECIMALS
from reconciliation.linkage import LinkResult, LinkSettings, link
from reconciliation.normalise import normalise_frame

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
STAGES = ("waiting", "reading", "master", "linking", "storing")
_MASTER_KEY = "__master_key"  # the master's stored key, next to its normalised form
_IN_SCOPE = "__in_scope"
_IDENT = "__ident"
_LINKED = ("match", "match_with_differences")


@dataclass
class RunResult:
    """A finished run: what the CLI prints and the API returns, plus the result frames."""

    run_id: int
    dataset: str
    agency: str
    status: str
    source: str
    sha256: str | None
    scope: dict[str, list[str]] | None
    rule_version: str
    agency_records: int
    outcomes: dict[str, int]
    records_compared: int
    records_agreeing: int
    field_agreement: dict[str, dict[str, int]]
    mapping: dict[str, Any]
    manual_links: dict[str, int]
    items: dict[str, int]
    drift: dict[str, Any] | None
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)
    results: pl.DataFrame | None = None  # one row per agency record, RESULT_COLUMNS
    master_only: pl.DataFrame | None = None  # master_key

    def as_dict(self) -> dict[str, Any]:
        compared = self.records_compared
        total = self.agency_records
        return {
            "run_id": self.run_id,
            "dataset": self.dataset,
            "agency": self.agency,
            "status": self.status,
            "source": self.source,
            "sha256": self.sha256,
            "scope": self.scope,
            "rule_version": self.rule_version,
            "agency_records": total,
            "outcomes": self.outcomes,
            "outcome_shares": {
                o: round(n / total, 6) if total else None
                for o, n in self.outcomes.items()
                if o != "master_only"
            },
            "records_compared": compared,
            "records_agreeing": self.records_agreeing,
            "agreement_rate": round(self.records_agreeing / compared, 6) if compared else None,
            "field_agreement": metrics.field_rates(self.field_agreement),
            "mapping": self.mapping,
            "manual_links": self.manual_links,
            "items": self.items,
            "drift": self.drift,
            "timings": self.timings,
            "linkage": {
                k: self.stats.get(k)
                for k in (
                    "tier_links",
                    "candidate_pairs",
                    "pairs_per_agency_record",
                    "tier2_agency_rows",
                    "compared_fields",
                )
            },
        }


# --------------------------------------------------------------------------- entry points


def check_agency(code: str) -> str:
    """An agency code as keys and runs use it (letters, digits, ``-``, ``_``)."""
    code = code.strip()
    if not code or not code.replace("_", "").replace("-", "").isalnum():
        raise InvalidInput("agency code must be letters, digits, '-' or '_'", agency=code)
    return code


def operator(user: str) -> Principal:
    """Someone running ``mdr reconcile`` for an agency: staff, who may compare every
    field, and whose result files are logged under their name."""
    return gate.staff_principal(user, "operator", DATASETS)


def create_run(
    engine: Engine,
    dataset: str,
    agency: str,
    source: str,
    scope: Mapping[str, Sequence[str]] | None = None,
    *,
    requested_by: str | None = None,
    purpose: str | None = None,
    granted_fields: Sequence[str] | None = None,
    upload_path: Path | None = None,
    options: Mapping[str, Any] | None = None,
) -> int:
    """Record a queued run and return its id (committed, so it can be polled at once)."""
    spec = get_dataset(dataset)
    with engine.begin() as conn:
        run_id = int(
            conn.execute(
                text(
                    "INSERT INTO reconciliation_run (dataset, agency, source, scope, status, "
                    "requested_by, purpose, granted_fields, upload_path, options) "
                    "VALUES (:d, :a, :s, CAST(:scope AS jsonb), 'queued', :by, :p, :g, :u, "
                    "CAST(:o AS jsonb)) RETURNING run_id"
                ),
                {
                    "d": spec.name,
                    "a": check_agency(agency),
                    "s": source,
                    "scope": json_param(dict(scope)) if scope else None,
                    "by": requested_by,
                    "p": purpose,
                    "g": list(granted_fields) if granted_fields is not None else None,
                    "u": str(upload_path) if upload_path is not None else None,
                    "o": json_param(dict(options)) if options is not None else None,
                },
            ).scalar_one()
        )
        if upload_path is not None:  # wake a worker waiting for uploads
            conn.execute(text(f"NOTIFY {QUEUE_CHANNEL}"))
        return run_id


QUEUE_CHANNEL = "mdr_reconciliation_queue"


@dataclass(frozen=True)
class PreparedRun:
    """A run request that passed the gate: what the run may compare, and for whom."""

    spec: DatasetSpec
    agency: str
    scope: dict[str, list[str]] | None
    principal: Principal
    purpose: str
    granted: frozenset[str] | None  # None: every field (staff)


def prepare_run(
    principal: Principal,
    dataset: str,
    *,
    agency: str,
    purpose: str | None,
    scope: Sequence[str] | None = None,
    source: str | None = None,
    format_name: str | None = None,
    encoding: str | None = None,
) -> PreparedRun:
    """Check a run request at the gate before anything is read or stored: the caller
    acts for ``agency`` (its own, unless staff), holds a grant on the dataset for
    ``purpose``, and scopes the copy by granted fields only (a scope filters the
    master by its values). Both the CLI and the upload route call this."""
    spec = get_dataset(dataset)
    agency = check_agency(agency)
    staff = gate.is_staff(principal)
    if agency != principal.agency_code and not staff:
        raise Forbidden(
            f"this key belongs to {principal.agency_code}; it may reconcile only that "
            "agency's copies")
    auth = gate.authorize(principal, spec, gate.purpose_of(principal, purpose), None)
    scope_map = intake.parse_scope(spec, scope)
    hidden = [name for name in scope_map or {} if name not in auth.granted]
    if hidden:
        raise FieldNotGranted(f"scope on fields not granted: {', '.join(hidden)}",
                              fields=hidden)
    if source is not None:
        intake.file_format(Path(source), format_name)
    if encoding is not None:
        normalise_encoding(encoding)
    return PreparedRun(spec, agency, scope_map, principal, auth.purpose,
                       None if staff else auth.granted)


def queue_run(prepared: PreparedRun, source: str, *, engine: Engine,
              upload_path: Path | None = None,
              options: Mapping[str, Any] | None = None) -> int:
    """Record a prepared run (queued); with ``upload_path`` a worker carries it out."""
    return create_run(
        engine, prepared.spec.name, prepared.agency, source, prepared.scope,
        requested_by=prepared.principal.key_id, purpose=prepared.purpose,
        granted_fields=sorted(prepared.granted) if prepared.granted is not None else None,
        upload_path=upload_path, options=options)


def reconcile_file(
    engine: Engine,
    dataset: str,
    path: Path,
    *,
    agency: str,
    principal: Principal | None = None,
    purpose: str | None = None,
    mapping_path: Path | None = None,
    encoding: str | None = None,
    scope: Sequence[str] | None = None,
    format_name: str | None = None,
    settings: LinkSettings | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Reconcile one agency file in this process (the CLI's entry point): check at the
    gate, record, run. Without a principal, an operator (:func:`operator`) asks."""
    principal = principal or operator("cli")
    prepared = prepare_run(principal, dataset, agency=agency, purpose=purpose, scope=scope,
                           source=Path(path).name, format_name=format_name, encoding=encoding)
    mapping = load_mapping(mapping_path, spec=prepared.spec) if mapping_path else None
    run_id = queue_run(prepared, Path(path).name, engine=engine)
    return execute_run(
        engine,
        run_id,
        Path(path),
        encoding=encoding,
        mapping=mapping,
        format_name=format_name,
        settings=settings,
        progress=progress,
    )


def execute_run(
    engine: Engine,
    run_id: int,
    path: Path,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    format_name: str | None = None,
    source_name: str | None = None,
    settings: LinkSettings | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Carry out a queued run; on any error the run is marked failed and the error raised."""
    step = progress or (lambda _stage: None)
    with engine.connect() as conn:
        row = (
            conn.execute(
                text(
                    "SELECT dataset, agency, source, scope, status, granted_fields "
                    "FROM reconciliation_run WHERE run_id = :r"
                ),
                {"r": run_id},
            )
            .mappings()
            .first()
        )
    if row is None:
        raise NotFound(f"no reconciliation run {run_id}")
    if row["status"] != "queued":
        raise InvalidInput(f"run {run_id} is {row['status']}, not queued")
    spec = get_dataset(row["dataset"])
    step("waiting")
    with run_lock(engine, spec.name, row["agency"]):
        return execute_locked(engine, run_id, path, row, encoding=encoding, mapping=mapping,
                              format_name=format_name, source_name=source_name,
                              settings=settings, step=step)


def execute_locked(
    engine: Engine,
    run_id: int,
    path: Path,
    row: Mapping[str, Any] | RowMapping,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    format_name: str | None = None,
    source_name: str | None = None,
    settings: LinkSettings | None = None,
    step: Progress = lambda _stage: None,
) -> RunResult:
    """:func:`execute_run` for a caller holding :func:`run_lock` of the run's agency and
    dataset (``row``: the run's ledger row)."""
    spec = get_dataset(row["dataset"])
    _recover_interrupted(engine, spec.name, row["agency"])
    _mark(engine, run_id, "running")
    try:
        run = _Run(
            engine,
            spec,
            run_id,
            agency=row["agency"],
            scope=row["scope"],
            settings=settings or LinkSettings(),
            step=step,
            granted=frozenset(row["granted_fields"])
            if row["granted_fields"] is not None else None,
        )
        result = run.execute(
            path,
            encoding=encoding,
            mapping=mapping,
            format_name=format_name,
            source_name=source_name or row["source"],
        )
    except BaseException as exc:
        _mark(engine, run_id, "failed", error=error_text(exc))
        raise
    log.info(
        "reconciliation finished",
        extra={
            "run_id": run_id,
            "dataset": spec.name,
            "agency": row["agency"],
            **{f"outcome_{k}": v for k, v in result.outcomes.items()},
        },
    )
    return result


def fail_run(engine: Engine, run_id: int, error: str) -> None:
    """Mark a run failed before it could start (e.g. its upload could not be stored)."""
    _mark(engine, run_id, "failed", error=error)


def results_frame(outcomes: pl.DataFrame) -> pl.DataFrame:
    """Outcomes in the results CSV's columns and forms (DESIGN.md section 6)."""
    return outcomes.sort("agency_row").select(
        pl.col("agency_row").cast(pl.Int64),
        pl.col("master_key"),
        pl.col("outcome"),
        pl.col("score").clip(0.0, 1.0).round(SCORE_DECIMALS),
        pl.col("differing_fields").list.join(";").replace("", None),
    )


def run_summary(conn: Connection, run_id: int) -> dict[str, Any]:
    """A stored run as the API's poll answers it (status, counts, accuracy, drift)."""
    row = (
        conn.execute(text("SELECT * FROM reconciliation_run WHERE run_id = :r"), {"r": run_id})
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no reconciliation run {run_id}")
    summary = metrics.run_figures(dict(row))
    out: dict[str, Any] = {
        "run_id": row["run_id"],
        "dataset": row["dataset"],
        "agency": row["agency"],
        "status": row["status"],
        "source": row["source"],
        "sha256": row["sha256"],
        "scope": row["scope"],
        "error": row["error"],
        "queued_at": _iso(row["queued_at"]),
        "started_at": _iso(row["started_at"]),
        "finished_at": _iso(row["finished_at"]),
        "failed_at": _iso(row["failed_at"]),
        "rule_version": row["rule_version"],
        "mapping": row["mapping"],
    }
    if row["status"] == "finished":
        previous = metrics.previous_run(conn, row["dataset"], row["agency"], row["finished_at"])
        stats = row["stats"] or {}
        out |= summary.as_dict() | {
            "drift": metrics.drift(summary, previous),
            "timings": stats.get("timings", {}),
            "compared_fields": stats.get("compared_fields", []),
            "items": stats.get("items", {}),
            "manual_links": stats.get("manual_links", {}),
        }
    return out


# --------------------------------------------------------------------------- the run


def compared_fields(
    spec: DatasetSpec, agency: pl.DataFrame, master: pl.DataFrame
) -> list[FieldSpec]:
    """Fields linkage compares: comparable, in the master, supplied by the copy (a value)."""
    return [
        f
        for f in spec.fields
        if f.compare is not Comparator.NONE
        and f.name in master.columns
        and f.name in agency.columns
        and agency.get_column(f.name).null_count() < agency.height
    ]


def agency_identity(
    spec: DatasetSpec, normalised: pl.DataFrame, fields: Sequence[str]
) -> pl.Series:
    """Who an agency record is across runs: ``k:<normalised key>``, else ``r:<digest>``.

    The key is what a steward's decision should follow (the copy's other values may
    change); a record without a readable key is known by a digest of all its values.
    """
    key = normalised.get_column(spec.key).cast(pl.String)
    ident = ("k:" + key).alias(_IDENT)
    missing = key.is_null()
    if not missing.any():
        return ident
    idx = missing.arg_true()
    names = [n for n in fields if n in normalised.columns]
    rest = (
        normalised.select(names)
        .gather(idx)
        .select(
            pl.concat_str(
                [pl.col(n).cast(pl.String).fill_null("") for n in names], separator="\x1f"
            )
        )
        .to_series()
        if names
        else pl.Series([""] * len(idx))
    )
    digests = ["r:" + hashlib.sha256(v.encode()).hexdigest()[:32] for v in rest.to_list()]
    return ident.scatter(idx, pl.Series(digests, dtype=pl.String))


@dataclass(frozen=True)
class ManualLink:
    agency_ident: str
    master_key: str | None
    rejected_master_key: str | None


class _Run:
    """One run's work, from file to stored rows."""

    def __init__(
        self,
        engine: Engine,
        spec: DatasetSpec,
        run_id: int,
        *,
        agency: str,
        scope: dict[str, list[str]] | None,
        settings: LinkSettings,
        step: Progress,
        granted: frozenset[str] | None = None,
    ) -> None:
        self.engine, self.spec, self.run_id, self.agency = engine, spec, run_id, agency
        self.scope, self.settings, self.step = scope, settings, step
        self.granted = granted  # None: every field
        self.timings: dict[str, float] = {}

    @contextmanager
    def _timed(self, stage: str) -> Iterator[None]:
        if stage in STAGES:
            self.step(stage)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = round(time.perf_counter() - started, 3)

    def execute(
        self,
        path: Path,
        *,
        encoding: str | None,
        mapping: Mapping[str, str] | None,
        format_name: str | None,
        source_name: str,
    ) -> RunResult:
        spec = self.spec
        with self._timed("reading"):
            copy = intake.read_agency_copy(
                spec,
                path,
                encoding=encoding,
                mapping=mapping,
                format_name=format_name,
                source_name=source_name,
            ).within(self.granted)
            agency = normalise_frame(spec, copy.frame)
            copy = intake.check_parsed(copy, agency)
            agency = agency.with_columns(agency_identity(spec, agency, copy.fields))
        with self._timed("master"):
            with self.engine.connect() as conn:
                links = _manual_links(conn, spec.name, self.agency)
                master_raw = _load_master(conn, spec, self.scope, agency, links,
                                          granted=self.granted)
                conn.rollback()
            master = normalise_frame(spec, master_raw)
        with self._timed("linking"):
            fields = compared_fields(spec, agency, master)
            linked = _Linkage(
                spec, master, agency, fields=fields, links=links, settings=self.settings
            ).run()
        with self._timed("metrics"):
            figures = metrics.figures_from_frames(
                linked.outcomes, agency, master, [f.name for f in fields], _MASTER_KEY
            )
            outcomes = _with_agency_values(linked.outcomes, copy)
        storing_started = time.perf_counter()
        with self._timed("storing"), self.engine.connect() as conn, conn.begin():
            _copy_rows(conn, self.run_id, outcomes, linked.master_only, linked.evidence)
            items = inbox.record_run_items(conn, self.run_id, spec.name, self.agency, self.scope,
                                           agency_records=copy.frame.height)
            previous = metrics.previous_run(conn, spec.name, self.agency, None)
            stats = linked.stats | {
                "timings": self.timings,
                "items": items,
                "manual_links": linked.manual,
            }
            counts = figures.outcomes | {"master_only": linked.master_only.height}
            self.timings["storing"] = round(time.perf_counter() - storing_started, 3)
            conn.execute(
                text(
                    "UPDATE reconciliation_run SET status = 'finished', "
                    "finished_at = clock_timestamp(), sha256 = :sha, agency_records = :n, "
                    "records_compared = :rc, "
                    "records_agreeing = :ra, field_agreement = CAST(:fa AS jsonb), "
                    "match_count = :m, match_with_differences_count = :mwd, "
                    "agency_only_count = :ao, ambiguous_count = :am, master_only_count = :mo, "
                    "rule_version = :rv, mapping = CAST(:map AS jsonb), "
                    "stats = CAST(:stats AS jsonb) WHERE run_id = :r"
                ),
                {
                    "r": self.run_id,
                    "sha": copy.sha256,
                    "n": copy.frame.height,
                    "rc": figures.records_compared,
                    "ra": figures.records_agreeing,
                    "fa": json_param(figures.field_agreement),
                    "m": counts.get("match", 0),
                    "mwd": counts.get("match_with_differences", 0),
                    "ao": counts.get("agency_only", 0),
                    "am": counts.get("ambiguous", 0),
                    "mo": counts["master_only"],
                    "rv": linked.rule_version,
                    "map": json_param(copy.report()),
                    "stats": json_param(stats),
                },
            )
            figures = metrics.RunFigures(
                run_id=self.run_id,
                agency_records=copy.frame.height,
                outcomes=counts,
                records_compared=figures.records_compared,
                records_agreeing=figures.records_agreeing,
                field_agreement=figures.field_agreement,
            )
        return RunResult(
            run_id=self.run_id,
            dataset=spec.name,
            agency=self.agency,
            status="finished",
            source=copy.source,
            sha256=copy.sha256,
            scope=self.scope,
            rule_version=linked.rule_version,
            agency_records=copy.frame.height,
            outcomes=counts,
            records_compared=figures.records_compared,
            records_agreeing=figures.records_agreeing,
            field_agreement=figures.field_agreement,
            mapping=copy.report(),
            manual_links=linked.manual,
            items=items,
            drift=metrics.drift(figures, previous),
            timings=self.timings,
            stats=linked.stats,
            results=results_frame(linked.outcomes),
            master_only=linked.master_only.sort("master_key"),
        )


# --------------------------------------------------------------------------- master


def _manual_links(conn: Connection, dataset: str, agency: str) -> list[ManualLink]:
    rows = conn.execute(
        text(
            "SELECT agency_ident, master_key, rejected_master_key FROM reconciliation_manual_link "
            "WHERE dataset = :d AND agency = :a AND active ORDER BY link_id"
        ),
        {"d": dataset, "a": agency},
    ).all()
    return [ManualLink(r[0], r[1], r[2]) for r in rows]


def _load_master(
    conn: Connection,
    spec: DatasetSpec,
    scope: Mapping[str, list[str]] | None,
    agency: pl.DataFrame,
    links: Sequence[ManualLink],
    *,
    granted: frozenset[str] | None = None,
) -> pl.DataFrame:
    """The records valid today as text, via COPY; ``__in_scope`` marks records in the
    scope. The today view only while the dataset has announced changes: otherwise
    the current table is the same rows, read about twice as fast.

    Only the ``granted`` fields are read (None: all), and the key, which identifies the
    record in the stored outcome but is compared only when granted (the copy's key
    column is dropped otherwise)."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("SET LOCAL DateStyle = 'ISO, YMD'")
        names = [f.name for f in spec.fields
                 if granted is None or f.name in granted or f.name == spec.key]
        columns = ", ".join(f"c.{quote_ident(name)}::text AS {quote_ident(name)}" for name in names)
        key = quote_ident(spec.key)
        cursor.execute(ANNOUNCED_SQL)
        announced = {name for (name,) in cursor.fetchall()}
        table = quote_ident(spec.today_view if spec.name in announced else spec.current_table)
        if not scope:
            query = f"SELECT {columns}, true AS {_IN_SCOPE} FROM {table} c"
        else:
            conditions: list[str] = []
            params: list[Any] = []
            for name, values in scope.items():
                if name == spec.linkage.scope_field:  # a region code also matches its prefix
                    conditions.append(f"c.{quote_ident(name)}::text LIKE ANY(%s)")
                    params.append([_like_prefix(v) for v in values])
                else:
                    conditions.append(f"c.{quote_ident(name)}::text = ANY(%s)")
                    params.append(list(values))
            in_scope = " AND ".join(conditions)
            wanted = (agency.get_column(spec.key).drop_nulls().cast(pl.String).to_list()
                      if spec.key in agency.columns else [])
            wanted += [link.master_key for link in links if link.master_key]
            cursor.execute("CREATE TEMP TABLE rec_wanted_keys (k text) ON COMMIT DROP")
            buffer = io.BytesIO()
            pl.DataFrame({"k": wanted}, schema={"k": pl.String}).write_csv(
                buffer, include_header=False
            )
            buffer.seek(0)
            cursor.copy_expert("COPY rec_wanted_keys (k) FROM STDIN WITH (FORMAT csv)", buffer)
            cursor.execute("ANALYZE rec_wanted_keys")
            query = cursor.mogrify(
                f"SELECT {columns}, ({in_scope}) AS {_IN_SCOPE} FROM {table} c "
                f"WHERE ({in_scope}) OR c.{key} IN (SELECT k FROM rec_wanted_keys)",
                params + params,
            ).decode()
        out = io.BytesIO()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER true)", out)
    finally:
        cursor.close()
    names = [*names, _IN_SCOPE]
    frame = (
        pl.read_csv(out.getvalue(), schema=dict.fromkeys(names, pl.String), raise_if_empty=False)
        if out.tell()
        else pl.DataFrame(schema=dict.fromkeys(names, pl.String))
    )
    return frame.with_columns(
        pl.col(_IN_SCOPE).eq("t").alias(_IN_SCOPE),
        pl.col(spec.key).alias(_MASTER_KEY),
    )


def _like_prefix(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# --------------------------------------------------------------------------- linkage


@dataclass
class _Linked:
    outcomes: pl.DataFrame  # agency_row, master_key, outcome, score, differing_fields, tier,
    #                         agency_ident
    evidence: pl.DataFrame
    master_only: pl.DataFrame  # master_key
    stats: dict[str, Any]
    rule_version: str
    manual: dict[str, int]


class _Linkage:
    """The engine plus the steward's standing decisions."""

    def __init__(
        self,
        spec: DatasetSpec,
        master: pl.DataFrame,
        agency: pl.DataFrame,
        *,
        fields: Sequence[FieldSpec],
        links: Sequence[ManualLink],
        settings: LinkSettings,
    ) -> None:
        self.spec, self.master, self.agency = spec, master, agency
        self.fields, self.links, self.settings = list(fields), list(links), settings
        self.names = [f.name for f in self.fields]

    def run(self) -> _Linked:
        spec = self.spec
        relinks = self._relinks()
        rest_agency = self.agency.filter(
            ~pl.col("agency_row").is_in(relinks.get_column("agency_row").implode())
        )
        rest_master = self.master.filter(
            ~pl.col(_MASTER_KEY).is_in(relinks.get_column("master_key").implode())
        )
        result = link(spec, rest_master, rest_agency, settings=self.settings)
        outcomes, evidence, engine_master_only = self._map_keys(result)
        outcomes = outcomes.join(
            rest_agency.select("agency_row", _IDENT), on="agency_row", how="left"
        ).rename({_IDENT: "agency_ident"})
        outcomes, evidence, freed, unlinked = self._apply_rejections(outcomes, evidence)
        manual_outcomes, manual_evidence = self._manual_pairs(relinks)
        outcomes = pl.concat([outcomes, manual_outcomes], how="diagonal_relaxed").sort("agency_row")
        evidence = pl.concat([evidence, manual_evidence], how="diagonal_relaxed").sort(
            "agency_row", "field"
        )
        in_scope = self.master.filter(pl.col(_IN_SCOPE)).select(
            pl.col(_MASTER_KEY).alias("master_key")
        )
        claimed = outcomes.get_column("master_key").drop_nulls().implode()
        master_only = (
            pl.concat([engine_master_only, freed])
            .unique()
            .filter(~pl.col("master_key").is_in(claimed))
            .join(in_scope, on="master_key", how="semi")
        )
        stats = result.stats.as_dict()
        stats["compared_fields"] = list(self.names)
        return _Linked(
            outcomes,
            evidence,
            master_only,
            stats,
            result.rule_version,
            {"relinked": relinks.height, "unlinked": unlinked, "standing": len(self.links)},
        )

    def _relinks(self) -> pl.DataFrame:
        """(agency_row, master_key) of standing relinks whose both sides are present."""
        wanted = [(lk.agency_ident, lk.master_key) for lk in self.links if lk.master_key]
        empty = pl.DataFrame(schema={"agency_row": pl.Int64, "master_key": pl.String})
        if not wanted:
            return empty
        decisions = pl.DataFrame(
            wanted, schema={_IDENT: pl.String, "master_key": pl.String}, orient="row"
        ).unique("master_key", keep="first")
        rows = (
            self.agency.select("agency_row", _IDENT)
            .join(decisions, on=_IDENT)
            .sort("agency_row")
            .unique(_IDENT, keep="first")
            .join(
                self.master.select(pl.col(_MASTER_KEY).alias("master_key")),
                on="master_key",
                how="semi",
            )
        )
        return rows.select("agency_row", "master_key").sort("agency_row") if rows.height else empty

    def _map_keys(self, result: LinkResult) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
        """Engine keys are normalised; give back the master's stored keys."""
        keys = (
            self.master.select(
                pl.col(self.spec.key).cast(pl.String).alias("__norm"), pl.col(_MASTER_KEY)
            )
            .drop_nulls("__norm")
            .unique("__norm", keep="first")
        )
        outcomes = (
            result.outcomes.join(keys, left_on="master_key", right_on="__norm", how="left")
            .with_columns(pl.col(_MASTER_KEY).alias("master_key"))
            .drop(_MASTER_KEY)
        )
        master_only = result.master_only.join(
            keys, left_on="master_key", right_on="__norm", how="left"
        ).select(pl.coalesce(_MASTER_KEY, "master_key").alias("master_key"))
        return outcomes, result.evidence, master_only

    def _apply_rejections(
        self, outcomes: pl.DataFrame, evidence: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, int]:
        """Agency records the engine linked again to a master record a steward rejected."""
        rejected = [
            (lk.agency_ident, lk.rejected_master_key)
            for lk in self.links
            if lk.rejected_master_key and not lk.master_key
        ]
        freed = pl.DataFrame(schema={"master_key": pl.String})
        if not rejected:
            return outcomes, evidence, freed, 0
        decisions = pl.DataFrame(
            rejected, schema={"agency_ident": pl.String, "__rejected": pl.String}, orient="row"
        )
        hit = (
            outcomes.join(decisions, on="agency_ident", how="left")
            .select(
                (
                    pl.col("__rejected").is_not_null()
                    & (pl.col("master_key") == pl.col("__rejected"))
                ).fill_null(False)
            )
            .to_series()
        )
        if not hit.any():
            return outcomes, evidence, freed, 0
        freed = outcomes.filter(hit).select("master_key")
        rows = outcomes.filter(hit).get_column("agency_row").implode()
        outcomes = outcomes.with_columns(
            pl.when(hit).then(pl.lit(None, pl.String)).otherwise("master_key").alias("master_key"),
            pl.when(hit).then(pl.lit("agency_only")).otherwise("outcome").alias("outcome"),
            pl.when(hit).then(0.0).otherwise("score").alias("score"),
            pl.when(hit)
            .then(pl.lit([], pl.List(pl.String)))
            .otherwise("differing_fields")
            .alias("differing_fields"),
            pl.when(hit).then(pl.lit("manual")).otherwise("tier").alias("tier"),
        )
        evidence = evidence.filter(~pl.col("agency_row").is_in(rows))
        return outcomes, evidence, freed, int(hit.sum())

    def _manual_pairs(self, relinks: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Outcomes and evidence of the steward's relinks, compared field by field."""
        a = relinks.join(self.agency, on="agency_row", how="left").sort("agency_row")
        m = a.select("master_key").join(
            self.master,
            left_on="master_key",
            right_on=_MASTER_KEY,
            how="left",
            maintain_order="left",
        )
        differs = {n: ~a.get_column(n).eq_missing(m.get_column(n)) for n in self.names}
        differing = (
            pl.DataFrame(differs)
            .select(
                pl.concat_list([pl.when(pl.col(n)).then(pl.lit(n)) for n in self.names])
                .list.drop_nulls()
                .alias("differing_fields")
            )
            .to_series()
            if self.names
            else pl.Series([[]] * a.height, dtype=pl.List(pl.String))
        )
        outcomes = pl.DataFrame(
            {
                "agency_row": a.get_column("agency_row").cast(pl.Int64),
                "master_key": a.get_column("master_key"),
                "score": np.ones(a.height),
                "differing_fields": differing.cast(pl.List(pl.String)),
                "tier": ["manual"] * a.height,
                "agency_ident": a.get_column(_IDENT),
            }
        ).with_columns(
            pl.when(pl.col("differing_fields").list.len() > 0)
            .then(pl.lit("match_with_differences"))
            .otherwise(pl.lit("match"))
            .alias("outcome")
        )
        parts = []
        for f in self.fields:
            left, right = a.get_column(f.name), m.get_column(f.name)
            labels = np.asarray([*comparators.scheme(f).labels, "missing"], dtype=object)
            levels = comparators.compare(f, left, right, workers=self.settings.workers)
            parts.append(
                pl.DataFrame(
                    {
                        "agency_row": a.get_column("agency_row").cast(pl.Int64),
                        "field": [f.name] * a.height,
                        "agency_value": left.cast(pl.String),
                        "master_value": right.cast(pl.String),
                        "level": pl.Series(labels[levels].tolist(), dtype=pl.String),
                        "weight": pl.Series([None] * a.height, dtype=pl.Float64),
                    }
                )
            )
        evidence = pl.concat(parts) if parts and a.height else pl.DataFrame()
        return outcomes, evidence


def _with_agency_values(outcomes: pl.DataFrame, copy: intake.AgencyCopy) -> pl.DataFrame:
    """The agency's raw values (JSON) on rows a steward may look at (all but matches)."""
    fields = list(copy.fields)
    values = copy.frame.select(
        "agency_row",
        pl.struct(fields).struct.json_encode().alias("agency_values"),
    )
    return outcomes.join(values, on="agency_row", how="left").with_columns(
        pl.when(pl.col("outcome") != "match").then(pl.col("agency_values")).alias("agency_values")
    )


# --------------------------------------------------------------------------- storage


def _copy_rows(
    conn: Connection,
    run_id: int,
    outcomes: pl.DataFrame,
    master_only: pl.DataFrame,
    evidence: pl.DataFrame,
) -> None:
    """COPY outcomes (agency rows and master-only records) and evidence into the tables."""
    agency_rows = outcomes.select(
        pl.lit(run_id, pl.Int64).alias("run_id"),
        pl.col("agency_row").cast(pl.Int64),
        "master_key",
        "outcome",
        pl.col("score").clip(0.0, 1.0),
        _pg_array(pl.col("differing_fields")).alias("differing_fields"),
        "tier",
        "agency_ident",
        "agency_values",
    )
    only = master_only.select(
        pl.lit(run_id, pl.Int64).alias("run_id"),
        pl.lit(None, pl.Int64).alias("agency_row"),
        pl.col("master_key"),
        pl.lit("master_only").alias("outcome"),
        pl.lit(0.0).alias("score"),
        pl.lit("{}").alias("differing_fields"),
        pl.lit(None, pl.String).alias("tier"),
        pl.lit(None, pl.String).alias("agency_ident"),
        pl.lit(None, pl.String).alias("agency_values"),
    )
    rows = pl.concat([agency_rows, only], how="vertical_relaxed")
    _copy(conn, "reconciliation_outcome", rows)
    if evidence.height:
        _copy(
            conn,
            "reconciliation_evidence",
            evidence.select(
                pl.lit(run_id, pl.Int64).alias("run_id"),
                pl.col("agency_row").cast(pl.Int64),
                "field",
                "agency_value",
                "master_value",
                "level",
                "weight",
            ),
        )


def _pg_array(values: pl.Expr) -> pl.Expr:
    """A list of field names as a PostgreSQL array literal (names are snake_case)."""
    return pl.lit("{") + values.list.join(",") + pl.lit("}")


def _copy(conn: Connection, table: str, frame: pl.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, null_value="")
    buffer.seek(0)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.copy_expert(
            f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN WITH (FORMAT csv)", buffer
        )
    finally:
        cursor.close()


def run_lock_name(dataset: str, agency: str) -> str:
    """The advisory lock runs of one agency's copy of one dataset share."""
    return f"mdr-reconcile:{dataset}:{agency}"


@contextmanager
def run_lock(engine: Engine, dataset: str, agency: str) -> Iterator[None]:
    """Serialise runs of one agency's copy of one dataset (a later one waits)."""
    with engine.connect() as conn, advisory_lock(conn, run_lock_name(dataset, agency)):
        yield


#: Times a worker may start an upload's run: one interrupted twice (a worker killed
#: twice, say) is failed rather than tried forever.
MAX_ATTEMPTS = 3


def _recover_interrupted(engine: Engine, dataset: str, agency: str) -> None:
    """Runs left ``running`` by a process that died: the lock is ours, so none is alive.
    An upload (its file is kept) is queued again, up to :data:`MAX_ATTEMPTS` starts; a
    run from the command line is failed (its caller is gone)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE reconciliation_run SET status = 'queued', started_at = NULL "
                "WHERE dataset = :d AND agency = :a AND status = 'running' "
                "AND upload_path IS NOT NULL AND attempts < :max"
            ),
            {"d": dataset, "a": agency, "max": MAX_ATTEMPTS},
        )
        conn.execute(
            text(
                "UPDATE reconciliation_run SET status = 'failed', failed_at = now(), error = "
                "'interrupted: the process ended before the run was stored; nothing was kept' "
                "WHERE dataset = :d AND agency = :a AND status = 'running'"
            ),
            {"d": dataset, "a": agency},
        )


def _mark(engine: Engine, run_id: int, status: str, *, error: str | None = None) -> None:
    stamp = {"running": "started_at", "failed": "failed_at"}[status]
    attempts = ", attempts = attempts + 1" if status == "running" else ""
    with engine.begin() as conn:
        conn.execute(
            text(
                f"UPDATE reconciliation_run SET status = :s, {stamp} = now(){attempts}, "
                "error = coalesce(:e, error) WHERE run_id = :r"
            ),
            {"s": status, "e": error, "r": run_id},
        )


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
