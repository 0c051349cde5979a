"""Lab q01 (overfitting, bias-variance, OOB): claims hold, numbers repeat, helpers are right."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import Ridge as SkRidge

from mlhood import mistakes
from mlhood.ensemble import RandomForestRegressor
from mlhood.labs import run_lab
from mlhood.labs.q01_overfitting import (
    friedman,
    least_squares_gap,
    polynomial_design,
    ridge_normal_equations,
    tree_diversity,
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q01_claims_hold(seed):
    result = run_lab("q01", quick=True, seed=seed)
    assert result.id == "q01" and result.title and result.question and result.answer
    assert "36.8%" in result.answer and "bias²" in result.answer
    assert len(result.claims) == 7
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]


def test_q01_same_seed_same_numbers():
    first, second = run_lab("q01", seed=4), run_lab("q01", seed=4)
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_decomposition_table_is_consistent():
    rows = run_lab("q01", seed=1).tables["bias-variance decomposition"]
    assert len(rows) == 3
    for row in rows:
        assert row["noise"] == pytest.approx(1.0, abs=0.15)  # the simulated noise variance
        assert row["bias²"] >= 0 and row["variance"] >= 0
        assert row["expected MSE"] == pytest.approx(
            row["bias²"] + row["variance"] + row["noise"], rel=0.1
        )


def test_helpers():
    X = np.array([[0.5, 1.0, 0.5, 0.0, 0.0]])
    assert friedman(X)[0] == pytest.approx(10.0)  # 10 sin(pi/2)
    x = np.linspace(0, 1, 30)
    P, P_other = polynomial_design(x, x)
    assert P.shape == (30, 15)
    np.testing.assert_allclose(P.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(P, P_other)


def test_least_squares_gap_is_zero_for_scikit_learn_and_large_for_a_bad_fit():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    assert least_squares_gap(SkLinearRegression().fit(X, y), X, y) < 1e-10
    assert least_squares_gap(SkRidge(alpha=50.0).fit(X, y), X, y) > 0.05


def test_ridge_normal_equations_agree_with_scikit_learn():
    rng = np.random.default_rng(1)
    P, y = rng.normal(size=(25, 4)) + 3.0, rng.normal(size=25) + 5.0
    model, residual = ridge_normal_equations(P, y, 2.0)
    assert residual < 1e-10
    np.testing.assert_allclose(model.coef_, SkRidge(alpha=2.0).fit(P, y).coef_, rtol=1e-8)
    with mistakes.applied("ridge-intercept-penalised"):
        assert ridge_normal_equations(P, y, 2.0)[1] > 1e-3


def test_tree_diversity_against_numpy():
    rng = np.random.default_rng(2)
    X = rng.uniform(size=(120, 5))
    forest = RandomForestRegressor(5, random_state=0).fit(X, friedman(X))
    X_test = rng.uniform(size=(50, 5))
    disagreement, correlation = tree_diversity(forest, X_test, friedman(X_test))
    P = np.array([t.predict(X_test) for t in forest.estimators_])
    assert disagreement == pytest.approx(np.var(P, axis=0, ddof=1).mean())
    errors = P - friedman(X_test)
    pairs = [np.corrcoef(errors[i], errors[j])[0, 1] for i in range(5) for j in range(5) if i != j]
    assert correlation == pytest.approx(np.mean(pairs))
