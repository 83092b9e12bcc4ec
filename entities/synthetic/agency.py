"""Agency copies of a master dataset: realistic drift, with exact truth labels.

An agency's copy of a national register is mostly right and wrong in typical
ways. :func:`agency_copy` takes a master dataset (the canonical text frame of
:meth:`entities.synthetic.world.World.public`) and returns the copy and its
truth table. Per master record, independently (module constants):

- :data:`RATE_MISSING_FROM_COPY` of master records are absent from the copy;
- :data:`RATE_STALE` carry an old value: an earlier status (before the death,
  closure or deregistration), a previous address, owner or name taken from
  another record (so it is a value that exists), an older price or count;
- :data:`RATE_NAME_TYPO` have a typo in a name: one Hangul syllable slipped at
  jamo level (ㅐ/ㅔ, ㅓ/ㅕ, ㄱ/ㅋ, a dropped or added final consonant), or a
  letter slip in a romanised name;
- :data:`RATE_ID_TYPO` have a digit typo or transposition in an identifier,
  half of them in the natural key;
- :data:`RATE_MISSING_ID` have no natural key (linkage must use other fields);
- :data:`RATE_FORMAT` spell one or two values differently without changing
  them: hyphenated or full-width identifiers, dates as ``2024.03.05``,
  ``20240305``, ``2024-3-5`` or ``2024/03/05``, extra spaces, Korean code labels
  (``폐업자`` for ``closed``), ``Y``/``N`` flags, thousands separators;

and :data:`RATE_AGENCY_ONLY` (of the master size) records the master does not
have are added. With these rates about 89% of the copy's rows are exact.

Truth columns: ``agency_row`` (0-based data row of the copy; rows are
shuffled), ``master_key`` (empty for agency-only records), ``kind`` (``exact``,
``agency_only`` or the corruptions applied, joined by ``+`` in the order
stale, typo, missing_id, format_variant) and ``changed_fields`` (``;``-joined
fields whose value differs from the master after :func:`normalise_value`;
computed by comparing, so it is exact by construction).
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Final

import numpy as np
import numpy.typing as npt
import polars as pl

from entities import identifiers
from entities.spec import Comparator, DatasetSpec, FieldSpec, FieldType
from entities.vocabulary import CODE_LABELS
from mdr.errors import InvalidIdentifier

RATE_MISSING_FROM_COPY: Final = 0.01
RATE_STALE: Final = 0.04
RATE_NAME_TYPO: Final = 0.02
RATE_ID_TYPO: Final = 0.01
RATE_MISSING_ID: Final = 0.005
RATE_FORMAT: Final = 0.03
RATE_AGENCY_ONLY: Final = 0.01

KIND_ORDER: Final = ("stale", "typo", "missing_id", "format_variant")
TRUTH_COLUMNS: Final = ("agency_row", "master_key", "kind", "changed_fields")

#: How each dataset goes stale. ``status``: back to the initial status (alive,
#: active, registered ...) with no status date; ``donor:f,g``: fields ``f`` and ``g``
#: as another record has them (a previous address, owner or name); ``drift:f``: an
#: older, smaller amount; ``earlier:f``: the previous validity period;
#: ``old_price``: last year's official price; ``old_plate``: the plate before a
#: transfer; ``old_class``: the hazard class before the 2025 amendment.
STALE_STRATEGIES: Final[dict[str, tuple[str, ...]]] = {
    "resident": ("status", "donor:address_id,region_code"),
    "foreign_resident": ("status", "donor:address_id,region_code",
                         "donor:visa_status,stay_expiry_date"),
    "address": ("status", "donor:building_name", "donor:postal_code"),
    "land_parcel": ("status", "old_price", "donor:owner_kind,owner_id", "donor:land_category"),
    "building": ("status", "donor:name", "donor:main_use"),
    "vehicle": ("status", "donor:owner_kind,owner_id,use_address_id,region_code", "old_plate"),
    "corporation": ("status", "donor:name", "donor:representative_name",
                    "donor:head_office_address_id,region_code", "drift:capital"),
    "business": ("status", "donor:trade_name", "donor:representative_name,representative_rrn",
                 "donor:address_id,region_code", "donor:tax_type"),
    "workplace": ("status", "drift:employees", "donor:name"),
    "licence": ("status", "earlier:expiry_date", "donor:licence_kind"),
    "goods": ("status", "drift:unit_price", "donor:specification"),
    "medicine": ("status", "donor:manufacturer_name"),
    "hazardous_substance": ("status", "old_class", "donor:notice_no,designated_date"),
    "farm_business": ("status", "donor:main_crop", "drift:area_m2",
                      "donor:address_id,region_code"),
}  # fmt: skip

_NEW_HAZARD_CLASSES: Final = frozenset({"acute_human_toxic", "chronic_human_toxic", "ecotoxic"})
_FULL_WIDTH: Final = str.maketrans("0123456789", "０１２３４５６７８９")
_DATE_COMPACT: Final = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_SEPARATED: Final = re.compile(r"^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$")
_LABEL_TO_CODE: Final[dict[str, dict[str, str]]] = {
    term: {label: code for code, label in labels.items()} for term, labels in CODE_LABELS.items()
}
_TRUE: Final = frozenset({"true", "t", "y", "yes", "1", "예", "여"})
_FALSE: Final = frozenset({"false", "f", "n", "no", "0", "아니오", "부"})

# ----------------------------------------------------------------- normalisation


def normalise_value(field: FieldSpec, value: str | None) -> str:  # noqa: PLR0911 - by type
    """The comparable form of one agency or master value ('' for empty).

    Identifiers: :func:`entities.identifiers.normalize` (NFKC, separators,
    case), or the cleaned text when they cannot be parsed; a ``;`` list of PNUs
    element-wise; dates as ISO from the usual Korean spellings; flags as
    ``true``/``false``; numbers without separators or trailing zeros; codes
    from their Korean labels; other text NFC with single spaces.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        return ""
    if field.validator is not None:
        return _normalise_identifier(field.validator, text)
    if field.term == "pnu_list":
        return ";".join(_normalise_identifier("pnu", p) for p in text.split(";") if p.strip())
    if field.compare is Comparator.IDENTIFIER:
        return identifiers.clean(text)
    if field.type is FieldType.DATE:
        return _normalise_date(text)
    if field.type is FieldType.BOOLEAN:
        folded = unicodedata.normalize("NFKC", text).lower()
        return "true" if folded in _TRUE else "false" if folded in _FALSE else folded
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return _normalise_number(text)
    if field.type is FieldType.CODE:
        return _LABEL_TO_CODE.get(field.term, {}).get(text, text)
    return " ".join(text.split())


