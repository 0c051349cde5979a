"""Finite-difference gradient checks (float64, relative error < 1e-6) for layers and losses."""

import importlib.util
import pathlib

import numpy as np
import pytest

from mlhood.nn import (
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    Dropout,
    LeakyReLU,
    Linear,
    MSELoss,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)

_spec = importlib.util.spec_from_file_location(
    "nn_gradcheck", pathlib.Path(__file__).with_name("_gradcheck.py")
)
_gc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gc)
numeric_grad, rel_error = _gc.numeric_grad, _gc.rel_error


def _input(shape, seed=0, avoid_kink=False):
    x = np.random.default_rng(seed).standard_normal(shape)
    if avoid_kink:  # keep ReLU inputs away from 0 where the derivative jumps
        x = np.where(np.abs(x) < 0.1, x + np.sign(x + 1e-12) * 0.2, x)
    return x


def _check_layer(layer, x):
    """Input gradient and parameter gradients of sum(forward(x) * upstream)."""
    upstream = np.random.default_rng(1).standard_normal(layer.forward(x).shape)

    def objective():
        return float(np.sum(layer.forward(x) * upstream))

    layer.forward(x)
    grad_x = layer.backward(upstream).copy()
    param_grads = [p.grad.copy() for p in layer.parameters()]
    assert rel_error(grad_x, numeric_grad(objective, x)) < 1e-6
    for p, analytic in zip(layer.parameters(), param_grads):
        assert rel_error(analytic, numeric_grad(objective, p.data)) < 1e-6, p.name


@pytest.mark.parametrize(
    "layer, kink",
    [
        (Linear(5, 3, random_state=0), False),
        (Linear(5, 3, bias=False, random_state=0), False),
        (ReLU(), True),
        (LeakyReLU(0.1), True),
        (Sigmoid(), False),
        (Tanh(), False),
    ],
    ids=["linear", "linear-nobias", "relu", "leaky", "sigmoid", "tanh"],
)
def test_layer_gradients_match_finite_differences(layer, kink):
    _check_layer(layer, _input((4, 5), avoid_kink=kink))


def test_dropout_gradient_with_fixed_mask():
    drop = Dropout(p=0.3, random_state=0)
    keep = (np.random.default_rng(2).random((4, 5)) < 0.7).astype(float)
    drop.fix_mask(keep)
    _check_layer(drop, _input((4, 5)))
    np.testing.assert_allclose(drop.mask, keep / 0.7)


def test_sequential_gradient_through_every_layer_type():
    model = Sequential(
        Linear(6, 8, random_state=0),
        Tanh(),
        Dropout(0.25, random_state=3),
        Linear(8, 7, random_state=1),
        Sigmoid(),
        Linear(7, 5, random_state=2),
        LeakyReLU(0.05),
        Linear(5, 3, random_state=4),
    )
    model[2].fix_mask((np.random.default_rng(5).random((4, 8)) < 0.75).astype(float))
    _check_layer(model, _input((4, 6)))


@pytest.mark.parametrize("scale", [1.0, 30.0])
def test_cross_entropy_gradient(scale):
    logits = _input((6, 4)) * scale
    y = np.array([0, 3, 1, 2, 3, 0])
    loss = CrossEntropyLoss()
    loss.forward(logits, y)
    analytic = loss.backward()
    numeric = numeric_grad(lambda: CrossEntropyLoss().forward(logits, y), logits)
    assert rel_error(analytic, numeric) < 1e-6


@pytest.mark.parametrize("shape", [(7,), (7, 1), (7, 3)])
def test_bce_gradient(shape):
    logits = _input(shape) * 3
    y = (np.random.default_rng(4).random(shape) > 0.5).astype(float)
    loss = BCEWithLogitsLoss()
    loss.forward(logits, y)
    analytic = loss.backward()
    numeric = numeric_grad(lambda: BCEWithLogitsLoss().forward(logits, y), logits)
    assert rel_error(analytic, numeric) < 1e-6


def test_mse_gradient():
    pred, y = _input((5, 2)), _input((5, 2), seed=9)
    loss = MSELoss()
    loss.forward(pred, y)
    analytic = loss.backward()
    assert rel_error(analytic, numeric_grad(lambda: MSELoss().forward(pred, y), pred)) < 1e-6
