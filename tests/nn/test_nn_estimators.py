"""MLPClassifier / MLPRegressor: scikit-learn API checks and accuracy on digits."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.nn import MLPClassifier, MLPRegressor


@parametrize_with_checks(
    [MLPClassifier(max_iter=50, random_state=0), MLPRegressor(max_iter=100, random_state=0)]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_digits_accuracy_at_least_97_percent():
    X, y = load_digits(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X / 16, y, test_size=0.3, random_state=0, stratify=y)
    clf = MLPClassifier(max_iter=60, learning_rate_init=3e-3, random_state=0).fit(X_tr, y_tr)
    assert clf.model_.dtype == np.float32
    assert clf.score(X_te, y_te) >= 0.97


def test_same_seed_same_model_and_dropout_estimator():
    X, y = load_digits(return_X_y=True)
    a = MLPClassifier((32,), dropout=0.2, max_iter=5, random_state=3).fit(X, y)
    b = MLPClassifier((32,), dropout=0.2, max_iter=5, random_state=3).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    np.testing.assert_allclose(a.predict_proba(X).sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"dropout": 1.0}, "dropout"),
        ({"learning_rate_init": 0.0}, "learning_rate_init"),
        ({"activation": "swish"}, "activation"),
        ({"optimizer": "lbfgs"}, "optimizer"),
        ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes"),
    ],
)
def test_bad_parameters_raise(params, match):
    X, y = np.random.default_rng(0).random((20, 3)), np.arange(20) % 2
    with pytest.raises(ValueError, match=match):
        MLPClassifier(**params).fit(X, y)


def test_regressor_fits_a_smooth_function():
    X = np.linspace(-2, 2, 300).reshape(-1, 1)
    y = np.sin(2 * X[:, 0]) * 5 + 10
    reg = MLPRegressor(
        (64,), activation="tanh", learning_rate_init=1e-2, max_iter=300, random_state=0
    ).fit(X, y)
    residual = reg.predict(X) - y
    assert np.sqrt(np.mean(residual**2)) < 0.1 * np.std(y)
