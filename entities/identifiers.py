"""Validators, normalisers and generators for every natural key and reference.

Each identifier is a small :class:`Identifier` subclass registered in
:data:`VALIDATORS` under a stable name (the ``validator`` of a ``FieldSpec``).
It knows four things:

* its **canonical form** (what is stored and compared). Numeric identifiers are
  canonical as bare digits, which keeps SQL comparison and indexing trivial;
  the exceptions are the CAS number and the building register key, whose
  hyphens are part of how they are written and exchanged (``7732-18-5``,
  ``11680-8520602``);
* how to get there from the usual spellings: :func:`clean` applies NFKC
  (full-width digits and letters), removes spaces, hyphens and dots and
  upper-cases, then the identifier's own pattern decides whether the text is
  *parseable* (right length and character classes);
* which **rules** a parseable value must satisfy (dates, code lists, check
  digits): a broken rule is an error (``ok=False``); a few rules are only
  **warnings** because real numbers legitimately break them (RRN and
  foreigner numbers issued since October 2020 carry random digits where the
  check digit was, and the VIN check digit is mandatory only in North America);
* how to **generate** valid values, vectorised with numpy for bulk synthetic data.

The same rules exist as PostgreSQL functions in :mod:`entities.identifiers_sql`
(``mdr_norm_*``, ``mdr_check_*``, ``mdr_warn_*``) for set-based bulk validation;
error and warning texts are identical in both so results can be compared and
stored side by side. Messages never contain the raw value.

Rules rest only on the value itself, never on today's date, so a value's
verdict never changes and the SQL functions can be ``IMMUTABLE``; plausibility
against the calendar (a birth date in the future) is an integrity check.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from mdr.errors import InvalidIdentifier

Digits = npt.NDArray[np.int64]

#: Removed by normalisation (after NFKC): whitespace, the hyphen family and dots.
SEPARATORS = " \t\n\r\u00a0\u3000-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d.\uff0e"
_DROP = {ord(ch): None for ch in SEPARATORS}


def clean(raw: str) -> str:
    """NFKC (full-width forms), drop separators, upper-case: the input of every pattern."""
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw)
    return raw.translate(_DROP).upper()


@dataclass(frozen=True)
class Check:
    """Verdict on one raw value.

    ``value`` is the canonical form whenever the text could be parsed, even if a
    rule then rejects it, so callers can still show and match what was meant.
    """

    ok: bool
    value: str | None
    error: str | None = None
    warning: str | None = None


# --------------------------------------------------------------------------- codes

#: 시도 prefixes of the 법정동코드 (code.go.kr). Gangwon moved from 42 to 51 on
#: 2023-06-11 and Jeonbuk from 45 to 52 on 2024-01-18; both generations occur in data.
SIDO_CODES: tuple[str, ...] = (
    "11", "26", "27", "28", "29", "30", "31", "36", "41", "42",
    "43", "44", "45", "46", "47", "48", "50", "51", "52",
)  # fmt: skip
_CURRENT_SIDO = np.array([c for c in SIDO_CODES if c not in ("42", "45")], dtype=np.int64)

#: Plate usage letters, 「자동차 등록번호판 등의 기준에 관한 고시」 art. 5.
PLATE_PRIVATE = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주"
PLATE_BUSINESS = "바사아자"
PLATE_DELIVERY = "배"
PLATE_RENTAL = "하허호"
PLATE_LETTERS = PLATE_PRIVATE + PLATE_BUSINESS + PLATE_DELIVERY + PLATE_RENTAL
#: Region names of regional plates (pre-2006 private plates; business plates keep them).
PLATE_REGIONS: tuple[str, ...] = (
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기",
    "강원", "충북", "충남", "전북", "전남", "경북", "경남", "제주",
)  # fmt: skip

#: Driver-licence region names printed before May 2014 and the numeric codes replacing them.
LICENCE_REGIONS: dict[str, str] = {
    "서울": "11", "부산": "12", "경기": "13", "경기남부": "13", "강원": "14",
    "충북": "15", "충남": "16", "전북": "17", "전남": "18", "경북": "19",
    "경남": "20", "제주": "21", "대구": "22", "인천": "23", "광주": "24",
    "대전": "25", "울산": "26", "경기북부": "28",
}  # fmt: skip
LICENCE_REGION_CODES: tuple[str, ...] = tuple(sorted(set(LICENCE_REGIONS.values())))

#: Korean world manufacturer identifiers (SAE / ISO 3780 assignments).
KOREAN_WMIS: tuple[str, ...] = ("KMH", "KNA", "KNC", "KND", "KPT", "KPA", "KLA", "KL1", "KNM")

RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
CRN_WEIGHTS = (1, 2) * 6
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
GTIN_WEIGHTS = (1, 3) * 6
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
#: ISO 3779 / 49 CFR 565.15 transliteration of letters for the check digit.
VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
VIN_LETTER_VALUES = "12345678123457923456789"
VIN_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_VIN_VALUE = {
    **{str(d): d for d in range(10)},
    **dict(zip(VIN_LETTERS, map(int, VIN_LETTER_VALUES), strict=True)),
}

# ------------------------------------------------------------------ digit helpers


def _wsum(value: str, weights: Sequence[int]) -> int:
    return sum((ord(ch) - 48) * w for ch, w in zip(value, weights, strict=False))


def rrn_check_digit(first12: str) -> int:
    """Mod-11 check digit of the resident registration number."""
    return (11 - _wsum(first12, RRN_WEIGHTS) % 11) % 10


def frn_check_digit(first12: str) -> int:
    """Historical foreigner-number check digit: the RRN digit plus 2, mod 10."""
    return (rrn_check_digit(first12) + 2) % 10


def crn_check_digit(first12: str) -> int:
    return (10 - _wsum(first12, CRN_WEIGHTS) % 10) % 10


def brn_check_digit(first9: str) -> int:
    total = _wsum(first9, BRN_WEIGHTS) + (ord(first9[8]) - 48) * 5 // 10
    return (10 - total % 10) % 10


def gtin_check_digit(first12: str) -> int:
    return (10 - _wsum(first12, GTIN_WEIGHTS) % 10) % 10


def cas_check_digit(body: str) -> int:
    """Sum of each digit times its position counted from the right, mod 10."""
    return sum((ord(ch) - 48) * i for i, ch in enumerate(reversed(body), start=1)) % 10


def vin_check_char(vin: str) -> str:
    total = sum(_VIN_VALUE[ch] * w for ch, w in zip(vin, VIN_WEIGHTS, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _legal_dong_error(code: str) -> str | None:
    """Rules shared by every identifier that embeds a 법정동코드 or 시군구코드 prefix."""
    if code[:2] not in SIDO_CODES:
        return "unknown sido code"
    if len(code) == 10 and (
        (code[2:5] == "000" and code[5:] != "00000") or (code[5:8] == "000" and code[8:] != "00")
    ):
        return "bad code hierarchy"
    if len(code) == 5 and code[2:] == "000":
        return "bad sigungu code"
    return None


# ------------------------------------------------------------ vectorised helpers

_POW10 = 10 ** np.arange(18, -1, -1, dtype=np.int64)


def _cols(values: npt.ArrayLike, width: int) -> Digits:
    """Integers -> (n, width) matrix of their zero-padded decimal digits."""
    v = np.asarray(values, dtype=np.int64).reshape(-1, 1)
    return (v // _POW10[-width:]) % 10


def _rand(rng: np.random.Generator, n: int, low: int, high: int, width: int) -> Digits:
    """Random integers in [low, high) as a digit matrix."""
    return _cols(rng.integers(low, high, n), width)


def _text(codes: npt.ArrayLike) -> list[str]:
    """(n, width) code points -> strings; trailing NULs (shorter rows) are dropped."""
    arr = np.ascontiguousarray(codes, dtype=np.uint32)
    return list(arr.view(np.dtype(f"U{arr.shape[1]}")).ravel().tolist())


def _digit_text(digits: Digits) -> list[str]:
    return _text(digits + 48)


def _str_digits(values: str | Sequence[str] | npt.NDArray[Any], n: int, width: int) -> Digits:
    """A scalar or per-row digit string argument -> (n, width) digit matrix."""
    arr = np.broadcast_to(np.asarray(values, dtype=f"S{width}"), (n,))
    raw = np.frombuffer(np.ascontiguousarray(arr).tobytes(), dtype=np.uint8)
    digits = raw.reshape(n, width).astype(np.int64) - 48
    if ((digits < 0) | (digits > 9)).any():
        raise ValueError(f"expected {width}-digit codes")
    return digits


def _check(digits: Digits, weights: Sequence[int]) -> npt.NDArray[np.int64]:
    return digits[:, : len(weights)] @ np.asarray(weights, dtype=np.int64)


def _sigungu(rng: np.random.Generator, n: int) -> Digits:
    """Plausible 시군구 codes: a current sido and a district number 110..790."""
    sido = rng.choice(_CURRENT_SIDO, n)
    return _cols(sido * 1000 + rng.integers(11, 80, n) * 10, 5)


def _dong(rng: np.random.Generator, n: int) -> Digits:
    """Plausible 읍면동 (3) + 리 (2): urban dongs 101-199 without ri, or eup/myeon with ri."""
    urban = rng.random(n) < 0.6
    emd = np.where(urban, rng.integers(101, 200, n), rng.integers(25, 46, n) * 10)
    ri = np.where(urban, 0, rng.integers(21, 46, n))
    return _cols(emd * 100 + ri, 5)


def _legal_dong(rng: np.random.Generator, n: int) -> Digits:
    return np.hstack([_sigungu(rng, n), _dong(rng, n)])


# --------------------------------------------------------------------- base class


class Identifier(ABC):
    """One identifier kind: parse, validate, normalise and generate.

    Subclasses set ``pattern`` (a regex over :func:`clean` output, shared with
    the SQL functions) and override :meth:`problems` for the rules and
    :meth:`_many` for vectorised generation.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    rule: ClassVar[str]
    pattern: ClassVar[str]
    shape_error: ClassVar[str]
    _regex: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if hasattr(cls, "pattern"):
            cls._regex = re.compile(cls.pattern)

    def canonical(self, cleaned: str) -> str | None:
        """Canonical form of already-cleaned text, or None when it cannot be parsed."""
        return cleaned if self._regex.fullmatch(cleaned) else None

    def problems(self, value: str) -> tuple[str | None, str | None]:
        """(error, warning) for a canonical value; no rules beyond the shape by default."""
        return None, None

    def check(self, raw: str) -> Check:
        value = self.canonical(clean(raw))
        if value is None:
            return Check(False, None, self.shape_error)
        error, warning = self.problems(value)
        if error is not None:
            return Check(False, value, error)
        return Check(True, value, None, warning)

    def normalize(self, raw: str) -> str:
        """Canonical form; raises :class:`InvalidIdentifier` when unparseable.

        Rule violations (a bad check digit) do not raise here: use :meth:`check`.
        """
        value = self.canonical(clean(raw))
        if value is None:
            raise InvalidIdentifier(f"{self.label}: {self.shape_error}", kind=self.name)
        return value

    def generate(self, rng: random.Random, **kw: Any) -> str:
        """One valid canonical value (same keyword arguments as :meth:`generate_many`)."""
        return self._many(np.random.default_rng(rng.getrandbits(64)), 1, **kw)[0]

    def generate_many(
        self, rng: np.random.Generator, n: int, *, unique: bool = False, **kw: Any
    ) -> list[str]:
        """``n`` valid canonical values; ``unique`` redraws duplicates.

        Keyword arguments are scalars or per-row sequences of length ``n``.
        """
        values = self._many(rng, n, **kw)
        if not unique:
            return values
        for _ in range(100):
            seen: set[str] = set()
            dup: list[int] = []
            for i, v in enumerate(values):
                if v in seen:
                    dup.append(i)
                seen.add(v)
            if not dup:
                return values
            idx = np.asarray(dup)
            sub = {k: _rows(v, idx, n) for k, v in kw.items()}
            for i, v in zip(dup, self._many(rng, len(dup), **sub), strict=True):
                values[i] = v
        raise ValueError(f"{self.name}: cannot draw {n} distinct values with these arguments")

    @abstractmethod
    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]: ...


