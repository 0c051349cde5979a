"""PCA equals scikit-learn's (signs included: both make each axis' largest entry positive)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.decomposition import PCA


def _data(n, p, rank=None, seed=0, offset=3.0):
    rng = np.random.default_rng(seed)
    rank = rank or p
    X = rng.normal(size=(n, rank)) @ (rng.normal(size=(rank, p)) * np.geomspace(4, 0.2, p))
    return X + offset


def _assert_same_fit(ours, ref, X, rtol=1e-8):
    assert ours.n_components_ == ref.n_components_
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=rtol)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=rtol
    )
    np.testing.assert_allclose(ours.singular_values_, ref.singular_values_, rtol=rtol)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-6)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-6 * np.abs(X).max())
    Z = ref.transform(X)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), atol=1e-6)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto"])
@pytest.mark.parametrize("n_components", [None, 3, 0.9])
@pytest.mark.parametrize("whiten", [False, True])
def test_exact_solvers_match_sklearn_full(solver, n_components, whiten):
    X = _data(400, 12)
    ours = PCA(n_components, svd_solver=solver, whiten=whiten).fit(X)
    ref = SkPCA(n_components, svd_solver="full", whiten=whiten).fit(X)
    _assert_same_fit(ours, ref, X)


@pytest.mark.parametrize("n_components", [None, 5, 0.5])
def test_wide_data(n_components):
    X = _data(30, 80, seed=1)
    ours = PCA(n_components).fit(X)
    ref = SkPCA(n_components, svd_solver="full").fit(X)
    _assert_same_fit(ours, ref, X)


def test_randomized_recovers_a_low_rank_spectrum():
    X = _data(300, 200, rank=8, seed=2)
    X += 1e-3 * np.random.default_rng(3).normal(size=X.shape)
    ours = PCA(8, svd_solver="randomized", random_state=0).fit(X)
    exact = SkPCA(8, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance_, exact.explained_variance_, rtol=1e-8)
    np.testing.assert_allclose(ours.components_, exact.components_, atol=1e-6)
    np.testing.assert_allclose(
        ours.explained_variance_ratio_, exact.explained_variance_ratio_, rtol=1e-8
    )
    np.testing.assert_allclose(ours.noise_variance_, exact.noise_variance_, rtol=1e-6)
    again = PCA(8, svd_solver="randomized", random_state=0).fit(X)
    np.testing.assert_array_equal(ours.components_, again.components_)


def test_auto_picks_randomized_for_few_components_of_big_wide_data():
    X = _data(60, 520, rank=5, seed=4)
    ours = PCA(5, random_state=0).fit(X)
    np.testing.assert_allclose(
        ours.explained_variance_, SkPCA(5, svd_solver="full").fit(X).explained_variance_, rtol=1e-8
    )


def test_covariance_solver_stays_accurate_with_a_large_mean_and_tiny_directions():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(3000, 6)) * np.array([1, 1, 1e-3, 1e-3, 1e-5, 1e-6]) + 1e6
    ours = PCA(svd_solver="covariance_eigh").fit(X)
    ref = SkPCA(svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-6)
    np.testing.assert_allclose(np.abs(ours.components_), np.abs(ref.components_), atol=1e-6)


def test_whitened_scores_have_unit_variance():
    X = _data(500, 6)
    Z = PCA(4, whiten=True).fit_transform(X)
    np.testing.assert_allclose(Z.var(axis=0, ddof=1), 1.0, rtol=1e-10)
    np.testing.assert_allclose(Z.T @ Z / (len(Z) - 1), np.eye(4), atol=1e-10)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 40), p=st.integers(1, 8), seed=st.integers(0, 1000))
def test_random_shapes_match_sklearn(n, p, seed):
    X = np.random.default_rng(seed).normal(size=(n, p))
    ours, ref = PCA().fit(X), SkPCA(svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, atol=1e-10)
    # directions are only identifiable where the variance is not repeated
    full_rank = ref.explained_variance_ > 1e-8 * ref.explained_variance_[0]
    np.testing.assert_allclose(
        np.abs(ours.transform(X) @ np.diag(full_rank)),
        np.abs(ref.transform(X) @ np.diag(full_rank)),
        atol=1e-7,
    )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_components": 0}, "n_components"),
        ({"n_components": 1.5}, "n_components"),
        ({"n_components": "mle"}, "n_components"),
        ({"n_components": 50}, "between 1 and"),
        ({"svd_solver": "arpack"}, "svd_solver"),
        ({"svd_solver": "randomized", "n_components": 0.5}, "integer n_components"),
    ],
)
def test_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        PCA(**params).fit(_data(20, 4))


def test_bad_data():
    with pytest.raises(ValueError, match="NaN"):
        PCA().fit(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(ValueError, match="1 sample"):
        PCA().fit(np.ones((1, 3)))
    pca = PCA(2).fit(_data(20, 4))
    with pytest.raises(ValueError, match="features"):
        pca.transform(np.ones((3, 5)))
    with pytest.raises(ValueError, match="shape"):
        pca.inverse_transform(np.ones((3, 3)))


@parametrize_with_checks([PCA(), PCA(whiten=True, svd_solver="full")])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("offset", [0.0, 1e4, 1e8])
def test_centered_gram_exact_even_with_large_means(offset):
    """The fast X^T X - n mean mean^T path must fall back when it would cancel digits."""
    from mlhood._linalg import centered_gram

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 20)) + offset
    mean = X.mean(axis=0)
    exact = (X - mean).T @ (X - mean)
    np.testing.assert_allclose(centered_gram(X, mean)[0], exact, rtol=1e-10, atol=1e-9)
