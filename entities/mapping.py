"""Which source column feeds which canonical field of a dataset.

A sync source is the owning agency's contract, so column resolution is strict:
a column matches a field when their names are equal after
:func:`entities.vocabulary.normalise_label` (``RRN``, `` rrn `` and ``R.R.N``
all match ``rrn``); anything else needs an explicit mapping file. Columns that
match nothing are an error rather than silently dropped, because that is how an
agency's data starts to drift away from the master unnoticed.

Mapping file (YAML), either flat::

    주민등록번호: rrn
    성명: name

or with columns the source has but the dataset does not want::

    columns:
      주민등록번호: rrn
      성명: name
    ignore:
      - 비고
      - 담당자

Keys are source column names, values are field names of the dataset
(``mdr datasets describe DATASET``). Two columns may not feed one field.
In the returned dict an ignored column maps to :data:`IGNORE`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from entities.spec import DatasetSpec
from entities.tabular import unused_entries
from entities.vocabulary import normalise_label, terms_for_label
from mdr.errors import InvalidInput

IGNORE: Final = ""
"""Mapping target of a column listed under ``ignore:`` (no field name is empty)."""

_STRUCTURED_KEYS: Final = frozenset({"columns", "ignore"})


@dataclass(frozen=True)
class ColumnResolution:
    """How the columns of one source line up with a dataset's fields.

    ``ignored`` (source columns the mapping drops) is an addition to the
    original interface: ``rename`` and ``unknown`` alone cannot say which
    unmatched columns were dropped on purpose.
    """

    rename: dict[str, str]  # source column -> canonical field
    missing: tuple[str, ...]  # canonical fields absent from the source, in spec order
    unknown: tuple[str, ...]  # source columns matching nothing, in source order
    ignored: tuple[str, ...] = ()  # source columns the mapping's ``ignore`` drops
    unused: tuple[str, ...] = ()  # mapping entries naming no source column


def load_mapping(path: Path, *, spec: DatasetSpec | None = None,
                 name: str | None = None) -> dict[str, str]:
    """Read a mapping file (see the module docstring) into ``{source column: field}``.

    With ``spec`` the targets are checked against the dataset at once, so a typo
    in the file is reported with the file's name before any data is read;
    :func:`resolve_columns` checks them again in any case. Messages name the file
    ``name`` (an upload's name as the user gave it, not where the server keeps it),
    by default ``path`` as given (the CLI's argument).
    """
    where = name or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"mapping file not found: {where}", path=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise InvalidInput(f"cannot read mapping file {where}: {reason}", path=where) from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(_yaml_error(where, exc), path=where) from None
    mapping = _parse_document(document, where)
    if spec is not None:
        _check_targets(spec, mapping, where)
    return mapping


def resolve_columns(
    spec: DatasetSpec, source_columns: list[str], mapping: Mapping[str, str] | None
) -> ColumnResolution:
    """Line ``source_columns`` up with ``spec``'s fields; report, do not judge.

    Mapped columns take their mapping (a key matches a column exactly, after
    stripping spaces, or by normalised name when that is unambiguous); the rest
    match a field by normalised name. Raises :class:`InvalidInput` only for what
    no caller can work around: a mapping target that is not a field, duplicate
    source columns, or two columns feeding one field. Whether missing or
    unknown columns are acceptable is the caller's decision
    (:func:`enforce_contract` for sync).
    """
    mapping = dict(mapping or {})
    _check_targets(spec, mapping, None)
    duplicates = _duplicates(col.strip() for col in source_columns)
    if duplicates:
        raise InvalidInput(
            f"duplicate column names: {', '.join(duplicates)}", duplicates=duplicates
        )
    lookup = _MappingLookup(mapping)
    by_name = {normalise_label(f.name): f.name for f in spec.fields}
    rename: dict[str, str] = {}
    claimed: dict[str, str] = {}  # field -> source column
    unknown: list[str] = []
    ignored: list[str] = []
    for column in source_columns:
        target = lookup.get(column)
        if target is None:
            target = by_name.get(normalise_label(column))
        if target is None:
            unknown.append(column)
            continue
        if target == IGNORE:
            ignored.append(column)
            continue
        if target in claimed:
            raise InvalidInput(
                f"columns {claimed[target]!r} and {column!r} both map to field {target!r}; "
                "keep one, or map or ignore the other",
                field=target,
                columns=[claimed[target], column],
            )
        claimed[target] = column
        rename[column] = target
    missing = tuple(name for name in spec.field_names if name not in claimed)
    return ColumnResolution(rename, missing, tuple(unknown), tuple(ignored),
                            tuple(unused_entries(mapping, source_columns)))


def enforce_contract(
    spec: DatasetSpec,
    resolution: ColumnResolution,
    source_columns: list[str],
    *,
    source: str,
    has: str = "the file has",
) -> None:
    """Reject a sync source lacking a required field or carrying an unmapped column.

    One message names every problem at once (fields and column names only,
    never values), with a suggested mapping when the standard vocabulary
    recognises an unknown column as a missing field.
    """
    required = {f.name for f in spec.fields if f.required}
    missing_required = [name for name in resolution.missing if name in required]
    if not missing_required and not resolution.unknown:
        return
    parts: list[str] = []
    if missing_required:
        parts.append(f"missing required columns: {', '.join(missing_required)}")
    if resolution.unknown:
        parts.append(
            f"unknown columns: {', '.join(resolution.unknown)}; "
            "map them with --mapping or remove them"
        )
        suggestions = _suggest(spec, resolution)
        if suggestions:
            parts.append("suggested mapping: " + ", ".join(f"{col}: {f}" for col, f in suggestions))
    parts.append(f"{has}: {', '.join(source_columns) or '(no columns)'}")
    raise InvalidInput(
        f"{source}: " + "; ".join(parts),
        missing=missing_required,
        unknown=list(resolution.unknown),
        columns=list(source_columns),
    )


class _MappingLookup:
    """Finds a column's mapping entry: exactly, after stripping, or by normalised name."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._exact = dict(mapping)
        self._stripped = {key.strip(): target for key, target in mapping.items()}
        normalised: dict[str, str | None] = {}
        for key, target in mapping.items():
            label = normalise_label(key)
            # two keys folding to one label would make the match ambiguous: exact only
            normalised[label] = None if label in normalised else target
        self._normalised = {k: v for k, v in normalised.items() if v is not None and k}

    def get(self, column: str) -> str | None:
        if column in self._exact:
            return self._exact[column]
        if column.strip() in self._stripped:
            return self._stripped[column.strip()]
        return self._normalised.get(normalise_label(column))


def _parse_document(document: Any, where: str) -> dict[str, str]:
    if not isinstance(document, dict):
        raise InvalidInput(
            f"{where}: a mapping file is a YAML mapping of source column to field name "
            "(or 'columns:' and 'ignore:'), not "
            f"{'an empty file' if document is None else type(document).__name__}",
            path=where,
        )
    structured = (
        bool(document)
        and set(document) <= _STRUCTURED_KEYS
        and (isinstance(document.get("columns"), dict) or isinstance(document.get("ignore"), list))
    )
    if not structured and isinstance(document.get("columns"), dict):
        extra = sorted(str(key) for key in set(document) - _STRUCTURED_KEYS)
        raise InvalidInput(
            f"{where}: next to 'columns:' only 'ignore:' is allowed, not {', '.join(extra)}",
            path=where,
        )
    columns: Any = document.get("columns", {}) if structured else document
    ignore: Any = document.get("ignore", []) if structured else []
    if columns is None:
        columns = {}
    if ignore is None:
        ignore = []
    if not isinstance(columns, dict):
        raise InvalidInput(f"{where}: 'columns' must be a mapping of column to field", path=where)
    if not isinstance(ignore, list):
        raise InvalidInput(f"{where}: 'ignore' must be a list of column names", path=where)
    mapping: dict[str, str] = {}
    for key, target in columns.items():
        column = _column_name(key, where)
        if not isinstance(target, str) or not target.strip():
            raise InvalidInput(
                f"{where}: column {column!r} has no field name; "
                "give one, or list the column under 'ignore:' to drop it",
                path=where,
                column=column,
            )
        mapping[column] = target.strip()
    for key in ignore:
        column = _column_name(key, where)
        if column in mapping:
            raise InvalidInput(
                f"{where}: column {column!r} is both mapped and ignored", path=where, column=column
            )
        mapping[column] = IGNORE
    _check_unique_targets(mapping, where)
    return mapping


def _column_name(key: Any, where: str) -> str:
    """A YAML key as a column name; YAML 1.1 reads bare ``no``/``yes``/``~`` as non-strings."""
    if isinstance(key, bool) or key is None:
        raise InvalidInput(
            f"{where}: column name {key!r} is read by YAML as {type(key).__name__}; "
            "put the column name in quotes",
            path=where,
        )
    if isinstance(key, str | int | float):
        name = str(key).strip()
        if name:
            return name
    raise InvalidInput(f"{where}: invalid column name {key!r}", path=where)


def _check_targets(spec: DatasetSpec, mapping: Mapping[str, str], where: str | None) -> None:
    prefix = f"{where}: " if where else ""
    valid = set(spec.field_names)
    bad = [(col, target) for col, target in mapping.items() if target != IGNORE]
    bad = [(col, target) for col, target in bad if target not in valid]
    if bad:
        names = ", ".join(f"{target!r} (for column {col!r})" for col, target in bad)
        raise InvalidInput(
            f"{prefix}mapping targets that are not fields of {spec.name}: {names}; "
            f"valid fields: {', '.join(spec.field_names)}",
            invalid=[target for _, target in bad],
            valid=list(spec.field_names),
        )
    _check_unique_targets(mapping, where)


def _check_unique_targets(mapping: Mapping[str, str], where: str | None) -> None:
    prefix = f"{where}: " if where else ""
    sources: dict[str, list[str]] = {}
    for col, target in mapping.items():
        if target != IGNORE:
            sources.setdefault(target, []).append(col)
    clashes = {target: cols for target, cols in sources.items() if len(cols) > 1}
    if clashes:
        detail = "; ".join(f"{', '.join(cols)} -> {target}" for target, cols in clashes.items())
        raise InvalidInput(
            f"{prefix}several columns map to one field: {detail}", fields=sorted(clashes)
        )


def _suggest(spec: DatasetSpec, resolution: ColumnResolution) -> list[tuple[str, str]]:
    """Unknown columns the vocabulary's synonyms tie to exactly one missing field."""
    open_fields = set(resolution.missing)
    suggestions: list[tuple[str, str]] = []
    for column in resolution.unknown:
        terms = set(terms_for_label(column))
        fields = [f.name for f in spec.fields if f.term in terms and f.name in open_fields]
        if len(fields) == 1:
            suggestions.append((column, fields[0]))
            open_fields.discard(fields[0])
    return suggestions


def _duplicates(names: Iterable[str]) -> list[str]:
    return [name for name, count in Counter(names).items() if count > 1]


def _yaml_error(where: str, exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = f" at line {mark.line + 1}" if mark is not None else ""
    return f"{where}: invalid YAML{line}: {problem}"