def _rows(value: Any, idx: npt.NDArray[np.intp], n: int) -> Any:
    """Select rows of a per-row keyword argument; scalars pass through."""
    if isinstance(value, str | bytes | dt.date) or np.ndim(value) == 0:
        return value
    arr = np.asarray(value)
    return arr[idx] if len(arr) == n else value


class _Digits(Identifier):
    """Fixed-length all-digit identifier."""

    length: ClassVar[int]

    def __init_subclass__(cls, **kw: Any) -> None:
        if "length" in cls.__dict__ and "pattern" not in cls.__dict__:
            cls.pattern = f"[0-9]{{{cls.length}}}"
            cls.shape_error = f"expected {cls.length} digits"
        super().__init_subclass__(**kw)


# ------------------------------------------------------------------- identifiers


def _births_and_sexes(
    rng: np.random.Generator, n: int, birth: Any, sex: Any, start: str
) -> tuple[Digits, Digits, Digits, npt.NDArray[np.bool_]]:
    """(year, month, day, male) arrays from optional birth dates and 'M'/'F' sexes."""
    if birth is None:
        lo, hi = np.datetime64(start), np.datetime64("2020-09-30")
        days = lo + rng.integers(0, int((hi - lo).astype(np.int64)) + 1, n)
    else:
        days = np.broadcast_to(np.asarray(birth, dtype="datetime64[D]"), (n,))
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    if sex is None:
        male = rng.random(n) < 0.5
    else:
        male = np.broadcast_to(np.char.upper(np.asarray(sex, dtype="U1")) == "M", (n,))
    return year, month, day, np.asarray(male)


