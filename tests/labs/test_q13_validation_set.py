"""Lab q13: selection bias on coin-flip labels, nested CV and early stopping; 3 seeds."""

import numpy as np
import pytest

from mlhood.labs import q13_validation_set as lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q13" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)


def test_same_seed_same_numbers():
    a, b = lab.run(quick=True, seed=5), lab.run(quick=True, seed=5)
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]
    assert a.tables == b.tables
    c = lab.run(quick=True, seed=6)
    assert [x.evidence for x in a.claims] != [x.evidence for x in c.claims]


def test_subset_tree_uses_its_columns_and_follows_its_seed():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 20))
    y = (X[:, 7] > 0).astype(int)
    a = lab.SubsetTree(subset_seed=4, n_features=3, random_state=1).fit(X, y)
    b = lab.SubsetTree(subset_seed=4, n_features=3, random_state=1).fit(X, y)
    np.testing.assert_array_equal(a.columns_, b.columns_)
    assert len(set(a.columns_)) == 3
    others = {
        tuple(lab.SubsetTree(subset_seed=4, random_state=s).fit(X, y).columns_) for s in range(8)
    }
    assert len(others) > 1
    full = lab.SubsetTree(subset_seed=0, n_features=20, max_depth=1).fit(X, y)
    assert full.score(X, y) == 1.0  # the informative column 7 is available


def test_numpy_gradient_descent_reaches_least_squares():
    """Oracle: GD on the mean squared error converges to the least-squares solution."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(40, 3))
    y = (X @ [1.0, -2.0, 0.5] + 0.7 + 0.1 * rng.normal(size=40))[:, None]
    val_loss, weights = lab.gradient_descent_path(X, y, X, y, lr=0.1, epochs=2000)
    w, b = weights[-1]
    coef = np.linalg.lstsq(np.column_stack([X, np.ones(40)]), y[:, 0], rcond=None)[0]
    np.testing.assert_allclose(np.r_[w[:, 0], b], coef, atol=1e-8)
    assert val_loss[-1] == pytest.approx(np.mean((X @ w + b - y) ** 2))
    w1, b1 = weights[0]  # one step from zero: w = lr * 2/n X^T y
    np.testing.assert_allclose(w1, 0.1 * 2 / 40 * X.T @ y)
    np.testing.assert_allclose(b1, 0.1 * 2 / 40 * y.sum(axis=0))
