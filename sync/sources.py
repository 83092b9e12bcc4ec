"""Source adapters: an owning agency's snapshot as the dataset's canonical text columns.

Every adapter returns the same shape (:class:`SourceData`): exactly the
dataset's fields, in spec order, all text, stripped of surrounding whitespace,
with empty meaning null. Nothing is parsed as a number or date here: leading
zeros of identifiers must survive, and format errors are for the validation in
PostgreSQL, which reports them per row and field without losing the good rows.

Sources are the agency's contract, so the adapters are strict where leniency
would hide drift: column names must resolve (:mod:`sync.mapping`), a CSV must
be rectangular, and a non-UTF-8 file needs an explicit ``encoding`` rather than
a guess. A quote inside an unquoted field (an inch mark: ``1/2" 파이프``) is read
as itself, as Python's :mod:`csv` module reads it; a field that opens with a quote
must close it. Error messages name files, columns and rows, never values: the values
are often personal identifiers.

Supported: CSV (``.csv``, ``.txt``; UTF-8 with or without BOM, or CP949/EUC-KR;
LF, CRLF or classic Mac CR line endings), Parquet (``.parquet``, ``.pq``) and a
PostgreSQL query.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, NoReturn

import polars as pl

from entities.spec import DatasetSpec, FieldType
from mdr.errors import DatabaseUnavailable, InvalidInput
from mdr.tabular import CP949, UTF8, normalise_encoding, parquet_column_as_text
from sync.mapping import ColumnResolution, enforce_contract, resolve_columns

HASH_CHUNK: Final = 1 << 20
_HEAD_CHUNK: Final = 1 << 16
_MAX_HEADER: Final = 1 << 20
_BOM: Final = codecs.BOM_UTF8
_FORMATS: Final = {"csv": "csv", "txt": "csv", "parquet": "parquet", "pq": "parquet"}
_ALT_SEPARATORS: Final = ("\t", "|", ";")
_PG_BOOL_OID: Final = 16
_CSV_MODULE_BATCH: Final = 50_000


@dataclass(frozen=True)
class SourceData:
    """One source snapshot in canonical columns, with what is needed to archive it."""

    frame: pl.DataFrame  # spec.field_names in spec order, all pl.String; row i = data row i
    source: str  # absolute file path, or "postgresql://host:port/db (query)" without password
    sha256: str | None  # of the original file bytes; None for a database source
    path: Path | None  # the original file, for archiving
    encoding: str | None  # "utf-8" or "cp949" for CSV, else None
    extra_columns: tuple[str, ...]  # source columns dropped by the mapping's ``ignore``
    unused_mapping: tuple[str, ...] = ()  # mapping entries naming no source column
    #: Optional fields the source has no column for: a sync keeps their stored values
    #: (the source says nothing about them), where an empty column would clear them.
    absent_fields: tuple[str, ...] = ()


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks so any size fits in memory."""
    digest = hashlib.sha256()
    with _open(Path(path)) as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_file(
    spec: DatasetSpec,
    path: Path,
    *,
    encoding: str | None = None,
    mapping: dict[str, str] | None = None,
    file_format: str | None = None,
    extra_allowed: tuple[str, ...] = (),
) -> SourceData:
    """Read a CSV or Parquet snapshot of ``spec``'s dataset.

    The header (or Parquet schema) is resolved against the dataset before any
    row is parsed, so a wrong file fails fast. ``encoding`` applies to CSV only.
    Columns named in ``extra_allowed`` (such as a delta file's ``_op``) are kept,
    after the canonical ones, when present.
    """
    path = Path(path).absolute()
    if not path.exists():
        raise InvalidInput(f"file not found: {path}", path=str(path))
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory, not a file", path=str(path))
    kind = _file_format(path, file_format)
    if kind == "parquet":
        if encoding is not None:
            raise InvalidInput(
                f"{path}: --encoding applies to CSV files only; Parquet text is always UTF-8",
                path=str(path),
            )
        return _read_parquet(spec, path, mapping, extra_allowed)
    return _read_csv(spec, path, normalise_encoding(encoding), mapping, extra_allowed)


