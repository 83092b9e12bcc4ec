"""Identifiers of organisations: corporation, business, workplace and farm business numbers.

The workplace number begins with its employer's business registration number and is
checked by the same rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from entities.identifiers.base import (
    Digits,
    _check,
    _cols,
    _digit_text,
    _Digits,
    _rand,
    _str_digits,
    _wsum,
)

CRN_WEIGHTS = (1, 2) * 6
BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def crn_check_digit(first12: str) -> int:
    return (10 - _wsum(first12, CRN_WEIGHTS) % 10) % 10


def brn_check_digit(first9: str) -> int:
    total = _wsum(first9, BRN_WEIGHTS) + (ord(first9[8]) - 48) * 5 // 10
    return (10 - total % 10) % 10


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
