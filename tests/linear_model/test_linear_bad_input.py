"""Bad input gets a clear error naming the argument."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlhood.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
    enet_path,
    ridge_path,
)

REGRESSORS = [LinearRegression(), Ridge(), Lasso(), ElasticNet()]
X_OK = np.random.default_rng(0).normal(size=(10, 3))
Y_OK = X_OK @ [1.0, -1.0, 0.5]
LABELS = (Y_OK > 0).astype(int)


@pytest.mark.parametrize("estimator", REGRESSORS + [LogisticRegression()])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_inf_in_X(estimator, bad):
    X = X_OK.copy()
    X[2, 1] = bad
    y = LABELS if isinstance(estimator, LogisticRegression) else Y_OK
    with pytest.raises(ValueError, match="X"):
        estimator.fit(X, y)


@pytest.mark.parametrize("estimator", REGRESSORS)
def test_nan_in_y(estimator):
    y = Y_OK.copy()
    y[0] = np.nan
    with pytest.raises(ValueError, match="y"):
        estimator.fit(X_OK, y)


@pytest.mark.parametrize("estimator", REGRESSORS + [LogisticRegression()])
def test_mismatched_lengths(estimator):
    y = LABELS if isinstance(estimator, LogisticRegression) else Y_OK
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        estimator.fit(X_OK, y[:-1])


@pytest.mark.parametrize("estimator", REGRESSORS + [LogisticRegression()])
def test_empty_X(estimator):
    with pytest.raises(ValueError, match="0 sample"):
        estimator.fit(np.empty((0, 3)), np.empty(0))


@pytest.mark.parametrize("estimator", REGRESSORS)
def test_sample_weight_length_and_sign(estimator):
    with pytest.raises(ValueError, match="sample_weight"):
        estimator.fit(X_OK, Y_OK, sample_weight=np.ones(4))
    with pytest.raises(ValueError, match="[Nn]egative|sample_weight"):
        estimator.fit(X_OK, Y_OK, sample_weight=-np.ones(len(Y_OK)))


def test_single_class():
    with pytest.raises(ValueError, match="class"):
        LogisticRegression().fit(X_OK, np.zeros(len(X_OK)))


@pytest.mark.parametrize("estimator", [Ridge(alpha=-1.0), Lasso(alpha=-0.1), ElasticNet(alpha=-2)])
def test_negative_alpha(estimator):
    with pytest.raises(ValueError, match="alpha"):
        estimator.fit(X_OK, Y_OK)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"C": 0.0}, "C"),
        ({"C": -1.0}, "C"),
        ({"C": np.nan}, "C"),
        ({"penalty": "l3"}, "penalty"),
        ({"penalty": "elasticnet", "l1_ratio": None}, "l1_ratio"),
        ({"penalty": "elasticnet", "l1_ratio": 1.5}, "l1_ratio"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
    ],
)
def test_bad_logistic_params(params, name):
    with pytest.raises(ValueError, match=name):
        LogisticRegression(**params).fit(X_OK, LABELS)


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"l1_ratio": 1.5}, "l1_ratio"),
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1}, "tol"),
        ({"selection": "best"}, "selection"),
        ({"precompute": "yes"}, "precompute"),
    ],
)
def test_bad_enet_params(params, name):
    with pytest.raises(ValueError, match=name):
        ElasticNet(**params).fit(X_OK, Y_OK)


def test_bad_path_input():
    with pytest.raises(ValueError, match="alphas"):
        enet_path(X_OK, Y_OK, alphas=[1.0, -1.0])
    with pytest.raises(ValueError, match="y must be 1-D"):
        enet_path(X_OK, np.column_stack([Y_OK, Y_OK]))
    with pytest.raises(ValueError, match="alphas"):
        ridge_path(X_OK, Y_OK, alphas=[np.nan])
    with pytest.raises(ValueError, match="eps"):
        enet_path(X_OK, Y_OK, eps=2.0)


@settings(max_examples=25, deadline=None)
@given(
    alpha=st.one_of(
        st.floats(max_value=-1e-12, allow_nan=False, allow_infinity=True),
        st.just(np.nan),
        st.just(np.inf),
    )
)
def test_hypothesis_invalid_alpha_always_rejected(alpha):
    for estimator in (Ridge(alpha=alpha), Lasso(alpha=alpha)):
        with pytest.raises(ValueError, match="alpha"):
            estimator.fit(X_OK, Y_OK)


@settings(max_examples=25, deadline=None)
@given(C=st.one_of(st.floats(max_value=0.0, allow_nan=False), st.just(np.nan)))
def test_hypothesis_invalid_C_always_rejected(C):
    with pytest.raises(ValueError, match="C"):
        LogisticRegression(C=C).fit(X_OK, LABELS)


@settings(max_examples=25, deadline=None)
@given(
    scale=st.floats(1e-6, 1e6),
    shift=st.floats(-1e4, 1e4),
    alpha=st.floats(1e-4, 10.0),
)
def test_hypothesis_ridge_is_equivariant_to_target_scaling(scale, shift, alpha):
    # scaling y scales the coefficients; shifting y only moves the intercept
    base = Ridge(alpha=alpha).fit(X_OK, Y_OK)
    moved = Ridge(alpha=alpha).fit(X_OK, scale * Y_OK + shift)
    # centering a shifted y costs ~ε·|shift| absolute accuracy
    slack = 1e-9 * scale + 1e-12 * abs(shift)
    np.testing.assert_allclose(moved.coef_, scale * base.coef_, rtol=1e-7, atol=slack)
    np.testing.assert_allclose(
        moved.intercept_, scale * base.intercept_ + shift, rtol=1e-7, atol=1e-6 * (1 + scale)
    )


@pytest.mark.parametrize("estimator", REGRESSORS)
def test_input_arrays_are_not_modified(estimator):
    X, y, w = X_OK.copy(), Y_OK.copy(), np.linspace(0.5, 2.0, len(Y_OK))
    for fit_intercept in (True, False):
        estimator.set_params(fit_intercept=fit_intercept).fit(X, y, sample_weight=w)
        np.testing.assert_array_equal(X, X_OK)
        np.testing.assert_array_equal(y, Y_OK)
