"""Normalise agency and master frames into comparable values, vectorised with polars.

Linkage compares values, not spellings: ``850101-1234567`` and ``８５０１０１１２３４５６７``
are one RRN, ``2024. 3. 5.`` and ``20240305`` one date, ``홍 길동`` and ``홍길동`` one
name, ``폐업`` the code ``closed``. :func:`normalise_frame` turns the raw text columns
of a frame (named by canonical field) into one typed, normalised column per field
of the dataset, so the linkage engine and the field-difference report both work on
the same forms. Everything runs as polars string operations on whole columns;
values that repeat (dates, codes, names) are normalised once per distinct value
and mapped back, and Python is called only once per *distinct* value where
polars cannot decide (code labels, the few identifiers whose canonical form is
not their cleaned text). A million rows of a field take well under a second.

Per field kind (decided by :func:`field_kind` from the spec):

* every text: Unicode NFKC (composes Hangul like NFC and also folds the full-width
  and circled forms legacy encodings produce), whitespace runs collapsed, trimmed;
  an empty value is null;
* identifiers: exactly :func:`entities.identifiers.normalize` -- NFKC only for
  non-ASCII values, separators dropped, upper case, the validator's pattern must
  match -- else null. Rule violations (a bad check digit) keep the value, as the
  validators do; identifiers without a validator (``household_id``) are cleaned
  the same way without a shape check;
* dates: ``2024-03-05``, ``2024.03.05``, ``2024. 3. 5.``, ``2024/03/05``,
  ``20240305``, ``2024-3-5``, ``2024년 3월 5일`` and ISO date-times; two-digit
  years are refused rather than guessed;
* person names: written in Hangul or Hanja, all spaces and punctuation removed
  (``홍 길동`` = ``홍길동``); romanised, upper case, punctuation dropped and the
  tokens sorted, so ``Nguyen Van An``, ``VAN AN, NGUYEN`` compare equal;
* organisation and other names: upper case, legal-form markers such as ``(주)``,
  ``주식회사``, ``CO., LTD.`` removed, then spaces and punctuation removed;
* addresses: upper case, punctuation to spaces, province short forms expanded
  (``서울시`` -> ``서울특별시``);
* codes: the code itself (any case), its Korean label from the vocabulary, or an
  unambiguous prefix or extension of the label (``폐업`` -> ``closed`` from
  ``폐업자``, ``남자`` -> ``M``);
* numbers: thousands separators, spaces and a trailing ``원`` removed;
* booleans: ``Y``/``N``, ``예``/``아니오``, ``true``/``false``, ``1``/``0``, ``O``/``X``.

A value that is present but cannot be parsed becomes null and its raw text is kept
in ``<field>__raw`` (null where parsing succeeded), so intake can report it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import cache, partial

import polars as pl

from entities.identifiers import SEPARATORS, VALIDATORS, Identifier
from entities.spec import PII, Comparator, DatasetSpec, FieldSpec, FieldType
from entities.vocabulary import CODE_LABELS, codes, normalise_label

RAW_SUFFIX = "__raw"
"""Suffix of the column keeping the raw text of values that could not be parsed."""


class FieldKind(StrEnum):
    """How a field's values are normalised (see the module docstring)."""

    IDENTIFIER = "identifier"
    DATE = "date"
    CODE = "code"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    PERSON_NAME = "person_name"
    ORG_NAME = "org_name"
    ADDRESS = "address"
    TEXT = "text"


def field_kind(field: FieldSpec) -> FieldKind:
    """The normalisation kind of a field, from its type, comparator, validator and PII class."""
    simple = {
        FieldType.DATE: FieldKind.DATE,
        FieldType.CODE: FieldKind.CODE,
        FieldType.INTEGER: FieldKind.INTEGER,
        FieldType.DECIMAL: FieldKind.DECIMAL,
        FieldType.BOOLEAN: FieldKind.BOOLEAN,
    }
    if field.type in simple:
        return simple[field.type]
    if field.validator is not None or field.compare is Comparator.IDENTIFIER:
        return FieldKind.IDENTIFIER
    if field.compare is Comparator.NAME:
        return FieldKind.ORG_NAME if field.pii is PII.NONE else FieldKind.PERSON_NAME
    if field.compare is Comparator.ADDRESS:
        return FieldKind.ADDRESS
    return FieldKind.TEXT


def output_dtype(field: FieldSpec) -> pl.DataType:
    """polars dtype of a field's normalised column."""
    kind = field_kind(field)
    if kind is FieldKind.DATE:
        return pl.Date()
    if kind is FieldKind.INTEGER:
        return pl.Int64()
    if kind is FieldKind.DECIMAL:
        return pl.Float64()
    if kind is FieldKind.BOOLEAN:
        return pl.Boolean()
    return pl.String()


