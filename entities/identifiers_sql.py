"""The identifier rules of :mod:`entities.identifiers` as PostgreSQL functions.

For every identifier ``<name>`` in ``VALIDATORS``:

* ``mdr_norm_<name>(text) RETURNS text``: canonical form, NULL when unparseable;
* ``mdr_check_<name>(text) RETURNS text``: NULL when valid, else the same
  reason text as ``Check.error`` in Python;
* ``mdr_warn_<name>(text) RETURNS text`` for ``rrn``, ``frn`` and ``vin``: the
  ``Check.warning`` text of a valid value (a check-digit mismatch), else NULL.

NULL in gives NULL out (a missing value is the required-field check's business).
Bulk validation runs these over millions of rows, so they are plpgsql (one
call, local variables, no per-row planning) over cheap primitives: an
ASCII fast path in :data:`CLEAN` (``translate`` of full-width forms only when
the text is not ASCII), bigint arithmetic for check digits, and anchored
regular expressions shared with the Python patterns. All are ``IMMUTABLE
STRICT PARALLEL SAFE`` and use no extension. The SQL text is pure ASCII
(non-ASCII characters are written as ``\\uXXXX`` escapes), so it installs
under any client encoding; the database itself must be UTF8. Python's NFKC
handles more exotic forms (circled digits, compatibility jamo) than the
``translate`` here; everything the normalisers document (hyphens, spaces, dots,
full-width digits and letters, lower case) behaves identically.

The lead's Alembic migration runs :data:`SQL_FUNCTIONS` in order to install
and :data:`DROP_SQL_FUNCTIONS` to remove.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from entities.identifiers import (
    BRN_WEIGHTS,
    CRN_WEIGHTS,
    GTIN_WEIGHTS,
    LICENCE_REGION_CODES,
    LICENCE_REGIONS,
    PLATE_LETTERS,
    PLATE_REGIONS,
    RRN_WEIGHTS,
    SEPARATORS,
    SIDO_CODES,
    VALIDATORS,
    VIN_LETTER_VALUES,
    VIN_LETTERS,
    VIN_WEIGHTS,
    ForeignerRegistrationNumber,
    ResidentRegistrationNumber,
)

_FULLWIDTH_DIGITS = "".join(chr(0xFF10 + i) for i in range(10))
_FULLWIDTH_UPPER = "".join(chr(0xFF21 + i) for i in range(26))
_FULLWIDTH_LOWER = "".join(chr(0xFF41 + i) for i in range(26))
_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_HANGUL = "[\uac00-\ud7a3]"


def lit(text: str) -> str:
    """A SQL string literal in pure ASCII (``E'...'`` with ``\\uXXXX`` escapes when needed)."""
    if all(" " <= ch <= "~" and ch != "\\" for ch in text):
        return "'" + text.replace("'", "''") + "'"
    body = []
    for ch in text:
        if ch in "\\'":
            body.append("\\" + ch)
        elif " " <= ch <= "~":
            body.append(ch)
        else:
            body.append(f"\\u{ord(ch):04x}")
    return "E'" + "".join(body) + "'"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(lit(v) for v in values) + ")"


def _digit(position: int, length: int) -> str:
    """Digit at 1-based ``position`` of the ``length``-digit number held in bigint ``n``."""
    return f"(n / {10 ** (length - position)} % 10)" if position < length else "(n % 10)"


def _wsum(weights: Sequence[int], length: int) -> str:
    """Weighted digit sum over the leading digits of ``n``."""
    return " + ".join(f"{_digit(i, length)} * {w}" for i, w in enumerate(weights, 1) if w)


CLEAN = f"""CREATE OR REPLACE FUNCTION mdr_id_clean(raw text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT upper(CASE WHEN octet_length(raw) = length(raw)
    THEN translate(raw, {lit("".join(c for c in SEPARATORS if c.isascii()))}, '')
    ELSE translate(raw,
      {lit(_FULLWIDTH_DIGITS + _FULLWIDTH_UPPER + _FULLWIDTH_LOWER + SEPARATORS)},
      {lit("0123456789" + _ASCII_UPPER + _ASCII_UPPER)})
  END)
$fn$"""

VALID_DATE = """CREATE OR REPLACE FUNCTION mdr_id_valid_date(y int, m int, d int) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT m BETWEEN 1 AND 12 AND d BETWEEN 1 AND CASE
    WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
    WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END
$fn$"""

Step = str | tuple[str, str]  # a statement, or (condition, error reason)


@dataclass(frozen=True)
class _Spec:
    """SQL rendering of one identifier.

    ``norm`` is the plpgsql body after ``c`` holds the cleaned text (default:
    the Python pattern, anchored). ``steps`` run on canonical ``s``: plain
    statements, or ``(condition, reason)`` pairs that reject. ``warn`` is
    (statements, condition, warning) evaluated only when every step passed.
    Conditions must not contain ``CASE`` (plpgsql reads ``IF`` up to ``THEN``).
    """

    name: str
    steps: tuple[Step, ...] = ()
    decls: str = ""
    norm: str | None = None
    norm_decls: str = ""
    warn: tuple[tuple[str, ...], str, str] | None = None

    @property
    def shape_error(self) -> str:
        return VALIDATORS[self.name].shape_error

    def _fn(self, kind: str, decls: str, body: Sequence[str]) -> str:
        lines = "\n".join(f"  {b}" for b in body)
        return (
            f"CREATE OR REPLACE FUNCTION mdr_{kind}_{self.name}(raw text) RETURNS text\n"
            f"LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$\n"
            f"DECLARE {decls}\nBEGIN\n{lines}\nEND\n$fn$"
        )

    def norm_sql(self) -> str:
        if self.norm is None:
            pattern = lit(f"^(?:{VALIDATORS[self.name].pattern})$")
            body = [f"RETURN CASE WHEN c ~ {pattern} THEN c END;"]
        else:
            body = textwrap.dedent(self.norm).strip().splitlines()
        return self._fn("norm", f"c text := mdr_id_clean(raw); {self.norm_decls}".strip(), body)

    def _steps(self, on_error: str | None) -> list[str]:
        out = []
        for step in self.steps:
            if isinstance(step, str):
                out.append(step)
            else:
                result = "NULL" if on_error is None else lit(step[1])
                out.append(f"IF {step[0]} THEN RETURN {result}; END IF;")
        return out

    def check_sql(self) -> str:
        body = [f"IF s IS NULL THEN RETURN {lit(self.shape_error)}; END IF;"]
        body += [*self._steps("error"), "RETURN NULL;"]
        return self._fn("check", f"s text := mdr_norm_{self.name}(raw); {self.decls}".strip(), body)

    def warn_sql(self) -> str | None:
        if self.warn is None:
            return None
        stmts, condition, warning = self.warn
        body = ["IF s IS NULL THEN RETURN NULL; END IF;", *self._steps(None), *stmts]
        body += [f"IF {condition} THEN RETURN {lit(warning)}; END IF;", "RETURN NULL;"]
        return self._fn("warn", f"s text := mdr_norm_{self.name}(raw); {self.decls}".strip(), body)


def _person(cls: type[ResidentRegistrationNumber | ForeignerRegistrationNumber]) -> list[Step]:
    """Sex digit and birth date steps of the RRN / foreigner number (``n`` = the number)."""
    digits = cls.sex_digits
    century = " ".join(f"WHEN {lit(d)} THEN {c}" for d, (c, _) in digits.items())
    return [
        "n := s::bigint;",
        (f"substr(s, 7, 1) NOT IN {_in(digits)}", "bad sex digit"),
        f"y := CASE substr(s, 7, 1) {century} END + (n / 100000000000)::int;",
        (
            "NOT mdr_id_valid_date(y, (n / 1000000000 % 100)::int, (n / 10000000 % 100)::int)",
            "bad birth date",
        ),
    ]


_RRN_CHECK = f"(11 - ({_wsum(RRN_WEIGHTS, 13)}) % 11) % 10"
_SIDO = (f"left(s, 2) NOT IN {_in(SIDO_CODES)}", "unknown sido code")
_SIGUNGU = ("substr(s, 3, 3) = '000'", "bad sigungu code")
_BRN: tuple[Step, ...] = (
    ("substr(s, 4, 2) = '00'", "bad kind code"),
    "n := left(s, 10)::bigint;",
    (
        f"(10 - ({_wsum(BRN_WEIGHTS, 10)} + {_digit(9, 10)} * 5 / 10) % 10) % 10 <> n % 10",
        "bad check digit",
    ),
)
_NOT_ZERO = ("ltrim(s, '0') = ''", "number is zero")
# transliterated VIN: positions 1-8 in bigint a, 10-17 in bigint b (position 9 weighs 0)
_VIN_SUM = " + ".join(
    [f"(a / {10 ** (8 - i)} % 10) * {w}" for i, w in enumerate(VIN_WEIGHTS[:8], 1)]
    + [f"(b / {10 ** (8 - i)} % 10) * {w}" for i, w in enumerate(VIN_WEIGHTS[9:], 1)]
)
_LICENCE_NAMES = "|".join(sorted(LICENCE_REGIONS, key=len, reverse=True))
_LICENCE_CASE = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in LICENCE_REGIONS.items())

SPECS: tuple[_Spec, ...] = (
    _Spec(
        "rrn",
        decls="n bigint; y int;",
        steps=tuple(_person(ResidentRegistrationNumber)),
        warn=((), f"{_RRN_CHECK} <> n % 10", "check digit mismatch"),
    ),
    _Spec(
        "frn",
        decls="n bigint; y int;",
        steps=tuple(_person(ForeignerRegistrationNumber)),
        warn=(
            (),
            f"n / 10000 % 2 = 1 OR n / 10 % 10 < 6 OR ({_RRN_CHECK} + 2) % 10 <> n % 10",
            "check digit mismatch",
        ),
    ),
    _Spec(
        "crn",
        decls="n bigint;",
        steps=(
            "n := s::bigint;",
            (f"(10 - ({_wsum(CRN_WEIGHTS, 13)}) % 10) % 10 <> n % 10", "bad check digit"),
        ),
    ),
    _Spec("brn", decls="n bigint;", steps=_BRN),
    _Spec(
        "legal_dong_code",
        steps=(
            _SIDO,
            (
                "(substr(s, 3, 3) = '000' AND substr(s, 6, 5) <> '00000')"
                " OR (substr(s, 6, 3) = '000' AND substr(s, 9, 2) <> '00')",
                "bad code hierarchy",
            ),
        ),
    ),
    _Spec(
        "pnu",
        steps=(
            _SIDO,
            (
                "substr(s, 3, 3) = '000' OR substr(s, 6, 3) = '000'",
                "legal-dong code above eupmyeondong level",
            ),
            ("substr(s, 11, 1) NOT IN ('1', '2')", "bad land kind"),
            ("substr(s, 12, 4) = '0000'", "main lot is zero"),
        ),
    ),
    _Spec(
        "road_address_id",
        steps=(
            _SIDO,
            _SIGUNGU,
            ("substr(s, 16, 1) NOT IN ('0', '1')", "bad underground flag"),
            ("substr(s, 17, 5) = '00000'", "building number is zero"),
        ),
    ),
    _Spec(
        "building_register_no",
        norm=f"""
            IF c !~ {lit("^(?:" + VALIDATORS["building_register_no"].pattern + ")$")} THEN
              RETURN NULL;
            END IF;
            RETURN left(c, 5) || '-' || substr(c, 6);""",
        steps=(_SIDO, _SIGUNGU, ("ltrim(substr(s, 7), '0') = ''", "serial is zero")),
    ),
    _Spec(
        "vin",
        decls="t text; a bigint; b bigint; r int; x text;",
        steps=(("s ~ '[IOQ]'", "letters I, O and Q are not allowed"),),
        warn=(
            (
                f"t := translate(s, {lit(VIN_LETTERS)}, {lit(VIN_LETTER_VALUES)});",
                "a := left(t, 8)::bigint;",
                "b := right(t, 8)::bigint;",
                f"r := ({_VIN_SUM}) % 11;",
                "x := CASE WHEN r = 10 THEN 'X' ELSE r::text END;",
            ),
            "substr(s, 9, 1) <> x",
            "check digit mismatch",
        ),
    ),
    _Spec(
        "plate",
        # s already matches the pattern: split by position instead of regexp_match (5x faster)
        decls="region text; code text; ok boolean;",
        steps=(
            "code := left(s, -5);",
            "IF ascii(s) > 57 THEN region := left(code, 2); code := substr(code, 3); END IF;",
            (f"region IS NOT NULL AND region NOT IN {_in(PLATE_REGIONS)}", "unknown region"),
            "ok := CASE WHEN region IS NULL"
            " THEN (length(code) = 2 AND code <> '00') OR (length(code) = 3 AND code !~ '^0')"
            " ELSE length(code) <= 2 AND code::int > 0 END;",
            ("NOT ok", "bad vehicle type code"),
            (f"strpos({lit(PLATE_LETTERS)}, substr(s, length(s) - 4, 1)) = 0", "bad usage letter"),
        ),
    ),
    _Spec(
        "driver_licence_no",
        norm_decls="m text[];",
        norm=f"""
            IF c ~ '^[0-9]{{12}}$' THEN
              RETURN c;
            END IF;
            m := regexp_match(c, {lit(f"^({_LICENCE_NAMES})([0-9]{{10}})$")});
            RETURN CASE m[1] {_LICENCE_CASE} END || m[2];""",
        steps=((f"left(s, 2) NOT IN {_in(LICENCE_REGION_CODES)}", "unknown region code"),),
    ),
    _Spec("workplace_no", decls="n bigint;", steps=_BRN),
    _Spec("farm_business_no", steps=(_NOT_ZERO,)),
    _Spec(
        "gtin13",
        decls="n bigint;",
        steps=(
            "n := s::bigint;",
            (f"(10 - ({_wsum(GTIN_WEIGHTS, 13)}) % 10) % 10 <> n % 10", "bad check digit"),
        ),
    ),
    _Spec(
        "medicine_code",
        steps=(
            ("left(s, 4)::int NOT BETWEEN 1950 AND 2099", "bad approval year"),
            ("right(s, 5) = '00000'", "serial is zero"),
        ),
    ),
    _Spec("goods_id", steps=(_NOT_ZERO,)),
    _Spec(
        "cas",
        decls="n bigint;",
        norm=f"""
            c := ltrim(c, '0');
            IF c !~ {lit("^(?:" + VALIDATORS["cas"].pattern + ")$")} THEN
              RETURN NULL;
            END IF;
            RETURN left(c, -3) || '-' || substr(c, length(c) - 2, 2) || '-' || right(c, 1);""",
        steps=(
            "n := replace(s, '-', '')::bigint;",
            (
                "("
                + " + ".join(f"(n / {10**k} % 10) * {k}" for k in range(1, 10))
                + ") % 10 <> n % 10",
                "bad check digit",
            ),
        ),
    ),
    _Spec("postal_code", steps=(("left(s, 2)::int NOT BETWEEN 1 AND 63", "bad area prefix"),)),
    _Spec("qualification_no"),
)

if {s.name for s in SPECS} != set(VALIDATORS):  # pragma: no cover - import-time invariant
    raise RuntimeError("identifiers_sql.SPECS must cover exactly entities.identifiers.VALIDATORS")

#: Names of the identifiers whose SQL has an ``mdr_warn_<name>`` function.
WARN_NAMES: tuple[str, ...] = tuple(s.name for s in SPECS if s.warn is not None)

SQL_FUNCTIONS: list[str] = [
    CLEAN,
    VALID_DATE,
    *(s.norm_sql() for s in SPECS),
    *(s.check_sql() for s in SPECS),
    *(w for s in SPECS if (w := s.warn_sql()) is not None),
]

DROP_SQL_FUNCTIONS: list[str] = [
    *(f"DROP FUNCTION IF EXISTS mdr_warn_{name}(text)" for name in WARN_NAMES),
    *(f"DROP FUNCTION IF EXISTS mdr_check_{s.name}(text)" for s in SPECS),
    *(f"DROP FUNCTION IF EXISTS mdr_norm_{s.name}(text)" for s in SPECS),
    "DROP FUNCTION IF EXISTS mdr_id_valid_date(int, int, int)",
    "DROP FUNCTION IF EXISTS mdr_id_clean(text)",
]
