"""Intake: an agency's copy of a dataset, read as text and mapped onto canonical fields.

An agency copy is not the owner's contract (that is sync's strict reader): it
may lack optional fields and even the natural key, and name its columns its own
way (``성명``, ``주민번호``). Columns are mapped by
:func:`reconciliation.columns.map_columns` (canonical names, labels, vocabulary
synonyms) or by an explicit YAML mapping file (:func:`entities.mapping.load_mapping`,
whose ``ignore:`` list drops columns on purpose).

What is refused, with one message naming every offending column and never a
value (values are often personal identifiers):

* a column that maps to no field (or is ambiguous, or feeds a field another
  column already feeds): silently dropping it would hide what the agency keeps;
  list it under ``ignore:`` in a mapping file to drop it on purpose;
* a file where no column maps to a field, an empty file, a header without rows,
  bytes that are not the declared encoding, a malformed CSV, an unreadable Parquet;
* a column most of whose values cannot be parsed as the field's type
  (:data:`MAX_UNPARSEABLE_SHARE`), which is a wrongly mapped column rather than
  a few bad values. Fewer bad values are counted per field and reported with the
  run; they compare as missing.

Files: CSV (``.csv``, ``.txt``; UTF-8 with or without BOM, or CP949/EUC-KR with
``encoding``; ``,`` or a lone tab, ``|`` or ``;`` separator) and Parquet
(``.parquet``, ``.pq``). Every value is read as text; ``agency_row`` is the
0-based data row.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Final

import polars as pl

from entities.spec import DatasetSpec
from entities.tabular import normalise_encoding, parquet_column_as_text, unused_entries
from mdr.errors import InvalidInput
from reconciliation.columns import ColumnMapping, map_columns
from reconciliation.normalise import RAW_SUFFIX

MAX_UNPARSEABLE_SHARE: Final = 0.5
"""A column whose present values fail to parse more often than this is refused."""

_IGNORED = "ignored by the mapping"
_FORMATS: Final = {"csv": "csv", "txt": "csv", "parquet": "parquet", "pq": "parquet"}
_ALT_SEPARATORS: Final = ("\t", "|", ";")


@dataclass(frozen=True)
class AgencyCopy:
    """An agency file read as text: ``agency_row`` plus one column per mapped field."""

    frame: pl.DataFrame
    source: str  # the file's name as the agency gave it
    sha256: str
    encoding: str | None  # "utf-8" or "cp949" for CSV, None for Parquet
    columns: ColumnMapping
    unparseable: dict[str, int] = field(default_factory=dict)  # field -> values that failed
    unused_mapping: tuple[str, ...] = ()  # mapping entries naming no column of the copy
    withheld: tuple[str, ...] = ()  # mapped fields outside the grant: dropped unread

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.columns.fields if f not in self.withheld)

    def report(self) -> dict[str, object]:
        """What was mapped and what was not, for the run record and the summary."""
        return {
            "columns": dict(self.columns.mapped),
            "ignored": [c for c in self.columns.unmapped if self.columns.reasons[c] == _IGNORED],
            "fields_not_supplied": list(self.columns.missing),
            "mapping_entries_unused": list(self.unused_mapping),
            "unparseable": dict(self.unparseable),
            "encoding": self.encoding,
            "fields_not_granted": list(self.withheld),
        }

    def within(self, granted: frozenset[str] | None) -> AgencyCopy:
        """The copy without the fields outside ``granted`` (None: every field): a field
        outside the grant is neither compared nor reported as differing."""
        if granted is None:
            return self
        withheld = tuple(f for f in self.columns.fields if f not in granted)
        return replace(self, frame=self.frame.drop(withheld), withheld=withheld)


def file_format(path: Path, given: str | None = None) -> str:
    """``csv`` or ``parquet`` from ``given`` or the file's extension."""
    name = (given if given is not None else path.suffix.lstrip(".")).strip().lower()
    kind = _FORMATS.get(name)
    if kind is None:
        what = (
            f"format {given!r}"
            if given is not None
            else (f"extension {path.suffix!r}" if path.suffix else "no extension")
        )
        raise InvalidInput(
            f"{path.name}: unknown file {what}; expected .csv, .txt, .parquet or .pq",
            path=path.name,
        )
    return kind


