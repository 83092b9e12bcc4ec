"""Field comparators: turn aligned pairs of normalised values into agreement levels.

Each :class:`~entities.spec.Comparator` maps a pair of values to a small ordered
set of levels (0 = disagree ... highest = identical); ``-1`` means a value is
missing on either side and contributes no evidence. The Fellegi-Sunter model
learns an m and u probability per level, so a level only has to separate pairs
by how strongly they suggest the same record, not be a calibrated score.

Similarities are computed by rapidfuzz's ``process.cpdist`` (element-wise,
multi-threaded C++) over only the pairs that are present and not identical, so a
comparison over a million candidate pairs takes a fraction of a second.

Levels and why:

* EXACT (codes, flags, exact text): different / exact.
* STRING: Jaro-Winkler on the normalised text: different (< 0.85), similar
  (>= 0.85), close (>= 0.93), exact.
* NAME: as STRING, but Hangul is compared jamo by jamo (NFD), because one
  syllable is three letters: ``홍길동``/``홍길둥`` score 0.82 as syllables but 0.96
  as jamo, while unrelated names stay below 0.85.
* ADDRESS: token-set similarity (word order and repeated words ignored), or
  the plain similarity with spaces removed when higher (a lost or extra space
  splits tokens): different (< 0.70), similar (>= 0.70), close (>= 0.90), exact.
* DATE: different / swap_or_slip (day and month swapped, or YYYYMMDD one digit
  or one adjacent transposition away) / exact.
* IDENTIFIER: different / one_edit (one substitution, insertion, deletion or
  adjacent transposition: optimal string alignment distance 1) / exact.
* NUMERIC: different / close (relative difference <= 5 %) / exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler

from entities.spec import Comparator, FieldSpec

Levels = npt.NDArray[np.int8]
MISSING = -1


@dataclass(frozen=True)
class LevelScheme:
    """The levels of one comparator, with default m and u probabilities per level.

    The defaults are used as Dirichlet priors for EM (so a handful of pairs cannot
    produce absurd estimates) and as the model when there is nothing to fit.
    """

    labels: tuple[str, ...]
    m_prior: tuple[float, ...]
    u_prior: tuple[float, ...]

    @property
    def size(self) -> int:
        return len(self.labels)


_BINARY = LevelScheme(("different", "exact"), (0.05, 0.95), (0.9, 0.1))
_FUZZY = LevelScheme(
    ("different", "similar", "close", "exact"), (0.04, 0.04, 0.12, 0.80), (0.90, 0.06, 0.03, 0.01)
)
_DATE = LevelScheme(("different", "swap_or_slip", "exact"), (0.04, 0.08, 0.88), (0.97, 0.02, 0.01))
_IDENTIFIER = LevelScheme(
    ("different", "one_edit", "exact"), (0.04, 0.08, 0.88), (0.985, 0.01, 0.005)
)
_NUMERIC = LevelScheme(("different", "close", "exact"), (0.05, 0.15, 0.80), (0.80, 0.15, 0.05))

SCHEMES: dict[Comparator, LevelScheme] = {
    Comparator.EXACT: _BINARY,
    Comparator.STRING: _FUZZY,
    Comparator.NAME: _FUZZY,
    Comparator.ADDRESS: _FUZZY,
    Comparator.DATE: _DATE,
    Comparator.IDENTIFIER: _IDENTIFIER,
    Comparator.NUMERIC: _NUMERIC,
}
"""Level scheme of every comparator that compares (``Comparator.NONE`` does not)."""

STRING_THRESHOLDS = (0.85, 0.93)
ADDRESS_THRESHOLDS = (0.70, 0.90)
NUMERIC_CLOSE = 0.05


def scheme(field: FieldSpec) -> LevelScheme:
    """Level scheme of a field's comparator."""
    return SCHEMES[field.compare]