def read_postgres(
    spec: DatasetSpec, url: str, query: str, *, mapping: dict[str, str] | None = None
) -> SourceData:
    """Read the rows of ``query`` on the agency's PostgreSQL as canonical text.

    The query runs in a read-only transaction: first with ``LIMIT 0`` to
    resolve its columns (a wrong query fails before any data moves), then as
    ``COPY (query) TO STDOUT`` in CSV, the fastest way PostgreSQL hands out
    rows. Booleans come out as ``true``/``false`` like Parquet's.
    """
    import psycopg2
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from mdr.db.engine import describe_url

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseUnavailable(
            "not a PostgreSQL URL; expected postgresql://user@host:port/database"
        ) from None
    if parsed.get_backend_name() not in {"postgresql", "postgres"}:
        raise DatabaseUnavailable(
            f"not a PostgreSQL URL ({parsed.get_backend_name()}://...); "
            "expected postgresql://user@host:port/database"
        )
    where = describe_url(parsed)
    query = query.strip().rstrip(";").strip()
    if not query:
        raise InvalidInput("the source query is empty")
    source = f"postgresql://{where} ({query})"
    secret = str(parsed.password) if parsed.password else None
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        conn = psycopg2.connect(
            dsn, connect_timeout=10, application_name="mdr-sync", client_encoding="UTF8"
        )
    except psycopg2.Error as exc:
        raise DatabaseUnavailable(
            f"cannot connect to PostgreSQL at {where}: {_first_line(exc, secret)}", host=where
        ) from None
    try:
        conn.set_session(readonly=True)  # the agency's database is only ever read
        with conn.cursor() as cur:
            cur.execute("SET LOCAL DateStyle = 'ISO, YMD'")
            try:
                cur.execute(f"SELECT * FROM ({query}) AS mdr_source LIMIT 0")
            except psycopg2.Error as exc:
                _query_failed(exc, source, where, secret)
            description = cur.description or ()
            names = [column.name for column in description]
            booleans = [c.name for c in description if c.type_code == _PG_BOOL_OID]
            resolution = _resolve(spec, names, mapping, source, has="the query returns")
            buffer = io.BytesIO()
            try:
                cur.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", buffer)
            except psycopg2.Error as exc:
                _query_failed(exc, source, where, secret)
    finally:
        with contextlib.suppress(psycopg2.Error):  # a lost connection cannot roll back
            conn.rollback()
        conn.close()
    rows = _parse_body(buffer.getvalue(), 0, names, ",", source, line_offset=0)
    rows = rows.with_columns(pl.col(booleans).replace({"t": "true", "f": "false"}))
    return SourceData(
        frame=_canonical(spec, rows, resolution),
        source=source,
        sha256=None,
        path=None,
        encoding=None,
        extra_columns=resolution.ignored,
        absent_fields=resolution.missing,
        unused_mapping=resolution.unused,
    )


# --- CSV ------------------------------------------------------------------------------------


def _read_csv(
    spec: DatasetSpec,
    path: Path,
    encoding: str,
    mapping: dict[str, str] | None,
    extra_allowed: tuple[str, ...] = (),
) -> SourceData:
    where = str(path)
    head = _read_head(path)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput(
            f"{where} is UTF-16 (Excel's 'Unicode text'); save it as CSV UTF-8", path=where
        )
    start = len(_BOM) if head.startswith(_BOM) else 0
    if start and encoding == CP949:
        raise InvalidInput(
            f"{where} starts with a UTF-8 byte-order mark, so it is UTF-8, not CP949; "
            "drop --encoding",
            path=where,
        )
    header_end = _header_end(head, start, complete=True) or len(head)
    raw_header = head[start:header_end]
    # The header's line break is the file's: a bare CR means a classic Mac export
    # ("CSV (Macintosh)"), which polars would read as one line.
    mac = raw_header.endswith(b"\r")
    if mac:
        raw_header = _lf_line_breaks(raw_header)
    names, separator = _parse_header(raw_header, encoding, where)
    resolution = _resolve(
        spec, [n for n in names if n not in extra_allowed], mapping, where, has="the file has"
    )

    data = _read_bytes(path)
    if not data.startswith(head[:header_end]):
        raise InvalidInput(f"{where} changed while it was being read; retry", path=where)
    # hashlib releases the GIL: hash on a second thread while polars parses. The hash
    # (and the archived copy) is of ``data`` as delivered, never of a translation.
    with ThreadPoolExecutor(1, thread_name_prefix="mdr-sha256") as pool:
        digest = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        header_lines = raw_header.count(b"\n")
        body, body_start = data, header_end  # UTF-8 as is: no copy of a large file
        if mac:
            body, body_start = _lf_line_breaks(data[header_end:]), 0
        if encoding == CP949:
            body, body_start = _cp949_to_utf8(body[body_start:], where, header_lines), 0
        rows = _parse_body(body, body_start, names, separator, where, line_offset=header_lines)
        frame = _canonical(spec, rows, resolution, extra_allowed)
        sha256 = digest.result()
    return SourceData(
        frame=frame,
        source=where,
        sha256=sha256,
        path=path,
        encoding=encoding,
        extra_columns=resolution.ignored,
        absent_fields=resolution.missing,
        unused_mapping=resolution.unused,
    )