def read_agency_copy(
    spec: DatasetSpec,
    path: Path,
    *,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    format_name: str | None = None,
    source_name: str | None = None,
) -> AgencyCopy:
    """Read and map an agency copy; raise :class:`InvalidInput` for what cannot be used.

    ``mapping`` is agency column -> field (``""`` ignores the column), as
    :func:`entities.mapping.load_mapping` returns it. ``source_name`` names the file in
    messages (an upload's original name rather than its stored path).
    """
    path = Path(path)
    name = source_name or path.name
    kind = file_format(path, format_name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"file not found: {name}", path=name) from None
    except IsADirectoryError:
        raise InvalidInput(f"{name} is a directory, not a file", path=name) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {name}: {exc.strerror}", path=name) from None
    sha256 = hashlib.sha256(data).hexdigest()
    if kind == "parquet":
        if encoding is not None:
            raise InvalidInput(
                f"{name}: an encoding applies to CSV files only; Parquet text is always UTF-8",
                path=name,
            )
        raw, used = _parquet(data, name), None
    else:
        used = normalise_encoding(encoding)
        raw = _csv(data, used, name)
    columns = map_columns(spec, raw.columns, _explicit(mapping))
    _check_columns(spec, columns, raw.columns, name)
    if raw.height == 0:
        raise InvalidInput(f"{name} has a header but no data rows", path=name)
    # A NUL character means nothing in an agency's value and PostgreSQL text cannot hold
    # one: it is dropped rather than failing the whole run.
    frame = (
        columns.apply(raw)
        .with_columns(pl.all().str.replace_all("\x00", "", literal=True)
                      .str.strip_chars().replace("", None))
        .with_row_index("agency_row")
    )
    return AgencyCopy(
        frame=frame.with_columns(pl.col("agency_row").cast(pl.Int64)),
        source=name,
        sha256=sha256,
        encoding=used,
        columns=columns,
        unused_mapping=tuple(unused_entries(mapping, raw.columns)),
    )


def check_parsed(copy: AgencyCopy, normalised: pl.DataFrame) -> AgencyCopy:
    """Count unparseable values per field; refuse columns that are mostly unparseable."""
    counts: dict[str, int] = {}
    refused: list[str] = []
    column_of = {f: c for c, f in copy.columns.mapped.items()}
    for name in copy.fields:
        raw = name + RAW_SUFFIX
        if raw not in normalised.columns:
            continue
        failed = normalised.height - normalised.get_column(raw).null_count()
        if not failed:
            continue
        counts[name] = failed
        present = copy.frame.height - copy.frame.get_column(name).null_count()
        if present and failed / present > MAX_UNPARSEABLE_SHARE:
            refused.append(f"{column_of[name]!r} (as {name}: {failed:,} of {present:,} values)")
    if refused:
        raise InvalidInput(
            f"{copy.source}: columns whose values mostly cannot be read as their field: "
            f"{'; '.join(refused)}; check the mapping and the column's format, or list the "
            "column under 'ignore:' in a mapping file (--mapping) to reconcile without it",
            path=copy.source,
            columns=refused,
        )
    return replace(copy, unparseable=counts)


def parse_scope(spec: DatasetSpec, items: Sequence[str] | None) -> dict[str, list[str]] | None:
    """``FIELD=VALUE[,VALUE...]`` items (one per field) as ``{field: [values]}``, or None."""
    if not items:
        return None
    scope: dict[str, list[str]] = {}
    for item in items:
        name, sep, values = item.partition("=")
        name = name.strip()
        wanted = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not name or not wanted:
            raise InvalidInput(
                f"scope {item!r} is not FIELD=VALUE[,VALUE...] (e.g. region_code=11110)",
                scope=item,
            )
        if name not in spec.field_names:
            raise InvalidInput(
                f"scope field {name!r} is not a field of {spec.name}; "
                f"fields are: {', '.join(spec.field_names)}",
                scope=item,
            )
        if name in scope:
            raise InvalidInput(
                f"scope field {name!r} is given twice; list its values comma-separated instead",
                scope=item,
            )
        scope[name] = wanted
    return scope


