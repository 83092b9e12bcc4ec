"""Random draws and column helpers shared by the builders of :mod:`entities.synthetic.builders`.

Every function takes the generator it draws from, so a builder's output depends
only on its own streams (:meth:`entities.synthetic.world.World.rng`): what one
builder draws never shifts another's. None of them knows a dataset.

Array aliases (``Ints``, ``Days`` ...) name what a numpy array holds, for the
signatures of the builders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Idx = npt.NDArray[np.intp]
Days = npt.NDArray[np.datetime64]
Strs = npt.NDArray[np.str_]
AnyFloats = npt.NDArray[np.floating[Any]]
DayLike = Days | np.datetime64

# ------------------------------------------------------------------------ dates


def ymd(days: Days) -> tuple[Ints, Ints, Ints]:
    """(year, month, day) of each date, vectorised (numpy has no calendar accessors)."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return year, month, day


def age_at(birth: Days, at: np.datetime64) -> Ints:
    """Age in full years at ``at``."""
    by, bm, bd = ymd(birth)
    ay, am, ad = ymd(np.array([at], dtype="datetime64[D]"))
    before = (am[0] < bm) | ((am[0] == bm) & (ad[0] < bd))
    return np.asarray(ay[0] - by - before.astype(np.int64), dtype=np.int64)


def years_after(days: Days, years: Ints | int) -> Days:
    """The date ``years`` full years later (29 February becomes 1 March)."""
    y, m, d = ymd(days)
    month_start = ((y + years - 1970) * 12 + m - 1).astype("datetime64[M]")
    return np.asarray(month_start.astype("datetime64[D]") + (d - 1), dtype="datetime64[D]")


# ------------------------------------------------------------------------ draws


def between(rng: np.random.Generator, low: DayLike, high: DayLike) -> Days:
    """Uniform dates in [low, high] (high below low gives low)."""
    lo = np.asarray(low, dtype="datetime64[D]")
    hi = np.asarray(high, dtype="datetime64[D]")
    n = max(lo.size, hi.size)
    span = np.maximum((hi - lo).astype(np.int64), 0)
    return np.asarray(lo + (rng.random(n) * (span + 1)).astype(np.int64), dtype="datetime64[D]")


def choice(rng: np.random.Generator, table: Mapping[str, float], n: int) -> Strs:
    """``n`` keys of ``table`` drawn with its values as weights."""
    keys = np.array(list(table))
    weights = np.array(list(table.values()), dtype=np.float64)
    return keys[rng.choice(len(keys), n, p=weights / weights.sum())]


def weighted(rng: np.random.Generator, weights: AnyFloats, n: int) -> Idx:
    """``n`` indices drawn with replacement, proportional to ``weights``."""
    total = weights.sum()
    if total <= 0:
        raise ValueError("no candidates to draw from")
    return rng.choice(len(weights), n, p=weights / total)


def top_k(rng: np.random.Generator, weights: Floats, k: int) -> Idx:
    """``k`` distinct indices drawn proportional to ``weights`` (Gumbel top-k), sorted."""
    k = min(k, int((weights > 0).sum()))
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    with np.errstate(divide="ignore"):
        keys = np.where(weights > 0, np.log(rng.random(len(weights))) / weights, -np.inf)
    return np.sort(np.argpartition(-keys, k - 1)[:k])


def pick_within(
    rng: np.random.Generator, item_group: Ints, item_weight: Floats, query_group: Ints
) -> Idx:
    """For each query, an item of the same group drawn by weight (-1 when none has weight)."""
    order = np.argsort(item_group, kind="stable")
    groups = item_group[order]
    cum = np.cumsum(item_weight[order])
    start = np.searchsorted(groups, query_group, side="left")
    end = np.searchsorted(groups, query_group, side="right")
    lo = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    hi = np.where(end > 0, cum[np.maximum(end - 1, 0)], 0.0)
    ok = (end > start) & (hi > lo)
    target = lo + rng.random(len(query_group)) * (hi - lo)
    pos = np.clip(np.searchsorted(cum, target, side="right"), start, np.maximum(end - 1, 0))
    return np.where(ok, order[np.minimum(pos, len(order) - 1)], -1)


def recent(rng: np.random.Generator, lo: Days, hi: Days, mean_years: float) -> Days:
    """Dates ``hi`` minus an exponential number of years, uniform in [lo, hi] when before lo."""
    back = (rng.exponential(mean_years * 365.25, len(hi))).astype(np.int64)
    when = hi - back
    return np.where(when < lo, between(rng, lo, hi), when)


def truncated_normal(
    rng: np.random.Generator, mean: float, sd: float, low: float, high: float, *, n: int
) -> Floats:
    """Normal draws within [low, high] (redrawn, not clipped: no pile-up at the bounds)."""
    values = rng.normal(mean, sd, n)
    for _ in range(50):
        bad = (values < low) | (values > high)
        if not bad.any():
            break
        values[bad] = rng.normal(mean, sd, int(bad.sum()))
    return np.clip(values, low, high)


def lognormal(rng: np.random.Generator, median: Floats, sigma: Floats) -> Floats:
    """Log-normal draws around each row's ``median`` (areas, prices: skewed, positive)."""
    return np.asarray(median * np.exp(rng.normal(0.0, 1.0, len(median)) * sigma))


# ---------------------------------------------------------------------- columns


def dates(values: Days, null: Bools | None = None) -> pl.Series:
    """A date column, null where ``null`` is set (a status date only once the status ends)."""
    series = pl.Series(values.astype("datetime64[D]"))
    if null is not None and null.any():
        series = pl.select(pl.when(pl.Series(null)).then(None).otherwise(series)).to_series()
    return series


def nullable(values: Strs | Sequence[str], null: Bools) -> pl.Series:
    """A text column, null where ``null`` is set (optional fields left empty)."""
    return pl.select(
        pl.when(pl.Series(null)).then(None).otherwise(pl.Series(values, dtype=pl.Utf8))
    ).to_series()


def concat(*parts: pl.Series | Strs | str) -> pl.Series:
    """Element-wise string concatenation (nulls propagate)."""
    frame = pl.DataFrame({f"p{i}": p for i, p in enumerate(parts) if not isinstance(p, str)})
    exprs = [pl.lit(p) if isinstance(p, str) else pl.col(f"p{i}") for i, p in enumerate(parts)]
    return frame.select(pl.concat_str(exprs).alias("v"))["v"]


def zfill(values: Ints, width: int) -> pl.Series:
    """Zero-padded digits, the fixed-width parts of identifiers and codes."""
    return pl.Series(values, dtype=pl.Int64).cast(pl.Utf8).str.zfill(width)


def rank_within(groups: npt.ArrayLike) -> Ints:
    """0-based position of each element among the equal elements before it."""
    values = np.asarray(groups)
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    first = np.r_[True, sorted_values[1:] != sorted_values[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(len(values)), 0))
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.arange(len(values)) - start
    return rank


def index_of(keys: pl.Series, wanted: npt.NDArray[np.str_]) -> Idx:
    """Row of each wanted key in ``keys`` (keys are unique)."""
    lookup = pl.DataFrame({"k": keys, "i": np.arange(len(keys))})
    found = pl.DataFrame({"k": pl.Series(wanted, dtype=pl.Utf8)}).join(
        lookup, on="k", how="left", maintain_order="left"
    )
    return found["i"].to_numpy().astype(np.intp)
