"""Fellegi-Sunter classification with m and u estimated by EM, without labels.

Each candidate pair has a comparison vector: one agreement level per field
(:mod:`reconciliation.comparators`; ``-1`` = missing). Under the usual
conditional-independence assumption, pairs are a two-class mixture: matches,
whose level on field k follows ``m_k``, and non-matches following ``u_k``, in
proportion ``lambda : 1 - lambda``. EM recovers m, u and lambda from the
unlabelled vectors (Winkler's multi-level generalisation of Jaro's EM).

Why our own EM rather than recordlinkage's ECM: ECM handles binary agreement only,
while multi-level agreement (a one-jamo name typo is weaker evidence than an exact
name, but far stronger than a different name) is what separates typos from other
people. Vectorised over *distinct* comparison vectors with their counts, an
iteration costs microseconds even for millions of pairs.

Safeguards:

* Dirichlet priors (the starting m and u, ``prior_strength`` pseudo-pairs each)
  are added in every M-step, so a field seen in three pairs does not get
  m = 1.0, and an empty input yields the priors;
* missing levels are skipped, not counted as disagreement;
* m or u known from elsewhere can be held fixed (see :func:`fit`);
* :class:`GroupCap` bounds the summed evidence of fields that are not
  independent (:mod:`reconciliation.model`);
* weights are non-decreasing in the agreement level (:meth:`FSModel.weight_table`).

The match weight of a pair is ``sum_k log2(m_k[l] / u_k[l])`` (bits of evidence,
capped per dependent group); its score is the posterior match probability
``lambda 2^w / (lambda 2^w + 1 - lambda)``, in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Levels = npt.NDArray[np.int8]


@dataclass(frozen=True)
class FieldParams:
    """Estimated m and u per level of one field."""

    name: str
    labels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]

    @property
    def weights(self) -> tuple[float, ...]:
        """log2(m/u) per level: the evidence each level carries, in bits."""
        return tuple(float(np.log2(mi / ui)) for mi, ui in zip(self.m, self.u, strict=True))


@dataclass(frozen=True)
class GroupCap:
    """Bounds on the summed weight of a group of mutually dependent fields.

    Indexed by bit mask over ``members`` (bit j = ``members[j]``): ``high[S]`` is
    the most the positive weights of the members in S may add up to (what
    agreeing on all of S at once is worth, measured jointly), ``low[D]`` the
    least the negative weights of the members in D may add up to (what
    disagreeing on all of D at once is worth). Masks of one member are unbounded.
    """

    members: tuple[int, ...]
    high: tuple[float, ...]
    low: tuple[float, ...]

    def scaled(self, factor: float) -> GroupCap:
        return GroupCap(
            self.members,
            tuple(x * factor for x in self.high),
            tuple(x * factor for x in self.low),
        )


@dataclass(frozen=True)
class FSModel:
    """A fitted (or prior) Fellegi-Sunter model."""

    fields: tuple[FieldParams, ...]
    prior: float  # lambda: share of matches among the pairs the model was fitted on
    caps: tuple[GroupCap, ...] = ()
    iterations: int = 0
    converged: bool = True
    pairs: int = 0
    log_likelihood: list[float] = field(default_factory=list, compare=False)

    def weight_table(self) -> FloatArray:
        """(fields x max levels + 1) weights in bits; the last column (missing) is 0.

        Weights are made non-decreasing in the agreement level: blocking makes
        exact agreement on a blocked field common among the candidate non-matches,
        so its raw weight can fall below that of a near miss; an exact agreement
        never counts as weaker evidence than a partial one.
        """
        width = max((len(f.m) for f in self.fields), default=1)
        table = np.zeros((len(self.fields), width + 1))  # last column: missing -> 0
        for k, f in enumerate(self.fields):
            table[k, : len(f.m)] = np.maximum.accumulate(np.asarray(f.weights))
        return table

    def field_weights(self, levels: Levels) -> FloatArray:
        """(pairs x fields) weights; a capped group's members are scaled to the capped sum."""
        if not self.fields:
            return np.zeros(levels.shape)
        table = self.weight_table()
        idx = np.where(levels < 0, table.shape[1] - 1, levels).astype(np.intp)
        per_field = table[np.arange(len(self.fields))[None, :], idx]
        return _apply_caps(per_field, self.caps)

    def weights(self, levels: Levels) -> FloatArray:
        """Match weight (bits) per row of a (pairs x fields) level matrix; -1 adds nothing."""
        if levels.shape[0] == 0 or not self.fields:
            return np.zeros(levels.shape[0])
        return self.field_weights(levels).sum(axis=1)  # type: ignore[no-any-return]

    def posterior(self, weights: FloatArray) -> FloatArray:
        """Posterior match probability for match weights (bits), in [0, 1]."""
        prior = min(max(self.prior, 1e-300), 1 - 1e-12)
        log_odds = weights * np.log(2.0) + np.log(prior / (1 - prior))
        return 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))  # type: ignore[no-any-return]

    def as_dict(self) -> dict[str, object]:
        """Parameters for reports and the issue note."""
        table = self.weight_table()
        return {
            "prior": self.prior,
            "iterations": self.iterations,
            "converged": self.converged,
            "pairs": self.pairs,
            "fields": {
                f.name: {
                    "levels": list(f.labels),
                    "m": [round(x, 6) for x in f.m],
                    "u": [round(x, 8) for x in f.u],
                    "weight": [round(float(x), 3) for x in table[k, : len(f.m)]],
                }
                for k, f in enumerate(self.fields)
            },
            "caps": [
                {
                    "fields": [self.fields[i].name for i in cap.members],
                    "high_all_agree": _finite(cap.high[-1]),
                    "low_all_differ": _finite(cap.low[-1]),
                }
                for cap in self.caps
            ],
        }


