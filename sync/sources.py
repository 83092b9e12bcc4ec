"""Source adapters: an owning agency's snapshot as the dataset's canonical text columns.

Every adapter returns the same shape (:class:`SourceData`): exactly the
dataset's fields, in spec order, all text, stripped of surrounding whitespace,
with empty meaning null. Nothing is parsed as a number or date here: leading
zeros of identifiers must survive, and format errors are for the validation in
PostgreSQL, which reports them per row and field without losing the good rows.

Sources are the agency's contract, so the adapters are strict where leniency
would hide drift: column names must resolve (:mod:`entities.mapping`), and a non-UTF-8
file needs an explicit ``encoding`` rather than a guess. A quote inside an unquoted
field (an inch mark: ``1/2" 파이프``) is read as itself, as Python's :mod:`csv` module
reads it. A CSV line that cannot be read as a row (too few or too many fields, an
unclosed quote, bytes not valid in the encoding, a NUL byte) is set aside with its line
and data row, to be quarantined, and the other rows are read; a file with too many such
lines is refused whole (:data:`MAX_UNREADABLE_SHARE`). Error messages and reasons name
files, columns, rows and lines, never values: the values are often personal identifiers.

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
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final, NoReturn

import polars as pl
import psycopg2
from psycopg2 import errorcodes
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from entities.mapping import ColumnResolution, enforce_contract, resolve_columns
from entities.spec import DatasetSpec, FieldType
from entities.tabular import CP949, UTF8, normalise_encoding, parquet_column_as_text
from mdr.db.engine import describe_url
from mdr.errors import DatabaseUnavailable, InvalidInput

HASH_CHUNK: Final = 1 << 20
_HEAD_CHUNK: Final = 1 << 16
_MAX_HEADER: Final = 1 << 20
_BOM: Final = codecs.BOM_UTF8
_FORMATS: Final = {"csv": "csv", "txt": "csv", "parquet": "parquet", "pq": "parquet"}
_ALT_SEPARATORS: Final = ("\t", "|", ";")
_PG_BOOL_OID: Final = 16
#: A CSV file is refused whole, as a broken export, when at least UNREADABLE_MIN of its
#: data rows (or all of them) cannot be read and they are more than MAX_UNREADABLE_SHARE
#: of its data rows. Fewer are quarantined and the other rows applied.
MAX_UNREADABLE_SHARE: Final = 0.01
UNREADABLE_MIN: Final = 10
#: How the rows of a CSV were read (``SourceData.reader``): the whole body by polars in
#: one go (the usual file), or line by line when that could not be done.
READER_POLARS: Final = "polars"
READER_BY_LINE: Final = "by-line"
#: The most lines one quoted value may span when a body is read line by line.
_MAX_VALUE_LINES: Final = 100
_KEPT_TEXT: Final = 10_000  # characters of an unreadable line kept for the quarantine
_SHOWN_LINES: Final = 5  # line numbers named when a file is refused
_EMPTY: Final = "is empty"
_OPEN: Final = "a quoted value is still open"
_ENCODING_NAMES: Final = {UTF8: "UTF-8", CP949: "CP949/EUC-KR"}


@dataclass(frozen=True)
class UnreadableRow:
    """A data row of a CSV file that cannot be read as a row. It is quarantined with its
    line; the rows around it are read as usual (see :class:`_LineReader`)."""

    row: int  # 0-based data row, header not counted, as the quarantine numbers rows
    line: int  # the file's physical line where it starts (1-based, the header counted)
    reason: str  # what is wrong, naming no value: "has 5 fields, the header has 12"
    text: str  # the line as decoded; undecodable bytes and NULs as U+FFFD
    blank: bool = False  # an empty line: it stands for no record


@dataclass(frozen=True)
class _Body:
    rows: pl.DataFrame
    reader: str
    unreadable: tuple[UnreadableRow, ...] = ()

    def row_numbers(self) -> pl.Series | None:
        """The data row of each of ``rows`` when some rows were set aside, else None (row
        i is data row i)."""
        if not self.unreadable:
            return None
        numbers = pl.int_range(
            0, self.rows.height + len(self.unreadable), dtype=pl.UInt32, eager=True
        )
        bad = pl.Series([u.row for u in self.unreadable], dtype=pl.UInt32)
        return numbers.filter(~numbers.is_in(bad.implode()))


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
    #: CSV lines that cannot be read as rows, in file order: to be quarantined.
    unreadable: tuple[UnreadableRow, ...] = ()
    #: The data row of each row of ``frame`` when ``unreadable`` rows were set aside;
    #: None when row i of ``frame`` is data row i.
    row_numbers: pl.Series | None = None
    reader: str | None = None  # a CSV's READER_POLARS or READER_BY_LINE


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
    body = _parse_body(buffer.getvalue(), 0, names, ",", source, line_offset=0)
    rows = body.rows.with_columns(pl.col(booleans).replace({"t": "true", "f": "false"}))
    return SourceData(
        frame=_canonical(spec, rows, resolution),
        unreadable=body.unreadable,
        row_numbers=body.row_numbers(),
        reader=body.reader,
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
        parsed = _parse_body(
            body, body_start, names, separator, where, encoding=encoding, line_offset=header_lines
        )
        frame = _canonical(spec, parsed.rows, resolution, extra_allowed)
        sha256 = digest.result()
    return SourceData(
        frame=frame,
        unreadable=parsed.unreadable,
        row_numbers=parsed.row_numbers(),
        reader=parsed.reader,
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


def _parse_body(
    buffer: bytes,
    start: int,
    names: list[str],
    separator: str,
    where: str,
    *,
    encoding: str = UTF8,
    line_offset: int,
) -> _Body:
    """The records from byte ``start`` on as text columns ``names``, and the data rows
    that cannot be read as records.

    The usual file is read by polars in one go (:func:`_read_whole`); only when that
    cannot be done is the body read line by line (:class:`_LineReader`), which sets
    aside what cannot be read and hands the rest to polars, or refuses the file when
    too much of it cannot be read (:func:`_refuse_broken_export`). CP949 is transcoded
    to UTF-8 first (polars reads UTF-8 only), in Python; a body that does not transcode
    is read line by line as CP949. ``line_offset`` is the header's line count, for line
    numbers; ``where`` names the source in messages.
    """
    schema = dict.fromkeys(names, pl.String)
    end = len(buffer)
    while end > start and buffer[end - 1] in b"\r\n":  # trailing blank lines are no rows
        end -= 1
    if end == start:
        return _Body(pl.DataFrame(schema=schema), READER_POLARS)
    if encoding == CP949:
        try:  # line breaks, quotes and separators keep their bytes and places in UTF-8
            buffer = buffer[start:end].decode(CP949).encode(UTF8)
        except UnicodeDecodeError:
            return _LineReader(buffer[start:end], names, separator, CP949, line_offset).read(
                where)
        start, end = 0, len(buffer)
    rows = _read_whole(buffer, start, end, names, separator)
    if rows is not None:
        return _Body(rows, READER_POLARS)
    return _LineReader(buffer[start:end], names, separator, UTF8, line_offset).read(where)


def _read_whole(
    buffer: bytes, start: int, end: int, names: list[str], separator: str
) -> pl.DataFrame | None:
    """The UTF-8 body (``buffer[start:end]``) read by polars in one go, or None when it
    has to be read line by line: polars refused it (a long row, a stray quote, a byte
    not valid in UTF-8), it is not rectangular, it holds a NUL byte (a damaged line,
    which polars would read as text), or a value spans lines.

    polars raises on a row with too many fields but pads a short one with nulls, so
    rectangularity is checked by counting separators outside quotes: with no long
    rows, all rows are complete exactly when that count is ``rows * (columns - 1)``.
    A value spanning lines may be a quote left open that swallowed the rows after it,
    up to a stray quote that happened to close it (an inch mark in the same column);
    polars cannot tell, so the line reader decides (see :class:`_LineReader`). The
    buffer is handed to polars whole, skipping the header lines, so a large file is
    not copied.
    """
    if buffer.find(b"\x00", start, end) >= 0:  # memchr: a few ms for 100 MB
        return None
    if buffer[end:] in (b"", b"\n", b"\r\n"):
        source, skip = buffer, buffer.count(b"\n", 0, start)
    else:  # polars would read each extra blank line as a row
        source, skip = buffer[start:end], 0
    try:
        rows = _polars_csv(source, names, separator, skip)
    except pl.exceptions.PolarsError:
        return None
    found = buffer.count(separator.encode(), start, end)
    if buffer.find(b'"', start, end) >= 0:  # only quotes make separators or breaks values
        if buffer.count(b"\n", start, end) + 1 != rows.height:  # a value spans lines
            return None
        quoted = rows.select(pl.all().str.count_matches(separator, literal=True).sum())
        found -= sum(count or 0 for count in quoted.row(0))
    if len(names) > 1 and found != rows.height * (len(names) - 1):
        return None
    return rows


def _polars_csv(source: bytes, names: list[str], separator: str, skip: int) -> pl.DataFrame:
    return pl.read_csv(
        source,
        has_header=False,
        skip_lines=skip,
        schema=dict.fromkeys(names, pl.String),
        separator=separator,
        quote_char='"',
        comment_prefix=None,
        null_values=None,
        truncate_ragged_lines=False,
        raise_if_empty=False,
        try_parse_dates=False,
    )


class _LineReader:
    """A CSV body read line by line: the file polars could not read in one go.

    Each physical line is a record of its own unless a quoted value holds line breaks.
    A record that cannot be read is set aside as an :class:`UnreadableRow` (one data
    row, numbered like the others): a line with too few or too many fields, an empty
    line, a line with bytes not valid in the file's encoding or with a NUL byte, or
    quoting the :mod:`csv` module cannot read (text after a closing quote). A quote
    inside an unquoted field (an inch mark: ``1/2" 파이프``) is read as itself, as the
    csv module reads it (polars refuses it).

    An unbalanced quote (a field opening with a quote its line does not close) must not
    swallow the lines after it. The quoted value goes on over the next lines only when
    the very next line does not read as a row on its own, and the value then closes
    within :data:`_MAX_VALUE_LINES` lines with no quoting error: those lines are one
    record (one data row; unreadable if it is not of the header's width). The line that
    closes a value spanning lines holds an odd number of quotes, so it never reads as a
    row on its own; a well-formed row after a broken line does. Otherwise the broken
    value ends with its own line: that line is set aside as one data row, and reading
    goes on with the next line.

    The lines to look at are found by operations run in C: a line without quotes is a
    row when it has the header's count of separators, and a line with quotes when it
    matches the regular expression of a row in the quoting polars reads (:attr:`row`).
    Only the other lines are looked at in Python. The good lines go to polars in one
    read, records read by the csv module written back in the quoting polars reads.
    """

    def __init__(
        self, body: bytes, names: list[str], separator: str, encoding: str, header_lines: int
    ) -> None:
        self.lines = body.split(b"\n")
        self.names = names
        self.width = len(names)
        self.separator = separator
        self.encoding = encoding
        self.first_line = header_lines + 1  # the file's line number of lines[0]
        self.crlf = b"\r" in body
        self.nul = b"\x00" in body
        # This many lines that cannot be read make a broken export, however many rows the
        # others hold (a CP949 file read as UTF-8): no need to look further.
        self.enough = max(UNREADABLE_MIN, int(MAX_UNREADABLE_SHARE * len(self.lines)) + 1)
        self.undecodable = self._undecodable(body)
        self.feed = _Feed(self)
        self.csv = csv.reader(self.feed, delimiter=separator, strict=True)
        # One line holding a whole row: each field quoted (with quotes doubled inside)
        # or free of quotes; polars reads such a line as the csv module does.
        sep = re.escape(separator.encode())
        field = b'(?:"[^"]*(?:""[^"]*)*"|[^"' + sep + b"]*)"
        self.row = re.compile(field + b"(?:" + sep + field + b"){%d}\r?" % (self.width - 1))

    def read(self, where: str) -> _Body:
        """The good rows and the unreadable ones; a broken export (see
        :func:`_refuse_broken_export`) is refused before the good rows are read."""
        if len(self.undecodable) >= self.enough:
            _refuse_broken_export(where, [(self.first_line + i, str(self._record(i)[0]))
                                          for i in self.undecodable], len(self.lines),
                                  self.encoding, counted=False)
        lines, sep, extra = self.lines, self.separator.encode(), self.width - 1
        is_row = self.row.fullmatch
        suspects = [
            i
            for i, line in enumerate(lines)
            if (b'"' in line or line.count(sep) != extra) and not is_row(line)
        ]
        if self.undecodable or self.nul:
            damaged = {i for i, line in enumerate(lines) if not self.readable(i)}
            suspects = sorted(damaged.union(suspects))
        keep: list[bytes | None] = list(lines)
        found: list[tuple[int, int, int, str]] = []  # data row, first and last line, reason
        absorbed = 0  # lines continuing a quoted value: no data rows of their own
        last = -1  # the last line of the record read last
        for i in suspects:
            if i <= last:
                continue
            reason, fields, last = self._record(i)
            if reason is not None:
                found.append((i - absorbed, i, last, reason))
                keep[i] = None
            elif fields is not None:
                keep[i] = self._quoted(fields)
            else:
                continue  # a row as it is
            keep[i + 1 : last + 1] = [None] * (last - i)  # lines the record goes on over
            absorbed += last - i
        kept = [line for line in keep if line is not None]
        _refuse_broken_export(where, [(self.first_line + i, reason) for _, i, _, reason in found],
                              len(kept) + len(found), self.encoding)
        unreadable = tuple(
            UnreadableRow(row=row, line=self.first_line + first, reason=reason,
                          text=self._text(first, end), blank=reason == _EMPTY)
            for row, first, end, reason in found
        )
        schema = dict.fromkeys(self.names, pl.String)
        if not kept:
            return _Body(pl.DataFrame(schema=schema), READER_BY_LINE, unreadable)
        kept.append(b"")  # a final line break
        good = b"\n".join(kept)
        if self.encoding == CP949:
            good = good.decode(CP949).encode(UTF8)
        rows = _polars_csv(good, self.names, self.separator, 0)
        if rows.height != len(kept) - 1:
            raise RuntimeError(f"read {rows.height} rows of {len(kept) - 1} good lines")
        return _Body(rows, READER_BY_LINE, unreadable)

    def readable(self, i: int) -> bool:
        """Line ``i`` is valid in the encoding and has no NUL byte."""
        return i not in self.undecodable and not (self.nul and b"\x00" in self.lines[i])

    def _record(self, i: int) -> tuple[str | None, list[str] | None, int]:
        """Of the record starting on line ``i``: what makes it unreadable (None if it
        reads), its fields if it had to be parsed (it has quotes; None to keep the line
        as it is) and its last line."""
        if i in self.undecodable:
            return (f"is not valid {_ENCODING_NAMES[self.encoding]} (first bad byte at byte "
                    f"{self.undecodable[i]} of the line)", None, i)
        line = self._line(i)
        if self.nul and b"\x00" in line:
            return "holds a NUL byte (a damaged line)", None, i
        if b'"' in line:
            return self._quoted_record(i)
        count = line.count(self.separator.encode()) + 1
        if count == self.width:
            return None, None, i
        return (_EMPTY if not line else self._width(count)), None, i

    def _quoted_record(self, i: int) -> tuple[str | None, list[str] | None, int]:
        """:meth:`_record` for a line with quotes, read by the csv module."""
        fields, problem = self._parse(i, 1)
        if problem == _OPEN:
            return self._open_record(i)
        if problem is not None or fields is None:
            return (f"has malformed quoting ({problem}): a field that starts with a quote "
                    'must end with one, and a quote inside it is doubled ("")', None, i)
        if len(fields) != self.width:
            return self._width(len(fields)), None, i
        return None, fields, i

    def _open_record(self, i: int) -> tuple[str | None, list[str] | None, int]:
        """:meth:`_record` for a line ending inside a quoted value: the value goes on over
        the next lines, or (see the class) is unclosed and ends with its line."""
        if not (i + 1 < len(self.lines) and self._reads_as_row(i + 1)):
            fields, problem = self._parse(i, _MAX_VALUE_LINES)
            if problem is None and fields is not None:
                last = self.feed.at - 1
                if len(fields) == self.width:
                    return None, fields, last
                return self._width(len(fields)), None, last
        return "opens a quoted value it does not close (read as ending with the line)", None, i

    def _reads_as_row(self, i: int) -> bool:
        """Line ``i`` on its own is one record of the header's width."""
        if not self.readable(i):
            return False
        line = self._line(i)
        if self.row.fullmatch(line):
            return bool(line)
        if b'"' not in line or line.count(b'"') % 2:
            return False
        fields, problem = self._parse(i, 1)
        return problem is None and fields is not None and len(fields) == self.width

    def _parse(self, i: int, lines: int) -> tuple[list[str] | None, str | None]:
        """The csv module's record starting on line ``i`` and reading at most ``lines``
        lines, or what it could not read (:data:`_OPEN`: a quoted value still open)."""
        self.feed.start(i, lines)
        try:
            fields = next(self.csv, None)
        except csv.Error as exc:
            return None, _OPEN if self.feed.past else str(exc)
        return fields, _OPEN if fields is None else None

    def _line(self, i: int) -> bytes:
        """Line ``i`` without the CR of a CRLF line break."""
        line = self.lines[i]
        return line[:-1] if self.crlf and line.endswith(b"\r") else line

    def _width(self, count: int) -> str:
        return f"has {count} fields, the header has {self.width}"

    def _quoted(self, fields: list[str]) -> bytes:
        """A record in the quoting polars reads: every field quoted, quotes doubled."""
        quoted = ('"' + field.replace('"', '""') + '"' for field in fields)
        return self.separator.join(quoted).encode(self.encoding)

    def _text(self, first: int, last: int) -> str:
        """Lines ``first`` to ``last`` as kept in the quarantine (JSON text holds no NUL)."""
        raw = b"\n".join([*self.lines[first:last], self._line(last)])
        text = raw.decode(self.encoding, errors="replace")
        return text.replace("\x00", "\ufffd")[:_KEPT_TEXT]

    def _undecodable(self, body: bytes) -> dict[int, int]:
        """Lines with bytes not valid in the encoding: line index -> byte (1-based) of the
        first. Checked line by line only when the body as a whole does not decode, and only
        up to :attr:`enough` of them."""
        try:
            body.decode(self.encoding)
        except UnicodeDecodeError:
            pass
        else:
            return {}
        found: dict[int, int] = {}
        for i, line in enumerate(self.lines):
            if not line.isascii():
                try:
                    line.decode(self.encoding)
                except UnicodeDecodeError as exc:
                    found[i] = exc.start + 1
                    if len(found) == self.enough:
                        break
        return found


class _Feed:
    """Lines for the csv module's reader: decoded, from line ``at`` up to ``stop`` and
    only readable ones; ``past`` says the reader asked for more (a value still open)."""

    def __init__(self, reader: _LineReader) -> None:
        self.reader = reader
        self.at = self.stop = 0
        self.past = False

    def start(self, at: int, lines: int) -> None:
        self.at, self.stop, self.past = at, min(at + lines, len(self.reader.lines)), False

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.at >= self.stop or not self.reader.readable(self.at):
            self.past = True
            raise StopIteration
        self.at += 1
        return self.reader.lines[self.at - 1].decode(self.reader.encoding) + "\n"


def _refuse_broken_export(
    where: str, bad: list[tuple[int, str]], total: int, encoding: str, *, counted: bool = True
) -> None:
    """Refuse the file whole when too many of its ``total`` data rows cannot be read
    (``bad``: line and reason of each; see :data:`MAX_UNREADABLE_SHARE`): a broken
    export, of which no row is to be believed. Not ``counted``: ``bad`` are the first
    of more, and ``total`` counts lines (enough to refuse, see :class:`_LineReader`)."""
    if not (len(bad) >= UNREADABLE_MIN or len(bad) == total) or (
        len(bad) <= MAX_UNREADABLE_SHARE * total
    ):
        return
    share = f"{len(bad) / total:.1%}"
    count = f"{len(bad):,} of {total:,} data rows ({share})"
    if not counted:
        count = f"at least {len(bad):,} of {total:,} lines (over {share})"
    lines = ", ".join(str(line) for line, _ in bad[:_SHOWN_LINES])
    more = ", ..." if len(bad) > _SHOWN_LINES else ""
    name = _ENCODING_NAMES[encoding]
    hint = ""
    if any(reason.startswith(f"is not valid {name}") for _, reason in bad):
        hint = ("; if it is a CP949/EUC-KR export (usual from Korean Windows systems), pass "
                "--encoding cp949" if encoding == UTF8 else "; check the file's encoding")
    raise InvalidInput(
        f"{where}: {count} cannot be read, on lines {lines}{more} (line {bad[0][0]} "
        f"{bad[0][1]}): a broken export, so the file is refused whole and nothing is applied "
        f"(a file is refused when more than {MAX_UNREADABLE_SHARE:.0%} of its data rows, and "
        f"at least {UNREADABLE_MIN} or all of them, cannot be read){hint}",
        path=where,
        unreadable=len(bad),
        rows=total,
        lines=[line for line, _ in bad[:_SHOWN_LINES]],
    )


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