class _PersonNumber(_Digits):
    """Shared layout of RRN and foreigner number: YYMMDD + century/sex digit + 6 digits."""

    length = 13
    #: sex digit -> (century of birth, male)
    sex_digits: ClassVar[dict[str, tuple[int, bool]]]
    #: earliest default birth date of generated numbers
    start: ClassVar[str]

    def problems(self, value: str) -> tuple[str | None, str | None]:
        century = self.sex_digits.get(value[6], (None, None))[0]
        if century is None:
            return "bad sex digit", None
        if not _valid_date(century + int(value[:2]), int(value[2:4]), int(value[4:6])):
            return "bad birth date", None
        return None, (None if self.historical_ok(value) else "check digit mismatch")

    @abstractmethod
    def historical_ok(self, value: str) -> bool:
        """Whether the pre-October-2020 rule for the last six digits holds."""

    @abstractmethod
    def tail(self, rng: np.random.Generator, n: int) -> Digits:
        """Digits 8-12 as issued before October 2020."""

    def _first12(self, rng: np.random.Generator, n: int, **kw: Any) -> Digits:
        year, month, day, male = _births_and_sexes(
            rng, n, kw.get("birth"), kw.get("sex"), self.start
        )
        sex = np.full(n, -1, dtype=np.int64)
        for digit, (century, is_male) in self.sex_digits.items():
            sex[(year // 100 * 100 == century) & (male == is_male)] = int(digit)
        if (sex < 0).any():
            raise ValueError(f"{self.name}: birth year outside the centuries this number encodes")
        head = _cols((year % 100) * 10000 + month * 100 + day, 6)
        return np.hstack([head, sex.reshape(-1, 1), self.tail(rng, n)])


class ResidentRegistrationNumber(_PersonNumber):
    """주민등록번호: ``YYMMDD`` + century/sex digit + 5 digits + check digit.

    Resident Registration Act (주민등록법) art. 7-2 and its Enforcement Rule art. 2.
    Sex digit: 9/0 born 1800s, 1/2 1900s, 3/4 2000s (odd = male); 5-8 are
    foreigner numbers (:class:`ForeignerRegistrationNumber`) and rejected here.
    Check digit: weights 2,3,4,5,6,7,8,9,2,3,4,5; ``(11 - sum % 11) % 10``.
    Numbers assigned since 2020-10-05 (MOIS reform of the assignment scheme)
    have random digits after the sex digit, so a check-digit mismatch alone is
    a warning. ``generate(birth=date, sex='M'|'F')`` fixes the visible fields.
    """

    name = "rrn"
    label = "resident registration number"
    rule = "주민등록법 시행규칙 제2조: YYMMDD-SBBBBBC, mod-11 check (none since 2020-10)"
    sex_digits: ClassVar[dict[str, tuple[int, bool]]] = {
        "9": (1800, True), "0": (1800, False), "1": (1900, True),
        "2": (1900, False), "3": (2000, True), "4": (2000, False),
    }  # fmt: skip
    start = "1930-01-01"

    def historical_ok(self, value: str) -> bool:
        return rrn_check_digit(value) == ord(value[12]) - 48

    def tail(self, rng: np.random.Generator, n: int) -> Digits:
        # region of first registration (00-95) + community office (2) + serial (1)
        return np.hstack([_rand(rng, n, 0, 96, 2), _rand(rng, n, 0, 1000, 3)])

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        first = self._first12(rng, n, **kw)
        check = (11 - _check(first, RRN_WEIGHTS) % 11) % 10
        return _digit_text(np.hstack([first, check.reshape(-1, 1)]))


class ForeignerRegistrationNumber(_PersonNumber):
    """외국인등록번호: ``YYMMDD`` + sex digit + office (2) + serial (2) + kind (1) + check.

    Immigration Act (출입국관리법) art. 31 and Enforcement Rule. Sex digit 5/6
    born 1900s, 7/8 2000s (odd = male). The historical rule, used by government
    web forms until the October 2020 reform: the registration-office code
    (digits 8-9) is even, the registrant kind (digit 12) is 6-9, and the check
    digit is the RRN mod-11 digit plus 2, mod 10. Since October 2020 the digits
    after the sex digit are random, so a failure of that rule is a warning.
    """

    name = "frn"
    label = "foreigner registration number"
    rule = "출입국관리법 제31조: YYMMDD-SOOSSKC, historical check = (RRN check + 2) % 10"
    sex_digits: ClassVar[dict[str, tuple[int, bool]]] = {
        "5": (1900, True),
        "6": (1900, False),
        "7": (2000, True),
        "8": (2000, False),
    }
    start = "1940-01-01"

    def historical_ok(self, value: str) -> bool:
        return (
            int(value[7:9]) % 2 == 0
            and value[11] in "6789"
            and frn_check_digit(value) == ord(value[12]) - 48
        )

    def tail(self, rng: np.random.Generator, n: int) -> Digits:
        office = rng.integers(5, 50, n) * 2
        return np.hstack([_cols(office, 2), _rand(rng, n, 0, 100, 2), _rand(rng, n, 6, 10, 1)])

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        first = self._first12(rng, n, **kw)
        check = ((11 - _check(first, RRN_WEIGHTS) % 11) % 10 + 2) % 10
        return _digit_text(np.hstack([first, check.reshape(-1, 1)]))


class CorporationRegistrationNumber(_Digits):
    """법인등록번호: registry office (4) + corporation kind (2) + serial (6) + check.

    Assigned by the court registry (상업등기규칙 and the Supreme Court registry
    directive on corporation registration numbers; kind 11 = 주식회사, ...).
    Check digit: weights 1,2,1,2,... over the first 12 digits,
    ``(10 - sum % 10) % 10``.
    """

    name = "crn"
    label = "corporation registration number"
    rule = "법인등록번호 부여 지침: OOOO-KK-SSSSSS-C, weights 1,2 mod 10"
    length = 13

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if crn_check_digit(value) == ord(value[12]) - 48 else "bad check digit"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        office = rng.integers(11, 29, n) * 100 + rng.integers(1, 60, n)
        kind = rng.choice(np.array([11, 11, 11, 11, 14, 12, 13, 21, 22]), n)
        first = np.hstack([_cols(office, 4), _cols(kind, 2), _rand(rng, n, 1, 10**6, 6)])
        check = (10 - _check(first, CRN_WEIGHTS) % 10) % 10
        return _digit_text(np.hstack([first, check.reshape(-1, 1)]))


def _brn_error(value: str) -> str | None:
    if value[3:5] == "00":
        return "bad kind code"
    if brn_check_digit(value) != ord(value[9]) - 48:
        return "bad check digit"
    return None


def _brn_digits(rng: np.random.Generator, n: int) -> Digits:
    office = rng.integers(101, 700, n)
    corporate = rng.random(n) < 0.3
    kind = np.where(
        corporate, rng.choice(np.array([81, 86, 87, 88, 85, 82]), n), rng.integers(1, 80, n)
    )
    first = np.hstack([_cols(office, 3), _cols(kind, 2), _rand(rng, n, 1, 10**4, 4)])
    total = _check(first, BRN_WEIGHTS) + first[:, 8] * 5 // 10
    return np.hstack([first, ((10 - total % 10) % 10).reshape(-1, 1)])


class BusinessRegistrationNumber(_Digits):
    """사업자등록번호: tax office (3) + kind (2) + serial (4) + check digit.

    Value-Added Tax Act Enforcement Decree (부가가치세법 시행령) art. 12 and the
    NTS numbering scheme. Kind: 01-79 individual taxable, 80 other, 81/86/87/88
    corporate head office, 82 non-profit, 83 government, 84 foreign corporation,
    85 corporate branch, 89 religious body, 90-99 individual tax-exempt; 00 is
    unused. Check: weights 1,3,7,1,3,7,1,3,5 plus ``floor(d9 * 5 / 10)``,
    ``(10 - sum % 10) % 10``.
    """

    name = "brn"
    label = "business registration number"
    rule = "부가가치세법 시행령 제12조 / NTS: TTT-KK-SSSSC, weights 1,3,7,1,3,7,1,3,5"
    length = 10

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return _brn_error(value), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(_brn_digits(rng, n))


class LegalDongCode(_Digits):
    """법정동코드: sido (2) + sigungu (3) + eupmyeondong (3) + ri (2).

    Administrative standard code (행정표준코드관리시스템, code.go.kr). The sido
    prefix must be a real one (Gangwon 42/51, Jeonbuk 45/52 both accepted), and
    the code is hierarchical: a zero sigungu implies zeros below it, a zero
    eupmyeondong implies ri 00.
    """

    name = "legal_dong_code"
    label = "legal-dong code"
    rule = "행정표준코드 법정동코드: SS-GGG-EEE-RR, real sido prefix, hierarchical zeros"
    length = 10

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return _legal_dong_error(value), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(_legal_dong(rng, n))


class ParcelNumber(_Digits):
    """PNU 필지고유번호: legal-dong code (10) + land kind (1) + main lot (4) + sub lot (4).

    MOLIT land-register key (공간정보의 구축 및 관리 등에 관한 법률; KLIS/부동산종합공부).
    Land kind 1 = land register (ordinary), 2 = forest register (산, mountain).
    The legal-dong code must be at eupmyeondong level and pass its own rules;
    the main lot is never 0000. ``generate(legal_dong=...)`` fixes the dong.
    """

    name = "pnu"
    label = "parcel number (PNU)"
    rule = "PNU: 법정동코드(10) + 대장구분(1: 토지, 2: 임야) + 본번(4) + 부번(4), 본번 > 0"
    length = 19

    def problems(self, value: str) -> tuple[str | None, str | None]:
        if value[:2] not in SIDO_CODES:
            return "unknown sido code", None
        if value[2:5] == "000" or value[5:8] == "000":
            return "legal-dong code above eupmyeondong level", None
        if value[10] not in "12":
            return "bad land kind", None
        if value[11:15] == "0000":
            return "main lot is zero", None
        return None, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        ld = kw.get("legal_dong")
        dong = _legal_dong(rng, n) if ld is None else _str_digits(ld, n, 10)
        kind = 1 + (rng.random(n) < 0.06)
        main = np.minimum(rng.geometric(0.004, n), 9999)
        sub = np.where(rng.random(n) < 0.55, 0, rng.geometric(0.08, n) % 10000)
        return _digit_text(np.hstack([dong, _cols(kind, 1), _cols(main, 4), _cols(sub, 4)]))


class RoadAddressId(_Digits):
    """도로명주소 관리번호 (26 digits).

    Road Name Address Act (도로명주소법); layout published by the 도로명주소
    도움센터 (business.juso.go.kr, 2023-04-05): 시군구코드 (5) + 읍면동 (3) +
    도로명번호 (7) + 지하여부 (1: 0 above ground, 1 underground) + 건물본번 (5) +
    건물부번 (5). The sigungu code has a real sido prefix and a non-zero
    district; the building main number is never zero.
    """

    name = "road_address_id"
    label = "road-name address management number"
    rule = "juso.go.kr 도로명주소관리번호: 시군구(5)+읍면동(3)+도로명(7)+지하(1)+본번(5)+부번(5)"
    length = 26

    def problems(self, value: str) -> tuple[str | None, str | None]:
        error = _legal_dong_error(value[:5])
        if error is None and value[15] not in "01":
            error = "bad underground flag"
        if error is None and value[16:21] == "00000":
            error = "building number is zero"
        return error, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        sgg = kw.get("sigungu")
        sigungu = _sigungu(rng, n) if sgg is None else _str_digits(sgg, n, 5)
        road = rng.integers(2, 5, n) * 10**6 + rng.integers(0, 10**6, n)
        under = rng.random(n) < 0.02
        main = np.minimum(rng.geometric(0.01, n), 99999)
        sub = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 50, n))
        parts = [
            sigungu,
            _rand(rng, n, 101, 200, 3),
            _cols(road, 7),
            _cols(under, 1),
            _cols(main, 5),
            _cols(sub, 5),
        ]
        return _digit_text(np.hstack(parts))