def _read_head(path: Path) -> bytes:
    """The start of the file up to the end of the header record (or the whole file)."""
    head = b""
    with _open(path) as fh:
        while chunk := fh.read(_HEAD_CHUNK):
            head += chunk
            start = len(_BOM) if head.startswith(_BOM) else 0
            if _header_end(head, start, complete=False) is not None:
                break
            if len(head) > _MAX_HEADER:
                raise InvalidInput(
                    f"{path}: no end of the header row in the first MiB; is it a CSV file?",
                    path=str(path),
                )
    return head


def _header_end(data: bytes, start: int, *, complete: bool) -> int | None:
    """Offset just past the first line break (LF, CRLF or a bare CR) outside quotes.

    A CR as the last byte is a bare CR only if ``data`` is ``complete`` (the whole
    file); otherwise the next chunk may start with its LF. Byte-level scanning is
    safe for CP949 too: its trail bytes never take the values of ``"`` or a line break.
    """
    pos = start
    while (brk := _next_line_break(data, pos)) >= 0:
        if data.count(b'"', start, brk) % 2 == 0:
            if data[brk] == ord("\n"):
                return brk + 1
            if brk + 1 < len(data):
                return brk + 2 if data[brk + 1] == ord("\n") else brk + 1
            return brk + 1 if complete else None
        pos = brk + 1
    return None


def _next_line_break(data: bytes, pos: int) -> int:
    found = [i for i in (data.find(b"\r", pos), data.find(b"\n", pos)) if i >= 0]
    return min(found, default=-1)


def _lf_line_breaks(data: bytes) -> bytes:
    """CR and CRLF line breaks as LF, the only record end polars knows.

    Breaks inside quoted values are translated too: in a CR-only file they are
    CRs like the rest, and this keeps every line of the file a line for messages.
    """
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _parse_header(raw: bytes, encoding: str, where: str) -> tuple[list[str], str]:
    """Column names and separator from the header record.

    The separator is ``,`` unless the header has no comma and exactly one of
    tab, ``|`` or ``;`` (as in pipe-separated ``.txt`` exports).
    """
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        _encoding_failed(where, encoding, 1 + raw.count(b"\n", 0, exc.start))
    if not text.strip():
        raise InvalidInput(
            f"{where} has no header row; the first line must name the columns", path=where
        )
    present = [sep for sep in _ALT_SEPARATORS if sep in text]
    separator = present[0] if "," not in text and len(present) == 1 else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    except csv.Error as exc:
        raise InvalidInput(f"{where}: malformed header row: {exc}", path=where) from None
    names = [name.strip() for name in records[0]] if records else []
    for position, name in enumerate(names, start=1):
        if not name:
            raise InvalidInput(
                f"{where}: column {position} of the header has no name", path=where, column=position
            )
    return names, separator


def _cp949_to_utf8(body: bytes, where: str, header_lines: int) -> bytes:
    """Transcode in Python: polars reads UTF-8 only, and a bad byte must be an error."""
    try:
        return body.decode(CP949).encode(UTF8)
    except UnicodeDecodeError as exc:
        _encoding_failed(where, CP949, header_lines + 1 + body.count(b"\n", 0, exc.start))


