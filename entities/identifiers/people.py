"""Identifiers people hold: resident, foreigner, driver's licence and qualification numbers."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from entities.identifiers.base import (
    Digits,
    Identifier,
    _check,
    _cols,
    _digit_text,
    _Digits,
    _rand,
    _text,
    _valid_date,
    _wsum,
)

#: Driver-licence region names printed before May 2014 and the numeric codes replacing them.
LICENCE_REGIONS: dict[str, str] = {
    "서울": "11", "부산": "12", "경기": "13", "경기남부": "13", "강원": "14",
    "충북": "15", "충남": "16", "전북": "17", "전남": "18", "경북": "19",
    "경남": "20", "제주": "21", "대구": "22", "인천": "23", "광주": "24",
    "대전": "25", "울산": "26", "경기북부": "28",
}  # fmt: skip
LICENCE_REGION_CODES: tuple[str, ...] = tuple(sorted(set(LICENCE_REGIONS.values())))

RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def rrn_check_digit(first12: str) -> int:
    """Mod-11 check digit of the resident registration number."""
    return (11 - _wsum(first12, RRN_WEIGHTS) % 11) % 10


def frn_check_digit(first12: str) -> int:
    """Historical foreigner-number check digit: the RRN digit plus 2, mod 10."""
    return (rrn_check_digit(first12) + 2) % 10


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
