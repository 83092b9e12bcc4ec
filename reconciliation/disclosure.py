"""Reconciliation results as the gate lets each caller see them, each revealed record logged.

A results file tells an agency, for each of its rows, which master record it is and how
they differ: it reveals master records as surely as a lookup does. So results pass the
gate (:mod:`mdr.access.gate`) like every other door:

* the run's own agency reads them under its grant and declared purpose; stewards read
  them for ``stewardship``; nobody else (inspectors see summaries and accuracy);
* ``differing_fields`` names granted fields only (a run already compares no other);
* ``master_key`` is given only when the key field is granted; otherwise each master
  record has a per-run opaque reference, ``master_ref`` (the same record has the same
  reference within a run, and an unrelated one in the next);
* the master-only listing names records of the run's scope only: an agency without a
  scope would list the whole register less its copy, so it is refused (staff may);
* every master record a file reveals is written to the access log, in the transaction
  that commits before the file is handed over.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import polars as pl
from sqlalchemy import Connection, Engine, text

from entities.registry import get_dataset
from entities.spec import DatasetSpec
from mdr.access import gate
from mdr.access.keys import Principal
from mdr.access.secrets import LogKeys
from mdr.db.sql import quote_ident
from mdr.errors import Conflict, Forbidden, InvalidInput, NotFound

RESULT_COLUMNS: Final = ("agency_row", "master_key", "outcome", "score", "differing_fields")
"""Header of the results CSV (DESIGN.md section 6)."""
SCORE_DECIMALS: Final = 4
ROUTE: Final = "reconciliation results"


class ScopeRequired(Conflict):
    slug = "master-only-needs-scope"
    title = "A master-only listing needs a scope"


@dataclass(frozen=True)
class Disclosed:
    """A results file and how many master records it revealed (each logged)."""

    body: bytes
    records_logged: int


def may_read(principal: Principal, agency: str) -> None:
    """The run's own agency, and stewards, read a run's results."""
    if principal.agency_code != agency and principal.staff_role not in ("steward", "operator"):
        raise Forbidden("only the agency whose copy it is, and stewards, may read a run's "
                        "results; inspectors see summaries and accuracy")


def results(conn: Connection, run_id: int, principal: Principal, purpose: str | None, *,
            master_only: bool = False, keys: LogKeys, request_id: str = "",
            route: str = ROUTE) -> Disclosed:
    """A finished run's results CSV (or its master-only listing) as ``principal`` may see
    it, with every master record it reveals logged in ``conn``'s transaction."""
    run = conn.execute(text(
        "SELECT dataset, agency, status, scope, stats FROM reconciliation_run "
        "WHERE run_id = :r"), {"r": run_id}).mappings().first()
    if run is None:
        raise NotFound(f"no reconciliation run {run_id}")
    may_read(principal, run["agency"])
    if run["status"] != "finished":
        raise InvalidInput(f"run {run_id} is {run['status']}; results exist once it is finished")
    spec = get_dataset(run["dataset"])
    auth = gate.authorize(principal, spec, gate.purpose_of(principal, purpose), None)
    compared = [f for f in (run["stats"] or {}).get("compared_fields", []) if f in auth.granted]
    salt = _reference_salt(keys.secret, run_id)
    if master_only:
        if run["scope"] is None and not gate.is_staff(principal):
            raise ScopeRequired(
                f"run {run_id} had no scope, so its master-only records are the whole "
                f"register less the copy; upload the copy with a scope on granted fields "
                f"(e.g. {spec.linkage.scope_field or 'FIELD'}=VALUE) to list them")
        frame = _master_only(conn, run_id, auth.key_granted, salt)
        logged_fields: tuple[str, ...] = (spec.key,) if auth.key_granted else ()
    else:
        frame = _outcomes(conn, run_id, compared, auth.key_granted, salt)
        logged_fields = tuple(f for f in spec.field_names
                              if f in compared or (f == spec.key and auth.key_granted))
    revealed = _revealed(conn, spec, run_id, master_only)
    logged = gate.disclose(
        conn, principal, gate.Authorized(spec, logged_fields, auth.granted, auth.purpose),
        revealed, keys=keys, request_id=request_id or f"run-{run_id}", route=route)
    out = io.BytesIO()
    frame.write_csv(out, null_value="")
    return Disclosed(out.getvalue(), logged)


def write_files(engine: Engine, run_id: int, principal: Principal, out: Path, *,
                keys: LogKeys) -> tuple[Path, Path]:
    """The results CSV and its master-only companion (``RESULTS.master_only.csv``) of a
    stored run, as ``principal`` may see them (the CLI's ``--out``); the files are
    written once their access-log rows are committed."""
    companion = master_only_path(out)
    with engine.begin() as conn:
        outcomes = results(conn, run_id, principal, None, keys=keys, route="mdr reconcile")
        only = results(conn, run_id, principal, None, master_only=True, keys=keys,
                       route="mdr reconcile")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(outcomes.body)
        companion.write_bytes(only.body)
    except OSError as exc:
        raise InvalidInput(
            f"run {run_id} is stored, but its results could not be written to "
            f"{out.name}: {exc.strerror or exc}", path=out.name) from None
    return out, companion


