"""Where the Fellegi-Sunter model's m and u come from, and which fields depend on each other.

Fellegi-Sunter adds the evidence of each field as if fields were independent.
Some are not: members of a household share its address, household number,
move-in date and region, so a relative agrees on all four at once. Counted as
four independent agreements that is some 50 bits, enough to outweigh a
different name, birth date and sex and link a newborn in an agency copy to a
sibling in the master; and a resident who moved disagrees on all four at once,
which counted four times buries a true match. So dependent fields are found
from the data and bounded by a :class:`~reconciliation.fellegi_sunter.GroupCap`:
the positive weights of the members that agree add up to at most what agreeing
on exactly those fields at once is worth (measured jointly), and the negative
weights of those that disagree to at least what disagreeing on all of them at
once is worth.

Dependence is measured on exact agreement among pairs of distinct master
records (non-matches by construction), computed exactly from value frequencies:
the rate at which such a pair agrees on field i is ``r_i``, on fields i and j
jointly ``r_ij`` (see :class:`Frequencies`). Fields whose lift
``r_ij / (r_i r_j)`` reaches ``min_lift`` (default 20) are grouped
(transitively, strongest first, at most ``MAX_GROUP`` fields a group). The
natural key stays on its own: it is the field tier 2 exists to forgive.

Starting values (used as EM priors, or fixed when anchored):

* m from the key-tier links when there are enough of them: true matches, so the
  share of each level on the other fields is the copy's real error rate
  (floored at ``M_FLOOR``: no disagreement is impossible for a true match);
* u from random agency x master pairs (sampled), with the exact-agreement level
  taken from the frequencies, as sampling cannot see agreements as rare as a
  shared birth date or household.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import numpy.typing as npt
import polars as pl

from entities.spec import FieldSpec
from reconciliation import comparators
from reconciliation.fellegi_sunter import FieldPrior, GroupCap

M_FLOOR = 1e-4
"""Least m per level taken from key links."""
PSEUDO_PAIRS = 2.0
"""Weight of the defaults when smoothing observed level frequencies."""

Levels = npt.NDArray[np.int8]


class Frequencies:
    """Exact agreement rates of pairs of distinct records, from value frequencies.

    Measured on pairs of distinct master records, which are distinct entities:
    random agency x master pairs would include the true matches, whose agreement
    (one in n) swamps chance agreement on rare combinations such as a name and a
    birth date. The rate over the master's values is
    ``(sum_v c_v^2 - N) / (N (N - 1))`` (self-pairs excluded), on a sample of at
    most ``sample`` rows.
    """

    def __init__(self, master: pl.DataFrame, sample: int, seed: int) -> None:
        self.master = master.sample(sample, seed=seed) if master.height > sample else master
        self._rates: dict[tuple[str, ...], float | None] = {}

    def rate(self, names: Sequence[str]) -> float | None:
        """Share of distinct-record pairs, with all ``names`` present, agreeing on all."""
        key = tuple(sorted(names))
        if key not in self._rates:
            self._rates[key] = self._rate(list(key))
        return self._rates[key]

    def _rate(self, cols: list[str]) -> float | None:
        values = self.master.select(cols).drop_nulls()
        n = values.height
        if n < 2:
            return None
        # tuples counted by a 64-bit hash: a collision among 10^5 values is negligible
        hashed = values.select(h=pl.struct(cols).hash(seed=0))
        counts = hashed.group_by("h").len("c").get_column("c").cast(pl.Float64)
        same = float((counts * counts).sum()) - n
        return min(max(same / (n * (n - 1.0)), 1e-12), 1.0 - 1e-9)


def dependent_groups(
    fields: Sequence[FieldSpec],
    freq: Frequencies,
    *,
    key: str,
    min_lift: float,
    max_rate: float = 0.3,
) -> tuple[list[tuple[int, ...]], dict[str, float]]:
    """Groups of compared-field positions whose exact agreements are dependent.

    Returns the groups of two or more fields and the lift of every pair found
    dependent. Fields agreeing by chance more than ``max_rate`` (sex, a status)
    cannot reach a large lift and are left alone.
    """
    rates = {f.name: freq.rate([f.name]) for f in fields}
    candidates = [
        i
        for i, f in enumerate(fields)
        if f.name != key and (r := rates[f.name]) is not None and r <= max_rate
    ]
    lifts: dict[str, float] = {}
    edges: list[tuple[float, int, int]] = []
    for i, j in combinations(candidates, 2):
        ri, rj = rates[fields[i].name], rates[fields[j].name]
        rij = freq.rate([fields[i].name, fields[j].name])
        if ri is None or rj is None or rij is None:
            continue
        lift = rij / (ri * rj)
        if lift >= min_lift:
            lifts[f"{fields[i].name}+{fields[j].name}"] = round(lift, 1)
            edges.append((lift, i, j))
    return _bounded_groups(len(fields), edges), lifts


def _smoothed(
    counts: npt.NDArray[np.float64], prior: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    values = counts + PSEUDO_PAIRS * prior
    return values / values.sum()  # type: ignore[no-any-return]


def _with_exact(dist: npt.NDArray[np.float64], share: float) -> npt.NDArray[np.float64]:
    """``dist`` with its top level set to ``share`` and the rest rescaled to 1 - share."""
    rest = dist[:-1]
    total = rest.sum()
    scaled = rest / total * (1.0 - share) if total > 0 else rest
    return np.append(scaled, share)


def _level_shares(levels: Levels, k: int, size: int) -> npt.NDArray[np.float64]:
    observed = levels[:, k]
    return np.bincount(observed[observed >= 0], minlength=size).astype(np.float64)


def build_priors(
    fields: Sequence[FieldSpec],
    freq: Frequencies,
    *,
    key: str,
    link_levels: Levels | None,
    random_levels: Levels,
) -> list[FieldPrior]:
    """Starting m and u of every compared field (see the module docstring).

    ``link_levels``: levels of key-tier links (None: the comparators' defaults
    for m). ``random_levels``: levels of random agency x master pairs not linked
    to each other.
    """
    priors: list[FieldPrior] = []
    for k, f in enumerate(fields):
        sch = comparators.scheme(f)
        m = np.asarray(sch.m_prior, dtype=np.float64)
        if link_levels is not None and f.name != key:
            m = np.maximum(_smoothed(_level_shares(link_levels, k, sch.size), m), M_FLOOR)
            m = m / m.sum()
        u_default = np.asarray(sch.u_prior, dtype=np.float64)
        u = _smoothed(_level_shares(random_levels, k, sch.size), u_default)
        exact = freq.rate([f.name])
        if exact is not None:
            u = _with_exact(u, exact)
        priors.append(FieldPrior(f.name, sch.labels, tuple(m), tuple(u)))
    return priors


MAX_GROUP = 6
"""Largest dependent group: caps are computed for every subset (2^6 masks)."""


def _bounded_groups(n: int, edges: Sequence[tuple[float, int, int]]) -> list[tuple[int, ...]]:
    """Union the strongest edges first, never letting a group exceed ``MAX_GROUP``."""
    parent = list(range(n))
    size = [1] * n

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, i, j in sorted(edges, reverse=True):
        ri, rj = find(i), find(j)
        if ri != rj and size[ri] + size[rj] <= MAX_GROUP:
            parent[rj] = ri
            size[ri] += size[rj]
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted((tuple(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def build_caps(
    groups: Sequence[tuple[int, ...]],
    fields: Sequence[FieldSpec],
    priors: Sequence[FieldPrior],
    freq: Frequencies,
    *,
    link_levels: Levels | None,
    random_levels: Levels,
) -> list[GroupCap]:
    """Bounds for every subset of each dependent group, in bits.

    high[S] = log2(prod of m(exact) over S / r_S), r_S the joint exact agreement
    rate of distinct records on S. low[D] = log2(m_D / u_D), where m_D is the
    share of key links disagreeing on every field of D (floored at ``M_FLOOR``)
    and u_D the same share among random pairs; without key links the negative
    side is left unbounded.
    """
    caps: list[GroupCap] = []
    for group in groups:
        k = len(group)
        high = [np.inf] * (1 << k)
        low = [-np.inf] * (1 << k)
        for mask in range(1 << k):
            members = [group[j] for j in range(k) if mask >> j & 1]
            if len(members) < 2:
                continue
            rate = freq.rate([fields[i].name for i in members])
            if rate is not None:
                m_all = float(np.prod([priors[i].m[-1] for i in members]))
                high[mask] = float(np.log2(m_all / rate))
            if link_levels is not None and link_levels.shape[0]:
                low[mask] = _disagreement_weight(link_levels, random_levels, members)
        caps.append(GroupCap(tuple(group), tuple(high), tuple(low)))
    return caps


def _disagreement_weight(link_levels: Levels, random_levels: Levels, members: list[int]) -> float:
    """log2(m/u) of disagreeing (level 0) on every one of ``members`` at once."""
    links = link_levels[:, members]
    links = links[(links >= 0).all(axis=1)]
    rnd = random_levels[:, members]
    rnd = rnd[(rnd >= 0).all(axis=1)]
    if links.shape[0] == 0:
        return -np.inf
    m = max(float((links == 0).all(axis=1).mean()), M_FLOOR)
    u = (float((rnd == 0).all(axis=1).sum()) + 1.0) / (rnd.shape[0] + 2.0)
    return float(np.log2(m / u))
