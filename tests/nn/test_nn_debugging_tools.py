"""Gradient check, He variance and dead-unit fraction: closed forms, the catalogue, bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlhood import mistakes, nn
from mlhood.nn._diagnose import gradient_check, numerical_gradient, relative_error
from mlhood.nn._history import dead_unit_fraction
from mlhood.nn._init import he_variance


def test_numerical_gradient_matches_the_derivative_and_restores_the_array():
    a = np.linspace(-2.0, 2.0, 7)
    before = a.copy()
    grad = numerical_gradient(lambda: float(np.sum(np.sin(a) * a)), a)
    np.testing.assert_allclose(grad, np.cos(a) * a + np.sin(a), atol=1e-8)
    np.testing.assert_array_equal(a, before)


def test_relative_error_is_zero_for_equal_and_one_for_opposite_arrays():
    x = np.array([1.0, -2.0])
    assert relative_error(x, x) == 0.0
    assert relative_error(x, -x) == pytest.approx(1.0)
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_of_a_linear_mse_model_matches_the_closed_form():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    model = nn.Sequential(nn.Linear(3, 2, random_state=0))
    errors = gradient_check(model, nn.MSELoss(), X, y)
    assert set(errors) == {"input", "0.weight", "0.bias"}
    assert max(errors.values()) < 1e-7
    # the analytic bias gradient the check compared with: mean over all outputs of 2 (Xw+b-y)
    residual = X @ model[0].weight.data.T + model[0].bias.data - y
    np.testing.assert_allclose(model[0].bias.grad, 2 * residual.sum(axis=0) / residual.size)


@pytest.mark.parametrize(
    ("mistake_id", "broken"),
    [("linear-bias-grad-averaged", "0.bias"), ("relu-backward-passes-negatives", "input")],
)
def test_gradient_check_sees_a_wrong_backward_pass(mistake_id, broken):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, 8)
    model = nn.Sequential(nn.Linear(4, 6, random_state=0), nn.ReLU(), nn.Linear(6, 3))
    model[0].bias.data[:] = rng.normal(size=6)
    with mistakes.applied(mistake_id):
        errors = gradient_check(model, nn.CrossEntropyLoss(), X, y)
    assert errors[broken] > 1e-2


def test_he_variance_is_two_over_fan_in_and_sets_he_normal():
    assert he_variance(8) == 0.25
    w = nn.he_normal((300, 500), random_state=0)
    assert w.var() == pytest.approx(he_variance(500), rel=0.03)
    u = nn.he_uniform((300, 500), random_state=0)
    assert u.var() == pytest.approx(he_variance(500), rel=0.03)


def test_dead_unit_fraction_counts_units_off_for_every_sample():
    out = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0]])
    assert dead_unit_fraction(out) == 0.5  # units 0 and 3


@given(st.one_of(st.integers(max_value=0), st.floats(), st.booleans()))
def test_he_variance_rejects_a_bad_fan_in(fan_in):
    with pytest.raises(ValueError, match="fan_in"):
        he_variance(fan_in)


@given(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(float("nan"))))
def test_numerical_gradient_rejects_a_bad_step(h):
    with pytest.raises(ValueError, match="h"):
        numerical_gradient(lambda: 0.0, np.zeros(2), h=h)


@pytest.mark.parametrize("shape", [(5,), (0, 3), (2, 2, 2)])
def test_dead_unit_fraction_rejects_a_bad_shape(shape):
    with pytest.raises(ValueError, match="relu_output"):
        dead_unit_fraction(np.zeros(shape))


def test_gradient_check_rejects_a_bad_input():
    model = nn.Sequential(nn.Linear(3, 2))
    with pytest.raises(ValueError, match="X must be 2-D"):
        gradient_check(model, nn.MSELoss(), np.zeros(3), np.zeros(2))
