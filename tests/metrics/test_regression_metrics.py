"""Regression metrics, accuracy and log-loss against scikit-learn and closed forms."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from mlhood.metrics import (
    accuracy_score,
    log_loss,
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

RNG = np.random.default_rng(0)
Y1 = RNG.normal(size=50)
P1 = Y1 + RNG.normal(scale=0.5, size=50)
Y2 = RNG.normal(size=(50, 3)) * [1.0, 5.0, 0.1]
P2 = Y2 + RNG.normal(size=(50, 3))
W = RNG.uniform(0.1, 2.0, size=50)


@pytest.mark.parametrize(
    ("ours", "ref"),
    [
        (mean_squared_error, skm.mean_squared_error),
        (mean_absolute_error, skm.mean_absolute_error),
        (r2_score, skm.r2_score),
        (root_mean_squared_error, skm.root_mean_squared_error),
    ],
)
@pytest.mark.parametrize("weights", [None, W])
@pytest.mark.parametrize("multioutput", ["uniform_average", "raw_values", [0.2, 0.3, 0.5]])
def test_regression_metrics_match_sklearn(ours, ref, weights, multioutput):
    np.testing.assert_allclose(
        ours(Y1, P1, sample_weight=weights), ref(Y1, P1, sample_weight=weights), rtol=1e-12
    )
    np.testing.assert_allclose(
        ours(Y2, P2, sample_weight=weights, multioutput=multioutput),
        ref(Y2, P2, sample_weight=weights, multioutput=multioutput),
        rtol=1e-12,
    )


def test_r2_variance_weighted_and_constant_target():
    np.testing.assert_allclose(
        r2_score(Y2, P2, multioutput="variance_weighted"),
        skm.r2_score(Y2, P2, multioutput="variance_weighted"),
        rtol=1e-12,
    )
    assert r2_score([2.0, 2.0], [2.0, 2.0]) == 1.0
    assert r2_score([2.0, 2.0], [2.0, 3.0]) == 0.0
    assert r2_score([2.0, 2.0], [2.0, 3.0], force_finite=False) == -np.inf


def test_closed_forms():
    assert mean_squared_error([3.0, 0.0], [1.0, 0.0]) == 2.0
    assert mean_absolute_error([3.0, 0.0], [1.0, 0.0]) == 1.0
    assert r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0]) == 0.5
    assert accuracy_score([1, 2, 3, 4], [1, 2, 0, 0]) == 0.5


def test_accuracy_matches_sklearn():
    y = RNG.integers(0, 3, 40)
    p = RNG.integers(0, 3, 40)
    w = RNG.uniform(size=40)
    assert accuracy_score(y, p) == pytest.approx(skm.accuracy_score(y, p))
    assert accuracy_score(y, p, sample_weight=w) == pytest.approx(
        skm.accuracy_score(y, p, sample_weight=w)
    )
    assert accuracy_score(y, p, normalize=False) == skm.accuracy_score(y, p, normalize=False)


def test_log_loss_matches_sklearn_binary_and_multiclass():
    y = RNG.integers(0, 2, 60)
    p = RNG.uniform(size=60)
    assert log_loss(y, p) == pytest.approx(skm.log_loss(y, p), rel=1e-12)
    y3 = np.array(["a", "b", "c"])[RNG.integers(0, 3, 60)]
    P = RNG.dirichlet(np.ones(3), size=60)
    w = RNG.uniform(size=60)
    assert log_loss(y3, P, sample_weight=w) == pytest.approx(
        skm.log_loss(y3, P, sample_weight=w), rel=1e-12
    )
    assert log_loss(y3, P, normalize=False) == pytest.approx(
        skm.log_loss(y3, P, normalize=False), rel=1e-12
    )


def test_log_loss_labels_param():
    y = [0, 0, 1]
    P = np.array([[0.7, 0.2, 0.1], [0.5, 0.3, 0.2], [0.1, 0.8, 0.1]])
    expected = -np.mean(np.log([0.7, 0.5, 0.8]))
    assert log_loss(y, P, labels=[0, 1, 2]) == pytest.approx(expected, rel=1e-12)
    with pytest.raises(ValueError, match="labels"):
        log_loss([1, 1], [0.5, 0.5])
    with pytest.raises(ValueError, match="columns"):
        log_loss(y, P)


def test_log_loss_stable_at_zero_and_one():
    # a certain and correct prediction costs ~0, a certain and wrong one -log(eps), not inf
    assert log_loss([0, 1], [0.0, 1.0]) == pytest.approx(0.0, abs=1e-12)
    wrong = log_loss([0, 1], [1.0, 0.0])
    assert np.isfinite(wrong)
    assert wrong == pytest.approx(-np.log(np.finfo(float).eps), rel=1e-6)


def test_bad_input_errors():
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        mean_squared_error([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="y_true"):
        mean_squared_error([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="y_proba"):
        log_loss([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match="sample_weight"):
        mean_absolute_error([1.0, 2.0], [1.0, 2.0], sample_weight=[1.0, -1.0])
    with pytest.raises(ValueError, match="multioutput"):
        r2_score(Y2, P2, multioutput="bogus")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=20),
    st.floats(-10, 10),
)
def test_mse_is_mean_of_squares(values, shift):
    y = np.array(values)
    assert mean_squared_error(y, y + shift) == pytest.approx(shift**2, rel=1e-9, abs=1e-9)
    assert mean_absolute_error(y, y + shift) == pytest.approx(abs(shift), rel=1e-9, abs=1e-9)