def master_only_path(results_path: Path) -> Path:
    """``RESULTS.csv`` -> ``RESULTS.master_only.csv`` (next to it)."""
    return results_path.with_name(
        f"{results_path.stem}.master_only{results_path.suffix or '.csv'}")


def check_results_path(out: Path) -> None:
    """Refuse a results path that cannot be written, before a run spends its time."""
    for path in (out, master_only_path(out)):
        if path.is_dir():
            raise InvalidInput(f"--out {path} is a directory; give a file name such as "
                               f"{path / 'results.csv'}", path=str(path))
    folder = next((p for p in out.absolute().parents if p.exists()), None)
    if folder is not None and (not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK)):
        raise InvalidInput(f"--out {out}: cannot create files under {folder}", path=str(out))


# ----------------------------------------------------------------------------- queries


def _reference_salt(secret: bytes, run_id: int) -> str:
    """A per-run secret the opaque references are drawn from (never stored)."""
    return hmac.new(secret, f"mdr master_ref {run_id}".encode(), hashlib.sha256).hexdigest()


def _reference(column: str) -> str:
    """SQL of a master record's opaque reference: the ref of a run's key, never the key."""
    return f"'m' || left(md5(CAST(%(salt)s AS text) || {column}), 16)"


def _outcomes(conn: Connection, run_id: int, compared: Sequence[str], key_granted: bool,
              salt: str) -> pl.DataFrame:
    key = "master_key" if key_granted else f"{_reference('master_key')} AS master_ref"
    query = (
        f"SELECT agency_row, {key}, outcome, "
        f"round(score::numeric, {SCORE_DECIMALS})::float8 AS score, "
        "nullif(array_to_string(ARRAY(SELECT f FROM unnest(differing_fields) AS f "
        "WHERE f = ANY(%(granted)s)), ';'), '') AS differing_fields "
        "FROM reconciliation_outcome WHERE run_id = %(r)s AND agency_row IS NOT NULL "
        "ORDER BY agency_row"
    )
    name = "master_key" if key_granted else "master_ref"
    return _copy_rows(conn, query, {"r": run_id, "granted": list(compared), "salt": salt},
                      {"agency_row": pl.Int64, name: pl.String, "outcome": pl.String,
                       "score": pl.Float64, "differing_fields": pl.String})


def _master_only(conn: Connection, run_id: int, key_granted: bool, salt: str) -> pl.DataFrame:
    key = "master_key" if key_granted else f"{_reference('master_key')} AS master_ref"
    # In key order only when the key is shown: the order of hidden keys says something.
    query = (f"SELECT {key} FROM reconciliation_outcome WHERE run_id = %(r)s "
             f"AND outcome = 'master_only' ORDER BY 1")
    name = "master_key" if key_granted else "master_ref"
    return _copy_rows(conn, query, {"r": run_id, "salt": salt}, {name: pl.String})


def _copy_rows(conn: Connection, query: str, params: dict[str, Any],
               schema: dict[str, Any]) -> pl.DataFrame:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        bound = cursor.mogrify(query, params).decode()
        buffer = io.BytesIO()
        cursor.copy_expert(f"COPY ({bound}) TO STDOUT WITH (FORMAT csv, HEADER true)", buffer)
    finally:
        cursor.close()
    return pl.read_csv(buffer.getvalue(), schema=schema) if buffer.tell() \
        else pl.DataFrame(schema=schema)


def _revealed(conn: Connection, spec: DatasetSpec, run_id: int,
              master_only: bool) -> list[dict[str, Any]]:
    """The master records a file reveals, with the identifiers of the people they are
    about (from their latest version, for records that have ended since)."""
    which = "outcome = 'master_only'" if master_only else \
        "outcome <> 'master_only' AND master_key IS NOT NULL"
    keys = f"SELECT DISTINCT master_key FROM reconciliation_outcome WHERE run_id = :r AND {which}"
    others = [f for f in spec.identifier_fields if f != spec.key]
    if not others:
        return [{spec.key: k} for k in conn.execute(text(keys), {"r": run_id}).scalars()]
    columns = ", ".join(f"v.{quote_ident(f)}::text AS {quote_ident(f)}" for f in others)
    rows = conn.execute(text(
        f"SELECT DISTINCT ON (o.master_key) o.master_key AS {quote_ident(spec.key)}, {columns} "
        f"FROM ({keys}) o LEFT JOIN {quote_ident(spec.version_table)} v "
        f"ON v.{quote_ident(spec.key)} = o.master_key "
        'ORDER BY o.master_key, v.recorded_at DESC'), {"r": run_id}).mappings().all()
    return [dict(row) for row in rows]