class BuildingRegisterNo(Identifier):
    """건축물대장 관리번호: the 관리건축물대장PK ``SSSSS-N…`` (e.g. ``11680-8520602``).

    As issued by MOLIT's building register (세움터/건축HUB 건축물대장정보 서비스,
    field ``mgmBldrgstPk``, at most 33 characters): the 시군구코드 (5), a hyphen
    and a serial of 1-27 digits. Canonical form keeps the hyphen, as the source
    systems exchange it. Structural checks only: real sido prefix, non-zero
    district and serial.
    """

    name = "building_register_no"
    label = "building register management number"
    rule = "건축HUB 관리건축물대장PK: 시군구코드(5) '-' 일련번호(1-27)"
    pattern = "[0-9]{6,32}"
    shape_error = "expected sigungu code and serial"

    def canonical(self, cleaned: str) -> str | None:
        if self._regex.fullmatch(cleaned) is None:
            return None
        return f"{cleaned[:5]}-{cleaned[5:]}"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        error = _legal_dong_error(value[:5])
        if error is None and not value[6:].strip("0"):
            error = "serial is zero"
        return error, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        sgg = kw.get("sigungu")
        sigungu = _sigungu(rng, n) if sgg is None else _str_digits(sgg, n, 5)
        width = rng.integers(4, 9, n)
        serial = rng.integers(10 ** (width - 1), 10**width)
        # left-align the serial in 8 columns; NUL padding is dropped by _text
        digits = _cols(serial * 10 ** (8 - width), 8) + 48
        digits[np.arange(8) >= width[:, None]] = 0
        hyphen = np.full((n, 1), ord("-"))
        return _text(np.hstack([sigungu + 48, hyphen, digits]))