# ------------------------------------------------------------------------ text basics
#
# Each normaliser is a chain of eager Series operations: every intermediate is
# computed once (an expression reused inside one ``select`` would be evaluated
# again for each use), and work that only a few rows need (romanised names, dates
# in unusual spellings) runs on just those rows and is scattered back.

_PUNCT = r"[\p{P}\p{S}]"
_HAS_LATIN = r"[A-Za-z]"


def _strings(values: pl.Series) -> pl.Series:
    return values if values.dtype == pl.String else values.cast(pl.String)


def _null_if_empty(values: pl.Series) -> pl.Series:
    return _select(values, pl.when(pl.col("v").str.len_bytes() > 0).then(pl.col("v")))


def _select(values: pl.Series, expr: pl.Expr) -> pl.Series:
    """Evaluate ``expr`` (over ``pl.col("v")``) on one series, keeping its name and length."""
    return values.to_frame("v").select(expr.alias("v")).to_series().alias(values.name)


def _patch(
    values: pl.Series,
    mask: pl.Series,
    fn: Callable[[pl.Series], pl.Series],
    source: pl.Series | None = None,
) -> pl.Series:
    """A copy of ``values`` where the rows ``mask`` selects become ``fn(source rows)``."""
    idx = mask.fill_null(False).arg_true()
    if idx.len() == 0:
        return values
    rows = (values if source is None else source).gather(idx)
    return values.clone().scatter(idx, fn(rows))


def _nfkc(values: pl.Series) -> pl.Series:
    """NFKC of the non-ASCII values (ASCII is already normalised in every form)."""
    raw = _strings(values)
    non_ascii = raw.str.contains(r"[^\x00-\x7F]")
    return _patch(raw, non_ascii, lambda rows: rows.str.normalize("NFKC"))


def fold_text(values: pl.Series) -> pl.Series:
    """NFKC, collapse whitespace, trim; empty -> null. The base of every text kind."""
    text = _nfkc(values).str.replace_all(r"\s+", " ")
    return _null_if_empty(text.str.strip_chars())


def _upper_words(text: pl.Series) -> pl.Series:
    """Upper case, punctuation and symbols to spaces, whitespace collapsed."""
    words = text.str.to_uppercase().str.replace_all(_PUNCT, " ")
    return words.str.replace_all(r"\s+", " ").str.strip_chars()


def _sorted_tokens(text: pl.Series) -> pl.Series:
    return _upper_words(text).str.split(" ").list.sort().list.join(" ")


def person_name(values: pl.Series) -> pl.Series:
    """Hangul/Hanja names lose spaces and punctuation; romanised names get sorted tokens."""
    text = fold_text(values)
    latin = text.str.contains(_HAS_LATIN)
    squeezed = text.str.replace_all(r"[\s\p{P}\p{S}]+", "")
    return _null_if_empty(_patch(squeezed, latin, _sorted_tokens, text))


#: Legal-form markers of organisation names, matched after upper-casing and NFKC
#: (which turns ㈜ into (주)). Longest first so 유한책임회사 wins over 유한회사.
_LEGAL_FORMS: tuple[str, ...] = (
    "유한책임회사", "주식회사", "유한회사", "합자회사", "합명회사", "사단법인", "재단법인",
    "(주)", "(유)", "(사)", "(재)", "(합)",
    "CO., LTD.", "CO.,LTD.", "CO., LTD", "CO.,LTD", "CO. LTD", "CO LTD", "LTD.", "LTD",
    "INC.", "INC", "CORP.", "CORPORATION", "LLC",
)  # fmt: skip


def org_name(values: pl.Series) -> pl.Series:
    """Organisation and other names: legal forms, spaces and punctuation removed."""
    text = fold_text(values).str.to_uppercase()
    stripped = text.str.replace_many(list(_LEGAL_FORMS), [""] * len(_LEGAL_FORMS))
    return _null_if_empty(stripped.str.replace_all(r"[\s\p{P}\p{S}]+", ""))


