"""Sync: apply an owning agency's snapshot or delta to the bitemporal master.

The whole apply is set-based SQL inside one transaction:

1. each source row's raw text is hashed (:func:`source_row_hash`), and the current
   table's keys, with the hash of the row last received for each (``raw_hash``),
   are read in one COPY;
2. polars joins the two: rows whose hash is the one kept for their key are
   unchanged and skip all further work, the common case for a nightly snapshot;
   only the others, the candidates, are COPYed into the database, in full (each new
   version, and the same values spelled anew, store their row's hash, so a row is
   checked once per change);
3. the candidates are validated in PostgreSQL (required fields, types,
   code lists, identifier rules via the ``mdr_check_*`` functions); failures go
   to ``sync_quarantine`` with row number, field and reason, valid rows go on,
   normalised and typed (the lines of a file that could not be read as rows at all
   are quarantined first, with their line: :class:`sync.sources.UnreadableRow`);
4. each valid row is classified against the current table: created, changed
   (the old version's validity ends at the as-of date), corrected (the as-of
   date does not move past the current version's start, so the old version is
   replaced), or unchanged; in full mode, live keys absent from the snapshot
   end their validity (keys of quarantined rows are kept, so bad input never
   removes a record). A row dated before what the master already holds of its key
   (a later version, or a later batch that stated the record) is quarantined unless
   it agrees with the record valid on its date; optional fields the source has no
   column for keep their stored values. Versions are never edited: the old belief is superseded
   (``superseded_at``) and, for a change or an end, a closed copy with
   ``valid_to`` set is recorded, so reads "as recorded at T" stay exact;
5. versions, current rows, outbox events, the batch ledger row and the
   catalogue's row count are written in that same transaction.

A crash at any point leaves the master as it was (the work tables, created in
the transaction, disappear with it); a rerun marks the interrupted batch failed
and completes. The same file (same checksum) applied again changes nothing and
is recorded as a duplicate: a delta, whenever it comes again; a full snapshot, when
no other batch came between (after one, it brings the master back to that snapshot).
Two syncs of one dataset never run at once: each holds a PostgreSQL advisory lock for
the dataset.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from sqlalchemy import Connection, Engine, text

from entities.catalogue import recount
from entities.mapping import load_mapping
from entities.masking import mask_field
from entities.registry import get_dataset
from entities.spec import DatasetSpec, FieldSpec, FieldType, RelationSpec
from mdr.db.sql import advisory_key, advisory_lock, json_param, literal, quote_ident
from mdr.errors import ConfigurationError, Conflict, InvalidInput, MassEndRefused, error_text
from mdr.timezone import today_in_korea
from sync.sources import read_file

if TYPE_CHECKING:
    from sync.sources import UnreadableRow

log = logging.getLogger(__name__)

MODES = ("full", "delta")
#: The dates a batch may carry: registers hold no earlier dates, and a change is not
#: announced further ahead.
EARLIEST_AS_OF = dt.date(1900, 1, 1)
AS_OF_AHEAD = dt.timedelta(days=3653)
#: Delta files may carry this column: ``upsert`` (default) or ``end`` (end of validity).
OP_COLUMN = "_op"
OP_VALUES = ("upsert", "end")
_SEP = "\x1f"  # separates field and reason inside the problems array
OUTBOX_LOCK = advisory_key("mdr-outbox-commit-order")

Progress = Callable[[str], None]


class SyncAlreadyRunning(Conflict):
    slug = "sync-already-running"
    title = "A sync of this dataset is already running"


@dataclass
class SyncResult:
    batch_id: int
    dataset: str
    mode: str
    status: str  # applied | duplicate
    as_of: str
    source: str
    sha256: str | None
    rows_read: int = 0
    created: int = 0
    changed: int = 0
    corrected: int = 0
    ended: int = 0
    unchanged: int = 0
    quarantined: int = 0
    #: Of the quarantined rows, the lines of a CSV that could not be read as rows.
    unreadable: int = 0
    #: Rows checked in full: not as the master last received them (new, changed,
    #: respelled, or without a stored hash). The rest were known by their hash.
    checked: int = 0
    #: Live keys a full snapshot left out but did not end (see ``warnings``).
    ends_withheld: int = 0
    warnings: list[str] = field(default_factory=list)
    duplicate_of: int | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def applied(self) -> int:
        return self.created + self.changed + self.corrected + self.ended

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"applied": self.applied}


# --------------------------------------------------------------------------- SQL pieces


def _relation_of(spec: DatasetSpec, f: FieldSpec) -> RelationSpec | None:
    return next((r for r in spec.relations if r.field == f.name), None)


def _target_validator(dataset: str) -> str | None:
    return get_dataset(dataset).key_field.validator


def _normalised(spec: DatasetSpec, f: FieldSpec, col: str) -> str:
    """SQL turning raw text ``col`` into the stored, typed value (valid rows only)."""
    relation = _relation_of(spec, f)
    if f.validator:
        return f"mdr_norm_{f.validator}({col})"
    if relation is not None and relation.kind_field and not f.validator:
        cases = " ".join(
            f"WHEN {literal(kind)} THEN mdr_norm_{_target_validator(target)}({col})"
            for kind, target in relation.targets.items()
            if _target_validator(target)
        )
        return f"CASE s.{quote_ident(relation.kind_field)} {cases} ELSE {col} END"
    if relation is not None and relation.many:
        validator = _target_validator(relation.target_datasets[0])
        return (
            f"(SELECT string_agg(mdr_norm_{validator}(btrim(x)), ';' ORDER BY o) "
            f"FROM unnest(string_to_array({col}, ';')) WITH ORDINALITY AS t(x, o))"
        )
    return {
        FieldType.TEXT: f"normalize({col}, NFC)",
        FieldType.CODE: col,
        FieldType.INTEGER: f"{col}::bigint",
        FieldType.DECIMAL: f"{col}::numeric",
        FieldType.DATE: f"mdr_norm_date({col})::date",
        FieldType.BOOLEAN: f"mdr_norm_bool({col})::boolean",
    }[f.type]


def _problems(spec: DatasetSpec, f: FieldSpec, col: str) -> list[str]:
    """SQL expressions each yielding a reason text when ``col`` breaks a rule, else NULL."""
    relation = _relation_of(spec, f)
    checks: list[str] = []
    if f.required:
        checks.append(f"CASE WHEN {col} IS NULL THEN 'required' END")
    if f.validator:
        checks.append(f"mdr_check_{f.validator}({col})")
    elif relation is not None and relation.kind_field:
        cases = " ".join(
            f"WHEN {literal(kind)} THEN mdr_check_{_target_validator(target)}({col})"
            for kind, target in relation.targets.items()
            if _target_validator(target)
        )
        checks.append(f"CASE WHEN {col} IS NOT NULL THEN CASE s.{quote_ident(relation.kind_field)} "
                      f"{cases} END END")
    elif relation is not None and relation.many:
        validator = _target_validator(relation.target_datasets[0])
        checks.append(
            f"(SELECT min(mdr_check_{validator}(btrim(x))) "
            f"FROM unnest(string_to_array({col}, ';')) AS t(x))"
        )
    type_rule = {
        FieldType.INTEGER: (f"{col} !~ '^[+-]?[0-9]{{1,18}}$'", "not a whole number"),
        FieldType.DECIMAL: (f"{col} !~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)$'", "not a number"),
        FieldType.DATE: (f"mdr_norm_date({col}) IS NULL", "not a date (YYYY-MM-DD)"),
        FieldType.BOOLEAN: (f"mdr_norm_bool({col}) IS NULL", "not true or false"),
    }.get(f.type)
    if type_rule is not None:
        checks.append(f"CASE WHEN {col} IS NOT NULL AND {type_rule[0]} "
                      f"THEN {literal(type_rule[1])} END")
    if f.type is FieldType.CODE and f.codes:
        allowed = ", ".join(literal(c) for c in f.codes)
        shown = ", ".join(f.codes[:8]) + (", ..." if len(f.codes) > 8 else "")
        checks.append(f"CASE WHEN {col} IS NOT NULL AND {col} <> ALL (ARRAY[{allowed}]) "
                      f"THEN {literal('not one of the codes: ' + shown)} END")
    if f.max_length:
        checks.append(f"CASE WHEN length({col}) > {int(f.max_length)} "
                      f"THEN 'longer than {int(f.max_length)} characters' END")
    checks.append(f"CASE WHEN strpos({col}, {literal(NUL_MARK)}) > 0 "
                  "THEN 'holds a NUL or U+FFFD (replacement) character' END")
    return [f"CASE WHEN ({check}) IS NOT NULL THEN {literal(f.name + _SEP)} || ({check}) END"
            for check in checks]


#: What a NUL character in a source value becomes on its way in (PostgreSQL text cannot
#: hold NUL, and one would fail the whole COPY): the row is then quarantined naming it.
NUL_MARK = "\ufffd"


def _nul_marked(frame: pl.DataFrame, columns: list[str] | None = None) -> pl.DataFrame:
    """``frame`` with NUL characters in its text ``columns`` (default: all) marked.
    Called on the few columns every row sends and on the candidate rows only, since a
    scan of every column of a million rows costs a twentieth of a sync."""
    texts = [name for name, dtype in frame.schema.items()
             if dtype == pl.String and (columns is None or name in columns)]
    if not texts or not frame.select(pl.any_horizontal(
            pl.col(texts).str.contains("\x00", literal=True)).any()).item():
        return frame  # the usual case: one fast scan
    return frame.with_columns(pl.col(texts).str.replace_all("\x00", NUL_MARK, literal=True))


#: Seed of :func:`source_row_hash`. Changing it makes the next sync of every dataset
#: check each row in full once, as a first load does.
ROW_HASH_SEED = 0x6D6472


def source_row_hash(spec: DatasetSpec, absent: tuple[str, ...] = ()) -> pl.Expr:
    """64-bit hash of a source row's raw text, kept in the current table's ``raw_hash``.

    It only has to tell one key's rows apart from night to night, so polars' own
    multi-threaded hash does (tens of milliseconds for a million rows, where an md5
    per row in PostgreSQL took seconds), and only key and hash need to reach the
    database. polars does not promise the same hash across its releases: after an
    upgrade that changes it, the next sync finds no hash equal, checks every row in
    full (slower, never wrong: unchanged values make no new version) and stores the
    new hashes.
    """
    columns = [pl.col(name) for name in spec.field_names]
    if absent:  # a source without a column is not the same row as one sending it empty
        columns.append(pl.lit(",".join(absent)).alias("_absent"))
    return pl.struct(columns).hash(ROW_HASH_SEED).reinterpret(signed=True)


def _row_digest(spec: DatasetSpec, alias: str) -> str:
    """Digest of a row's raw text recorded with each version (``row_hash``)."""
    cols = ", ".join(f"{alias}.{quote_ident(f.name)}" for f in spec.fields)
    return f"md5(ROW({cols})::text)::uuid"


