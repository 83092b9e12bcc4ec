"""Identifiers of products and substances: GTIN-13, medicine and goods codes, CAS number."""

from __future__ import annotations

from typing import Any

import numpy as np

from entities.identifiers.base import (
    Identifier,
    _check,
    _cols,
    _digit_text,
    _Digits,
    _rand,
    _text,
    _wsum,
)

GTIN_WEIGHTS = (1, 3) * 6


def gtin_check_digit(first12: str) -> int:
    return (10 - _wsum(first12, GTIN_WEIGHTS) % 10) % 10


def cas_check_digit(body: str) -> int:
    """Sum of each digit times its position counted from the right, mod 10."""
    return sum((ord(ch) - 48) * i for i, ch in enumerate(reversed(body), start=1)) % 10


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
