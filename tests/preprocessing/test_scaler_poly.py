"""StandardScaler and PolynomialFeatures against scikit-learn (oracle) and closed forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn import preprocessing as skp
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.preprocessing import PolynomialFeatures, StandardScaler


@parametrize_with_checks(
    [StandardScaler(), StandardScaler(with_mean=False), PolynomialFeatures(degree=2)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(5.0, 3.0, size=(200, 4)) * [1.0, 10.0, 0.1, 1e4]


@pytest.mark.parametrize("with_mean", [True, False])
@pytest.mark.parametrize("with_std", [True, False])
def test_scaler_matches_sklearn(data, with_mean, with_std):
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(data)
    ref = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(data)
    np.testing.assert_allclose(ours.transform(data), ref.transform(data), rtol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(data)), data, rtol=1e-12)
    if with_std:
        np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-12)
        np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-12)


def test_scaler_sample_weight_matches_sklearn_and_repetition(data):
    weights = np.random.default_rng(1).integers(0, 4, size=len(data))
    ours = StandardScaler().fit(data, sample_weight=weights)
    ref = skp.StandardScaler().fit(data, sample_weight=weights)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-10)
    repeated = StandardScaler().fit(np.repeat(data, weights, axis=0))
    np.testing.assert_allclose(ours.var_, repeated.var_, rtol=1e-10)


def test_partial_fit_equals_fit(data):
    chunked = StandardScaler()
    for chunk in np.array_split(data, 7):
        chunked.partial_fit(chunk)
    full = StandardScaler().fit(data)
    np.testing.assert_allclose(chunked.mean_, full.mean_, rtol=1e-12)
    np.testing.assert_allclose(chunked.var_, full.var_, rtol=1e-10)
    assert chunked.n_samples_seen_ == len(data)


def test_constant_feature_keeps_unit_scale():
    X = np.column_stack([np.full(10, 3.0), np.arange(10.0)])
    scaler = StandardScaler().fit(X)
    assert scaler.scale_[0] == 1.0
    np.testing.assert_allclose(scaler.transform(X)[:, 0], 0.0)


@pytest.mark.parametrize("degree", [0, 1, 2, 3, (2, 3), (0, 2), (1, 1)])
@pytest.mark.parametrize("interaction_only", [False, True])
@pytest.mark.parametrize("include_bias", [True, False])
def test_polynomial_matches_sklearn(degree, interaction_only, include_bias):
    if degree == 0 and not include_bias:
        with pytest.raises(ValueError, match="degree"):
            PolynomialFeatures(degree, include_bias=False).fit(np.ones((2, 2)))
        return
    X = np.random.default_rng(2).normal(size=(6, 4))
    kwargs = dict(interaction_only=interaction_only, include_bias=include_bias)
    ours = PolynomialFeatures(degree, **kwargs).fit(X)
    ref = skp.PolynomialFeatures(degree, **kwargs).fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    assert list(ours.get_feature_names_out(["a", "b", "c", "d"])) == list(
        ref.get_feature_names_out(["a", "b", "c", "d"])
    )


def test_polynomial_closed_form():
    out = PolynomialFeatures(2).fit_transform(np.array([[2.0, 3.0]]))
    np.testing.assert_array_equal(out, [[1, 2, 3, 4, 6, 9]])


@pytest.mark.parametrize("bad", [-1, 1.5, (3, 1), "2"])
def test_polynomial_bad_degree(bad):
    with pytest.raises(ValueError, match="degree"):
        PolynomialFeatures(bad).fit(np.ones((3, 2)))


@settings(max_examples=25, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 3)),
        elements=st.floats(-1e3, 1e3, allow_nan=False),
    )
)
def test_scaler_output_standardised(X):
    Z = StandardScaler().fit_transform(X)
    ref = skp.StandardScaler().fit_transform(X)
    np.testing.assert_allclose(Z, ref, atol=1e-8)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_scaler_rejects_nan_inf(bad):
    X = np.ones((4, 2))
    X[1, 1] = bad
    with pytest.raises(ValueError, match="X"):
        StandardScaler().fit(X)
