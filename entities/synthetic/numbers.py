"""Vectorised builders for identifiers whose visible parts must agree with other fields.

:meth:`entities.identifiers.Identifier.generate_many` draws valid values, but some
parts of an identifier carry meaning the snapshot must keep consistent: the
kind digits of a business registration number (individual, corporate head
office, branch, non-profit), the vehicle-type code and usage letter of a plate,
the model-year character of a VIN, the first-licence year of a driver licence
number, the company prefix of a medicine's GTIN-13 and the approval year of its
product code. These builders take those parts as arrays and compute the check
digits with the rules documented in :mod:`entities.identifiers` (the tests
verify every value with :func:`entities.identifiers.check`).

All builders return ``numpy`` unicode arrays; :func:`unique_redraw` replaces
duplicates (keeping first occurrences) by redrawing only the duplicated rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import polars as pl

from entities.identifiers import (
    BRN_WEIGHTS,
    GTIN_WEIGHTS,
    PLATE_BUSINESS,
    PLATE_DELIVERY,
    PLATE_PRIVATE,
    PLATE_REGIONS,
    PLATE_RENTAL,
    VIN_ALPHABET,
    VIN_LETTER_VALUES,
    VIN_LETTERS,
    VIN_WEIGHTS,
    VIN_YEAR_CODES,
)

Ints = npt.NDArray[np.int64]
Strs = npt.NDArray[np.str_]

PLATE_USAGE_LETTERS: dict[str, str] = {
    "private": PLATE_PRIVATE,
    "business": PLATE_BUSINESS,
    "delivery": PLATE_DELIVERY,
    "rental": PLATE_RENTAL,
}
"""Usage letters of plates by usage (자동차 등록번호판 등의 기준에 관한 고시 제5조)."""

#: Plate vehicle-type code ranges: (2-digit low, high), (3-digit low, high), inclusive.
PLATE_TYPE_CODES: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "passenger": ((1, 69), (100, 699)),
    "van": ((70, 79), (700, 799)),
    "truck": ((80, 97), (800, 979)),
    "special": ((98, 99), (980, 997)),
}


def digits_of(values: Ints, width: int) -> Ints:
    """(n,) integers -> (n, width) matrix of their zero-padded decimal digits."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values.reshape(-1, 1) // powers) % 10


def zfill(values: Ints, width: int) -> Strs:
    """Integers as zero-padded decimal strings."""
    return as_text(digits_of(values, width) + 48)


def as_text(codepoints: Ints) -> Strs:
    """(n, width) code points -> unicode strings (trailing NULs dropped)."""
    arr = np.ascontiguousarray(codepoints, dtype=np.uint32)
    return arr.view(np.dtype(f"U{arr.shape[1]}")).ravel()


def concat(*parts: Strs | str) -> Strs:
    """Element-wise concatenation of string arrays (and scalars), through polars."""
    frame = pl.DataFrame({f"p{i}": p for i, p in enumerate(parts) if not isinstance(p, str)})
    exprs = [pl.lit(p) if isinstance(p, str) else pl.col(f"p{i}") for i, p in enumerate(parts)]
    out = frame.select(pl.concat_str(exprs).alias("v"))["v"]
    return out.to_numpy().astype(np.str_)


def unique_redraw(values: Strs, redraw: Callable[[npt.NDArray[np.intp]], Strs]) -> Strs:
    """Replace later duplicates by ``redraw(rows)`` until all values are distinct."""
    values = values.copy()
    for _ in range(100):
        dup = np.flatnonzero(~pl.Series(values).is_first_distinct().to_numpy())
        if dup.size == 0:
            return values
        values = values.astype(object)
        values[dup] = redraw(dup)
        values = values.astype(np.str_)
    raise ValueError("cannot draw distinct identifiers")


def brn_many(rng: np.random.Generator, kinds: Ints) -> Strs:
    """Business registration numbers with the given 2-digit kind codes (01-99).

    Tax office 101-799, serial 0001-9999; check digit: weights 1,3,7,1,3,7,1,3,5
    plus ``floor(d9 * 5 / 10)``, ``(10 - sum % 10) % 10``.
    """
    n = len(kinds)
    first = rng.integers(101, 800, n) * 10**6 + kinds * 10**4 + rng.integers(1, 10**4, n)
    digits = digits_of(first, 9)
    total = digits @ np.asarray(BRN_WEIGHTS, dtype=np.int64) + digits[:, 8] * 5 // 10
    return zfill(first * 10 + (10 - total % 10) % 10, 10)