def _finite(value: float) -> float | None:
    """Rounded, or None where unbounded (JSON has no infinity)."""
    return round(value, 3) if np.isfinite(value) else None


def _apply_caps(per_field: FloatArray, caps: Sequence[GroupCap]) -> FloatArray:
    """Scale each group's positive and negative weights down to their bounds."""
    if not caps:
        return per_field
    out = per_field.copy()
    for cap in caps:
        cols = list(cap.members)
        group = out[:, cols]
        bits = 1 << np.arange(len(cols))
        pos_mask = ((group > 0) * bits).sum(axis=1)
        neg_mask = ((group < 0) * bits).sum(axis=1)
        positive = np.where(group > 0, group, 0.0).sum(axis=1)
        negative = np.where(group < 0, group, 0.0).sum(axis=1)
        high = np.maximum(np.asarray(cap.high)[pos_mask], 0.0)
        low = np.minimum(np.asarray(cap.low)[neg_mask], 0.0)
        scale_pos = np.where(positive > high, high / np.where(positive > 0, positive, 1.0), 1.0)
        scale_neg = np.where(negative < low, low / np.where(negative < 0, negative, 1.0), 1.0)
        out[:, cols] = np.where(group > 0, group * scale_pos[:, None], group * scale_neg[:, None])
    return out


@dataclass(frozen=True)
class FieldPrior:
    """What EM starts from and shrinks towards for one field."""

    name: str
    labels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]


def prior_model(
    priors: Sequence[FieldPrior], prior: float, caps: Sequence[GroupCap] = ()
) -> FSModel:
    """The model given by the priors alone (nothing to fit)."""
    return FSModel(
        tuple(FieldParams(p.name, p.labels, p.m, p.u) for p in priors),
        prior,
        caps=tuple(caps),
        iterations=0,
        converged=True,
    )


