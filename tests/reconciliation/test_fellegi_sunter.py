"""EM without labels: known m and u are recovered from synthetic comparison vectors."""

from __future__ import annotations

import numpy as np
import pytest

from reconciliation.fellegi_sunter import FieldPrior, GroupCap, fit, prior_model

M_TRUE = [(0.05, 0.15, 0.80), (0.10, 0.90), (0.02, 0.08, 0.90)]
U_TRUE = [(0.85, 0.10, 0.05), (0.70, 0.30), (0.95, 0.04, 0.01)]


def _sample(n: int, share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    is_match = rng.random(n) < share
    levels = np.empty((n, len(M_TRUE)), dtype=np.int8)
    for k, (m, u) in enumerate(zip(M_TRUE, U_TRUE, strict=True)):
        levels[is_match, k] = rng.choice(len(m), int(is_match.sum()), p=m)
        levels[~is_match, k] = rng.choice(len(u), int((~is_match).sum()), p=u)
    levels[rng.random(levels.shape) < 0.05] = -1  # some missing values
    return levels, is_match


def _flat_priors() -> list[FieldPrior]:
    """Deliberately rough starting points: EM has to find the real values."""
    return [
        FieldPrior("a", ("d", "c", "e"), (0.2, 0.2, 0.6), (0.6, 0.2, 0.2)),
        FieldPrior("b", ("d", "e"), (0.3, 0.7), (0.6, 0.4)),
        FieldPrior("c", ("d", "c", "e"), (0.2, 0.2, 0.6), (0.6, 0.2, 0.2)),
    ]


def test_em_recovers_known_m_u_and_lambda() -> None:
    levels, is_match = _sample(60_000, 0.1, seed=1)
    model = fit(
        levels,
        _flat_priors(),
        initial_prior=0.3,
        prior_strength=1.0,
        tolerance=1e-5,
        max_iterations=2000,
    )
    assert model.converged
    assert model.prior == pytest.approx(is_match.mean(), abs=0.01)
    for params, m, u in zip(model.fields, M_TRUE, U_TRUE, strict=True):
        assert params.m == pytest.approx(m, abs=0.03)
        assert params.u == pytest.approx(u, abs=0.03)
    # the log-likelihood never decreases (up to floating point)
    assert all(
        b >= a - 1e-6 for a, b in zip(model.log_likelihood, model.log_likelihood[1:], strict=False)
    )


def test_posterior_separates_matches() -> None:
    levels, is_match = _sample(20_000, 0.1, seed=2)
    model = fit(levels, _flat_priors(), initial_prior=0.3, prior_strength=1.0)
    score = model.posterior(model.weights(levels))
    assert ((score >= 0) & (score <= 1)).all()
    assert score[is_match].mean() > 0.8
    assert score[~is_match].mean() < 0.1


def test_fixed_m_and_u_fit_only_lambda_over_all_pairs() -> None:
    levels, is_match = _sample(20_000, 0.1, seed=3)
    priors = [
        FieldPrior(n, ("x",) * len(m), m, u) for n, m, u in zip("abc", M_TRUE, U_TRUE, strict=True)
    ]
    model = fit(levels, priors, fixed_m=[True] * 3, fixed_u=True, total_pairs=40_000)
    for params, m in zip(model.fields, M_TRUE, strict=True):
        assert params.m == pytest.approx(m)
    assert model.prior == pytest.approx(is_match.sum() / 40_000, rel=0.15)
    with pytest.raises(ValueError, match="fixed_u"):
        fit(levels, priors, total_pairs=40_000)


def test_no_pairs_gives_the_priors() -> None:
    model = fit(np.empty((0, 3), dtype=np.int8), _flat_priors(), initial_prior=0.2)
    assert model.prior == 0.2
    assert model.fields[0].m == (0.2, 0.2, 0.6)


def test_weights_are_monotone_in_the_level() -> None:
    # exact agreement rarer among matches than a near miss would give it less weight
    prior = FieldPrior("a", ("d", "c", "e"), (0.1, 0.5, 0.4), (0.8, 0.01, 0.19))
    model = prior_model([prior], 0.1)
    weights = model.weights(np.array([[0], [1], [2], [-1]], dtype=np.int8))
    assert weights[2] >= weights[1] > weights[0]
    assert weights[3] == 0.0


def test_caps_bound_dependent_fields() -> None:
    priors = [FieldPrior(n, ("d", "e"), (0.01, 0.99), (0.99, 0.01)) for n in "abc"]
    raw = prior_model(priors, 0.5)
    all_agree = np.array([[1, 1, 1]], dtype=np.int8)
    all_differ = np.array([[0, 0, 0]], dtype=np.int8)
    assert raw.weights(all_agree)[0] == pytest.approx(3 * np.log2(99))
    # agreeing on a and b at once is worth 8 bits, disagreeing on all three -5
    high = [np.inf] * 8
    low = [-np.inf] * 8
    high[0b011] = 8.0
    low[0b111] = -5.0
    capped = prior_model(priors, 0.5, [GroupCap((0, 1, 2), tuple(high), tuple(low))])
    two = np.array([[1, 1, 0]], dtype=np.int8)
    per_field = capped.field_weights(two)[0]
    assert per_field[:2].sum() == pytest.approx(8.0)
    assert per_field[2] == pytest.approx(-np.log2(99))
    assert capped.weights(all_differ)[0] == pytest.approx(-5.0)
    assert capped.weights(all_agree)[0] == pytest.approx(raw.weights(all_agree)[0])