def _parse_body(
    buffer: bytes, start: int, names: list[str], separator: str, where: str, *, line_offset: int
) -> pl.DataFrame:
    """The records from byte ``start`` on as text columns ``names``; a ragged row is an error.

    polars raises on a row with too many fields but pads a short one with
    nulls, so rectangularity is checked by counting separators outside quotes:
    with no long rows, all rows are complete exactly when that count is
    ``rows * (columns - 1)``. Only when polars fails or that check does is the
    body read again with the (slow, precise) :mod:`csv` module, which either
    names the bad row or gives the rows (see :func:`_parse_with_csv_module`).
    The buffer is handed to polars whole, skipping the header lines, so a large
    file is not copied; ``line_offset`` is the header's line count for messages.
    """
    schema = dict.fromkeys(names, pl.String)
    end = len(buffer)
    while end > start and buffer[end - 1] in b"\r\n":  # trailing blank lines are no rows
        end -= 1
    if end == start:
        return pl.DataFrame(schema=schema)
    if buffer[end:] in (b"", b"\n", b"\r\n"):
        source, skip = buffer, buffer.count(b"\n", 0, start)
    else:  # polars would read each extra blank line as a row
        source, skip = buffer[start:end], 0
    try:
        rows = pl.read_csv(
            source,
            has_header=False,
            skip_lines=skip,
            schema=schema,
            separator=separator,
            quote_char='"',
            comment_prefix=None,
            null_values=None,
            truncate_ragged_lines=False,
            raise_if_empty=False,
            try_parse_dates=False,
        )
    except pl.exceptions.PolarsError:
        return _parse_with_csv_module(buffer[start:end], names, separator, where, line_offset)
    if len(names) > 1:
        found = buffer.count(separator.encode(), start, end)
        if buffer.find(b'"', start, end) >= 0:  # separators inside quotes separate nothing
            quoted = rows.select(pl.all().str.count_matches(separator, literal=True).sum())
            found -= sum(count or 0 for count in quoted.row(0))
        if found != rows.height * (len(names) - 1):
            return _parse_with_csv_module(buffer[start:end], names, separator, where, line_offset)
    return rows


def _parse_with_csv_module(
    body: bytes, names: list[str], separator: str, where: str, header_lines: int
) -> pl.DataFrame:
    """The rows of a body polars rejected or padded, as :func:`_parse_body` gives them.

    polars rejects a whole file for one quote inside an unquoted field (an inch
    mark in ``1/2" 파이프``, a typo in a name); the :mod:`csv` module reads such a
    quote as the literal character it is, so those rows and all the others are
    kept. Anything it cannot read (text after a closing quote, a quote never
    closed, a row of the wrong width) is an error naming the data row and line:
    a row boundary is not guessed.
    """
    try:
        text = body.decode(UTF8)
    except UnicodeDecodeError as exc:
        _encoding_failed(where, UTF8, header_lines + 1 + body.count(b"\n", 0, exc.start))
    schema = dict.fromkeys(names, pl.String)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    frames: list[pl.DataFrame] = []
    batch: list[list[str]] = []
    row = 0
    lines_done = 0
    while True:
        line = header_lines + lines_done + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InvalidInput(
                f"{where}: malformed CSV in data row {row} (0-based, header not counted), "
                f"from line {line}: {exc}; a field that starts with a quote must end with "
                'one, and a quote inside it is doubled ("")',
                path=where,
                row=row,
                line=line,
            ) from None
        if len(record) != len(names):
            shape = "is empty" if not record else f"has {len(record)} fields"
            raise InvalidInput(
                f"{where}: data row {row} (0-based, header not counted; line {line}) {shape}, "
                f"the header has {len(names)}",
                path=where,
                row=row,
                line=line,
            )
        batch.append(record)
        if len(batch) == _CSV_MODULE_BATCH:  # bounds the memory of Python strings
            frames.append(pl.DataFrame(batch, schema=schema, orient="row"))
            batch = []
        row += 1
        lines_done = reader.line_num
    frames.append(pl.DataFrame(batch, schema=schema, orient="row"))
    return pl.concat(frames, rechunk=True)


def _encoding_failed(where: str, encoding: str, line: int) -> NoReturn:
    if encoding == UTF8:
        raise InvalidInput(
            f"{where} is not valid UTF-8 (first bad byte on line {line}); if it is a "
            "CP949/EUC-KR export (usual from Korean Windows systems), pass --encoding cp949",
            path=where,
            line=line,
        )
    raise InvalidInput(
        f"{where} is not valid CP949/EUC-KR (first bad byte on line {line}); "
        "check the file's encoding",
        path=where,
        line=line,
    )


# --- Parquet --------------------------------------------------------------------------------


def _read_parquet(
    spec: DatasetSpec,
    path: Path,
    mapping: dict[str, str] | None,
    extra_allowed: tuple[str, ...] = (),
) -> SourceData:
    where = str(path)
    try:
        names = list(pl.read_parquet_schema(path))
    except (pl.exceptions.PolarsError, OSError):
        raise InvalidInput(f"{where} is not a readable Parquet file", path=where) from None
    extras = [n for n in names if n in extra_allowed]
    resolution = _resolve(
        spec, [n for n in names if n not in extras], mapping, where, has="the file has"
    )
    sha256 = file_sha256(path)
    wanted = [name for name in names if name in resolution.rename]
    try:
        raw = pl.read_parquet(path, columns=wanted)
    except (pl.exceptions.PolarsError, OSError):
        raise InvalidInput(f"{where} is not a readable Parquet file", path=where) from None
    text = pl.DataFrame(
        [
            parquet_column_as_text(
                raw[name], where, whole_floats_as_integers=spec.field_spec(
                    resolution.rename[name]).type is FieldType.INTEGER)
            for name in wanted
        ],
        schema=dict.fromkeys(wanted, pl.String),
    )
    if extras:
        text = text.with_columns(
            pl.read_parquet(path, columns=extras).select(pl.all().cast(pl.String))
        )
    return SourceData(
        frame=_canonical(spec, text, resolution, extra_allowed),
        source=where,
        sha256=sha256,
        path=path,
        encoding=None,
        extra_columns=resolution.ignored,
        absent_fields=resolution.missing,
        unused_mapping=resolution.unused,
    )