#: Province (시도) spellings agencies use, folded to the official name.
_SIDO_FORMS: dict[str, str] = {
    "서울특별시": "서울 서울시",
    "부산광역시": "부산 부산시",
    "대구광역시": "대구 대구시",
    "인천광역시": "인천 인천시",
    "광주광역시": "",  # no alias: 광주시 is also a city in Gyeonggi
    "대전광역시": "대전 대전시",
    "울산광역시": "울산 울산시",
    "세종특별자치시": "세종 세종시",
    "경기도": "경기",
    "충청북도": "충북",
    "충청남도": "충남",
    "전라남도": "전남",
    "경상북도": "경북",
    "경상남도": "경남",
    "제주특별자치도": "제주 제주도",
    "강원특별자치도": "강원 강원도",
    "전북특별자치도": "전북 전라북도",
}
_SIDO_ALIASES: dict[str, str] = {
    alias: official for official, aliases in _SIDO_FORMS.items() for alias in aliases.split()
}


def address(values: pl.Series) -> pl.Series:
    """Addresses: upper-cased words, province short forms expanded (first token only)."""
    words = _null_if_empty(_upper_words(fold_text(values)))
    first = words.str.extract(r"^(\S+)", 1)
    official = first.replace_strict(_SIDO_ALIASES, default=None, return_dtype=pl.String)
    expanded = official + words.str.replace(r"^\S+", "")
    return _select(words, pl.coalesce(pl.lit(expanded), pl.col("v")))


def text(values: pl.Series) -> pl.Series:
    """Other text (free text, exact text codes): NFKC, upper case, whitespace collapsed."""
    return fold_text(values).str.to_uppercase()


# ------------------------------------------------------------------------ identifiers

_SEPARATOR_RE = "[" + "".join(re.escape(ch) for ch in SEPARATORS) + "]"


def clean_identifiers(values: pl.Series) -> pl.Series:
    """:func:`entities.identifiers.clean` over a series; empty -> null.

    NFKC only for non-ASCII values (as ``clean`` does), separators dropped, upper case.
    """
    folded = _nfkc(values).str.replace_all(_SEPARATOR_RE, "")
    return _null_if_empty(folded.str.to_uppercase())


def _identity_canonical(validator: Identifier) -> bool:
    return type(validator).canonical is Identifier.canonical


@cache
def _validator_regex(kind: str) -> str:
    return f"^(?:{VALIDATORS[kind].pattern})$"


def normalise_identifier(values: pl.Series, kind: str | None) -> pl.Series:
    """Canonical identifiers, equal to ``entities.identifiers.normalize`` where it succeeds.

    Unparseable values become null. Most validators' canonical form is the cleaned
    text itself once it matches the pattern, which polars decides; the others
    (building register, CAS, driver licence) run the Python rule once per distinct
    cleaned value.
    """
    cleaned = clean_identifiers(values)
    if kind is None:
        return cleaned
    validator = VALIDATORS[kind]
    if _identity_canonical(validator):
        shaped = pl.col("v").str.contains(_validator_regex(kind))
        return _select(cleaned, pl.when(shaped).then(pl.col("v")))
    distinct = cleaned.drop_nulls().unique()
    mapping = {value: validator.canonical(value) for value in distinct.to_list()}
    return cleaned.replace_strict(mapping, default=None, return_dtype=pl.String)


# ------------------------------------------------------------------------------ dates

_DATE_PLAIN = r"^[0-9]{4}(?:[./-][0-9]{1,2}[./-][0-9]{1,2}|[0-9]{4})$"
_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y.%m.%d", "%Y/%m/%d")
_DATE_ANY = (
    r"^([0-9]{4})\s*(?:[./-]|년)\s*([0-9]{1,2})\s*(?:[./-]|월)\s*([0-9]{1,2})\s*일?\.?"
    r"(?:[T\s].*)?$"
)


def _parse_any_date(text: pl.Series) -> pl.Series:
    """The regex path, for spellings plain formats miss (``2024년 3월 5일``, ``2024. 3. 5.``)."""
    parts = text.str.extract_groups(_DATE_ANY).struct.unnest()
    year, month, day = (parts.get_column(c) for c in parts.columns)
    iso = year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    return iso.str.to_date("%Y-%m-%d", strict=False)


def parse_dates(values: pl.Series) -> pl.Series:
    """Korean date spellings -> ``pl.Date``; impossible dates (Feb 30) -> null.

    Plain spellings (``2024-03-05``, ``2024-3-5``, ``2024.03.05``, ``2024/03/05``,
    ``20240305``) go through polars' date parser; the guard regex keeps it from
    reading ``24-03-05`` as the year 24. The rest go through one regex.
    """
    if values.dtype == pl.Date:
        return values
    if isinstance(values.dtype, pl.Datetime):
        return values.dt.date()
    text = fold_text(values)
    plain = text.str.contains(_DATE_PLAIN).fill_null(False)
    frame = text.to_frame("t")
    parsed = frame.select(
        pl.when(pl.lit(plain)).then(
            pl.coalesce([pl.col("t").str.to_date(f, strict=False) for f in _DATE_FORMATS])
        )
    ).to_series()
    return _patch(parsed, parsed.is_null() & text.is_not_null(), _parse_any_date, text)


