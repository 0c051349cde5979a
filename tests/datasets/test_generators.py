"""The generators keep the guarantees their docstrings state, deterministically."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlhood.datasets import (
    make_correlated_regression,
    make_nominal_effect,
    make_outliers,
    make_trending_series,
)


@pytest.mark.parametrize(
    "make",
    [
        lambda s: make_correlated_regression(50, random_state=s),
        lambda s: make_trending_series(60, random_state=s),
        lambda s: make_trending_series(60, stationary=True, random_state=s),
        lambda s: make_outliers("regression", 60, random_state=s),
        lambda s: make_nominal_effect(60, 5, task="classification", random_state=s),
    ],
)
def test_same_seed_same_data(make):
    a, b, c = make(3), make(3), make(4)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))
    assert not np.array_equal(np.asarray(a[1], dtype=float), np.asarray(c[1], dtype=float))


def test_correlated_groups_have_the_requested_correlation():
    X, y, coef = make_correlated_regression(
        20000, n_groups=2, group_size=3, correlation=0.9, n_noise_features=2, random_state=0
    )
    corr = np.corrcoef(X.T)
    assert X.shape == (20000, 8)
    np.testing.assert_allclose(corr[0, 1:3], 0.9, atol=0.01)
    np.testing.assert_allclose(corr[3, 4:6], 0.9, atol=0.01)
    np.testing.assert_allclose(corr[0, 3:], 0.0, atol=0.03)
    np.testing.assert_allclose(X.std(axis=0), 1.0, atol=0.02)
    assert np.all(coef[:3] == coef[0]) and np.all(coef[6:] == 0)
    # noise=1: residual of the true model has unit variance
    np.testing.assert_allclose(np.std(y - X @ coef), 1.0, atol=0.02)


def test_sparse_truth_has_n_informative_nonzeros():
    X, y, coef = make_correlated_regression(
        30, n_groups=4, group_size=5, truth="sparse", n_informative=3, random_state=1
    )
    assert np.flatnonzero(coef).tolist() == [0, 5, 10]
    assert np.all((np.abs(coef[coef != 0]) >= 1) & (np.abs(coef[coef != 0]) <= 2))


def test_trending_series_trend_and_ar_moments():
    t, y = make_trending_series(1000, slope=0.1, amplitude=0.0, noise=0.0, random_state=0)
    np.testing.assert_allclose(y, 0.1 * t)
    t, y = make_trending_series(200000, stationary=True, ar_coef=0.6, random_state=0)
    # AR(1): lag-1 autocorrelation = phi, variance = 1 / (1 - phi^2)
    np.testing.assert_allclose(np.corrcoef(y[:-1], y[1:])[0, 1], 0.6, atol=0.01)
    np.testing.assert_allclose(y.var(), 1 / (1 - 0.36), rtol=0.02)


@pytest.mark.parametrize("seed", range(6))
def test_outlier_guarantees(seed):
    X, y, mask = make_outliers("spikes", 300, random_state=seed)
    assert y is None and mask.sum() == 6 and np.all(np.abs(X[mask, 0]) >= 5)

    X, _, mask = make_outliers("cluster", 300, random_state=seed)
    x = X[:, 0]
    z = (x - x.mean()) / x.std()
    med = np.median(x)
    modified_z = 0.6745 * (x - med) / np.median(np.abs(x - med))
    assert np.all(np.abs(z[mask]) < 3) and np.all(modified_z[mask] > 3.5)

    X, y, mask = make_outliers("regression", 300, random_state=seed)
    x = X[:, 0]
    assert x[~mask].min() < x[mask].min() and x[mask].max() < x[~mask].max()
    assert y[~mask].min() < y[mask].min() and y[mask].max() < y[~mask].max()
    assert np.all(np.abs(y[mask] - 1 - 2 * x[mask]) >= 6)


def test_nominal_effect_is_invisible_to_a_line_in_the_code():
    for frequencies in ("uniform", "zipf"):
        X, y, effects = make_nominal_effect(
            200, 12, frequencies=frequencies, effect_scale=2.0, random_state=0
        )
        codes = np.array([int(s[1:]) for s in X[:, 0]])
        assert codes.max() < 12 and sorted(np.unique(X[:, 0]))[0].startswith("c")
        assert effects.shape == (12,)
    # population check under uniform frequencies: weighted line fit is flat, scale is exact
    X, y, effects = make_nominal_effect(10, 9, effect_scale=2.0, random_state=3)
    k = np.arange(9)
    np.testing.assert_allclose([effects.mean(), (k * effects).mean()], 0, atol=1e-12)
    np.testing.assert_allclose(np.sqrt(np.mean(effects**2)), 2.0)


def test_nominal_classification_labels_are_binary():
    X, y, _ = make_nominal_effect(500, 4, task="classification", random_state=0)
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: make_correlated_regression(0), "n_samples"),
        (lambda: make_correlated_regression(correlation=1.0), "correlation"),
        (lambda: make_correlated_regression(truth="medium"), "truth"),
        (lambda: make_correlated_regression(truth="sparse", n_informative=9), "n_informative"),
        (lambda: make_trending_series(1), "n_samples"),
        (lambda: make_trending_series(stationary=True, ar_coef=1.1), "stationary"),
        (lambda: make_trending_series(period=0), "period"),
        (lambda: make_outliers("bogus"), "kind"),
        (lambda: make_outliers("spikes", 100, 60), "n_outliers"),
        (lambda: make_nominal_effect(10, 2), "n_categories"),
        (lambda: make_nominal_effect(frequencies="pareto"), "frequencies"),
        (lambda: make_nominal_effect(task="ranking"), "task"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@settings(max_examples=25, deadline=None)
@given(bad=st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.booleans()))
def test_non_integer_sizes_raise_type_error(bad):
    with pytest.raises(TypeError, match="n_samples"):
        make_correlated_regression(bad)
