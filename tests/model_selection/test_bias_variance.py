"""Bias-variance decomposition against closed forms and its own identities."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier, DummyRegressor
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from mlhood.model_selection import bias_variance_decomposition


def make_data(n=80, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 1))
    f = np.sin(3 * X[:, 0])
    return X, f + 0.3 * rng.normal(size=n), f


def test_mse_identity_without_true_targets():
    X, y, _ = make_data()
    r = bias_variance_decomposition(
        DecisionTreeRegressor(random_state=0), X, y, X[:30], y[:30], n_rounds=30, random_state=0
    )
    assert r.expected_loss == pytest.approx(r.bias2 + r.variance, rel=1e-12)
    assert r.noise is None and r.predictions.shape == (30, 30)


def test_mean_predictor_variance_matches_closed_form():
    # Predicting the bootstrap mean of y: variance of a bootstrap mean is var(y) / n.
    rng = np.random.RandomState(1)
    y = rng.normal(size=50)
    X = np.zeros((50, 1))
    r = bias_variance_decomposition(
        DummyRegressor(), X, y, X[:1], np.array([0.0]), n_rounds=1000, random_state=0
    )
    assert r.variance == pytest.approx(np.var(y) / 50, rel=0.13)
    assert r.bias2 == pytest.approx(np.mean(y) ** 2 + 0.0, abs=3 * np.var(y) / 50)


def test_noise_with_true_targets_and_repeats():
    rng = np.random.RandomState(2)
    X, y, _ = make_data(200, seed=3)
    X_test = rng.uniform(-1, 1, size=(300, 1))
    f_test = np.sin(3 * X_test[:, 0])
    y_test = f_test + 0.3 * rng.normal(size=300)
    r = bias_variance_decomposition(
        DecisionTreeRegressor(max_depth=3),
        X,
        y,
        X_test,
        y_test,
        n_rounds=25,
        random_state=0,
        y_test_true=f_test,
    )
    assert r.noise == pytest.approx(0.09, rel=0.2)
    assert r.expected_loss == pytest.approx(r.bias2 + r.variance + r.noise, rel=0.1)
    repeats = f_test[:, None] + 0.3 * rng.normal(size=(300, 20))
    r2 = bias_variance_decomposition(
        DecisionTreeRegressor(max_depth=3), X, y, X_test, repeats, n_rounds=25, random_state=0
    )
    assert r2.noise == pytest.approx(0.09, rel=0.1)
    assert r2.expected_loss == pytest.approx(r2.bias2 + r2.variance + r2.noise, rel=0.05)


def test_deeper_tree_has_more_variance_than_linear_model():
    X, y, f = make_data(60)
    kw = dict(n_rounds=40, random_state=0, y_test_true=f)
    tree = bias_variance_decomposition(DecisionTreeRegressor(), X, y, X, y, **kw)
    line = bias_variance_decomposition(LinearRegression(), X, y, X, y, **kw)
    assert tree.variance > 3 * line.variance
    assert line.bias2 > tree.bias2


def test_zero_one_binary_identity():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 2))
    y = (X[:, 0] + 0.5 * rng.normal(size=120) > 0).astype(int)
    r = bias_variance_decomposition(
        DecisionTreeClassifier(random_state=0),
        X[:80],
        y[:80],
        X[80:],
        y[80:],
        loss="0-1",
        n_rounds=31,
        random_state=1,
    )
    assert r.expected_loss == pytest.approx(r.bias2 + r.net_variance, abs=1e-12)
    constant = bias_variance_decomposition(
        DummyClassifier(strategy="constant", constant=1),
        X,
        y,
        X,
        y,
        loss="0-1",
        n_rounds=5,
        random_state=0,
    )
    assert constant.variance == 0 and constant.bias2 == pytest.approx(np.mean(y != 1))


def test_same_seed_same_result_and_bad_input():
    X, y, _ = make_data()
    a = bias_variance_decomposition(
        DecisionTreeRegressor(random_state=0), X, y, X, y, n_rounds=5, random_state=3
    )
    b = bias_variance_decomposition(
        DecisionTreeRegressor(random_state=0), X, y, X, y, n_rounds=5, random_state=3
    )
    assert a.expected_loss == b.expected_loss
    with pytest.raises(ValueError, match="loss"):
        bias_variance_decomposition(DummyRegressor(), X, y, X, y, loss="hinge")
    with pytest.raises(ValueError, match="y_test"):
        bias_variance_decomposition(DummyRegressor(), X, y, X, y[:3])
    with pytest.raises(ValueError, match="n_rounds"):
        bias_variance_decomposition(DummyRegressor(), X, y, X, y, n_rounds=1)


def _normal_sets(n, mu=2.0, sigma=1.5):
    """Fresh training sets of ``n`` draws of ``N(mu, sigma²)`` (the features carry nothing)."""

    def sampler(rng):
        return np.zeros((n, 1)), mu + sigma * rng.normal(size=n)

    return sampler


def test_fresh_training_sets_match_the_closed_form_of_the_mean_predictor():
    # Predicting the training mean of n fresh draws: the prediction is N(mu, sigma²/n), so
    # variance = sigma²/n (ddof 0 over R rounds: times 1 - 1/R) and bias² -> 0.
    n, sigma, rounds = 10, 1.5, 4000
    r = bias_variance_decomposition(
        DummyRegressor(),
        None,
        None,
        np.zeros((3, 1)),
        np.full(3, 2.0),
        y_test_true=np.full(3, 2.0),
        n_rounds=rounds,
        random_state=0,
        sampler=_normal_sets(n, sigma=sigma),
    )
    assert r.variance == pytest.approx(sigma**2 / n * (1 - 1 / rounds), rel=0.06)
    assert r.bias2 < 5 * sigma**2 / (n * rounds)  # the squared error of a mean of R means
    assert r.expected_loss == pytest.approx(r.bias2 + r.variance + r.noise, rel=1e-12)


def test_bootstrap_of_one_set_is_centred_on_that_set():
    # The bootstrap approximation: the main prediction is the one set's mean, not mu.
    rng = np.random.RandomState(3)
    y = 2.0 + rng.normal(size=10)
    r = bias_variance_decomposition(
        DummyRegressor(),
        np.zeros((10, 1)),
        y,
        np.zeros((1, 1)),
        [2.0],
        n_rounds=3000,
        random_state=0,
        y_test_true=[2.0],
    )
    assert r.predictions.mean() == pytest.approx(y.mean(), abs=0.02)


def test_sampler_rounds_are_reproducible_and_fresh():
    kwargs = dict(n_rounds=5, random_state=7, sampler=_normal_sets(20))
    X_test, y_test = np.zeros((2, 1)), np.zeros(2)
    a = bias_variance_decomposition(DummyRegressor(), None, None, X_test, y_test, **kwargs)
    b = bias_variance_decomposition(DummyRegressor(), None, None, X_test, y_test, **kwargs)
    np.testing.assert_array_equal(a.predictions, b.predictions)
    assert np.unique(a.predictions[:, 0]).size == 5


def test_sampler_must_be_callable():
    with pytest.raises(TypeError, match="sampler"):
        bias_variance_decomposition(
            DummyRegressor(), None, None, np.zeros((2, 1)), np.zeros(2), sampler=42
        )
