"""Lasso, ElasticNet and their paths against scikit-learn (the oracle) at a tight tolerance."""

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sk
from sklearn.exceptions import ConvergenceWarning

from mlhood.linear_model import ElasticNet, Lasso, enet_path, lasso_path
from mlhood.linear_model._enet_solver import duality_gap

from ._data import regression_sets, weights_for

SETS = regression_sets()
TIGHT = dict(tol=1e-10, max_iter=100_000)


def assert_coef_close(ours, ref, rtol=1e-6):
    ours, ref = np.asarray(ours), np.asarray(ref)
    np.testing.assert_allclose(ours, ref, rtol=rtol, atol=rtol * max(np.abs(ref).max(), 1e-12))


def _alpha(X, y, fraction, l1_ratio=1.0):
    """A fraction of the smallest alpha that zeroes every coefficient."""
    Xc, yc = X - X.mean(0), y - y.mean()
    return fraction * np.abs(Xc.T @ yc).max() / (len(y) * l1_ratio)


@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("fraction", [0.5, 0.05, 0.002])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_enet_matches_sklearn(name, fraction, l1_ratio, fit_intercept):
    X, y = SETS[name]
    alpha = _alpha(X, y, fraction, l1_ratio)
    kwargs = dict(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=fit_intercept, **TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = sk.ElasticNet(**kwargs).fit(X, y)
    ours = ElasticNet(**kwargs).fit(X, y)
    assert_coef_close(ours.coef_, ref.coef_)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["diabetes", "wide"])
@pytest.mark.parametrize("positive", [False, True])
def test_lasso_matches_sklearn_with_weights_and_positive(name, positive):
    X, y = SETS[name]
    sw = weights_for(len(y), seed=2)
    alpha = _alpha(X, y, 0.05)
    kwargs = dict(alpha=alpha, positive=positive, **TIGHT)
    ref = sk.Lasso(**kwargs).fit(X, y, sample_weight=sw)
    ours = Lasso(**kwargs).fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-6, atol=1e-6)
    if positive:
        assert np.all(ours.coef_ >= 0)


@pytest.mark.parametrize("precompute", [True, "auto", False])
@pytest.mark.parametrize("selection", ["cyclic", "random"])
def test_precompute_and_selection_reach_the_same_optimum(precompute, selection):
    X, y = SETS["synthetic"]
    alpha = _alpha(X, y, 0.05, 0.7)
    ref = sk.ElasticNet(alpha=alpha, l1_ratio=0.7, **TIGHT).fit(X, y)
    ours = ElasticNet(
        alpha=alpha,
        l1_ratio=0.7,
        precompute=precompute,
        selection=selection,
        random_state=0,
        **TIGHT,
    ).fit(X, y)
    assert_coef_close(ours.coef_, ref.coef_)


def test_multi_target_fits_each_column():
    X, y = SETS["synthetic"]
    Y = np.column_stack([y, -2 * y + X[:, 1]])
    alpha = _alpha(X, y, 0.05)
    ours = Lasso(alpha=alpha, **TIGHT).fit(X, Y)
    assert ours.coef_.shape == (2, X.shape[1])
    for k in range(2):
        assert_coef_close(ours.coef_[k], Lasso(alpha=alpha, **TIGHT).fit(X, Y[:, k]).coef_)


def test_default_tol_semantics_gap_below_tol_times_y_norm():
    X, y = SETS["diabetes"]
    model = Lasso(alpha=0.05).fit(X, y)  # default tol=1e-4
    Xc, yc = X - X.mean(0), y - y.mean()
    R = yc - Xc @ model.coef_
    gap = duality_gap(0.05 * len(y), 0.0, model.coef_, R @ R, R @ yc, Xc.T @ R, positive=False)
    assert gap <= 1e-4 * (yc @ yc)
    assert model.dual_gap_ == pytest.approx(gap / len(y), rel=1e-6, abs=1e-12)


def test_duality_gap_is_zero_at_closed_form_solution():
    # orthonormal design: the lasso solution is soft-thresholding of Xᵀy
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.normal(size=(50, 5)))
    y = Q @ np.array([3.0, -2.0, 0.5, 0.0, 1.0]) + 0.01 * rng.normal(size=50)
    A = 0.8
    w = np.sign(Q.T @ y) * np.maximum(np.abs(Q.T @ y) - A, 0)
    R = y - Q @ w
    assert abs(duality_gap(A, 0.0, w, R @ R, R @ y, Q.T @ R, False)) < 1e-12
    model = Lasso(alpha=A / 50, fit_intercept=False, tol=1e-12).fit(Q, y)
    np.testing.assert_allclose(model.coef_, w, atol=1e-10)


def test_warm_start_continues_from_previous_coef():
    X, y = SETS["synthetic"]
    alpha = _alpha(X, y, 0.01)
    model = Lasso(alpha=alpha, warm_start=True, **TIGHT).fit(X, y)
    first_iters = model.n_iter_
    model.fit(X, y)
    assert model.n_iter_ <= 2 < first_iters
    assert_coef_close(model.coef_, sk.Lasso(alpha=alpha, **TIGHT).fit(X, y).coef_)


def test_convergence_warning_when_max_iter_too_small():
    X, y = SETS["wide"]
    with pytest.warns(ConvergenceWarning, match="did not converge"):
        Lasso(alpha=_alpha(X, y, 0.001), max_iter=2, tol=1e-12).fit(X, y)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("name", ["diabetes", "wide"])
def test_enet_path_matches_sklearn(l1_ratio, name):
    X, y = SETS[name]
    X, y = X - X.mean(0), y - y.mean()
    ref_alphas, ref_coefs, _ = sk.enet_path(X, y, l1_ratio=l1_ratio, alphas=30, **TIGHT)
    alphas, coefs, gaps = enet_path(X, y, l1_ratio=l1_ratio, n_alphas=30, **TIGHT)
    np.testing.assert_allclose(alphas, ref_alphas, rtol=1e-12)
    assert_coef_close(coefs, ref_coefs)
    assert coefs.shape == (X.shape[1], 30)
    assert np.all(gaps <= 1e-10 * (y @ y) / len(y))
    # the first alpha is alpha_max: everything is zero there
    assert np.all(coefs[:, 0] == 0) and np.any(coefs[:, 1] != 0)


def test_lasso_path_explicit_alphas_and_n_iter():
    X, y = SETS["synthetic"]
    alphas = [0.1, 10.0, 1.0]
    out, coefs, _, n_iter = lasso_path(X, y, alphas=alphas, return_n_iter=True, **TIGHT)
    np.testing.assert_array_equal(out, [10.0, 1.0, 0.1])
    _, ref, _ = sk.lasso_path(X, y, alphas=[10.0, 1.0, 0.1], **TIGHT)
    assert_coef_close(coefs, ref)
    assert n_iter.shape == (3,)