class VehicleIdentificationNumber(Identifier):
    """VIN, ISO 3779: WMI (3) + VDS (6, position 9 check digit) + VIS (8).

    Alphabet: digits and capital letters except I, O, Q. Check digit (ISO 3779
    annex / 49 CFR 565.15, FMVSS 565): transliterate letters, weights
    8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,3,2, sum mod 11, 10 written ``X``. It is
    mandatory only for North America, so a mismatch is a warning.
    ``generate(wmi=...)`` takes a WMI or a sequence to choose from; default:
    Korean WMIs (Hyundai KMH, Kia KNA/KNC/KND, KGM KPT/KPA, GM Korea KLA/KL1,
    Renault Korea KNM).
    """

    name = "vin"
    label = "vehicle identification number"
    rule = "ISO 3779 (17 chars, no I/O/Q); check digit 49 CFR 565.15, warning only"
    pattern = "[0-9A-Z]{17}"
    shape_error = "expected 17 letters or digits"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        if any(ch in "IOQ" for ch in value):
            return "letters I, O and Q are not allowed", None
        if vin_check_char(value) != value[8]:
            return None, "check digit mismatch"
        return None, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        alphabet = np.array([ord(c) for c in VIN_ALPHABET], dtype=np.int64)
        values = np.array([_VIN_VALUE[c] for c in VIN_ALPHABET], dtype=np.int64)
        wmis = kw.get("wmi") or KOREAN_WMIS
        wmi_codes = np.array([[ord(c) for c in w] for w in np.atleast_1d(wmis)], dtype=np.int64)
        wmi = wmi_codes[rng.integers(0, len(wmi_codes), n)]
        vds = rng.integers(0, len(VIN_ALPHABET), (n, 5))
        year = rng.integers(0, len(VIN_YEAR_CODES), n)
        plant = rng.integers(0, len(VIN_ALPHABET), (n, 1))
        serial = rng.integers(0, 10, (n, 6))
        year_codes = np.array([ord(c) for c in VIN_YEAR_CODES], dtype=np.int64)
        chars = np.hstack(
            [
                wmi,
                alphabet[vds],
                np.zeros((n, 1), np.int64),
                year_codes[year].reshape(-1, 1),
                alphabet[plant],
                serial + 48,
            ]
        )
        lookup = np.zeros(128, dtype=np.int64)
        lookup[alphabet] = values
        rem = (lookup[chars] @ np.asarray(VIN_WEIGHTS, dtype=np.int64)) % 11
        chars[:, 8] = np.where(rem == 10, ord("X"), rem + 48)
        return _text(chars)