def gtin13_many(company: Ints, item: Ints) -> Strs:
    """Korean GTIN-13 ``880`` + company prefix (4) + item (5) + GS1 check digit."""
    first = 880 * 10**9 + company * 10**5 + item
    digits = digits_of(first, 12)
    check = (10 - (digits @ np.asarray(GTIN_WEIGHTS, dtype=np.int64)) % 10) % 10
    return zfill(first * 10 + check, 13)


def licence_no_many(rng: np.random.Generator, region: Ints, year: Ints) -> Strs:
    """Driver licence numbers: region (2) + first-licence year (2) + serial (6) + check + reissue.

    The check-digit algorithm is not public (validation is structural), so it is drawn.
    """
    n = len(region)
    reissue = np.minimum(rng.geometric(0.85, n) - 1, 9)
    value = (
        region * 10**10
        + (year % 100) * 10**8
        + rng.integers(1, 10**6, n) * 100
        + rng.integers(0, 10, n) * 10
        + reissue
    )
    return zfill(value, 12)


def plates_many(
    rng: np.random.Generator,
    vehicle_type: Strs,
    usage: Strs,
    three_digit: npt.NDArray[np.bool_],
    regional: npt.NDArray[np.bool_],
) -> Strs:
    """Plates whose type code matches the vehicle type and whose letter matches the usage.

    National form ``12가3456`` / ``123가4567``; regional form (two-digit codes only)
    ``서울12가3456``.
    """
    n = len(vehicle_type)
    code = np.zeros(n, dtype=np.int64)
    for kind, ((lo2, hi2), (lo3, hi3)) in PLATE_TYPE_CODES.items():
        mask = vehicle_type == kind
        code[mask] = np.where(
            three_digit[mask],
            rng.integers(lo3, hi3 + 1, int(mask.sum())),
            rng.integers(lo2, hi2 + 1, int(mask.sum())),
        )
    letters = np.empty(n, dtype="U1")
    for kind, alphabet in PLATE_USAGE_LETTERS.items():
        mask = usage == kind
        pool = np.array(list(alphabet))
        letters[mask] = pool[rng.integers(0, len(pool), int(mask.sum()))]
    code_text = np.where(three_digit, zfill(code, 3), zfill(code, 2))
    serial = zfill(rng.integers(1000, 10000, n), 4)
    regions = np.array(PLATE_REGIONS)[rng.integers(0, len(PLATE_REGIONS), n)]
    prefix = np.where(regional & ~three_digit, regions, "")
    return concat(prefix, code_text, letters, serial)


_VIN_CODES = np.array([ord(c) for c in VIN_ALPHABET], dtype=np.int64)
_VIN_LOOKUP = np.zeros(128, dtype=np.int64)
_VIN_LOOKUP[[ord(str(d)) for d in range(10)]] = np.arange(10)
_VIN_LOOKUP[[ord(c) for c in VIN_LETTERS]] = [int(v) for v in VIN_LETTER_VALUES]
_VIN_YEAR = np.array([ord(c) for c in VIN_YEAR_CODES], dtype=np.int64)


def vins_many(rng: np.random.Generator, wmi: Strs, model_year: Ints) -> Strs:
    """VINs (ISO 3779) with the given WMIs and the model-year code of position 10.

    Model-year codes repeat every 30 years from 1980 (A) to 2009 (9), 2010 (A) ...;
    check digit at position 9 per 49 CFR 565.15.
    """
    n = len(wmi)
    wmi_codes = as_codepoints(wmi, 3)
    chars = np.hstack(
        [
            wmi_codes,
            _VIN_CODES[rng.integers(0, len(_VIN_CODES), (n, 5))],
            np.zeros((n, 1), dtype=np.int64),
            _VIN_YEAR[(model_year - 1980) % 30].reshape(-1, 1),
            _VIN_CODES[rng.integers(0, len(_VIN_CODES), (n, 1))],
            rng.integers(0, 10, (n, 6)) + 48,
        ]
    )
    rem = (_VIN_LOOKUP[chars] @ np.asarray(VIN_WEIGHTS, dtype=np.int64)) % 11
    chars[:, 8] = np.where(rem == 10, ord("X"), rem + 48)
    return as_text(chars)


def as_codepoints(values: Strs, width: int) -> Ints:
    """Fixed-width unicode strings -> (n, width) code points."""
    arr = np.ascontiguousarray(values.astype(f"U{width}"))
    return arr.view(np.uint32).reshape(-1, width).astype(np.int64)
