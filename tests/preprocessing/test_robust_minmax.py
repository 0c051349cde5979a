"""MinMaxScaler and RobustScaler equal scikit-learn's, NaNs and constant columns included."""

import numpy as np
import pytest
import sklearn.preprocessing as skp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlhood.preprocessing import MinMaxScaler, RobustScaler

TOL = dict(rtol=1e-12, atol=1e-12)
tables = arrays(
    np.float64,
    st.tuples(st.integers(2, 30), st.integers(1, 4)),
    elements=st.floats(-1e3, 1e3, allow_nan=False),
)


@settings(max_examples=25, deadline=None)
@given(X=tables, low=st.floats(-5, 0), width=st.floats(0.5, 5), clip=st.booleans())
def test_minmax_matches_sklearn(X, low, width, clip):
    kw = dict(feature_range=(low, low + width), clip=clip)
    ours, ref = MinMaxScaler(**kw).fit(X), skp.MinMaxScaler(**kw).fit(X)
    for attr in ("data_min_", "data_max_", "data_range_", "scale_", "min_"):
        np.testing.assert_allclose(getattr(ours, attr), getattr(ref, attr), **TOL)
    new = X * 1.5 + 3.0
    np.testing.assert_allclose(ours.transform(new), ref.transform(new), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-9, atol=1e-9)


def test_minmax_partial_fit_and_nan():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    X[::7, 1] = np.nan
    ours, ref = MinMaxScaler(), skp.MinMaxScaler()
    for batch in np.array_split(X, 4):
        ours.partial_fit(batch)
        ref.partial_fit(batch)
    assert ours.n_samples_seen_ == 100
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), equal_nan=True, **TOL)


@settings(max_examples=25, deadline=None)
@given(
    X=tables,
    q=st.tuples(st.floats(1, 49), st.floats(51, 99)),
    unit_variance=st.booleans(),
    centering=st.booleans(),
)
def test_robust_matches_sklearn(X, q, unit_variance, centering):
    kw = dict(quantile_range=q, unit_variance=unit_variance, with_centering=centering)
    ours, ref = RobustScaler(**kw).fit(X), skp.RobustScaler(**kw).fit(X)
    np.testing.assert_allclose(ours.scale_, ref.scale_, **TOL)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-9, atol=1e-9)


def test_robust_ignores_an_outlier_that_moves_minmax():
    x = np.r_[np.arange(1.0, 20.0), 1e6][:, None]
    robust = RobustScaler().fit_transform(x)[:-1, 0]
    minmax = MinMaxScaler().fit_transform(x)[:-1, 0]
    assert np.ptp(robust) > 1.0 > 1e3 * np.ptp(minmax)
    np.testing.assert_allclose(robust, skp.RobustScaler().fit_transform(x)[:-1, 0], **TOL)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: MinMaxScaler(feature_range=(1, 0)), "feature_range"),
        (lambda: RobustScaler(quantile_range=(80, 20)), "quantile_range"),
    ],
)
def test_bad_parameters(make, match):
    with pytest.raises(ValueError, match=match):
        make().fit(np.ones((3, 2)))


def test_inf_is_rejected():
    with pytest.raises(ValueError, match="[Ii]nf"):
        RobustScaler().fit(np.array([[1.0], [np.inf]]))