class VehiclePlate(Identifier):
    """자동차등록번호 (registration plate), canonical without spaces.

    Motor Vehicle Management Act (자동차관리법) art. 10 and MOLIT notice
    「자동차 등록번호판 등의 기준에 관한 고시」 art. 5. National format: vehicle
    type code (2 digits 01-99, or 3 digits 100-999 since 2019-09) + usage
    letter + 4-digit serial, e.g. ``12가3456``, ``123가4567``. Regional format
    (pre-2006 private plates, still used by business vehicles): region name +
    1-2 digit type code, e.g. ``서울12가3456``. Usage letters: private
    가나다라마 거너더러머버서어저 고노도로모보소오조 구누두루무부수우주,
    business 바사아자, delivery 배, rental 하허호. Diplomatic and military
    plates are outside this register.
    """

    name = "plate"
    label = "vehicle registration plate"
    rule = "자동차 등록번호판 등의 기준에 관한 고시 제5조: [지역]NN(N)+용도기호+NNNN"
    pattern = "([가-힣]{2})?([0-9]{1,3})([가-힣])([0-9]{4})"
    shape_error = "bad plate format"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        m = self._regex.fullmatch(value)
        assert m is not None
        region, code, letter = m.group(1), m.group(2), m.group(3)
        if region is not None and region not in PLATE_REGIONS:
            return "unknown region", None
        if region is None:
            good = (len(code) == 2 and code != "00") or (len(code) == 3 and code[0] != "0")
        else:
            good = len(code) <= 2 and int(code) > 0
        if not good:
            return "bad vehicle type code", None
        if letter not in PLATE_LETTERS:
            return "bad usage letter", None
        return None, None

    _USAGE: ClassVar[dict[str, str]] = {
        "private": PLATE_PRIVATE, "business": PLATE_BUSINESS,
        "delivery": PLATE_DELIVERY, "rental": PLATE_RENTAL,
    }  # fmt: skip

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        """``usage``: private (default), business, delivery or rental; ``regional``: share."""
        letters = np.array([ord(c) for c in self._USAGE[kw.get("usage", "private")]])
        three = rng.random(n) < 0.4
        code = np.where(three, rng.integers(100, 700, n), rng.integers(1, 70, n) * 10)
        body = np.zeros((n, 8), dtype=np.int64)
        body[:, :3] = _cols(code, 3) + 48
        rows, off = np.arange(n), np.where(three, 3, 2)
        body[rows, off] = letters[rng.integers(0, len(letters), n)]
        serial = _rand(rng, n, 1000, 10000, 4) + 48
        for j in range(4):
            body[rows, off + 1 + j] = serial[:, j]
        regional = (rng.random(n) < float(kw.get("regional", 0.0))) & ~three
        out = np.zeros((n, 10), dtype=np.int64)
        out[~regional, :8] = body[~regional]
        names = np.array([[ord(c) for c in r] for r in PLATE_REGIONS], dtype=np.int64)
        out[regional, :2] = names[rng.integers(0, len(names), int(regional.sum()))]
        out[regional, 2:] = body[regional]
        return _text(out)


