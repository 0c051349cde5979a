"""Lab q07 (Ridge vs Lasso): claims hold, numbers repeat, optimality checks are right."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso as SkLasso

from mlhood import mistakes
from mlhood.labs import run_lab
from mlhood.labs.q07_ridge_vs_lasso import lasso_optimality, ridge_optimality, uncentred
from mlhood.linear_model import Lasso


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q07_claims_hold(seed):
    result = run_lab("q07", quick=True, seed=seed)
    assert result.id == "q07" and result.title and result.question and result.answer
    assert "L2" in result.answer and "L1" in result.answer
    assert len(result.claims) == 6
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]  # JSON-ready


def test_q07_same_seed_same_numbers():
    first = run_lab("q07", quick=True, seed=4)
    second = run_lab("q07", quick=True, seed=4)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_q07_tables_are_consistent():
    result = run_lab("q07", quick=True, seed=5)
    errors = {row["truth"]: row for row in result.tables["prediction error"]}
    assert set(errors) == {"dense", "sparse"}
    for row in errors.values():
        assert row["lasso/ridge"] == pytest.approx(
            row["lasso test MSE"] / row["ridge test MSE"], rel=1e-2
        )
    groups = result.tables["bootstrap stability per group"]
    assert all(np.isclose(g["ridge: non-zero members (mean)"], 5.0) for g in groups)


def _data(seed=0):
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(80, 1))
    X = 0.9 * latent + 0.3 * rng.normal(size=(80, 6))
    y = X @ np.array([2.0, 0, 0, -1.0, 0, 0.5]) + rng.normal(size=80)
    return uncentred(X, y, rng)


def test_uncentred_moves_the_data_off_the_origin():
    X, y = _data()
    assert np.all(np.abs(X.mean(axis=0)) > 1.0) and y.mean() > 50


def test_lasso_optimality_accepts_scikit_learn_and_rejects_a_hard_threshold():
    X, y = _data(1)
    alphas = [0.3, 0.05]
    violation, zeros, nonzeros = lasso_optimality(X, y, alphas)
    assert violation < 1e-6 and zeros > 0 and nonzeros > 0
    for alpha in alphas:  # our Lasso agrees with scikit-learn's at a tight tolerance
        reference = SkLasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
        mine = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(mine.coef_, reference.coef_, atol=1e-6)
    with mistakes.applied("lasso-hard-threshold"):
        assert lasso_optimality(X, y, alphas)[0] > 0.5


def test_ridge_optimality_flags_a_penalised_intercept():
    X, y = _data(2)
    assert ridge_optimality(X, y, [0.1, 10.0]) == (pytest.approx(0.0, abs=1e-9), 0)
    with mistakes.applied("ridge-intercept-penalised"):
        assert ridge_optimality(X, y, [0.1, 10.0])[0] > 1e-4
