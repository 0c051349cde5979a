"""FAST-MCD: recovers the inlier covariance under contamination; agrees with scikit-learn."""

import numpy as np
import pytest
from sklearn.covariance import MinCovDet

from mlhood.outliers import MahalanobisDetector, fast_mcd


def contaminated(n, p, seed, share=0.2):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(p, p))
    cov = A @ A.T / p + np.eye(p)
    X = rng.multivariate_normal(np.zeros(p), cov, size=n)
    bad = rng.choice(n, size=int(share * n), replace=False)
    X[bad] = rng.normal(size=(bad.size, p)) * 0.5 + 6.0 * rng.choice([-1, 1], size=p)
    return X, cov, bad


def relative_error(estimate, truth):
    return np.linalg.norm(estimate - truth) / np.linalg.norm(truth)


@pytest.mark.parametrize(("n", "p", "seed"), [(500, 3, 0), (800, 4, 1)])
def test_fast_mcd_recovers_inlier_covariance_under_20_percent_contamination(n, p, seed):
    X, cov, bad = contaminated(n, p, seed)
    result = fast_mcd(X, random_state=seed)
    classical = np.cov(X, rowvar=False)
    assert relative_error(result.covariance, cov) < 0.25
    assert relative_error(classical, cov) > 1.0  # the contamination ruins the classical one
    clean = np.delete(X, bad, axis=0)  # what we would estimate knowing the outliers
    assert np.abs(result.location - clean.mean(axis=0)).max() < 0.1
    assert relative_error(result.covariance, np.cov(clean, rowvar=False)) < 0.1
    assert not result.support[bad].any()
    assert not result.raw_support[bad].any()

    oracle = MinCovDet(random_state=seed).fit(X)
    np.testing.assert_allclose(result.location, oracle.location_, atol=0.02)
    assert relative_error(result.covariance, oracle.covariance_) < 0.03
    # the same rows survive the reweighting step
    assert np.mean(result.support != oracle.support_) < 0.01


def test_fast_mcd_is_reproducible_and_matches_detector():
    X, _, _ = contaminated(400, 2, 7)
    a = fast_mcd(X, n_trials=100, random_state=3)
    b = fast_mcd(X, n_trials=100, random_state=3)
    np.testing.assert_array_equal(a.covariance, b.covariance)
    det = MahalanobisDetector(n_trials=100, random_state=3).fit(X)
    np.testing.assert_array_equal(det.covariance_, a.covariance)
    np.testing.assert_array_equal(det.location_, a.location)


def test_raw_mcd_subset_has_smallest_determinant_among_random_h_subsets():
    X, _, _ = contaminated(200, 2, 4)
    result = fast_mcd(X, random_state=0)
    h = (200 + 2 + 1) // 2
    assert result.raw_support.sum() == h
    best = np.linalg.det(np.cov(X[result.raw_support], rowvar=False, bias=True))
    rng = np.random.default_rng(0)
    dets = [
        np.linalg.det(np.cov(X[rng.choice(200, h, replace=False)], rowvar=False, bias=True))
        for _ in range(200)
    ]
    assert best < min(dets)


def test_large_n_uses_a_subsample_for_starts_but_all_rows_for_the_fit():
    X, cov, bad = contaminated(4000, 3, 5)
    result = fast_mcd(X, n_trials=100, random_state=0)
    assert result.raw_support.sum() == (4000 + 3 + 1) // 2
    assert relative_error(result.covariance, cov) < 0.1


def test_bad_support_fraction():
    X, _, _ = contaminated(100, 2, 0)
    with pytest.raises(ValueError, match="support_fraction"):
        fast_mcd(X, support_fraction=1.5)
    with pytest.raises(ValueError, match="h > n_features"):
        fast_mcd(X[:3], support_fraction=0.3)