class DriverLicenceNumber(_Digits):
    """운전면허번호: region (2) + year of first licence (2) + serial (6) + check (1) + reissue (1).

    Road Traffic Act (도로교통법) art. 85 and Enforcement Rule licence form;
    layout as printed by the Korea Road Traffic Authority. Region codes 11-26
    and 28 (서울 11, 부산 12, 경기(남부) 13, 강원 14, 충북 15, 충남 16, 전북 17,
    전남 18, 경북 19, 경남 20, 제주 21, 대구 22, 인천 23, 광주 24, 대전 25,
    울산 26, 경기북부 28); cards issued before May 2014 print the region name,
    which is normalised to its code. The check-digit algorithm is not public,
    so validation is structural only.
    """

    name = "driver_licence_no"
    label = "driver's licence number"
    rule = "도로교통법 제85조: RR-YY-SSSSSS-CN (region code, year, serial, check, reissue)"
    length = 12
    pattern = (
        "[0-9]{12}|(" + "|".join(sorted(LICENCE_REGIONS, key=len, reverse=True)) + ")([0-9]{10})"
    )
    shape_error = "expected 12 digits"

    def canonical(self, cleaned: str) -> str | None:
        m = self._regex.fullmatch(cleaned)
        if m is None:
            return None
        return cleaned if m.group(1) is None else LICENCE_REGIONS[m.group(1)] + m.group(2)

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if value[:2] in LICENCE_REGION_CODES else "unknown region code"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        regions = np.array(LICENCE_REGION_CODES, dtype=np.int64)
        reissue = np.minimum(rng.geometric(0.8, n) - 1, 9)
        parts = [
            _cols(rng.choice(regions, n), 2),
            _rand(rng, n, 0, 100, 2),
            _rand(rng, n, 1, 10**6, 6),
            _rand(rng, n, 0, 10, 1),
            _cols(reissue, 1),
        ]
        return _digit_text(np.hstack(parts))


class WorkplaceNumber(_Digits):
    """고용·산재보험 사업장관리번호: business registration number (10) + suffix (1).

    Act on the Collection of Insurance Premiums for Employment Insurance and
    Industrial Accident Compensation Insurance (고용산재보험료징수법) art. 11 and
    the Korea Workers' Compensation & Welfare Service numbering: the first ten
    digits are the employer's business registration number (validated with the
    :class:`BusinessRegistrationNumber` rules); the last digit separates
    several workplaces of one business (0 = the first).
    """

    name = "workplace_no"
    label = "workplace management number"
    rule = "고용산재보험료징수법 제11조: 사업자등록번호(10, 검증) + 일련번호(1)"
    length = 11

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return _brn_error(value[:10]), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        brn = kw.get("brn")
        head = _brn_digits(rng, n) if brn is None else _str_digits(brn, n, 10)
        suffix = np.where(rng.random(n) < 0.85, 0, rng.integers(1, 10, n))
        return _digit_text(np.hstack([head, _cols(suffix, 1)]))


class FarmBusinessNumber(_Digits):
    """농업경영체 등록번호: 10 digits, printed in groups 1-3-3-3.

    Act on Fostering and Supporting Agricultural and Fisheries Enterprises
    (농어업경영체 육성 및 지원에 관한 법률) art. 4 and its Enforcement Rule
    (registration certificate form). The assignment scheme is not published:
    validation is structural (10 digits, not all zero).
    """

    name = "farm_business_no"
    label = "farm business registration number"
    rule = "농어업경영체법 제4조: 10 digits (N-NNN-NNN-NNN), structural"
    length = 10

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if value.strip("0") else "number is zero"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(_rand(rng, n, 10**9, 10**10, 10))


class Gtin13(_Digits):
    """GTIN-13 / EAN-13 (Korean products, including medicine standard codes, start 880).

    GS1 General Specifications, section 7.9 (check digit): weights 1,3,1,3,...
    over the first 12 digits, ``(10 - sum % 10) % 10``.
    """

    name = "gtin13"
    label = "GTIN-13"
    rule = "GS1 General Specifications 7.9: mod-10 check digit, weights 1,3"
    length = 13

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if gtin_check_digit(value) == ord(value[12]) - 48 else "bad check digit"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        first = np.hstack([np.tile([8, 8, 0], (n, 1)), _rand(rng, n, 0, 10**9, 9)])
        check = (10 - _check(first, GTIN_WEIGHTS) % 10) % 10
        return _digit_text(np.hstack([first, check.reshape(-1, 1)]))


class MedicineCode(_Digits):
    """품목기준코드 (medicine item code): approval year (4) + serial (5).

    Ministry of Food and Drug Safety item database (의약품안전나라 품목기준코드).
    The year must be 1950-2099 (a plausibility bound) and the serial non-zero.
    """

    name = "medicine_code"
    label = "medicine item code"
    rule = "식약처 품목기준코드: 허가연도(4) + 일련번호(5)"
    length = 9

    def problems(self, value: str) -> tuple[str | None, str | None]:
        if not 1950 <= int(value[:4]) <= 2099:
            return "bad approval year", None
        if value[4:] == "00000":
            return "serial is zero", None
        return None, None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(np.hstack([_rand(rng, n, 1960, 2025, 4), _rand(rng, n, 1, 10**5, 5)]))


