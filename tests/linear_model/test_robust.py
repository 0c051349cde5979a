"""HuberRegressor and RANSACRegressor against scikit-learn and closed forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime
from sklearn import linear_model as sk
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.linear_model import HuberRegressor, LinearRegression, RANSACRegressor, Ridge
from mlhood.linear_model._huber import huber_objective
from mlhood.linear_model._ransac import needed_trials


@parametrize_with_checks([HuberRegressor(), RANSACRegressor(random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


def contaminated(n=300, p=4, seed=0, share=0.2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X @ rng.normal(size=p) + 1.5 + 0.3 * rng.standard_t(3, size=n)
    bad = rng.choice(n, size=int(share * n), replace=False)
    y[bad] += rng.uniform(10, 30, size=bad.size)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize(("epsilon", "alpha"), [(1.35, 1e-4), (1.1, 1.0), (2.5, 0.0)])
@pytest.mark.parametrize("seed", [0, 1])
def test_huber_matches_sklearn(fit_intercept, epsilon, alpha, seed):
    X, y = contaminated(seed=seed)
    ours = HuberRegressor(epsilon=epsilon, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    ref = sk.HuberRegressor(epsilon=epsilon, alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4)
    np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-4)
    np.testing.assert_array_equal(ours.outliers_, ref.outliers_)


def test_huber_gradient_matches_finite_differences():
    X, y = contaminated(n=60, p=3)
    rng = np.random.default_rng(3)
    for fit_intercept in (True, False):
        params = rng.normal(size=3 + int(fit_intercept) + 1)
        params[-1] = 1.7
        args = (X, y, 1.35, 0.3, fit_intercept)
        grad = huber_objective(params, *args)[1]
        numeric = approx_fprime(params, lambda p, a=args: huber_objective(p, *a)[0], 1e-7)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-4)


def test_huber_resists_outliers_where_least_squares_does_not():
    X, y = contaminated(n=400, p=2, seed=4)  # true intercept 1.5, outliers shift y up
    huber = HuberRegressor().fit(X, y)
    ols = LinearRegression().fit(X, y)
    assert abs(huber.intercept_ - 1.5) < 0.3 < abs(ols.intercept_ - 1.5)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"epsilon": 0.5}, "epsilon"),
        ({"alpha": -1.0}, "alpha"),
        ({"max_iter": 0}, "max_iter"),
        ({"fit_intercept": "yes"}, "fit_intercept"),
    ],
)
def test_huber_bad_params(params, message):
    X, y = contaminated(n=30, p=2)
    with pytest.raises((ValueError, TypeError), match=message):
        HuberRegressor(**params).fit(X, y)


def gross_outliers(n=300, p=4, seed=0, share=0.3):
    """Linear data with light noise; a share of rows shifted far up. Returns the truth."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    coef = rng.normal(size=p)
    y = X @ coef + 1.5 + 0.1 * rng.normal(size=n)
    bad = np.zeros(n, dtype=bool)
    bad[rng.choice(n, size=int(share * n), replace=False)] = True
    y[bad] += rng.uniform(10, 30, size=bad.sum())
    return X, y, coef, bad


@pytest.mark.parametrize("loss", ["absolute_error", "squared_error"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ransac_agrees_with_sklearn_and_the_truth_on_gross_outliers(loss, seed):
    X, y, coef, bad = gross_outliers(seed=seed)
    ours = RANSACRegressor(loss=loss, residual_threshold=0.5, random_state=seed).fit(X, y)
    ref = sk.RANSACRegressor(loss=loss, residual_threshold=0.5, random_state=seed).fit(X, y)
    # Different random subsets, same consensus: no gross outlier is an inlier, nearly
    # all clean rows are, and both refits recover the true coefficients.
    for model in (ours, ref):
        assert not model.inlier_mask_[bad].any()
        assert model.inlier_mask_[~bad].mean() > 0.95
    np.testing.assert_allclose(ours.estimator_.coef_, coef, atol=0.03)
    np.testing.assert_allclose(ours.estimator_.coef_, ref.estimator_.coef_, atol=0.03)
    np.testing.assert_allclose(ours.estimator_.intercept_, ref.estimator_.intercept_, atol=0.03)


def test_ransac_default_threshold_is_mad_of_y_and_refit_is_least_squares_on_inliers():
    X, y = contaminated(seed=5, share=0.25)
    model = RANSACRegressor(random_state=0).fit(X, y)
    mad = np.median(np.abs(y - np.median(y)))
    residual = np.abs(y - model.estimator_.predict(X))
    # the refit model is least squares on the inliers
    lstsq = LinearRegression().fit(X[model.inlier_mask_], y[model.inlier_mask_])
    np.testing.assert_allclose(model.estimator_.coef_, lstsq.coef_, atol=1e-10)
    # and nearly every point inside the MAD band of the final model is an inlier
    agree = (residual <= mad) == model.inlier_mask_
    assert agree.mean() > 0.97


def test_ransac_same_seed_same_result():
    X, y = contaminated(seed=6)
    a = RANSACRegressor(random_state=11).fit(X, y)
    b = RANSACRegressor(random_state=11).fit(X, y)
    np.testing.assert_array_equal(a.inlier_mask_, b.inlier_mask_)
    assert a.n_trials_ == b.n_trials_


def test_ransac_stops_early_by_stop_probability():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 1))
    y = 2 * X.ravel() + 1  # every point is an inlier: one trial suffices
    model = RANSACRegressor(max_trials=1000, random_state=0).fit(X, y)
    assert model.n_trials_ == 1
    assert model.inlier_mask_.all()