def _patterns(
    levels: Levels, sizes: Sequence[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Distinct comparison vectors (as rows of levels, -1 kept) and their counts."""
    radix = np.asarray([s + 1 for s in sizes], dtype=np.int64)  # +1: missing
    if float(np.prod(radix.astype(np.float64))) >= 2.0**62:
        rows, counts = np.unique(levels.astype(np.int64), axis=0, return_counts=True)
        return rows, counts
    shifted = levels.astype(np.int64) + 1
    code = np.zeros(levels.shape[0], dtype=np.int64)
    for k in range(levels.shape[1]):
        code = code * radix[k] + shifted[:, k]
    uniq, counts = np.unique(code, return_counts=True)
    rows = np.empty((len(uniq), levels.shape[1]), dtype=np.int64)
    rest = uniq.copy()
    for k in range(levels.shape[1] - 1, -1, -1):
        rows[:, k] = rest % radix[k] - 1
        rest //= radix[k]
    return rows, counts


def fit(
    levels: Levels,
    priors: Sequence[FieldPrior],
    *,
    initial_prior: float = 0.1,
    prior_strength: float = 20.0,
    max_iterations: int = 200,
    tolerance: float = 1e-6,
    fixed_m: Sequence[bool] | None = None,
    fixed_u: bool = False,
    total_pairs: int | None = None,
    caps: Sequence[GroupCap] = (),
) -> FSModel:
    """Estimate m, u and lambda from a (pairs x fields) level matrix by EM.

    ``priors`` give each field's levels and the starting m and u (also the
    Dirichlet prior means, with ``prior_strength`` pseudo-pairs per class).
    ``fixed_m`` (per field) and ``fixed_u`` keep those parameters at the priors
    when they are known from elsewhere (m from deterministic links, u from
    random pairs). ``total_pairs`` says the level matrix holds only the
    candidates among that many pairs, the rest being non-matches: lambda is then
    the share of matches among all of them (it needs ``fixed_u``, since the
    unseen pairs' levels are unknown). ``caps`` bound dependent groups' evidence
    in the E-step. Stops when no parameter moves by more than ``tolerance``
    (lambda: relatively) or after ``max_iterations``.
    """
    n_fields = len(priors)
    if levels.ndim != 2 or levels.shape[1] != n_fields:
        raise ValueError("levels must be a (pairs x fields) matrix matching the priors")
    if total_pairs is not None and not fixed_u:
        raise ValueError("total_pairs needs fixed_u: unseen pairs cannot inform u")
    if levels.shape[0] == 0 or n_fields == 0:
        return prior_model(priors, initial_prior, caps)
    keep_m = np.asarray(fixed_m if fixed_m is not None else [False] * n_fields)[:, None]
    denominator = float(total_pairs) if total_pairs is not None else float(levels.shape[0])
    sizes = [len(p.m) for p in priors]
    width = max(sizes)
    rows, counts = _patterns(levels, sizes)
    weights_n = counts.astype(np.float64)
    # one-hot per field: onehot[k] is (patterns x width), zero rows where missing
    onehot = [
        (rows[:, k][:, None] == np.arange(width)[None, :]).astype(np.float64)
        for k in range(n_fields)
    ]
    valid = np.arange(width)[None, :] < np.asarray(sizes)[:, None]  # (fields x width)
    m_prior = _table(priors, "m", width)
    u_prior = _table(priors, "u", width)
    m, u = m_prior.copy(), u_prior.copy()
    ln_caps = [c.scaled(float(np.log(2))) for c in caps]
    lam = initial_prior
    history: list[float] = []
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - used after the loop
        log_m = np.log(m)
        log_u = np.log(u)
        ratio = np.stack([onehot[k] @ (log_m[k] - log_u[k]) for k in range(n_fields)], axis=1)
        lu = sum((onehot[k] @ log_u[k] for k in range(n_fields)), np.zeros(len(rows)))
        llr = _apply_caps(ratio, ln_caps).sum(axis=1)
        a = np.log(lam) + lu + llr
        b = np.log1p(-lam) + lu
        top = np.maximum(a, b)
        total = top + np.log(np.exp(a - top) + np.exp(b - top))
        g = np.exp(a - total)
        history.append(float((weights_n * total).sum()))
        gm = weights_n * g
        gu = weights_n * (1 - g)
        new_m = np.stack([gm @ onehot[k] for k in range(n_fields)])
        new_u = np.stack([gu @ onehot[k] for k in range(n_fields)])
        new_m = np.where(keep_m, m_prior, _normalise(new_m + prior_strength * m_prior, valid))
        new_u = u_prior if fixed_u else _normalise(new_u + prior_strength * u_prior, valid)
        new_lam = float(np.clip(gm.sum() / denominator, 1e-15, 1 - 1e-9))
        delta = max(
            float(np.abs(new_m - m).max()),
            float(np.abs(new_u - u).max()),
            abs(float(np.log(new_lam / lam))),
        )
        m, u, lam = new_m, new_u, new_lam
        if delta < tolerance:
            converged = True
            break
    fields = tuple(
        FieldParams(
            p.name,
            p.labels,
            tuple(float(x) for x in m[k, : sizes[k]]),
            tuple(float(x) for x in u[k, : sizes[k]]),
        )
        for k, p in enumerate(priors)
    )
    return FSModel(
        fields,
        lam,
        caps=tuple(caps),
        iterations=iteration,
        converged=converged,
        pairs=int(levels.shape[0]),
        log_likelihood=history,
    )


def _table(priors: Sequence[FieldPrior], which: str, width: int) -> FloatArray:
    table = np.full((len(priors), width), 1e-12)
    for k, p in enumerate(priors):
        values = np.asarray(getattr(p, which), dtype=np.float64)
        table[k, : len(values)] = values / values.sum()
    return table


def _normalise(table: FloatArray, valid: npt.NDArray[np.bool_]) -> FloatArray:
    table = np.where(valid, np.maximum(table, 1e-9), 1e-12)
    return table / table.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]
