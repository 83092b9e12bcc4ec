"""Map an agency file's columns onto a dataset's canonical fields.

Agency copies are not the owner's contract (that is sync's strict mapping): they
name columns in their own way (``성명``, ``주민번호``, ``RRN``, ``birth_dt``) and may
lack optional fields and even the key. So mapping here is lenient and reports
instead of rejecting: every column that matches a field is mapped, the rest are
returned as *unmapped* with the reason, and fields nobody supplies as *missing*,
so the caller can tell the agency precisely what was and was not compared.

A column matches a field, strongest rule first (all compared after
:func:`entities.vocabulary.normalise_label`, which ignores case, spaces and
punctuation):

1. the explicit ``mapping`` (agency column -> field name; a target of ``""`` or
   ``None`` ignores the column);
2. the field's canonical name;
3. the field's Korean or English label;
4. the code, names and synonyms of the field's vocabulary term.

A column matching several fields at its strongest rule is ambiguous and left
unmapped; when two columns claim one field, the stronger rule (then the earlier
column) wins and the other is unmapped with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import polars as pl

from entities.spec import DatasetSpec
from entities.vocabulary import TERMS, normalise_label
from mdr.errors import InvalidInput


class MatchRule(IntEnum):
    """Why a column was mapped to a field; lower is stronger."""

    EXPLICIT = 0
    FIELD_NAME = 1
    FIELD_LABEL = 2
    SYNONYM = 3


@dataclass(frozen=True)
class ColumnMapping:
    """The outcome of mapping one agency file's columns onto a dataset.

    ``mapped``: agency column -> canonical field, in the file's column order.
    ``rules``: agency column -> the rule that mapped it.
    ``unmapped``: agency columns that feed no field, in file order, with
    ``reasons`` for each (no match, ambiguous, field already taken, ignored).
    ``missing``: canonical fields no column supplies, in spec order.
    """

    dataset: str
    mapped: dict[str, str]
    rules: dict[str, MatchRule]
    unmapped: tuple[str, ...]
    reasons: dict[str, str]
    missing: tuple[str, ...]

    @property
    def fields(self) -> tuple[str, ...]:
        """Canonical fields the agency file supplies."""
        return tuple(self.mapped.values())

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The frame's mapped columns renamed to their canonical fields (unmapped dropped)."""
        return frame.select([pl.col(col).alias(field) for col, field in self.mapped.items()])


def _field_labels(spec: DatasetSpec) -> list[tuple[MatchRule, dict[str, set[str]]]]:
    """Per rule, folded label -> fields of ``spec`` it names."""
    by_name: dict[str, set[str]] = {}
    by_label: dict[str, set[str]] = {}
    by_synonym: dict[str, set[str]] = {}
    for field in spec.fields:
        by_name.setdefault(normalise_label(field.name), set()).add(field.name)
        for label in (field.label_ko, field.label_en):
            by_label.setdefault(normalise_label(label), set()).add(field.name)
        term = TERMS.get(field.term)
        if term is not None:
            for label in (term.code, term.name_ko, term.name_en, *term.synonyms):
                by_synonym.setdefault(normalise_label(label), set()).add(field.name)
    return [
        (MatchRule.FIELD_NAME, by_name),
        (MatchRule.FIELD_LABEL, by_label),
        (MatchRule.SYNONYM, by_synonym),
    ]


def map_columns(
    spec: DatasetSpec,
    columns: Sequence[str],
    mapping: Mapping[str, str | None] | None = None,
) -> ColumnMapping:
    """Map ``columns`` (an agency file's header) onto ``spec``'s fields.

    Raises :class:`InvalidInput` only for an explicit mapping that names a field
    the dataset does not have, or for duplicate column names; everything else is
    reported in the result.
    """
    explicit = _explicit(spec, mapping or {})
    duplicates = sorted(c for c, n in Counter(columns).items() if n > 1)
    if duplicates:
        raise InvalidInput(
            f"duplicate column names: {', '.join(duplicates)}", duplicates=duplicates
        )
    tables = _field_labels(spec)
    candidates: dict[str, tuple[MatchRule, str]] = {}
    reasons: dict[str, str] = {}
    for column in columns:
        folded = normalise_label(column)
        if column in explicit or folded in explicit:
            target = explicit.get(column, explicit.get(folded))
            if target is None:
                reasons[column] = "ignored by the mapping"
            else:
                candidates[column] = (MatchRule.EXPLICIT, target)
            continue
        for rule, table in tables:
            fields = table.get(folded, set())
            if len(fields) == 1:
                candidates[column] = (rule, next(iter(fields)))
                break
            if len(fields) > 1:
                reasons[column] = f"ambiguous: could be {', '.join(sorted(fields))}"
                break
        else:
            reasons[column] = "matches no field"
    mapped = _resolve_claims(columns, candidates, reasons)
    return ColumnMapping(
        dataset=spec.name,
        mapped=mapped,
        rules={column: candidates[column][0] for column in mapped},
        unmapped=tuple(c for c in columns if c not in mapped),
        reasons={c: reasons[c] for c in columns if c not in mapped},
        missing=tuple(f for f in spec.field_names if f not in mapped.values()),
    )


def _explicit(spec: DatasetSpec, mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    """The explicit mapping keyed by column and by folded column, targets checked."""
    known = set(spec.field_names)
    wrong = sorted({t for t in mapping.values() if t and t not in known})
    if wrong:
        raise InvalidInput(
            f"mapping names fields {spec.name} does not have: {', '.join(wrong)}; "
            f"fields are: {', '.join(spec.field_names)}",
            unknown_fields=wrong,
        )
    out: dict[str, str | None] = {}
    for column, target in mapping.items():
        value = target or None
        out[column] = value
        out.setdefault(normalise_label(column), value)
    return out


def _resolve_claims(
    columns: Sequence[str],
    candidates: dict[str, tuple[MatchRule, str]],
    reasons: dict[str, str],
) -> dict[str, str]:
    """One column per field: the strongest rule wins, then the earlier column."""
    order = {column: i for i, column in enumerate(columns)}
    winners: dict[str, str] = {}
    ranked = sorted(candidates.items(), key=lambda kv: (kv[1][0], order[kv[0]]))
    for column, (_, field) in ranked:
        if field in winners:
            reasons[column] = f"field {field!r} is already supplied by column {winners[field]!r}"
            continue
        winners[field] = column
    won = set(winners.values())
    return {c: candidates[c][1] for c in columns if c in won}