# --------------------------------------------------------------------------- the run


@contextmanager
def dataset_lock(engine: Engine, dataset: str) -> Iterator[Connection]:
    """Hold the dataset's sync lock for the duration; refuse if another sync holds it."""
    with engine.connect() as conn, advisory_lock(conn, "mdr-sync:" + dataset, wait=False) as got:
        if not got:
            raise SyncAlreadyRunning(
                f"a sync of {dataset} is already running; wait for it to finish "
                f"(see `mdr sync history {dataset}`)"
            )
        yield conn


def apply_snapshot(
    engine: Engine,
    dataset: str,
    frame: pl.DataFrame,
    *,
    source: str,
    sha256: str | None,
    original: Path | None = None,
    archive_dir: Path | None = None,
    mode: str = "full",
    as_of: dt.date | None = None,
    progress: Progress | None = None,
    allow_mass_end: bool = False,
    keep_fields: tuple[str, ...] = (),
    warnings: list[str] | None = None,
    row_numbers: pl.Series | None = None,
    unreadable: Sequence[UnreadableRow] = (),
) -> SyncResult:
    """Apply canonical text rows (``frame``: the spec's columns, plus ``_op`` in delta mode).

    ``keep_fields`` are optional fields the source has no column for: their stored
    values are kept (an empty column clears them). ``warnings`` found while reading the
    source are kept with the batch, with the apply's own.

    ``unreadable`` are the source's lines that could not be read as rows: they are
    quarantined, and a full snapshot with any (but empty lines) ends no record, as one
    with an unreadable key. ``row_numbers`` then gives the data row of each row of
    ``frame`` (by default row i is data row i).

    A full snapshot that would end more than :data:`MAX_END_SHARE` of the live records
    (at least :data:`MASS_END_MIN` of them), or an empty one, is refused with
    :class:`MassEndRefused` and nothing is applied, unless ``allow_mass_end``.
    """
    spec = get_dataset(dataset)
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; use one of: {', '.join(MODES)}")
    if OP_COLUMN in frame.columns and mode != "delta":
        raise InvalidInput(f"the {OP_COLUMN} column is only allowed in delta mode")
    as_of = check_as_of(as_of or today_in_korea())
    step = progress or (lambda _stage: None)
    _check_kept_fields(spec, keep_fields)
    if (unreadable and row_numbers is None) or (
            row_numbers is not None and row_numbers.len() != frame.height):
        raise ValueError("with unreadable rows, row_numbers must number each row of frame")
    rows_read = frame.height + len(unreadable)

    with dataset_lock(engine, dataset) as ledger:
        ledger.execute(text(
            "UPDATE sync_batch SET status = 'failed', finished_at = now(), error = "
            "'interrupted: the run ended before its transaction committed; nothing was applied'"
            " WHERE dataset = :d AND status = 'running'"
        ), {"d": dataset})
        earlier = None
        if sha256 is not None:
            # A full snapshot is the whole register: one sent again after other batches
            # brings the master back to it, so only the latest batch can make it a
            # duplicate. A delta sent again would replay stale changes over newer ones.
            earlier = ledger.execute(text(
                "SELECT batch_id FROM sync_batch WHERE dataset = :d AND sha256 = :s "
                "AND mode = :m AND status = 'applied' "
                "AND (:m = 'delta' OR batch_id = (SELECT max(batch_id) FROM sync_batch "
                "WHERE dataset = :d AND status = 'applied')) ORDER BY batch_id LIMIT 1"
            ), {"d": dataset, "s": sha256, "m": mode}).scalar()
        batch_id = int(ledger.execute(text(
            "INSERT INTO sync_batch (dataset, mode, source, sha256, as_of, status, rows_read) "
            "VALUES (:d, :m, :src, :s, :a, :st, :n) RETURNING batch_id"
        ), {"d": dataset, "m": mode, "src": source, "s": sha256, "a": as_of,
            "st": "duplicate" if earlier else "running", "n": rows_read}).scalar_one())
        result = SyncResult(batch_id=batch_id, dataset=dataset, mode=mode, status="applied",
                            as_of=as_of.isoformat(), source=source, sha256=sha256,
                            rows_read=rows_read, warnings=list(warnings or ()))
        if keep_fields:
            result.warnings.append(
                f"the source has no column for {', '.join(keep_fields)}: the stored values "
                "are kept (send the column empty to clear them)")
        if earlier is not None:
            ledger.execute(text(
                "UPDATE sync_batch SET rows_unchanged = rows_read, finished_at = now(), "
                "error = :e, warnings = :w WHERE batch_id = :b"
            ), {"b": batch_id, "w": result.warnings,
                "e": f"same file as batch {earlier}: nothing to apply (a file is applied "
                     "once, whatever --as-of it comes with)"})
            ledger.commit()
            result.status, result.duplicate_of, result.unchanged = (
                "duplicate", int(earlier), rows_read)
            return result
        ledger.commit()

        archive_path = None
        try:
            archive_path = _archive(original, archive_dir, dataset, sha256)
            with engine.connect() as conn, conn.begin():
                _Apply(conn, spec, frame, result=result, mode=mode, as_of=as_of, step=step,
                       guard_mass_end=not allow_mass_end, keep_fields=keep_fields,
                       row_numbers=row_numbers, unreadable=unreadable).run()
                conn.execute(text(
                    "UPDATE sync_batch SET status = 'applied', finished_at = now(), "
                    "archive_path = :p, rows_created = :c, rows_changed = :ch, rows_ended = :e, "
                    "rows_unchanged = :u, rows_quarantined = :q, timings = CAST(:t AS jsonb), "
                    "warnings = :w WHERE batch_id = :b"
                ), {"p": str(archive_path) if archive_path else None, "w": result.warnings,
                    "c": result.created,
                    "ch": result.changed + result.corrected, "e": result.ended,
                    "u": result.unchanged, "q": result.quarantined, "b": batch_id,
                    "t": json_param(result.timings | {"corrected_rows": result.corrected,
                                                  "checked_rows": result.checked})})
                recount(conn, dataset, synced_at=dt.datetime.now(dt.UTC))
        except Exception as exc:
            ledger.execute(text(
                "UPDATE sync_batch SET status = 'failed', finished_at = now(), error = :e, "
                "archive_path = :p WHERE batch_id = :b"
            ), {"b": batch_id, "e": error_text(exc),
                "p": str(archive_path) if archive_path else None})
            ledger.commit()
            raise
    log.info("sync applied", extra={"dataset": dataset, "batch_id": batch_id,
                                    "rows_created": result.created,
                                    "rows_changed": result.changed + result.corrected,
                                    "rows_ended": result.ended,
                                    "rows_quarantined": result.quarantined})
    return result