# --- shared ---------------------------------------------------------------------------------


def _resolve(
    spec: DatasetSpec,
    names: list[str],
    mapping: dict[str, str] | None,
    source: str,
    *,
    has: str,
) -> ColumnResolution:
    try:
        resolution = resolve_columns(spec, names, mapping)
    except InvalidInput as exc:
        raise InvalidInput(f"{source}: {exc.detail}", **exc.extra) from None
    enforce_contract(spec, resolution, names, source=source, has=has)
    return resolution


def _canonical(
    spec: DatasetSpec,
    rows: pl.DataFrame,
    resolution: ColumnResolution,
    extra_allowed: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The spec's fields in order: stripped text, empty as null, absent fields all null;
    then any allowed extra columns present."""
    column_of = {target: column for column, target in resolution.rename.items()}
    if not column_of:  # only literals would give one row, not rows.height
        return pl.DataFrame(
            {name: pl.Series([None] * rows.height, dtype=pl.String) for name in spec.field_names}
        )
    exprs: list[pl.Expr] = []
    for name in spec.field_names:
        column = column_of.get(name)
        if column is None:
            exprs.append(pl.lit(None, dtype=pl.String).alias(name))
            continue
        stripped = pl.col(column).str.strip_chars()
        exprs.append(pl.when(stripped.str.len_bytes() > 0).then(stripped).alias(name))
    for extra in extra_allowed:
        if extra in rows.columns:
            stripped = pl.col(extra).str.strip_chars()
            exprs.append(pl.when(stripped.str.len_bytes() > 0).then(stripped).alias(extra))
    return rows.select(exprs)


def _file_format(path: Path, file_format: str | None) -> str:
    if file_format is not None:  # a caller's choice, not the user's: no hint about files
        kind = _FORMATS.get(file_format.strip().lower())
        if kind is None:
            raise InvalidInput(
                f"{path}: unknown file format {file_format!r}; expected csv or parquet",
                path=str(path),
            )
        return kind
    kind = _FORMATS.get(path.suffix.lstrip(".").lower())
    if kind is None:
        # `mdr sync run` and the drop folders take the format from the name alone
        what = f"unknown file extension {path.suffix!r}" if path.suffix else "no file extension"
        raise InvalidInput(
            f"{path}: {what}; the format is taken from the extension: name a CSV file "
            "*.csv (or *.txt) and a Parquet file *.parquet (or *.pq)",
            path=str(path),
        )
    return kind


def _open(path: Path) -> IO[bytes]:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInput(f"file not found: {path}", path=str(path)) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", path=str(path)) from None


def _read_bytes(path: Path) -> bytes:
    with _open(path) as fh:
        try:
            return fh.read()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}", path=str(path)) from None


def _first_line(exc: Exception, secret: str | None) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line.replace(secret, "***") if secret else line


def _query_failed(exc: Exception, source: str, where: str, secret: str | None) -> NoReturn:
    """Turn a psycopg2 error into the right MdrError without quoting data values."""
    import psycopg2
    from psycopg2 import errorcodes

    if isinstance(exc, psycopg2.OperationalError) and getattr(exc, "pgcode", None) is None:
        raise DatabaseUnavailable(
            f"lost the connection to PostgreSQL at {where}: {_first_line(exc, secret)}",
            host=where,
        ) from None
    code = getattr(exc, "pgcode", None) or ""
    if code.startswith(("22", "23")):  # data exceptions quote the offending value
        name = (errorcodes.lookup(code) or "data exception").lower()
        reason = f"{name} (SQLSTATE {code}); the server's text is withheld as it may quote data"
    else:
        reason = _first_line(exc, secret)
    raise InvalidInput(f"{source}: the query failed: {reason}", sqlstate=code or None) from None