def _explicit(mapping: Mapping[str, str] | None) -> dict[str, str | None] | None:
    if mapping is None:
        return None
    return {column: (target or None) for column, target in mapping.items()}


def _check_columns(
    spec: DatasetSpec, columns: ColumnMapping, names: Sequence[str], source: str
) -> None:
    problems = [c for c in columns.unmapped if columns.reasons[c] != _IGNORED]
    if problems:
        listed = "; ".join(f"{c!r}: {columns.reasons[c]}" for c in problems)
        raise InvalidInput(
            f"{source}: columns that do not map to a field of {spec.name}: {listed}. "
            "Map them to fields, or list them under 'ignore:', in a mapping file "
            f"(--mapping); fields are: {', '.join(spec.field_names)}",
            path=source,
            unmapped=problems,
            columns=list(names),
        )
    if not columns.mapped:
        raise InvalidInput(
            f"{source}: no column maps to a field of {spec.name} "
            f"(the file has: {', '.join(names) or 'no columns'})",
            path=source,
            columns=list(names),
        )


# ------------------------------------------------------------------------------ CSV


def _csv(data: bytes, encoding: str, name: str) -> pl.DataFrame:
    """All columns as text; the header decides the column names and the separator."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InvalidInput(f"{name} is UTF-16; save it as CSV UTF-8 (or CP949)", path=name)
    if data.startswith(codecs.BOM_UTF8):
        if encoding == "cp949":
            raise InvalidInput(
                f"{name} starts with a UTF-8 byte-order mark, so it is UTF-8, "
                "not CP949; drop the encoding",
                path=name,
            )
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = 1 + data.count(b"\n", 0, exc.start)
        hint = (
            " if it is a CP949/EUC-KR export, give the encoding cp949"
            if encoding == "utf-8"
            else " check the file's encoding"
        )
        raise InvalidInput(
            f"{name} is not valid {'UTF-8' if encoding == 'utf-8' else 'CP949/EUC-KR'} "
            f"(first bad byte on line {line});{hint}",
            path=name,
            line=line,
        ) from None
    if not text.strip():
        raise InvalidInput(f"{name} is empty; the first line must name the columns", path=name)
    body = text.encode("utf-8") if encoding != "utf-8" else data
    first_line = text.split("\n", 1)[0]
    present = [s for s in _ALT_SEPARATORS if s in first_line]
    separator = present[0] if "," not in first_line and len(present) == 1 else ","
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except (csv.Error, StopIteration):
        raise InvalidInput(f"{name}: malformed header row", path=name) from None
    names = [n.strip() for n in header]
    for position, column in enumerate(names, start=1):
        if not column:
            raise InvalidInput(
                f"{name}: column {position} of the header has no name", path=name, column=position
            )
    try:
        frame = pl.read_csv(
            body,
            has_header=True,
            new_columns=names,
            schema_overrides=dict.fromkeys(names, pl.String),
            infer_schema=False,
            separator=separator,
            quote_char='"',
            comment_prefix=None,
            truncate_ragged_lines=False,
            raise_if_empty=False,
            try_parse_dates=False,
        )
    except pl.exceptions.PolarsError:
        raise InvalidInput(
            f"{name}: malformed CSV (a row with more fields than the header's {len(names)}, "
            "or broken quoting)",
            path=name,
        ) from None
    return frame


# --------------------------------------------------------------------------- Parquet


def _parquet(data: bytes, name: str) -> pl.DataFrame:
    try:
        raw = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError):
        raise InvalidInput(f"{name} is not a readable Parquet file", path=name) from None
    return raw.select([parquet_column_as_text(raw.get_column(c), name,
                                              whole_floats_as_integers=True)
                       for c in raw.columns])


