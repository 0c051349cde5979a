"""Layers, losses, Sequential and persistence: values against closed forms and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, log_softmax, xlogy

from mlhood import nn


def test_linear_forward_is_xwt_plus_b_and_shapes():
    layer = nn.Linear(4, 3, random_state=0)
    layer.bias.data[:] = [1.0, -2.0, 0.5]
    X = np.random.default_rng(1).standard_normal((5, 4))
    np.testing.assert_allclose(layer.forward(X), X @ layer.weight.data.T + layer.bias.data)
    assert layer.weight.shape == (3, 4) and layer.weight.grad.shape == (3, 4)


@pytest.mark.parametrize(
    "init, var",
    [
        ("he_normal", 2 / 400),
        ("xavier_normal", 2 / 700),
        ("xavier_uniform", 2 / 700),
        ("he_uniform", 2 / 400),
    ],
)
def test_initialiser_variances(init, var):
    w = nn.Linear(400, 300, init=init, random_state=0).weight.data
    assert w.var() == pytest.approx(var, rel=0.03)
    assert not nn.Linear(4, 3, init="zeros").weight.data.any()


def test_dropout_eval_is_identity_and_train_scales_kept_units():
    X = np.random.default_rng(0).standard_normal((200, 50))
    drop = nn.Dropout(p=0.2, random_state=0)
    out = drop.forward(X)
    kept = out != 0
    np.testing.assert_allclose(out[kept], X[kept] / 0.8)
    assert kept.mean() == pytest.approx(0.8, abs=0.01)
    grad = drop.backward(np.ones_like(X))
    np.testing.assert_array_equal(grad, drop.mask)
    drop.eval()
    assert drop.forward(X) is X
    assert drop.backward(X) is X


def test_dropout_keeps_the_expected_activation():
    X = np.ones((2000, 100))
    out = nn.Dropout(p=0.5, random_state=1).forward(X)
    assert out.mean() == pytest.approx(1.0, abs=0.01)


def test_dropout_same_seed_same_mask():
    X = np.ones((10, 10))
    a = nn.Dropout(0.5, random_state=7).forward(X).copy()
    b = nn.Dropout(0.5, random_state=7).forward(X)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5, float("nan"), "0.5", True])
def test_dropout_rejects_bad_p(p):
    with pytest.raises(ValueError, match="p"):
        nn.Dropout(p)


def test_shape_mismatch_between_layers_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(n_samples, 8\).*\(n_samples, 6\)"):
        nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(6, 2))
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU())
    with pytest.raises(ValueError, match=r"\(n_samples, 4\).*\(5, 3\)"):
        model.forward(np.ones((5, 3)))


def test_sequential_indexing_parameters_and_modes():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2))
    assert isinstance(model[0], nn.Linear) and len(model) == 4
    assert len(model[:2]) == 2
    assert [p.name for p in model.parameters()] == ["0.weight", "0.bias", "3.weight", "3.bias"]
    model.eval()
    assert not any(layer.training for layer in model)
    X = np.ones((3, 3))
    np.testing.assert_array_equal(model.forward(X), model.forward(X))
    model.train()
    assert all(layer.training for layer in model)


def test_state_dict_roundtrip_npz(tmp_path):
    a = nn.Sequential(nn.Linear(3, 4, random_state=0), nn.Tanh(), nn.Linear(4, 2, random_state=1))
    b = nn.Sequential(nn.Linear(3, 4, random_state=5), nn.Tanh(), nn.Linear(4, 2, random_state=6))
    path = tmp_path / "model.npz"
    a.save(path)
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    b.load(path)
    X = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_array_equal(a.forward(X), b.forward(X))
    with pytest.raises(ValueError, match="shape"):
        b.load_state_dict({**a.state_dict(), "0.weight": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="missing"):
        b.load_state_dict({"0.weight": a.state_dict()["0.weight"]})


def test_cross_entropy_value_against_scipy_log_softmax():
    logits = np.random.default_rng(0).standard_normal((6, 5)) * 4
    y = np.array([0, 4, 2, 2, 1, 3])
    expected = -log_softmax(logits, axis=1)[np.arange(6), y].mean()
    assert nn.CrossEntropyLoss().forward(logits, y) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(nn.log_softmax(logits), log_softmax(logits, axis=1))


def test_bce_and_mse_values():
    z = np.array([-3.0, 0.0, 2.0])
    y = np.array([0.0, 1.0, 1.0])
    p = expit(z)
    expected = -np.mean(xlogy(y, p) + xlogy(1 - y, 1 - p))
    assert nn.BCEWithLogitsLoss().forward(z, y) == pytest.approx(expected, rel=1e-12)
    # a confident wrong logit: log(1 + e^40) = 40 + log1p(e^-40); 1 - expit(40) rounds to 0
    assert nn.BCEWithLogitsLoss().forward(np.array([40.0]), np.array([0.0])) == pytest.approx(
        40.0 + np.log1p(np.exp(-40.0)), rel=1e-15
    )
    assert nn.MSELoss().forward(z, y) == pytest.approx(np.mean((z - y) ** 2))


@settings(max_examples=25, deadline=None)
@given(scale=st.floats(1.0, 1e4), seed=st.integers(0, 1000))
def test_cross_entropy_is_finite_and_stable_for_huge_logits(scale, seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((4, 3)) * scale
    y = rng.integers(0, 3, 4)
    loss_fn = nn.CrossEntropyLoss()
    value = loss_fn.forward(logits, y)
    grad = loss_fn.backward()
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(x=st.floats(-1e4, 1e4))
def test_sigmoid_is_stable(x):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = nn.Sigmoid().forward(np.array([[x]]))
    assert 0.0 <= out[0, 0] <= 1.0
    assert out[0, 0] == pytest.approx(expit(x), rel=1e-12, abs=1e-300)


def test_labels_out_of_range_and_bad_targets():
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 2\]"):
        nn.CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="labels"):
        nn.CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([-1, 0]))
    with pytest.raises(TypeError, match="integer"):
        nn.CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match="rows"):
        nn.CrossEntropyLoss().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nn.BCEWithLogitsLoss().forward(np.zeros(2), np.array([0.0, 2.0]))


def test_activation_values():
    x = np.array([[-2.0, 0.5]])
    np.testing.assert_allclose(nn.ReLU().forward(x), [[0.0, 0.5]])
    np.testing.assert_allclose(nn.LeakyReLU(0.1).forward(x), [[-0.2, 0.5]])
    np.testing.assert_allclose(nn.Tanh().forward(x), np.tanh(x))
    np.testing.assert_allclose(nn.Sigmoid().forward(x), expit(x))
