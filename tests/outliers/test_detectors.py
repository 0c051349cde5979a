"""Outlier detectors against closed forms, SciPy, matplotlib's box plot and scikit-learn."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.cbook import boxplot_stats
from scipy.spatial.distance import cdist
from scipy.stats import chi2, median_abs_deviation, zscore

from mlhood.datasets import make_outliers
from mlhood.linear_model import HuberRegressor
from mlhood.outliers import (
    IQRDetector,
    MADDetector,
    MahalanobisDetector,
    ResidualDetector,
    ZScoreDetector,
)

ALL = [
    IQRDetector,
    MADDetector,
    ZScoreDetector,
    lambda: MahalanobisDetector(robust=False),
    lambda: MahalanobisDetector(n_trials=50, random_state=0),
    ResidualDetector,
]


def sample(n=200, p=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, p))


def test_zscore_equals_scipy_zscore():
    X = sample()
    X[5, 1] = 9.0
    det = ZScoreDetector().fit(X)
    expected = np.abs(zscore(X, ddof=1)).max(axis=1)
    np.testing.assert_allclose(-det.score_samples(X), expected, rtol=1e-12)
    np.testing.assert_array_equal(det.predict(X) == -1, expected > 3.0)


def test_mad_equals_modified_zscore():
    X = sample()
    X[7, 0] = -8.0
    det = MADDetector().fit(X)
    median = np.median(X, axis=0)
    mad = median_abs_deviation(X, axis=0)
    expected = np.abs(0.6745 * (X - median) / mad).max(axis=1)
    np.testing.assert_allclose(-det.score_samples(X), expected, rtol=1e-12)
    np.testing.assert_array_equal(det.predict(X) == -1, expected > 3.5)


def test_mad_falls_back_to_mean_absolute_deviation_when_mad_is_zero():
    x = np.r_[np.zeros(30), 1.0, 2.0, 50.0][:, None]  # MAD = 0, but not constant
    det = MADDetector().fit(x)
    mean_ad = np.abs(x - 0.0).mean()
    np.testing.assert_allclose(det.scale_, [1.253314 * mean_ad])
    assert det.predict([[50.0]])[0] == -1 and det.predict([[0.0]])[0] == 1


@pytest.mark.parametrize("k", [1.5, 3.0])
def test_iqr_flags_exactly_matplotlib_box_plot_fliers(k):
    X = np.random.default_rng(1).standard_t(2, size=(300, 2))
    flagged = IQRDetector(k=k).fit_predict(X) == -1
    expected = np.zeros(300, dtype=bool)
    for j in range(2):
        stats = boxplot_stats(X[:, j], whis=k)[0]
        expected |= np.isin(X[:, j], stats["fliers"])
    assert expected.any()
    np.testing.assert_array_equal(flagged, expected)


def test_iqr_with_zero_iqr_flags_every_value_off_the_tie():
    x = np.r_[np.full(20, 5.0), 5.5, 4.0][:, None]
    det = IQRDetector().fit(x)
    assert det.iqr_[0] == 0.0
    np.testing.assert_array_equal(det.predict(x) == -1, x.ravel() != 5.0)


def test_classical_mahalanobis_equals_scipy():
    X = sample(p=4) @ np.array([[1, 0.5, 0, 0], [0, 1, 0.3, 0], [0, 0, 1, 0], [0, 0, 0, 2.0]])
    det = MahalanobisDetector(robust=False).fit(X)
    VI = np.linalg.inv(np.cov(X, rowvar=False))
    expected = cdist(X, X.mean(axis=0)[None], metric="mahalanobis", VI=VI).ravel() ** 2
    np.testing.assert_allclose(det.mahalanobis(X), expected, rtol=1e-10)
    assert det.threshold_ == pytest.approx(chi2.ppf(0.975, 4))
    np.testing.assert_array_equal(det.predict(X) == -1, expected > chi2.ppf(0.975, 4))


def test_mahalanobis_sees_what_single_features_cannot():
    rng = np.random.default_rng(0)
    X = rng.multivariate_normal([0, 0], [[1, 0.95], [0.95, 1]], size=400)
    X[0] = [1.5, -1.5]  # ordinary on each axis, impossible jointly
    assert ZScoreDetector().fit_predict(X)[0] == 1
    assert IQRDetector().fit_predict(X)[0] == 1
    assert MahalanobisDetector(random_state=0).fit_predict(X)[0] == -1


def test_residual_detector_standardises_huber_residuals_by_mad():
    X, y, mask = make_outliers("regression", n_samples=300, n_outliers=15, random_state=0)
    data = np.c_[X, y]
    det = ResidualDetector().fit(data)
    huber = HuberRegressor(max_iter=500).fit(X, y)
    residual = y - huber.predict(X)
    scale = median_abs_deviation(residual, scale=1 / 1.4826)  # MAD * 1.4826
    np.testing.assert_allclose(det.scale_, scale / (1.4826 * 0.6745), rtol=1e-6)
    np.testing.assert_allclose(-det.score_samples(data), np.abs(residual) / det.scale_, rtol=1e-6)
    flagged = det.predict(data) == -1
    assert flagged[mask].all()  # every joint outlier is caught
    assert not (IQRDetector().fit_predict(data) == -1)[mask].any()  # ...no box plot sees them


def test_residual_detector_single_column_is_modified_zscore():
    x = sample(p=1)
    x[3] = 7.0
    a = ResidualDetector().fit(x)
    b = MADDetector().fit(x)
    np.testing.assert_allclose(a.score_samples(x), b.score_samples(x), rtol=1e-12)


def test_residual_detector_target_column_and_ransac():
    X, y, mask = make_outliers("regression", n_samples=200, n_outliers=10, random_state=2)
    data = np.c_[y, X]  # response first
    flagged = ResidualDetector("ransac", target=0, random_state=0).fit_predict(data) == -1
    assert flagged[mask].all()
    assert flagged[~mask].mean() < 0.02


@pytest.mark.parametrize("make", ALL)
@pytest.mark.parametrize("contamination", [0.05, 0.2])
def test_contamination_flags_that_share_of_training_rows(make, contamination):
    det = make().set_params(contamination=contamination)
    X = sample(n=400, seed=3)
    flagged = det.fit_predict(X) == -1
    assert flagged.sum() == pytest.approx(contamination * 400, abs=1)


@pytest.mark.parametrize("make", ALL)
def test_constant_data_is_a_clear_error(make):
    X = np.ones((50, 2))
    with pytest.raises(ValueError, match="constant"):
        make().fit(X)


@pytest.mark.parametrize("make", ALL)
def test_decision_function_sign_matches_predict(make):
    X = sample(seed=4)
    X[:5] *= 8
    det = make().fit(X)
    decision = det.decision_function(X)
    np.testing.assert_array_equal(det.predict(X), np.where(decision < 0, -1, 1))
    np.testing.assert_allclose(decision, det.score_samples(X) - det.offset_)


@pytest.mark.parametrize(
    ("det", "message"),
    [
        (ZScoreDetector(contamination=0.7), "contamination"),
        (MADDetector(contamination="most"), "contamination"),
        (IQRDetector(k=-1.0), "k"),
        (ZScoreDetector(threshold=-3.0), "threshold"),
        (MahalanobisDetector(quantile=1.0), "quantile"),
        (ResidualDetector(estimator="ols"), "estimator"),
        (ResidualDetector(target=5), "target"),
    ],
)
def test_bad_parameters(det, message):
    with pytest.raises((ValueError, TypeError), match=message):
        det.fit(sample())


def test_singular_covariance_is_a_clear_error():
    X = sample(p=2)
    X = np.c_[X, X[:, 0] + X[:, 1]]  # third feature is a sum of the others
    with pytest.raises(ValueError, match="singular"):
        MahalanobisDetector(robust=False).fit(X)
    with pytest.raises(ValueError, match="singular"):
        MahalanobisDetector(n_trials=20, random_state=0).fit(X)


def test_masking_cluster_hides_from_zscore_not_from_mad():
    X, _, mask = make_outliers("cluster", n_samples=300, random_state=0)
    z = ZScoreDetector().fit_predict(X) == -1
    m = MADDetector().fit_predict(X) == -1
    assert z[mask].sum() == 0 and m[mask].all()


@settings(max_examples=25, deadline=None)
@given(
    scale=st.floats(1e-3, 1e3),
    shift=st.floats(-1e3, 1e3),
    seed=st.integers(0, 2**31 - 1),
)
def test_rules_are_affine_invariant(scale, shift, seed):
    X = np.random.default_rng(seed).standard_t(3, size=(60, 2))
    for make in (IQRDetector, MADDetector, ZScoreDetector, lambda: MahalanobisDetector(False)):
        a = make().fit(X)
        b = make().fit(scale * X + shift)
        np.testing.assert_allclose(
            a.score_samples(X), b.score_samples(scale * X + shift), rtol=1e-6, atol=1e-8
        )