def _check_kept_fields(spec: DatasetSpec, keep_fields: tuple[str, ...]) -> None:
    optional = {f.name for f in spec.fields if not f.required and f.name != spec.key}
    wrong = [name for name in keep_fields if name not in optional]
    if wrong:
        raise InvalidInput(f"only optional fields of {spec.name} can keep their stored values,"
                           f" not: {', '.join(wrong)}")


def check_as_of(as_of: dt.date) -> dt.date:
    """``as_of`` if a batch may carry it (see :data:`EARLIEST_AS_OF`, :data:`AS_OF_AHEAD`)."""
    latest = today_in_korea() + AS_OF_AHEAD
    if not EARLIEST_AS_OF <= as_of <= latest:
        raise InvalidInput(f"--as-of {as_of.isoformat()} is out of range: a batch's date lies "
                           f"between {EARLIEST_AS_OF.isoformat()} and {latest.isoformat()} "
                           "(ten years ahead)", as_of=as_of.isoformat())
    return as_of


def _archive(original: Path | None, archive_dir: Path | None, dataset: str,
             sha256: str | None) -> Path | None:
    """Keep the original file, named by its checksum (the same file is kept once)."""
    if original is None or archive_dir is None or sha256 is None:
        return None
    target = archive_dir / dataset / f"{sha256}{''.join(original.suffixes[-2:])}"
    try:
        # Originals hold personal data: readable by the service's user only.
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not target.exists():
            partial = target.with_name(target.name + ".part")
            shutil.copyfile(original, partial)
            partial.chmod(0o600)
            partial.replace(target)
    except OSError as exc:
        raise ConfigurationError(
            f"invalid setting MDR_DATA_DIR: cannot keep the original in {target.parent} "
            f"({exc.strerror or exc.__class__.__name__}); nothing was applied") from None
    return target


#: A full snapshot may end at most this share of the live records (once it ends at
#: least MASS_END_MIN), unless the operator allows it: see :meth:`_Apply._refuse_mass_end`.
MAX_END_SHARE = 0.5
MASS_END_MIN = 10

_COPY_ROWS = 50_000
_COPY_READ = 1 << 20