def compare(field: FieldSpec, left: pl.Series, right: pl.Series, *, workers: int = -1) -> Levels:
    """Agreement level per aligned pair of ``left`` and ``right`` (normalised values)."""
    if len(left) != len(right):
        raise ValueError("compare needs aligned series of equal length")
    kind = field.compare
    if kind is Comparator.NONE:
        raise ValueError(f"field {field.name!r} is not compared")
    frame = pl.DataFrame({"a": left, "b": right})
    present = frame.select(pl.col("a").is_not_null() & pl.col("b").is_not_null()).to_series()
    equal = frame.select((pl.col("a") == pl.col("b")).fill_null(False)).to_series()
    top = SCHEMES[kind].size - 1
    levels = np.where(present.to_numpy(), 0, MISSING).astype(np.int8)
    levels[equal.to_numpy()] = top
    todo = (present & ~equal).to_numpy()
    if top == 1 or not todo.any():
        return levels
    rest = frame.filter(pl.Series(todo))
    levels[todo] = _LEVELLERS[kind](rest.get_column("a"), rest.get_column("b"), workers)
    return levels


def _similarity(
    a: list[str], b: list[str], scorer: Callable[..., Any], workers: int
) -> npt.NDArray[np.float64]:
    return np.asarray(process.cpdist(a, b, scorer=scorer, workers=workers), dtype=np.float64)


def _bands(score: npt.NDArray[np.float64], low: float, high: float) -> Levels:
    return np.where(score >= high, 2, np.where(score >= low, 1, 0)).astype(np.int8)


def _string(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    score = _similarity(a.to_list(), b.to_list(), JaroWinkler.normalized_similarity, workers)
    return _bands(score, *STRING_THRESHOLDS)


def _name(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    return _string(a.str.normalize("NFD"), b.str.normalize("NFD"), workers)


def _address(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    tokens = _similarity(a.to_list(), b.to_list(), fuzz.token_set_ratio, workers) / 100.0
    # a space typed or lost ("BROUGHTONBROOK") splits or merges tokens: compare unspaced too
    squeeze_a = a.str.replace_all(" ", "", literal=True).to_list()
    squeeze_b = b.str.replace_all(" ", "", literal=True).to_list()
    unspaced = _similarity(squeeze_a, squeeze_b, fuzz.ratio, workers) / 100.0
    return _bands(np.maximum(tokens, unspaced), *ADDRESS_THRESHOLDS)


def _edits(a: list[str], b: list[str], workers: int) -> npt.NDArray[np.int64]:
    dist = process.cpdist(a, b, scorer=OSA.distance, score_cutoff=2, workers=workers)
    return np.asarray(dist, dtype=np.int64)


def _identifier(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    one_edit = _edits(a.to_list(), b.to_list(), workers) == 1
    return np.asarray(one_edit, dtype=np.int8)


def _date(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    frame = pl.DataFrame({"a": a.cast(pl.Date), "b": b.cast(pl.Date)})
    swapped = frame.select(
        (pl.col("a").dt.year() == pl.col("b").dt.year())
        & (pl.col("a").dt.month() == pl.col("b").dt.day())
        & (pl.col("a").dt.day() == pl.col("b").dt.month())
    ).to_series()
    digits = frame.select(pl.all().dt.strftime("%Y%m%d"))
    slip = _edits(digits.get_column("a").to_list(), digits.get_column("b").to_list(), workers) == 1
    return np.asarray(swapped.to_numpy() | slip, dtype=np.int8)


def _numeric(a: pl.Series, b: pl.Series, workers: int) -> Levels:
    x = a.cast(pl.Float64).to_numpy()
    y = b.cast(pl.Float64).to_numpy()
    scale = np.maximum(np.abs(x), np.abs(y))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(scale > 0, np.abs(x - y) / scale, 0.0)
    return (rel <= NUMERIC_CLOSE).astype(np.int8)


_LEVELLERS: dict[Comparator, Callable[[pl.Series, pl.Series, int], Levels]] = {
    Comparator.STRING: _string,
    Comparator.NAME: _name,
    Comparator.ADDRESS: _address,
    Comparator.DATE: _date,
    Comparator.IDENTIFIER: _identifier,
    Comparator.NUMERIC: _numeric,
}