class GoodsId(_Digits):
    """물품식별번호 (goods identification number): 8 non-significant digits.

    Public Procurement Service 「물품목록정보의 관리 및 이용에 관한 규정」: the
    16-digit goods list number is the 8-digit G2B classification (UNSPSC based)
    followed by this 8-digit identification number, which carries no meaning.
    Structural: 8 digits, not all zero.
    """

    name = "goods_id"
    label = "goods identification number"
    rule = "조달청 물품목록번호 = 분류번호(8) + 식별번호(8, 무의미 번호)"
    length = 8

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if value.strip("0") else "number is zero"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(_rand(rng, n, 10**7, 10**8, 8))


class CasNumber(Identifier):
    """CAS Registry Number ``N{2,7}-NN-C``, canonical with hyphens (``7732-18-5``).

    Chemical Abstracts Service check digit: each digit of the first two groups
    times its position counted from the right, summed, mod 10. Leading zeros
    of zero-padded spellings (``0007732-18-5``) are dropped.
    """

    name = "cas"
    label = "CAS registry number"
    rule = "CAS: NNNNNNN-NN-C, check = sum(digit * position from right) mod 10"
    pattern = "[0-9]{5,10}"
    shape_error = "expected CAS number"

    def canonical(self, cleaned: str) -> str | None:
        digits = cleaned.lstrip("0")
        if self._regex.fullmatch(digits) is None:
            return None
        return f"{digits[:-3]}-{digits[-3:-1]}-{digits[-1]}"

    def problems(self, value: str) -> tuple[str | None, str | None]:
        body = value[:-2].replace("-", "")
        return (None if cas_check_digit(body) == ord(value[-1]) - 48 else "bad check digit"), None

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        width = rng.integers(2, 8, n)
        body = rng.integers(10 ** (width - 1), 10**width) * 100 + rng.integers(0, 100, n)
        digits = _cols(body, 9)  # right-aligned body: group 1 then group 2
        check = (digits[:, ::-1] @ np.arange(1, 10, dtype=np.int64)) % 10
        # left-align: shift each row so group 1 starts at column 0
        cols = np.arange(12)
        src = cols[None, :] + (7 - width)[:, None]
        out = np.zeros((n, 12), dtype=np.int64)
        g1 = cols[None, :] < width[:, None]
        out[g1] = digits[np.nonzero(g1)[0], src[g1]] + 48
        rows = np.arange(n)
        out[rows, width] = ord("-")
        out[rows, width + 1] = digits[:, 7] + 48
        out[rows, width + 2] = digits[:, 8] + 48
        out[rows, width + 3] = ord("-")
        out[rows, width + 4] = check + 48
        return _text(out)


class PostalCode(_Digits):
    """우편번호: 5-digit 국가기초구역 code (Korea Post, since 2015-08-01).

    The first two digits identify the sido area and run 01-63.
    """

    name = "postal_code"
    label = "postal code"
    rule = "우정사업본부 국가기초구역 우편번호: 5 digits, area prefix 01-63"
    length = 5

    def problems(self, value: str) -> tuple[str | None, str | None]:
        return (None if 1 <= int(value[:2]) <= 63 else "bad area prefix"), None

    _AREAS = np.array([*range(1, 9), *range(10, 19), *range(21, 64)], dtype=np.int64)

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        return _digit_text(
            np.hstack([_cols(rng.choice(self._AREAS, n), 2), _rand(rng, n, 0, 1000, 3)])
        )


class QualificationNumber(Identifier):
    """National qualification certificate number (국가기술자격증 번호).

    National Technical Qualifications Act (국가기술자격법) art. 13; certificates
    issued through Q-Net (HRD Korea) print the number as year of issue (2) +
    issuing body / qualification kind (3) + serial (6) + an optional capital
    check letter, e.g. ``24201010001A``. No algorithm is published for the
    letter, so validation is structural.
    """

    name = "qualification_no"
    label = "national qualification number"
    rule = "국가기술자격법 제13조 / Q-Net: YY + KKK + SSSSSS + [A-Z]?, structural"
    pattern = "[0-9]{11}[A-Z]?"
    shape_error = "expected 11 digits and an optional letter"

    def _many(self, rng: np.random.Generator, n: int, **kw: Any) -> list[str]:
        digits = (
            np.hstack(
                [_rand(rng, n, 0, 100, 2), _rand(rng, n, 100, 1000, 3), _rand(rng, n, 1, 10**6, 6)]
            )
            + 48
        )
        letter = np.where(rng.random(n) < 0.8, rng.integers(65, 91, n), 0)
        return _text(np.hstack([digits, letter.reshape(-1, 1)]))


VALIDATORS: dict[str, Identifier] = {
    v.name: v
    for v in (
        ResidentRegistrationNumber(),
        ForeignerRegistrationNumber(),
        CorporationRegistrationNumber(),
        BusinessRegistrationNumber(),
        LegalDongCode(),
        ParcelNumber(),
        RoadAddressId(),
        BuildingRegisterNo(),
        VehicleIdentificationNumber(),
        VehiclePlate(),
        DriverLicenceNumber(),
        WorkplaceNumber(),
        FarmBusinessNumber(),
        Gtin13(),
        MedicineCode(),
        GoodsId(),
        CasNumber(),
        PostalCode(),
        QualificationNumber(),
    )
}


def _get(kind: str) -> Identifier:
    try:
        return VALIDATORS[kind]
    except KeyError:
        raise KeyError(f"unknown identifier kind {kind!r}") from None


def check(kind: str, raw: str) -> Check:
    """Validate ``raw`` as identifier ``kind`` (a key of :data:`VALIDATORS`)."""
    return _get(kind).check(raw)


def normalize(kind: str, raw: str) -> str:
    """Canonical form of ``raw`` as identifier ``kind``; raises InvalidIdentifier."""
    return _get(kind).normalize(raw)
