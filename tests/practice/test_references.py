"""The q01-q05 references against oracles: scikit-learn, SciPy, mlhood's own layers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import log_softmax as scipy_log_softmax
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeClassifier

from mlhood import nn
from mlhood.model_selection._acquisition import log_h
from mlhood.practice.exercises import q01, q02, q03, q04, q05

rng = np.random.default_rng(0)


@pytest.mark.parametrize("alpha", [0.01, 1.0, 30.0])
def test_ridge_matches_scikit_learn(alpha):
    X, y = rng.normal(size=(40, 6)), rng.normal(size=40) + 3.0
    coef, intercept = q01.ridge_closed_form(X, y, alpha)
    oracle = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(coef, oracle.coef_, rtol=1e-10)
    np.testing.assert_allclose(intercept, oracle.intercept_, rtol=1e-10)


@pytest.mark.parametrize("seed", range(5))
def test_gini_split_matches_a_scikit_learn_stump(seed):
    r = np.random.default_rng(seed)
    x = r.normal(size=60)
    y = (x + r.normal(0, 0.8, 60) > 0.3).astype(int) + (x > 1.2)
    threshold, decrease = q01.gini_best_split(x, y)
    tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(x[:, None], y).tree_
    n = tree.weighted_n_node_samples
    expected = tree.impurity[0] - (n[1] * tree.impurity[1] + n[2] * tree.impurity[2]) / n[0]
    assert threshold == pytest.approx(tree.threshold[0], rel=1e-7)
    assert decrease == pytest.approx(expected, rel=1e-10)


def test_bootstrap_leaves_about_a_third_out_of_bag():
    indices, oob = q01.bootstrap_sample(100_000, np.random.default_rng(1))
    assert oob.mean() == pytest.approx(np.exp(-1), abs=0.005)
    assert not oob[indices].any()


def test_linear_backward_matches_the_library_layer():
    layer = nn.Linear(4, 3, random_state=0)
    x, dout = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    layer.forward(x)
    dx = layer.backward(dout)
    got = q02.linear_backward(dout, x, layer.weight.data)
    np.testing.assert_allclose(got[0], dx)
    np.testing.assert_allclose(got[1], layer.weight.grad)
    np.testing.assert_allclose(got[2], layer.bias.grad)


def test_relu_backward_matches_the_library_layer():
    relu, x, dout = nn.ReLU(), rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    relu.forward(x)
    np.testing.assert_array_equal(q02.relu_backward(dout, x), relu.backward(dout))


def test_he_init_variance():
    W = q02.he_init(500, 300, np.random.default_rng(2))
    assert W.shape == (300, 500) and W.var() == pytest.approx(2 / 500, rel=0.02)


def test_dropout_matches_the_library_layer_with_the_same_mask():
    x, dout = rng.normal(size=(8, 7)), rng.normal(size=(8, 7))
    out, cache = q03.dropout_forward(x, 0.3, np.random.default_rng(3))
    layer = nn.Dropout(p=0.3).fix_mask((cache > 0).astype(int))
    np.testing.assert_allclose(layer.forward(x), out)
    np.testing.assert_allclose(layer.backward(dout), q03.dropout_backward(dout, cache))
    np.testing.assert_array_equal(q03.dropout_layer(x, 0.3, None, False), x)


def test_expected_improvement_matches_the_stable_log_form():
    mu, sigma, best = rng.normal(size=50), rng.uniform(0.1, 2.0, 50), 0.3
    np.testing.assert_allclose(
        q04.expected_improvement(mu, sigma, best), sigma * np.exp(log_h((best - mu) / sigma)[0])
    )
    assert q04.expected_improvement(np.zeros(2), np.zeros(2), 1.0).tolist() == [0.0, 0.0]


def test_random_search_and_log_uniform():
    best_x, best_value = q04.random_search(
        lambda p: float(np.sum((p - 0.5) ** 2)), np.array([[0, 1], [0, 1.0]]), 400, rng
    )
    assert best_value < 0.01 and best_value == pytest.approx(np.sum((best_x - 0.5) ** 2))
    samples = q04.log_uniform(1e-4, 1.0, 20000, np.random.default_rng(4))
    assert np.mean(samples < 1e-2) == pytest.approx(0.5, abs=0.02)


def test_cross_entropies_match_the_library_losses():
    logits, y = rng.normal(0, 3, (7, 4)), rng.integers(0, 4, 7)
    loss_fn = nn.CrossEntropyLoss()
    expected = loss_fn.forward(logits, y)
    loss, grad = q05.softmax_cross_entropy(logits, y)
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, loss_fn.backward())
    np.testing.assert_allclose(q05.log_softmax(logits * 1e3), scipy_log_softmax(logits * 1e3, 1))
    z, t = rng.normal(0, 5, 9), (rng.random(9) < 0.5).astype(float)
    bce = nn.BCEWithLogitsLoss()
    expected = bce.forward(z, t)
    loss, grad = q05.binary_cross_entropy_with_logits(z, t)
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, bce.backward())
