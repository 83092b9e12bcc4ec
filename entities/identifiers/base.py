"""What every identifier shares: cleaning, the verdict, the base classes and digit helpers.

:func:`clean` is the input of every pattern; :class:`Check` is the verdict on one
raw value; :class:`Identifier` parses, validates, normalises and generates one
kind, and ``_Digits`` is its fixed-length all-digit form. The underscored helpers
(weighted sums, calendar dates, digit matrices for vectorised generation) are
shared by the family modules of this package and used nowhere else.
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


def _wsum(value: str, weights: Sequence[int]) -> int:
    return sum((ord(ch) - 48) * w for ch, w in zip(value, weights, strict=False))


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


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