def test_needed_trials_closed_form():
    # w = 0.5, m = 2: P(clean subset) = 0.25; N = log(0.01) / log(0.75)
    assert needed_trials(0.5, 2, 0.99) == pytest.approx(np.log(0.01) / np.log(0.75))
    assert needed_trials(1.0, 3, 0.99) == 1.0
    assert needed_trials(0.0, 3, 0.99) == np.inf
    # a bad first trial (0.1% inliers, 11-point subsets) asks for astronomically many
    # trials -- not for a negative number that would stop the search at once
    assert needed_trials(0.001, 11, 0.99) > 1e30


def test_ransac_keeps_searching_after_a_bad_first_trial():
    X, y, coef, bad = gross_outliers(n=5000, p=3, seed=8, share=0.4)
    model = RANSACRegressor(residual_threshold=0.5, random_state=0).fit(X, y)
    assert model.n_trials_ > 1
    assert not model.inlier_mask_[bad].any()
    np.testing.assert_allclose(model.estimator_.coef_, coef, atol=0.01)


def test_ransac_custom_estimator_and_callable_loss():
    X, y, coef, bad = gross_outliers(seed=7, share=0.2)
    model = RANSACRegressor(
        Ridge(alpha=1e-6),
        loss=lambda t, p: np.abs(t - p),
        residual_threshold=0.5,
        random_state=0,
    ).fit(X, y)
    assert isinstance(model.estimator_, Ridge)
    assert not model.inlier_mask_[bad].any()
    np.testing.assert_allclose(model.estimator_.coef_, coef, atol=0.03)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_samples": 0}, "min_samples"),
        ({"min_samples": 1.5}, "min_samples"),
        ({"min_samples": 500}, "min_samples"),
        ({"loss": "hinge"}, "loss"),
        ({"max_trials": 0}, "max_trials"),
        ({"residual_threshold": -1.0}, "residual_threshold"),
        ({"stop_probability": 1.5}, "stop_probability"),
    ],
)
def test_ransac_bad_params(params, message):
    X, y = contaminated(n=50, p=2)
    with pytest.raises(ValueError, match=message):
        RANSACRegressor(random_state=0, **params).fit(X, y)


def test_ransac_no_consensus_is_a_clear_error():
    X, y = contaminated(n=50, p=2)
    with pytest.raises(ValueError, match="no consensus"):
        RANSACRegressor(residual_threshold=0.0, max_trials=5, random_state=0).fit(X, y)


@settings(max_examples=25, deadline=None)
@given(slope=st.floats(-5, 5), intercept=st.floats(-5, 5), seed=st.integers(0, 2**31 - 1))
def test_huber_and_ransac_recover_an_exact_line_with_outliers(slope, intercept, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, size=80)
    y = slope * x + intercept
    bad = rng.choice(80, size=12, replace=False)
    y[bad] += rng.choice([-1, 1], size=12) * rng.uniform(20, 50, size=12)
    X = x[:, None]
    ransac = RANSACRegressor(residual_threshold=1e-6, random_state=0).fit(X, y)
    np.testing.assert_allclose(ransac.estimator_.coef_[0], slope, atol=1e-6)
    assert ransac.inlier_mask_.sum() == 68
    huber = HuberRegressor(alpha=0.0, max_iter=1000).fit(X, y)
    np.testing.assert_allclose(huber.coef_[0], slope, atol=0.05)
