"""LinearRegression, Ridge and ridge_path against scikit-learn (the oracle)."""

import numpy as np
import pytest
from sklearn import linear_model as sk

from mlhood.linear_model import LinearRegression, Ridge, ridge_path

from ._data import regression_sets, weights_for

SETS = regression_sets()


def assert_coef_close(ours, ref, rtol):
    ours, ref = np.asarray(ours), np.asarray(ref)
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * np.abs(ref).max())


@pytest.mark.parametrize("name", ["diabetes", "synthetic", "scaled"])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_linear_regression_matches_sklearn(name, fit_intercept, weighted):
    X, y = SETS[name]
    sw = weights_for(len(y)) if weighted else None
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    ref = sk.LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-8)


def test_linear_regression_wide_is_minimum_norm():
    X, y = SETS["wide"]
    ours = LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(ours.coef_, np.linalg.pinv(X) @ y, rtol=1e-8, atol=1e-10)
    assert ours.rank_ == X.shape[0]


def test_linear_regression_positive_matches_sklearn():
    X, y = SETS["synthetic"]
    ours = LinearRegression(positive=True).fit(X, y)
    ref = sk.LinearRegression(positive=True).fit(X, y)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    assert np.all(ours.coef_ >= 0)


@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("alpha", [1e-3, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_matches_sklearn(name, alpha, fit_intercept, weighted):
    X, y = SETS[name]
    sw = weights_for(len(y), seed=1) if weighted else None
    ours = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    ref = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8, atol=1e-8)


def test_ridge_multi_target_and_per_target_alpha():
    X, y = SETS["synthetic"]
    Y = np.column_stack([y, 2 * y + X[:, 0], -y])
    for alpha in (0.5, np.array([0.1, 1.0, 10.0])):
        ours = Ridge(alpha=alpha).fit(X, Y)
        ref = sk.Ridge(alpha=alpha).fit(X, Y)
        assert ours.coef_.shape == (3, X.shape[1])
        assert_coef_close(ours.coef_, ref.coef_, 1e-8)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-8)


def test_ridge_closed_form_and_svd_fallback():
    X, y = SETS["diabetes"]
    Xc, yc = X - X.mean(0), y - y.mean()
    expected = np.linalg.solve(Xc.T @ Xc + 2.0 * np.eye(X.shape[1]), Xc.T @ yc)
    assert_coef_close(Ridge(alpha=2.0).fit(X, y).coef_, expected, 1e-10)
    assert_coef_close(Ridge(alpha=2.0, solver="svd").fit(X, y).coef_, expected, 1e-10)
    # alpha = 0 with duplicated columns: Cholesky fails, SVD gives the minimum-norm answer
    Xd = np.hstack([X, X[:, :1]])
    model = Ridge(alpha=0.0).fit(Xd, y)
    assert model.solver_ == "svd"
    ols = LinearRegression().fit(Xd, y)
    assert_coef_close(model.coef_, ols.coef_, 1e-6)


def test_ridge_large_n_blocked_gram_matches_direct():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(10_000, 7)) + 1e3  # large offset: centering must be exact
    y = X @ rng.normal(size=7) + rng.normal(size=10_000)
    ref = sk.Ridge(alpha=3.0).fit(X, y)
    assert_coef_close(Ridge(alpha=3.0).fit(X, y).coef_, ref.coef_, 1e-8)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_path_matches_ridge(fit_intercept):
    X, y = SETS["synthetic"]
    alphas = [100.0, 1.0, 0.01]
    out_alphas, coefs = ridge_path(X, y, alphas=alphas, fit_intercept=fit_intercept)
    np.testing.assert_array_equal(out_alphas, alphas)
    for i, alpha in enumerate(alphas):
        ref = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
        assert_coef_close(coefs[:, i], ref.coef_, 1e-8)


def test_ridge_path_default_grid_shrinks_monotonically():
    X, y = SETS["diabetes"]
    alphas, coefs = ridge_path(X, y, n_alphas=20)
    assert alphas.shape == (20,) and np.all(np.diff(alphas) < 0)
    norms = np.linalg.norm(coefs, axis=0)
    assert np.all(np.diff(norms) >= -1e-12)  # less penalty, larger coefficients
