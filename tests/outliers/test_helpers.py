"""Helpers of the detectors: robust SD, MCD consistency factor, classical estimates."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import chi2, median_abs_deviation

from mlhood.outliers import MahalanobisDetector
from mlhood.outliers._mahalanobis import classical_estimates
from mlhood.outliers._mcd import consistency_factor
from mlhood.outliers._univariate import robust_sd


def test_robust_sd_matches_scipy_normal_scale():
    X = np.random.default_rng(0).normal(3.0, 2.0, (500, 3))
    expected = median_abs_deviation(X, axis=0, scale=0.6745)  # MAD / 0.6745
    np.testing.assert_allclose(robust_sd(X, np.median(X, axis=0)), expected, rtol=1e-12)


def test_robust_sd_estimates_the_sd_of_normal_data():
    x = np.random.default_rng(1).normal(0.0, 2.0, (200_000, 1))
    assert robust_sd(x, np.median(x, axis=0))[0] == pytest.approx(2.0, rel=0.01)


def test_robust_sd_falls_back_to_mean_absolute_deviation():
    x = np.array([[0.0], [0.0], [0.0], [0.0], [4.0]])
    assert robust_sd(x, np.zeros(1))[0] == pytest.approx(1.253314 * 0.8)


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, (30, 2), elements=st.floats(-1e3, 1e3)))
def test_robust_sd_is_non_negative_and_scale_equivariant(X):
    sd = robust_sd(X, np.median(X, axis=0))
    assert np.all(sd >= 0)
    np.testing.assert_allclose(robust_sd(3 * X, np.median(3 * X, axis=0)), 3 * sd, atol=1e-9)


def test_consistency_factor_is_one_for_chi_square_distances():
    d2 = chi2.ppf(np.linspace(0.0005, 0.9995, 2000), 3)
    assert consistency_factor(d2, 3) == pytest.approx(1.0, rel=1e-3)
    assert consistency_factor(4 * d2, 3) == pytest.approx(4.0, rel=1e-3)


def test_classical_estimates_match_numpy():
    X = np.random.default_rng(2).normal(size=(50, 3))
    location, covariance, support = classical_estimates(X)
    np.testing.assert_allclose(location, X.mean(axis=0))
    np.testing.assert_allclose(covariance, np.cov(X, rowvar=False))
    assert support.all() and support.shape == (50,)


def test_robust_and_classical_detectors_differ_only_in_the_estimates():
    X = np.random.default_rng(3).normal(size=(200, 2))
    classical = MahalanobisDetector(robust=False).fit(X)
    np.testing.assert_allclose(classical.covariance_, np.cov(X, rowvar=False))
    robust = MahalanobisDetector(n_trials=20, random_state=0).fit(X)
    assert robust.support_.sum() < X.shape[0]