def _normalise_identifier(kind: str, text: str) -> str:
    try:
        return identifiers.normalize(kind, text)
    except InvalidIdentifier:
        return identifiers.clean(text)


def _normalise_date(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    match = _DATE_COMPACT.match(folded) or _DATE_SEPARATED.match(folded)
    if match is None:
        return folded
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _normalise_number(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    try:
        number = Decimal(folded)
    except InvalidOperation:
        return folded
    return format(number.normalize(), "f")


# --------------------------------------------------------------------- corruption

Row = dict[str, str | None]


class _Corrupter:
    """Per-record corruptions of one dataset, drawing from a seeded ``random.Random``."""

    def __init__(self, spec: DatasetSpec, master: pl.DataFrame, rnd: random.Random) -> None:
        self.spec = spec
        self.master = master
        self.rnd = rnd
        self.key = spec.key
        self.columns = {c: master[c] for c in spec.field_names}
        fields = spec.fields
        self.name_fields = [
            f.name for f in fields if _typo_target(f) and f.compare is Comparator.NAME
        ]
        self.text_fields = [
            f.name for f in fields if _typo_target(f) and f.compare is not Comparator.NAME
        ]
        self.id_fields = [f.name for f in fields if f.compare is Comparator.IDENTIFIER]
        self.strategies = STALE_STRATEGIES.get(spec.name, ("status",))
        status = spec.status_field
        self.initial_status = spec.field_spec(status).codes[0] if status else None
        self.plates: set[str] = (
            set(master["plate"].drop_nulls().to_list()) if "plate" in master.columns else set()
        )

    # -- stale ------------------------------------------------------------------------

    def stale(self, row: Row, index: int) -> bool:
        """Apply one applicable stale strategy; False when none applies."""
        options = [s for s in self.strategies if self._applies(s, row)]
        self.rnd.shuffle(options)
        return any(self._stale(strategy, row, index) for strategy in options)

    def _applies(self, strategy: str, row: Row) -> bool:
        if strategy == "status":
            return self.initial_status is not None and row["status"] != self.initial_status
        if strategy == "old_class":
            return row["hazard_class"] in _NEW_HAZARD_CLASSES
        if strategy == "old_price":
            return row["official_price_per_m2"] is not None
        if strategy.startswith(("drift:", "earlier:")):
            value = row[strategy.split(":")[1]]
            return value is not None and value not in ("0", "0.0")
        return True

    def _stale(self, strategy: str, row: Row, index: int) -> bool:  # noqa: PLR0911
        if strategy == "status":
            row["status"] = self.initial_status
            row["status_date"] = None
            return True
        if strategy == "old_class":
            row["hazard_class"] = "toxic"
            return True
        if strategy == "old_price":
            price = Decimal(str(row["official_price_per_m2"]))
            row["official_price_per_m2"] = str(int(price * Decimal("0.93") // 10 * 10))
            row["price_base_year"] = str(int(str(row["price_base_year"])) - 1)
            return True
        if strategy == "old_plate":
            for _ in range(10):
                plate = identifiers.VALIDATORS["plate"].generate(self.rnd)
                if plate not in self.plates and plate != row["plate"]:
                    row["plate"] = plate
                    return True
            return False
        kind, _, names = strategy.partition(":")
        fields = names.split(",")
        if kind == "drift":
            value = Decimal(str(row[fields[0]]))
            older = value * Decimal(str(round(self.rnd.uniform(0.7, 0.95), 2)))
            text = str(int(older)) if "." not in str(row[fields[0]]) else f"{older:.1f}"
            if _normalise_number(text) == _normalise_number(str(row[fields[0]])):
                return False
            row[fields[0]] = text
            return True
        if kind == "earlier":
            year, month, day = str(row[fields[0]]).split("-")
            row[fields[0]] = f"{int(year) - 10:04d}-{month}-{'28' if month == '02' else day}"
            return True
        # donor: the fields as another record holds them
        n = len(self.master)
        for _ in range(10):
            donor = self.rnd.randrange(n)
            values = [self.columns[f][donor] for f in fields]
            if values[0] is not None and values[0] != row[fields[0]] and donor != index:
                for f, v in zip(fields, values, strict=True):
                    row[f] = v
                return True
        return False

    # -- typos ------------------------------------------------------------------------

    def name_typo(self, row: Row) -> str | None:
        """Slip one character of a name (other text when the dataset has no name)."""
        for group in (self.name_fields, self.text_fields):
            candidates = [f for f in group if row[f] and _has_letters(str(row[f]))]
            if candidates:
                field = candidates[0] if group is self.name_fields else self.rnd.choice(candidates)
                row[field] = typo_text(str(row[field]), self.rnd)
                return field
        return None

    def id_typo(self, row: Row, allow_key: bool) -> str | None:
        """A digit slip or transposition in an identifier (half the time the key)."""
        candidates = [
            f
            for f in self.id_fields
            if row[f] and any(c.isdigit() for c in str(row[f])) and (allow_key or f != self.key)
        ]
        if not candidates:
            return None
        key_ok = self.key in candidates
        field = self.key if key_ok and self.rnd.random() < 0.5 else self.rnd.choice(candidates)
        row[field] = typo_digits(str(row[field]), self.rnd)
        return field

    # -- format variants ---------------------------------------------------------------

    def format_variant(self, row: Row) -> list[str]:
        """Respell one or two values without changing what they mean."""
        options = []
        for f in self.spec.fields:
            value = row[f.name]
            if value is not None and variant(f, str(value), self.rnd) is not None:
                options.append(f)
        self.rnd.shuffle(options)
        changed = []
        for f in options[: 1 if self.rnd.random() < 0.7 else 2]:
            new = variant(f, str(row[f.name]), self.rnd)
            if new is not None and new != row[f.name]:
                row[f.name] = new
                changed.append(f.name)
        return changed


def _typo_target(f: FieldSpec) -> bool:
    return (
        f.type is FieldType.TEXT
        and f.validator is None
        and f.compare in (Comparator.NAME, Comparator.STRING, Comparator.ADDRESS)
        and f.term != "pnu_list"
    )


def _has_letters(text: str) -> bool:
    return any("가" <= ch <= "힣" or ch.isalpha() for ch in text)


# Jamo indices: initials (19), medials (21), finals (28, 0 = none).
_INITIAL_SLIPS: Final = {
    0: (15, 1), 1: (0,), 2: (5,), 3: (16, 4), 4: (3,), 5: (2,), 6: (7,), 7: (17, 8, 6),
    8: (7,), 9: (10, 12), 10: (9,), 11: (18,), 12: (14, 13), 13: (12,), 14: (12,),
    15: (0,), 16: (3,), 17: (7,), 18: (11,),
}  # fmt: skip
_MEDIAL_SLIPS: Final = {
    0: (2, 4), 1: (5, 3), 2: (0,), 3: (1, 7), 4: (6, 0), 5: (1, 7), 6: (4,), 7: (5, 3),
    8: (13, 12), 9: (14, 0), 10: (15, 11), 11: (10, 15), 12: (8, 17), 13: (8, 18), 14: (9, 4),
    15: (10, 11), 16: (19, 13), 17: (13, 12), 18: (13, 20), 19: (20, 18), 20: (19, 18),
}  # fmt: skip
_FINAL_SLIPS: Final = {0: (21, 4), 4: (21, 0, 16), 21: (4, 0), 8: (0, 4), 16: (4, 21),
                       1: (0, 21), 17: (16, 0), 19: (0, 7), 7: (19, 0)}  # fmt: skip


def typo_text(text: str, rnd: random.Random) -> str:
    """One slipped character: a similar Hangul syllable (jamo level) or a Latin letter slip."""
    syllables = [i for i, ch in enumerate(text) if "가" <= ch <= "힣"]
    if syllables:
        i = rnd.choice(syllables)
        code = ord(text[i]) - 0xAC00
        initial, medial, final = code // 588, (code % 588) // 28, code % 28
        mode = rnd.randrange(3)
        if mode == 0:
            initial = rnd.choice(_INITIAL_SLIPS[initial])
        elif mode == 1:
            medial = rnd.choice(_MEDIAL_SLIPS[medial])
        else:
            final = rnd.choice(_FINAL_SLIPS.get(final, (0,) if final else (4, 21)))
        return text[:i] + chr(0xAC00 + initial * 588 + medial * 28 + final) + text[i + 1 :]
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    i = rnd.choice(letters)
    pairs = [j for j in letters if j + 1 in letters and text[j] != text[j + 1]]
    if pairs and rnd.random() < 0.5:
        j = rnd.choice(pairs)
        return text[:j] + text[j + 1] + text[j] + text[j + 2 :]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if text[i].isupper() else "abcdefghijklmnopqrstuvwxyz"
    replacement = rnd.choice([c for c in alphabet if c != text[i].upper() and c != text[i]])
    return text[:i] + replacement + text[i + 1 :]


def typo_digits(text: str, rnd: random.Random) -> str:
    """Swap two neighbouring different digits (40%) or mistype one digit."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in itertools.pairwise(digits) if text[a] != text[b]]
    chars = list(text)
    if pairs and rnd.random() < 0.4:
        a, b = rnd.choice(pairs)
        chars[a], chars[b] = chars[b], chars[a]
    else:
        i = rnd.choice(digits)
        chars[i] = rnd.choice([d for d in "0123456789" if d != text[i]])
    return "".join(chars)


_ID_LAYOUTS: Final[dict[str, tuple[int, ...]]] = {
    "rrn": (6,), "frn": (6,), "crn": (6,), "brn": (3, 5), "workplace_no": (3, 5, 10),
    "driver_licence_no": (2, 4, 10), "farm_business_no": (1, 4, 7), "pnu": (10, 11, 15),
}  # fmt: skip


def variant(field: FieldSpec, value: str, rnd: random.Random) -> str | None:  # noqa: PLR0911
    """A different spelling of ``value`` that normalises to the same, or None."""
    if field.validator is not None or field.compare is Comparator.IDENTIFIER:
        return _id_variant(field, value, rnd)
    if field.term == "pnu_list":
        return value.replace(";", "; ") if ";" in value else None
    if field.type is FieldType.DATE:
        year, month, day = value.split("-")
        spellings = [
            f"{year}.{month}.{day}",
            f"{year}{month}{day}",
            f"{year}/{month}/{day}",
            f"{int(year)}-{int(month)}-{int(day)}",
        ]
        return rnd.choice([s for s in spellings if s != value])
    if field.type is FieldType.BOOLEAN:
        return rnd.choice(("Y", "1")) if value == "true" else rnd.choice(("N", "0"))
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL):
        whole, dot, fraction = value.partition(".")
        if len(whole.lstrip("-")) < 4:
            return None
        return f"{int(whole):,}{dot}{fraction}"
    if field.type is FieldType.CODE:
        return CODE_LABELS.get(field.term, {}).get(value)
    if " " in value.strip():
        first, _, rest = value.partition(" ")
        return f"{first}  {rest}"
    return rnd.choice((f" {value}", f"{value} "))


def _id_variant(field: FieldSpec, value: str, rnd: random.Random) -> str:  # noqa: PLR0911
    kind = field.validator
    if kind == "cas":
        return "00" + value if rnd.random() < 0.5 else value.translate(_FULL_WIDTH)
    if kind == "building_register_no":
        return value.replace("-", "")
    if kind == "vin":
        return value.lower()
    if kind == "plate":
        return f"{value[:-4]} {value[-4:]}"
    layout = _ID_LAYOUTS.get(kind or "") or ((6,) if field.name == "owner_id" else None)
    choice = rnd.random()
    if layout is not None and choice < 0.6:
        cuts = (0, *layout, len(value))
        return "-".join(value[a:b] for a, b in itertools.pairwise(cuts))
    if choice < 0.85:
        return value.translate(_FULL_WIDTH)
    return f" {value} "


# ------------------------------------------------------------------ agency copies


def agency_copy(
    spec: DatasetSpec, master: pl.DataFrame, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(copy, truth) for one dataset; ``master`` is the canonical all-text frame."""
    n = len(master)
    rnd = random.Random(int(rng.integers(0, 2**63)))
    corrupter = _Corrupter(spec, master, rnd)
    draw = rng.random((6, n))
    missing = draw[0] < RATE_MISSING_FROM_COPY
    stale = ~missing & (draw[1] < RATE_STALE)
    name_typo = ~missing & (draw[2] < RATE_NAME_TYPO)
    id_typo = ~missing & (draw[3] < RATE_ID_TYPO)
    no_key = ~missing & (draw[4] < RATE_MISSING_ID)
    fmt = ~missing & (draw[5] < RATE_FORMAT)
    touched_rows = np.flatnonzero(stale | name_typo | id_typo | no_key | fmt)
    exact_rows = np.flatnonzero(~missing & ~(stale | name_typo | id_typo | no_key | fmt))

    fields = {f.name: f for f in spec.fields}
    rows = master[touched_rows].to_dicts()
    originals = [dict(row) for row in rows]
    kinds: list[str] = []
    changed: list[str | None] = []
    for row, original, i in zip(rows, originals, touched_rows, strict=True):
        applied: set[str] = set()
        touched: set[str] = set()
        if stale[i] and corrupter.stale(row, int(i)):
            applied.add("stale")
            touched.update(f for f in row if row[f] != original[f])
        if name_typo[i] and (field := corrupter.name_typo(row)) is not None:
            applied.add("typo")
            touched.add(field)
        if no_key[i]:
            row[spec.key] = None
            applied.add("missing_id")
            touched.add(spec.key)
        if id_typo[i] and (field := corrupter.id_typo(row, allow_key=not no_key[i])) is not None:
            applied.add("typo")
            touched.add(field)
        if fmt[i]:
            respelled = corrupter.format_variant(row)
            if respelled:
                applied.add("format_variant")
                touched.update(respelled)
        differing = sorted(
            (f for f in touched
             if normalise_value(fields[f], row[f]) != normalise_value(fields[f], original[f])),
            key=spec.field_names.index,
        )  # fmt: skip
        kinds.append("+".join(k for k in KIND_ORDER if k in applied) or "exact")
        changed.append(";".join(differing) or None)

    extra = _agency_only(spec, master, rng, round(RATE_AGENCY_ONLY * n))
    schema = dict.fromkeys(spec.field_names, pl.Utf8)
    copy = pl.concat([master[exact_rows], pl.DataFrame(rows, schema=schema), extra], how="vertical")
    keys = master[spec.key]
    truth = pl.DataFrame(
        {
            "master_key": pl.concat(
                [
                    keys.gather(exact_rows),
                    keys.gather(touched_rows),
                    pl.Series([None] * len(extra), dtype=pl.Utf8),
                ]
            ),
            "kind": ["exact"] * len(exact_rows) + kinds + ["agency_only"] * len(extra),
            "changed_fields": pl.Series(
                [None] * len(exact_rows) + changed + [None] * len(extra), dtype=pl.Utf8
            ),
        }
    )
    order = rng.permutation(len(copy))
    truth = (
        truth[order]
        .with_row_index("agency_row")
        .select(pl.col("agency_row").cast(pl.Int64), "master_key", "kind", "changed_fields")
    )
    return copy[order], truth


def _agency_only(
    spec: DatasetSpec, master: pl.DataFrame, rng: np.random.Generator, k: int
) -> pl.DataFrame:
    """``k`` records the master lacks: fields from different records, fresh identifiers.

    Every field comes from an independently drawn master record, so no record
    is repeated; the key, unique fields and one-field secondary keys are freshly
    generated, and combinations matching a master record's secondary key are
    redrawn, so linkage cannot honestly find them in the master.
    """
    n = len(master)
    if k <= 0 or n == 0:
        return pl.DataFrame(schema=dict.fromkeys(spec.field_names, pl.Utf8))
    fresh = {spec.key} | {f.name for f in spec.fields if f.unique}
    fresh |= {keys[0] for keys in spec.linkage.secondary_keys if len(keys) == 1}
    multi = [list(keys) for keys in spec.linkage.secondary_keys if len(keys) > 1]
    frame = _mix(spec, master, rng, k, fresh)
    for _ in range(10):
        clash = np.zeros(k, dtype=bool)
        for keys in multi:
            hits = (
                frame.with_row_index("_i")
                .join(master.select(keys).unique(), on=keys, how="semi")["_i"]
                .to_numpy()
            )
            clash[hits] = True
        if not clash.any():
            break
        redraw = _mix(spec, master, rng, int(clash.sum()), fresh)
        frame = pl.concat([frame.filter(~pl.Series(clash)), redraw], how="vertical")
    return frame


def _mix(
    spec: DatasetSpec, master: pl.DataFrame, rng: np.random.Generator, k: int, fresh: set[str]
) -> pl.DataFrame:
    n = len(master)
    columns = {c: master[c].gather(rng.integers(0, n, k)) for c in spec.field_names}
    for name in sorted(fresh, key=spec.field_names.index):
        field = spec.field_spec(name)
        if field.validator is None:
            continue
        taken = set(master[name].drop_nulls().to_list())
        values = _fresh_values(field.validator, rng, k, columns)
        for _ in range(20):
            bad = [i for i, v in enumerate(values) if v in taken]
            if not bad:
                break
            redo = _fresh_values(
                field.validator, rng, len(bad), {c: s.gather(bad) for c, s in columns.items()}
            )
            for i, v in zip(bad, redo, strict=True):
                values[i] = v
        columns[name] = pl.Series(name, values, dtype=pl.Utf8)
    return pl.DataFrame(columns)


def _fresh_values(
    validator: str, rng: np.random.Generator, k: int, columns: dict[str, pl.Series]
) -> list[str]:
    """Valid new identifiers, consistent with the record's own birth date, sex or region."""
    generator = identifiers.VALIDATORS[validator]
    kw: dict[str, object] = {}
    birth = columns.get("birth_date", columns.get("holder_birth_date"))
    if validator in ("rrn", "frn") and birth is not None and birth.null_count() == 0:
        kw["birth"] = _as_days(birth)
        if "sex" in columns:
            kw["sex"] = columns["sex"].to_numpy().astype(np.str_)
    elif validator == "workplace_no" and "brn" in columns:
        kw["brn"] = columns["brn"].to_numpy().astype(np.str_)
    elif validator in ("building_register_no", "road_address_id") and "region_code" in columns:
        kw["sigungu"] = columns["region_code"].to_numpy().astype(np.str_)
    elif validator == "pnu" and "legal_dong_code" in columns:
        kw["legal_dong"] = columns["legal_dong_code"].to_numpy().astype(np.str_)
    return generator.generate_many(rng, k, unique=True, **kw)


def _as_days(series: pl.Series) -> npt.NDArray[np.datetime64]:
    return series.str.to_date("%Y-%m-%d").to_numpy().astype("datetime64[D]")