# ------------------------------------------------------------------------ numbers, flags

_NUMBER_NOISE = r"[,\s원_]"


def _as_number(values: pl.Series, *, integer: bool) -> pl.Series:
    if values.dtype.is_numeric():
        number = values.cast(pl.Float64)
    else:
        cleaned = fold_text(values).str.replace_all(_NUMBER_NOISE, "")
        number = cleaned.cast(pl.Float64, strict=False)
    if not integer:
        return number
    whole = pl.col("v").is_finite() & (pl.col("v") == pl.col("v").floor())
    return _select(number, pl.when(whole).then(pl.col("v"))).cast(pl.Int64)


_TRUE = ("y", "yes", "true", "t", "1", "예", "네", "o", "있음", "해당")
_FALSE = ("n", "no", "false", "f", "0", "아니오", "아니요", "x", "없음", "비해당", "해당없음")
_BOOLEAN_LABELS: dict[str, bool] = {
    **{normalise_label(v): True for v in _TRUE},
    **{normalise_label(v): False for v in _FALSE},
}


def _as_boolean(values: pl.Series) -> pl.Series:
    if values.dtype == pl.Boolean:
        return values
    labels = fold_text(values).str.to_lowercase().str.replace_all(r"[^0-9a-z가-힣]", "")
    return labels.replace_strict(_BOOLEAN_LABELS, default=None, return_dtype=pl.Boolean)


# ------------------------------------------------------------------------------ codes

#: Spellings of codes that no label or prefix rule reaches.
_CODE_ALIASES: dict[str, dict[str, str]] = {
    "sex": {"male": "M", "man": "M", "female": "F", "woman": "F"},
}


@cache
def _code_table(term: str) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(exact lookup by folded spelling, (folded label, code) pairs) for a code term."""
    exact: dict[str, str] = {}
    labels: list[tuple[str, str]] = []
    for code in codes(term):
        exact[normalise_label(code)] = code
    for code, label in CODE_LABELS.get(term, {}).items():
        folded = normalise_label(unicodedata.normalize("NFKC", label))
        exact.setdefault(folded, code)
        labels.append((folded, code))
    for alias, code in _CODE_ALIASES.get(term, {}).items():
        exact.setdefault(normalise_label(alias), code)
    return exact, tuple(labels)


def resolve_code(term: str, raw: str, allowed: Iterable[str] | None = None) -> str | None:
    """The code a raw spelling means, or None when no rule names exactly one code.

    Tried in order: the code or label itself (folded), the one longest label the
    value starts with (``남자`` -> 남 -> ``M``), the one label that starts with the
    value (``폐업`` -> 폐업자 -> ``closed``).
    """
    exact, labels = _code_table(term)
    allowed_set = set(allowed) if allowed is not None else None
    folded = normalise_label(unicodedata.normalize("NFKC", raw))
    if not folded:
        return None

    def ok(code: str) -> bool:
        return allowed_set is None or code in allowed_set

    code = exact.get(folded)
    if code is not None:
        return code if ok(code) else None
    extends = [(len(lab), c) for lab, c in labels if folded.startswith(lab) and ok(c)]
    if extends:
        longest = max(length for length, _ in extends)
        best = {c for length, c in extends if length == longest}
        if len(best) == 1:
            return best.pop()
    if len(folded) >= 2:
        prefixed = {c for lab, c in labels if lab.startswith(folded) and ok(c)}
        if len(prefixed) == 1:
            return prefixed.pop()
    return None


def _as_code(values: pl.Series, field: FieldSpec) -> pl.Series:
    text = fold_text(values)
    allowed = field.codes or None
    mapping = {
        raw: resolve_code(field.term, raw, allowed) for raw in text.drop_nulls().unique().to_list()
    }
    return text.replace_strict(mapping, default=None, return_dtype=pl.String)


# ------------------------------------------------------------------------ per field

_TEXT_KINDS = {
    FieldKind.PERSON_NAME: person_name,
    FieldKind.ORG_NAME: org_name,
    FieldKind.ADDRESS: address,
    FieldKind.TEXT: text,
}


DISTINCT_SHARE = 0.5
"""Normalise distinct values only when they are at most this share of the rows."""


def _by_distinct(
    values: pl.Series, fn: Callable[[pl.Series], pl.Series], dtype: pl.DataType
) -> pl.Series:
    """``fn`` over the distinct values, mapped back, when that is less work.

    Dates, codes and names repeat (a million birth dates in a few hundred thousand
    spellings, a status in a handful), so normalising each distinct text once and
    mapping back halves the time; identifiers are nearly all distinct and go direct.
    """
    if values.dtype != pl.String or values.len() < 10_000:
        return fn(values).cast(dtype)
    distinct = values.drop_nulls().unique()
    if distinct.len() > DISTINCT_SHARE * values.len():
        return fn(values).cast(dtype)
    mapped = fn(distinct).cast(dtype)
    return values.replace_strict(distinct, mapped, default=None, return_dtype=dtype)


def normalise_series(field: FieldSpec, values: pl.Series) -> pl.Series:
    """One field's normalised values (dtype :func:`output_dtype`), named like the field."""
    kind = field_kind(field)
    dtype = output_dtype(field)
    fn: Callable[[pl.Series], pl.Series]
    if kind is FieldKind.IDENTIFIER:
        return normalise_identifier(values, field.validator).cast(dtype).alias(field.name)
    if kind in _TEXT_KINDS:
        fn = _TEXT_KINDS[kind]
    elif kind is FieldKind.DATE:
        fn = parse_dates
    elif kind is FieldKind.CODE:
        fn = partial(_as_code, field=field)
    elif kind is FieldKind.BOOLEAN:
        fn = _as_boolean
    else:
        fn = partial(_as_number, integer=kind is FieldKind.INTEGER)
    return _by_distinct(values, fn, dtype).alias(field.name)