class _CsvChunks:
    """A frame as CSV, encoded a slice at a time as COPY reads it.

    The server parses one slice while the next is encoded, and the file's text is
    never held whole in memory.
    """

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame, self.offset, self.pending = frame, 0, memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self.pending:
            if self.offset >= self.frame.height:
                return b""
            buffer = io.BytesIO()
            self.frame.slice(self.offset, _COPY_ROWS).write_csv(
                buffer, include_header=False, null_value="")
            self.offset += _COPY_ROWS
            self.pending = buffer.getbuffer()
        size = len(self.pending) if size < 0 else size
        chunk, self.pending = self.pending[:size], self.pending[size:]
        return bytes(chunk)


class _Apply:
    """One batch's set-based apply, on one connection inside one transaction."""

    def __init__(self, conn: Connection, spec: DatasetSpec, frame: pl.DataFrame, *,
                 result: SyncResult, mode: str, as_of: dt.date, step: Progress,
                 guard_mass_end: bool = True, keep_fields: tuple[str, ...] = (),
                 row_numbers: pl.Series | None = None,
                 unreadable: Sequence[UnreadableRow] = ()) -> None:
        self.conn, self.spec, self.frame, self.result = conn, spec, frame, result
        self.row_numbers, self.unreadable = row_numbers, unreadable
        self.mode, self.as_of, self.step = mode, as_of, step
        self.guard_mass_end = guard_mass_end
        self.keep_fields = keep_fields
        self.kept = [quote_ident(name) for name in keep_fields]
        # Batches applied before this one but dated after it (see _find_later_batches).
        self.later_full: dt.date | None = None
        self.later_deltas: list[int] = []
        self.any_later = False
        self.key = quote_ident(spec.key)
        self.fields = [quote_ident(f.name) for f in spec.fields]
        self.version = quote_ident(spec.version_table)
        self.current = quote_ident(spec.current_table)
        self.params = {"b": result.batch_id, "as_of": as_of, "d": spec.name}
        # A quarantined row as kept: its fields as received, and its operation if any.
        self.raw_row = ("(to_jsonb(s) - 'row_number' - 'raw_hash' - 'op' || CASE WHEN s.op "
                        f"IS NULL THEN '{{}}'::jsonb ELSE jsonb_build_object('{OP_COLUMN}', "
                        "s.op) END)")

    def sql(self, statement: str, **params: Any) -> Any:
        return self.conn.execute(text(statement), self.params | params)

    def analyze(self, table: str, *columns: str) -> None:
        """Give the planner the row count (and the join columns' statistics) of a fresh
        table, or it guesses and picks bad joins. Only the columns joined on: a full
        ANALYZE reads every column of the sample."""
        self.sql(f"ANALYZE {table} ({', '.join(columns)})" if columns else f"ANALYZE {table}")

    def timed(self, stage: str) -> Callable[[], None]:
        self.step(stage)
        started = time.perf_counter()

        def done() -> None:
            self.result.timings[stage] = round(time.perf_counter() - started, 3)
        return done

    def run(self) -> None:
        self.sql("SET LOCAL work_mem = '256MB'")
        self._quarantine_unreadable()
        self._read_master_keys()
        self._select_candidates()
        self._validate()
        self._classify()
        if self.guard_mass_end:
            self._refuse_mass_end()
        self._write()

    def _refuse_mass_end(self) -> None:
        ended = self.result.ended
        if self.mode != "full" or not ended or (ended < MASS_END_MIN and self.frame.height):
            return
        # The catalogue's count is exact (each sync recounts in its transaction); a
        # database whose catalogue was never filled counts the table.
        live = self.sql("SELECT row_count FROM dataset_catalogue WHERE name = :d").scalar() \
            or self.sql(f"SELECT count(*) FROM {self.current}").scalar_one()
        if self.frame.height and ended <= MAX_END_SHARE * live:
            return
        raise MassEndRefused(
            f"this full snapshot of {self.spec.name} would end {ended:,} of {live:,} live "
            f"records ({ended / max(live, 1):.0%}); nothing was applied. A truncated or "
            "empty export is the usual cause. If the records really ended, apply it with "
            "--allow-mass-end.")

    def _read_master_keys(self) -> None:
        """The file's rows with their hashes, and the current table's side of the
        comparison: each live key, the hash of the row last received for it, its
        version, and whether that version is dated after this batch. One COPY out of
        narrow columns costs less than staging the file's keys and joining there."""
        done = self.timed("master_keys")
        with ThreadPoolExecutor(1) as reader:  # the server sends while polars hashes
            master = reader.submit(
                self._copy_out,
                f"SELECT {self.key}, raw_hash, version_id, (valid_from > DATE "
                f"'{self.as_of.isoformat()}')::int FROM {self.current}",
                {"m_key": pl.String, "m_hash": pl.Int64, "m_version": pl.Int64,
                 "m_later": pl.Int8})
            frame = self.frame.with_row_index("row_number").with_columns(
                source_row_hash(self.spec, self.keep_fields).alias("raw_hash"))
            if self.row_numbers is not None:  # rows around unreadable lines keep their number
                frame = frame.with_columns(self.row_numbers.cast(frame["row_number"].dtype)
                                           .alias("row_number"))
            if OP_COLUMN not in frame.columns:
                frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(OP_COLUMN))
            self.rows = _nul_marked(frame.select(
                ["row_number", OP_COLUMN, *self.spec.field_names, "raw_hash"]),
                [OP_COLUMN, self.spec.key])  # the columns every row is compared by
            self.master = master.result()
        done()

    def _copy(self, table: str, frame: pl.DataFrame) -> None:
        """COPY ``frame`` (columns in the table's order) into ``table``."""
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", _CsvChunks(frame),
                           size=_COPY_READ)
        cursor.close()

    def _copy_out(self, query: str, schema: dict[str, Any]) -> pl.DataFrame:
        """The rows of ``query``, in this transaction, as a frame of ``schema``."""
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        buffer = io.BytesIO()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
        cursor.close()
        if not buffer.tell():
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        return pl.read_csv(buffer, has_header=False, schema=schema)

    def _select_candidates(self) -> None:
        """Rows not as the master last received them: the only ones worth checking.

        One hash join of the file's keys and hashes with the current table's also
        yields the live keys the file does not carry as written (the candidates for
        ending in full mode), so the classification needs no second pass over either
        side. Only the candidates' rows then go to the database, in full.
        """
        done = self.timed("compare")
        joined = self.rows.select("row_number", OP_COLUMN, self.spec.key, "raw_hash").join(
            self.master, left_on=self.spec.key, right_on="m_key",
            how="full" if self.mode == "full" else "left", coalesce=False)
        in_file = pl.col("row_number").is_not_null()
        differs = (pl.col("m_hash").is_null() | (pl.col("m_hash") != pl.col("raw_hash"))
                   | pl.col(OP_COLUMN).is_not_null() | (pl.col("m_later") == 1))  # see _settle
        wanted = joined.filter(in_file & differs)["row_number"].sort()
        if self.row_numbers is not None:  # data rows to positions: lines were set aside
            wanted = self.row_numbers.search_sorted(wanted)
        candidates = _nul_marked(self.rows.gather(wanted))
        # Keys a delta names and leaves as they are (kept in _write).
        self.named_unchanged = joined.filter(in_file & ~differs).select(self.spec.key)
        columns = ", ".join(f"{name} text" for name in self.fields)
        self.sql("CREATE TEMP TABLE sync_cand (row_number integer, op text, "
                 f"{columns}, raw_hash bigint) ON COMMIT DROP")
        self._copy("sync_cand", candidates)
        self.sql("CREATE TEMP TABLE sync_absent (key text, version_id bigint) ON COMMIT DROP")
        self._copy("sync_absent", joined.filter(~in_file).select("m_key", "m_version"))
        self.analyze("sync_cand", "row_number", self.key)
        self.analyze("sync_absent", "key")
        self.result.checked = candidates.height
        self.result.unchanged = self.frame.height - candidates.height
        self.master = self.master.clear()  # done with: memory back before validation
        done()

    def _validate(self) -> None:
        done = self.timed("validate")
        spec = self.spec
        problems: list[str] = []
        key_only: list[str] = []
        for f in spec.fields:
            exprs = _problems(spec, f, f"s.{quote_ident(f.name)}")
            problems += exprs
            if f.name == spec.key:
                key_only = exprs
        op_problem = (f"CASE WHEN s.op IS NOT NULL AND s.op NOT IN ('upsert', 'end') "
                      f"THEN '{OP_COLUMN}{_SEP}not upsert or end' END")
        # A key that cannot be read: the row may stand for any live key (see _classify).
        # A row with nothing in it (a spreadsheet's trailing blank rows) stands for none.
        filled = ", ".join(f"NULLIF(btrim(s.{name}), '')" for name in self.fields)
        key_bad = (f"array_remove(ARRAY[{', '.join(key_only)}], NULL) <> '{{}}' "
                   f"AND num_nonnulls({filled}) > 0" if key_only else "false")
        # An end-of-validity row needs only a valid key.
        self.sql(
            "CREATE TEMP TABLE sync_checked ON COMMIT DROP AS SELECT s.row_number, "
            f"CASE WHEN s.op = 'end' THEN array_remove(ARRAY[{', '.join([*key_only, op_problem])}]"
            f", NULL) ELSE array_remove(ARRAY[{', '.join([*problems, op_problem])}], NULL) END "
            f"AS problems, {key_bad} AS key_bad FROM sync_cand s"
        )
        # Duplicate keys in one file: which row is right cannot be decided, so none is
        # applied. Unchanged rows already carry the canonical key; only candidates need
        # normalising, then one hash pass over the file finds keys written twice.
        norm_key = _normalised(spec, spec.key_field, f"s.{self.key}")
        self.sql(
            "CREATE TEMP TABLE sync_cand_keys ON COMMIT DROP AS "
            f"SELECT s.row_number, coalesce({norm_key}, s.{self.key}) AS k "
            f"FROM sync_cand s WHERE s.{self.key} IS NOT NULL"
        )
        self.analyze("sync_cand_keys", "k")
        # A key written twice matters only when the rows differ, and then at least one
        # of them differs from the master, so is a candidate: comparing candidates'
        # keys with the file's (both rows of each pair) finds every such pair.
        # (And candidates with each other: two rows may spell one key alike, but not as
        # it is stored.)
        cand_keys = self._copy_out("SELECT row_number, k FROM sync_cand_keys",
                                   {"row_number": pl.UInt32, "k": pl.String})
        written = pl.concat([self.rows.select("row_number", pl.col(self.spec.key).alias("k")),
                             cand_keys])
        pairs = cand_keys.join(written, on="k", suffix="_other").filter(
            pl.col("row_number") != pl.col("row_number_other"))
        self.sql("CREATE TEMP TABLE sync_dupes (row_number integer) ON COMMIT DROP")
        self._copy("sync_dupes", pl.concat([pairs.select("row_number"), pairs.select(
            pl.col("row_number_other").alias("row_number"))]).unique())
        self.sql(
            "UPDATE sync_checked c SET problems = problems || "
            f"ARRAY['{spec.key}{_SEP}the same key appears on more than one row of the file'] "
            "FROM sync_dupes d WHERE d.row_number = c.row_number"
        )
        self.sql(
            "INSERT INTO sync_quarantine (batch_id, row_number, field, reason, raw) "
            f"SELECT :b, s.row_number, split_part(p, '{_SEP}', 1), split_part(p, '{_SEP}', 2), "
            f"{self.raw_row} FROM sync_cand s JOIN sync_checked c USING (row_number), "
            "unnest(c.problems) AS p"
        )
        self.result.quarantined += int(self.sql(
            "SELECT count(*) FROM sync_checked WHERE cardinality(problems) > 0").scalar_one())
        typed = ", ".join(
            f"{_normalised(spec, f, 's.' + quote_ident(f.name))} AS {quote_ident(f.name)}"
            for f in spec.fields
        )
        self.sql(
            "CREATE TEMP TABLE sync_in ON COMMIT DROP AS "
            f"SELECT s.row_number, coalesce(s.op, 'upsert') AS op, s.raw_hash, "
            f"{_row_digest(spec, 's')} AS row_hash, {typed} "
            "FROM sync_cand s JOIN sync_checked c USING (row_number) "
            "WHERE cardinality(c.problems) = 0 AND coalesce(s.op, 'upsert') = 'upsert'"
        )
        self.sql(
            f"CREATE TEMP TABLE sync_end ON COMMIT DROP AS SELECT s.row_number, "
            f"{norm_key} AS {self.key} FROM sync_cand s JOIN sync_checked c USING (row_number) "
            "WHERE cardinality(c.problems) = 0 AND s.op = 'end'"
        )
        if self.kept:
            # Fields the source has no column for keep what the master holds.
            self.sql(f"UPDATE sync_in i SET {', '.join(f'{n} = c.{n}' for n in self.kept)} "
                     f"FROM {self.current} c WHERE c.{self.key} = i.{self.key}")
        self.analyze("sync_in", "row_number", self.key)
        self.analyze("sync_end", self.key)
        done()

    def _classify(self) -> None:
        done = self.timed("classify")
        fields_in = ", ".join(f"i.{name}" for name in self.fields)
        fields_cur = ", ".join(f"c.{name}" for name in self.fields)
        # `= ANY(ARRAY(...))`: primary-key lookups of the few keys in the file that
        # changed; a join would scan the whole current table.
        self.sql(
            "CREATE TEMP TABLE sync_plan ON COMMIT DROP AS "
            f"SELECT i.row_number, i.{self.key} AS key, c.version_id AS previous_version_id, "
            f"CASE WHEN c.{self.key} IS NULL THEN 'created' "
            "WHEN c.valid_from > :as_of THEN 'precedes' "
            f"WHEN ROW({fields_in}) IS NOT DISTINCT FROM ROW({fields_cur}) THEN 'unchanged' "
            "WHEN c.valid_from < :as_of THEN 'changed' ELSE 'corrected' END AS kind, "
            "CASE WHEN c.valid_from >= :as_of THEN c.valid_from ELSE CAST(:as_of AS date) END "
            "AS valid_from, c.valid_from AS latest_valid_from, "
            "i.raw_hash, c.raw_hash IS DISTINCT FROM i.raw_hash AS rehash "
            f"FROM sync_in i LEFT JOIN (SELECT * FROM {self.current} "
            f"WHERE {self.key} = ANY(ARRAY(SELECT {self.key} FROM sync_in))) c "
            f"ON c.{self.key} = i.{self.key}"
        )
        self._find_later_batches()
        self._settle_rows_dated_before_the_master()
        self._refuse_what_later_batches_stated()
        if self.mode == "full":
            # Live keys the snapshot no longer carries, neither as written nor normalised.
            # Keys of quarantined rows count as carried: a bad row never removes a record.
            self.sql(
                "CREATE TEMP TABLE sync_ending ON COMMIT DROP AS "
                "SELECT a.key, a.version_id FROM sync_absent a "
                "WHERE NOT EXISTS (SELECT 1 FROM sync_cand_keys k WHERE k.k = a.key)"
            )
            self._withhold_doubtful_ends()
        else:
            self.sql(
                "CREATE TEMP TABLE sync_ending ON COMMIT DROP AS "
                f"SELECT c.{self.key} AS key, c.version_id, c.valid_from FROM {self.current} c "
                f"WHERE c.{self.key} = ANY(ARRAY(SELECT {self.key} FROM sync_end))"
            )
            # A key not in the current table may still be valid past this date: its end
            # was announced ahead.
            announced_end = (f"(SELECT max(v.valid_to) FROM {self.version} v "
                             f"WHERE v.{self.key} = e.{self.key} AND v.superseded_at IS NULL "
                             "AND v.valid_to > :as_of)")
            stated = self._stated_after(f"e.{self.key}")
            self._quarantine(
                f"SELECT e.row_number, '{self.spec.key}', CASE "
                "WHEN n.valid_from > :as_of THEN 'the master holds a version of this key "
                "dated ' || n.valid_from || ', later than this batch''s as-of date: send the "
                "end with --as-of ' || n.valid_from || ' or later' "
                f"WHEN n.key IS NOT NULL THEN {self._stated_reason(stated, 'end')} "
                f"WHEN {announced_end} IS NOT NULL THEN 'this record already ends on ' || "
                f"{announced_end} || ' (announced by a batch dated later than this one); an "
                "end dated before it cannot be placed' "
                "ELSE 'no live record with this key to end' END "
                f"FROM sync_end e LEFT JOIN sync_ending n ON n.key = e.{self.key} "
                f"WHERE n.key IS NULL OR n.valid_from > :as_of OR {stated} > :as_of")
            self.sql(f"DELETE FROM sync_ending n WHERE valid_from > :as_of "
                     f"OR {self._stated_after('n.key')} > :as_of")
        self.analyze("sync_plan", "row_number", "key", "kind")
        self.analyze("sync_ending", "key")
        counts = dict(self.sql("SELECT kind, count(*) FROM sync_plan GROUP BY kind").all())
        self.result.created = int(counts.get("created", 0))
        self.result.changed = int(counts.get("changed", 0))
        self.result.corrected = int(counts.get("corrected", 0))
        self.result.unchanged += int(counts.get("unchanged", 0))
        self.result.ended = int(self.sql("SELECT count(*) FROM sync_ending").scalar_one())
        done()

    def _find_later_batches(self) -> None:
        """Batches applied before this one but dated after it, up to today: what they
        stated of a key stands (see :meth:`_refuse_what_later_batches_stated`). A full
        snapshot stated every live key; a delta, the keys on its rows
        (``sync_delta_key``). A batch dated after today is an announcement: the changes
        it announced stand as later versions (see :meth:`_settle_rows_dated_before_the_
        master`), but it does not freeze the other records until its date, or the
        nightly snapshots before it could record no change at all."""
        later_full, later_deltas, any_later = self.sql(
            "SELECT max(as_of) FILTER (WHERE mode = 'full' AND as_of <= :today), "
            "coalesce(array_agg(batch_id) FILTER (WHERE mode = 'delta' AND as_of <= :today), "
            "'{}'), count(*) FILTER (WHERE status = 'applied') > 0 "
            "FROM sync_batch WHERE dataset = :d AND as_of > :as_of AND batch_id <> :b "
            "AND (status = 'applied' OR (status = 'duplicate' AND mode = 'full'))",
            today=today_in_korea()).one()
        self.later_full, self.later_deltas = later_full, list(later_deltas)
        self.any_later = bool(any_later)
        self.params |= {"later_full": later_full, "later_deltas": self.later_deltas}

    def _stated_after(self, key: str) -> str:
        """SQL: the latest date after this batch's as-of at which an applied batch
        stated the record of ``key``, or NULL."""
        if self.later_full is None and not self.later_deltas:
            return "CAST(NULL AS date)"
        return ("greatest(CAST(:later_full AS date), (SELECT max(b.as_of) FROM sync_delta_key "
                "d JOIN sync_batch b USING (batch_id) WHERE d.batch_id = ANY(CAST(:later_deltas "
                f"AS bigint[])) AND d.record_key = {key}))")

    @staticmethod
    def _stated_reason(stated: str, what: str) -> str:
        article = "an" if what[0] in "aeiou" else "a"
        return (f"'a batch dated ' || {stated} || ' was applied before this one and stated "
                f"this record as of then; {article} {what} dated earlier would contradict it: "
                f"send the {what} with --as-of ' || {stated} || ' or later'")

    def _refuse_what_later_batches_stated(self) -> None:
        """A batch dated before one already applied (a late file) may not create,
        change or end a record that later batch stated: its value would reach past that
        batch's date, where the later batch said otherwise. Such rows are quarantined
        naming the date; rows the master already agrees with stay unchanged."""
        if self.later_full is None and not self.later_deltas:
            return
        stated = self._stated_after("sync_plan.key")
        self.sql(f"UPDATE sync_plan SET kind = 'stated', latest_valid_from = {stated} "
                 f"WHERE kind IN ('created', 'changed', 'corrected') AND {stated} > :as_of")
        self._quarantine(
            f"SELECT row_number, '{self.spec.key}', "
            f"{self._stated_reason('latest_valid_from', 'change')} "
            "FROM sync_plan WHERE kind = 'stated'")
        self.sql("DELETE FROM sync_plan WHERE kind = 'stated'")

    def _settle_rows_dated_before_the_master(self) -> None:
        """Rows of keys whose latest version is dated after this batch (a change
        announced ahead, or a batch sent with an earlier --as-of than the last one).

        A row agreeing with the version valid on the batch's date is unchanged (the
        nightly snapshot before an announced change takes effect). Any other value
        would have to be placed before a later version, which would rewrite that
        later version's history: the row is quarantined, saying which date to send
        it with, rather than stored under a date it does not carry.
        """
        # A key not live now but valid past this date (its end was announced ahead).
        # Versions reach past a batch's date only when a batch dated later was applied:
        # without one, the new keys are not looked up.
        if self.any_later:
            self.sql(
                "UPDATE sync_plan p SET kind = 'precedes', latest_valid_from = v.until "
                f"FROM (SELECT {self.key} AS key, max(valid_to) AS until FROM {self.version} "
                f"WHERE {self.key} = ANY(ARRAY(SELECT key FROM sync_plan "
                f"WHERE kind = 'created')) AND superseded_at IS NULL AND valid_to > :as_of "
                f"GROUP BY {self.key}) v WHERE p.kind = 'created' AND v.key = p.key"
            )
        if not self.sql("SELECT EXISTS (SELECT 1 FROM sync_plan WHERE kind = 'precedes')"
                        ).scalar():
            # The usual night. (Not left to the statements below: sync_plan is not yet
            # analysed, and the planner joined it with every version, 0.6 s at 1M.)
            return
        sent = [name for name in self.fields if name not in self.kept]
        fields_in = ", ".join(f"i.{name}" for name in sent)
        fields_ver = ", ".join(f"v.{name}" for name in sent)
        self.sql(
            "UPDATE sync_plan p SET kind = 'unchanged', rehash = false FROM sync_in i "
            "WHERE p.kind = 'precedes' AND i.row_number = p.row_number AND EXISTS ("
            f"SELECT 1 FROM {self.version} v WHERE v.{self.key} = p.key "
            "AND v.superseded_at IS NULL AND v.valid_period @> CAST(:as_of AS date) "
            f"AND ROW({fields_in}) IS NOT DISTINCT FROM ROW({fields_ver}))"
        )
        self._quarantine(
            f"SELECT row_number, '{self.spec.key}', 'the master holds a version of this "
            "key dated ' || latest_valid_from || ', later than this batch''s as-of "
            "date: send the change with --as-of ' || latest_valid_from || ' or later' "
            "FROM sync_plan WHERE kind = 'precedes'")
        self.sql("DELETE FROM sync_plan WHERE kind = 'precedes'")

    def _withhold_doubtful_ends(self) -> None:
        """A full snapshot ends the live keys it leaves out, except where that is in
        doubt: when rows of it have keys that cannot be read, or are lines that cannot be
        read as rows at all (such a row may stand for any of those keys: an identifier
        that lost its leading zeros in a spreadsheet, or a line with a field too few,
        would otherwise end a live record), and for keys whose latest version is dated
        after the batch. An empty line stands for no record."""
        unreadable = int(self.sql(
            "SELECT count(*) FROM sync_checked WHERE key_bad").scalar_one())
        lines = sum(1 for row in self.unreadable if not row.blank)
        if unreadable or lines:
            held_where = "true"
            which = []
            if unreadable:
                which.append(f"{unreadable:,} of its rows have a {self.spec.key} that cannot "
                             "be read")
            if lines:
                which.append(f"{lines:,} of its lines cannot be read as rows")
            why = (f"{' and '.join(which)} (see the quarantine); send the snapshot again "
                   "with them fixed")
        elif self.later_full is not None:
            held_where = "true"
            why = (f"a full snapshot dated {self.later_full.isoformat()} was applied before "
                   "this one and holds them")
        else:
            held_where = (f"EXISTS (SELECT 1 FROM {self.current} c WHERE c.{self.key} = e.key "
                          f"AND (c.valid_from > :as_of OR {self._stated_after('e.key')} "
                          "> :as_of))")
            why = ("each has a version dated after this batch's as-of date, or a batch dated "
                   "later named it")
        # A few of them, masked, so that a steward can look them up.
        examples = self.sql(f"SELECT e.key FROM sync_ending e WHERE {held_where} "
                            "ORDER BY e.key LIMIT 3").scalars().all()
        held = self.sql(f"DELETE FROM sync_ending e WHERE {held_where}").rowcount
        if held:
            shown = ", ".join(str(mask_field(self.spec, self.spec.key, key)) for key in examples)
            self.result.warnings.append(
                f"{held:,} live records this snapshot leaves out were not ended: {why} "
                f"(for instance {shown})")
        self.result.ends_withheld = held

    def _quarantine_unreadable(self) -> None:
        """Quarantine the source's lines that could not be read as rows, with the line
        (``_line``) and its text (``_text``) as the raw row."""
        if not self.unreadable:
            return
        self._copy("sync_quarantine (batch_id, row_number, reason, raw)", pl.DataFrame(
            {"batch_id": [self.result.batch_id] * len(self.unreadable),
             "row_number": [row.row for row in self.unreadable],
             "reason": [f"line {row.line} {row.reason}" for row in self.unreadable],
             "raw": [json_param({"_line": row.line, "_text": row.text})
                     for row in self.unreadable]},
            schema={"batch_id": pl.Int64, "row_number": pl.Int64, "reason": pl.String,
                    "raw": pl.String}))
        count = len(self.unreadable)
        shown = ", ".join(str(row.line) for row in self.unreadable[:5])
        self.result.quarantined += count
        self.result.unreadable = count
        self.result.warnings.append(
            f"{count:,} line{'s' if count > 1 else ''} of the file could not be read as rows "
            f"(line{'s' if count > 1 else ''} {shown}{', ...' if count > 5 else ''}): "
            "quarantined, the other rows applied")

    def _quarantine(self, rows_sql: str) -> None:
        """Quarantine rows found after validation: ``rows_sql`` yields (row number,
        field, reason) of rows that passed it."""
        added = self.sql(
            "WITH found (row_number, field, reason) AS (" + rows_sql + ") "
            "INSERT INTO sync_quarantine (batch_id, row_number, field, reason, raw) "
            f"SELECT :b, f.row_number, f.field, f.reason, {self.raw_row} "
            "FROM found f JOIN sync_cand s USING (row_number)"
        ).rowcount
        self.result.quarantined += int(added)

    def _write(self) -> None:
        done = self.timed("apply")
        fields = ", ".join(self.fields)
        fields_i = ", ".join(f"i.{name}" for name in self.fields)
        fields_v = ", ".join(f"v.{name}" for name in self.fields)
        # Bitemporal: a version is never edited (so "as recorded at T" stays true). A
        # changed or ended version is superseded, and a closed copy records its validity
        # ending at the as-of date; a corrected one is superseded and replaced. One
        # statement supersedes and copies, so each old version is read once; the copy
        # does not overlap the superseded original for the exclusion constraint, which
        # sees the original as already updated by this transaction.
        # `= ANY(ARRAY(...))` makes these primary-key lookups: a join would scan every
        # version to touch the few that changed.
        self.sql(
            "CREATE TEMP TABLE sync_closed ON COMMIT DROP AS WITH closing AS MATERIALIZED ("
            "SELECT previous_version_id AS version_id, kind FROM sync_plan "
            "WHERE kind IN ('changed', 'corrected') UNION ALL "
            "SELECT version_id, 'ended' FROM sync_ending), old AS ("
            f"UPDATE {self.version} v SET superseded_at = now() FROM closing c "
            "WHERE v.version_id = ANY(ARRAY(SELECT version_id FROM closing)) "
            "AND c.version_id = v.version_id "
            f"RETURNING c.kind, {fields_v}, v.valid_from, v.source_row, v.row_hash), ins AS ("
            f"INSERT INTO {self.version} ({fields}, valid_from, valid_to, batch_id, source_row, "
            f"row_hash) SELECT {fields}, valid_from, greatest(CAST(:as_of AS date), valid_from), "
            "CAST(:b AS bigint), source_row, row_hash FROM old WHERE kind <> 'corrected' "
            f"RETURNING version_id, {self.key} AS key) SELECT * FROM ins"
        )
        self.sql(
            "CREATE TEMP TABLE sync_new ON COMMIT DROP AS WITH ins AS ("
            f"INSERT INTO {self.version} ({fields}, valid_from, batch_id, source_row, row_hash) "
            f"SELECT {fields_i}, p.valid_from, :b, i.row_number, i.row_hash "
            "FROM sync_in i JOIN sync_plan p USING (row_number) WHERE p.kind <> 'unchanged' "
            f"RETURNING version_id, {self.key} AS key, {fields}, valid_from, recorded_at, "
            "batch_id, row_hash) SELECT * FROM ins"
        )
        self.sql(
            f"DELETE FROM {self.current} WHERE {self.key} = ANY(ARRAY("
            "SELECT key FROM sync_ending UNION ALL "
            "SELECT key FROM sync_plan WHERE kind IN ('changed', 'corrected')))"
        )
        self.sql(
            f"INSERT INTO {self.current} ({fields}, version_id, valid_from, recorded_at, "
            f"batch_id, row_hash, raw_hash) SELECT {', '.join(f'n.{f}' for f in self.fields)}, "
            "n.version_id, n.valid_from, n.recorded_at, n.batch_id, n.row_hash, p.raw_hash "
            "FROM sync_new n JOIN sync_plan p ON p.key = n.key"
        )
        # Same values, new spelling (or a hash not yet stored): keep the new hash, so
        # the row is not checked in full again tomorrow.
        self.sql(
            f"UPDATE {self.current} c SET raw_hash = p.raw_hash FROM sync_plan p "
            f"WHERE c.{self.key} = ANY(ARRAY(SELECT key FROM sync_plan "
            "WHERE kind = 'unchanged' AND rehash)) "
            f"AND p.key = c.{self.key}"
        )
        # Outbox ids must grow in commit order, or a feed reader could move past an id
        # that commits later. Writers take this lock right before drawing ids and keep it
        # to commit (a moment: the events are the last rows written).
        self.sql("SELECT pg_advisory_xact_lock(:k)", k=OUTBOX_LOCK)
        self.sql(
            "INSERT INTO change_event (dataset, record_key, kind, version_id, "
            "previous_version_id, batch_id) "
            "SELECT :d, p.key, p.kind, n.version_id, p.previous_version_id, :b "
            "FROM sync_plan p JOIN sync_new n ON n.key = p.key ORDER BY p.row_number"
        )
        self.sql(
            "INSERT INTO change_event (dataset, record_key, kind, version_id, "
            "previous_version_id, batch_id) "
            "SELECT :d, e.key, 'ended', c.version_id, e.version_id, :b FROM sync_ending e "
            "JOIN sync_closed c ON c.key = e.key ORDER BY e.key"
        )
        if self.mode == "delta":
            # Rows found unchanged leave no version behind: keep every key this delta
            # named, so that a batch dated before it cannot contradict it.
            self.sql("CREATE TEMP TABLE sync_named (key text) ON COMMIT DROP")
            self._copy("sync_named", self.named_unchanged)
            self.sql(
                "INSERT INTO sync_delta_key (batch_id, record_key) SELECT DISTINCT :b, k FROM ("
                "SELECT key FROM sync_plan UNION ALL SELECT key FROM sync_ending UNION ALL "
                "SELECT key FROM sync_named) named (k)")
        done()