_PARSED_KINDS = frozenset(
    {
        FieldKind.IDENTIFIER,
        FieldKind.DATE,
        FieldKind.CODE,
        FieldKind.INTEGER,
        FieldKind.DECIMAL,
        FieldKind.BOOLEAN,
    }
)


def can_fail(field: FieldSpec) -> bool:
    """Whether a present value of this field can fail to parse (and so gets a raw column)."""
    kind = field_kind(field)
    if kind is FieldKind.IDENTIFIER:
        return field.validator is not None
    return kind in _PARSED_KINDS


def normalise_frame(spec: DatasetSpec, frame: pl.DataFrame) -> pl.DataFrame:
    """Normalised columns for every field of ``spec``, from raw columns named by field.

    Fields the frame lacks come out as typed all-null columns (the linkage engine
    treats an all-null agency column as absent). Fields whose values can fail to
    parse also get ``<field>__raw``: the raw text where parsing failed, else null.
    Columns that are not fields of the spec (such as ``agency_row``) pass through
    unchanged in front.
    """
    names = set(spec.field_names)
    passthrough = [c for c in frame.columns if c not in names and not c.endswith(RAW_SUFFIX)]
    columns: list[pl.Series] = [frame.get_column(c) for c in passthrough]
    for field in spec.fields:
        if field.name not in frame.columns:
            columns.append(pl.Series(field.name, [None] * frame.height, output_dtype(field)))
            if can_fail(field):
                columns.append(pl.Series(field.name + RAW_SUFFIX, [None] * frame.height, pl.String))
            continue
        raw = frame.get_column(field.name)
        normalised = normalise_series(field, raw)
        columns.append(normalised)
        if can_fail(field):
            columns.append(_failures(raw, normalised).alias(field.name + RAW_SUFFIX))
    return pl.DataFrame(columns)


def _failures(raw: pl.Series, normalised: pl.Series) -> pl.Series:
    text = raw.cast(pl.String)
    present = pl.col("v").str.strip_chars().str.len_bytes() > 0
    return _select(text, pl.when(present & pl.lit(normalised.is_null())).then(pl.col("v")))


def normalisation_problems(spec: DatasetSpec, normalised: pl.DataFrame) -> pl.DataFrame:
    """Long list of unparseable values: ``row`` (0-based), ``field``, ``raw``.

    ``row`` is the frame's ``agency_row`` when it has one, else the row position.
    """
    rows = (
        normalised.get_column("agency_row").cast(pl.Int64)
        if "agency_row" in normalised.columns
        else pl.int_range(normalised.height, dtype=pl.Int64, eager=True)
    )
    parts = [
        pl.DataFrame(
            {
                "row": rows,
                "field": pl.Series([field.name] * normalised.height, dtype=pl.String),
                "raw": normalised.get_column(field.name + RAW_SUFFIX),
            }
        ).filter(pl.col("raw").is_not_null())
        for field in spec.fields
        if field.name + RAW_SUFFIX in normalised.columns
    ]
    if not parts:
        return pl.DataFrame(schema={"row": pl.Int64, "field": pl.String, "raw": pl.String})
    return pl.concat(parts).sort("row", "field")