def sync_file(
    engine: Engine,
    dataset: str,
    path: Path,
    *,
    mode: str = "full",
    as_of: dt.date | None = None,
    encoding: str | None = None,
    mapping_path: Path | None = None,
    archive_dir: Path | None = None,
    progress: Progress | None = None,
    allow_mass_end: bool = False,
) -> SyncResult:
    """Read a snapshot or delta file (CSV or Parquet) and apply it.

    Column problems (missing required or unknown columns, bad encoding) are
    raised before anything is written.
    """
    spec = get_dataset(dataset)
    if mode not in MODES:
        raise InvalidInput(f"unknown mode {mode!r}; use one of: {', '.join(MODES)}")
    (progress or (lambda _s: None))("reading")
    mapping = load_mapping(mapping_path, spec=spec) if mapping_path else None
    source = read_file(spec, path, encoding=encoding, mapping=mapping,
                       extra_allowed=(OP_COLUMN,) if mode == "delta" else ())
    warnings = []
    if source.unused_mapping:
        warnings.append("mapping entries naming no column of the file (a typo?): "
                        + ", ".join(source.unused_mapping))
    return apply_snapshot(
        engine, dataset, source.frame, source=source.source, sha256=source.sha256,
        original=source.path, archive_dir=archive_dir, mode=mode, as_of=as_of,
        progress=progress, allow_mass_end=allow_mass_end,
        keep_fields=source.absent_fields, warnings=warnings,
        row_numbers=source.row_numbers, unreadable=source.unreadable,
    )
