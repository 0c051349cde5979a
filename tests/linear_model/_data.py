"""Shared data sets for the linear-model oracle tests."""

import numpy as np
from sklearn.datasets import load_diabetes, make_regression


def regression_sets():
    """Name -> (X, y): real, synthetic tall, wide (p > n), and badly scaled."""
    X_diab, y_diab = load_diabetes(return_X_y=True)
    X_syn, y_syn = make_regression(
        n_samples=120, n_features=8, n_informative=5, noise=5.0, random_state=0
    )
    X_wide, y_wide = make_regression(
        n_samples=30, n_features=60, n_informative=6, noise=1.0, random_state=1
    )
    rng = np.random.default_rng(3)
    X_scaled = rng.normal(size=(80, 5)) * [1.0, 100.0, 0.01, 5.0, 1.0] + 10.0
    y_scaled = X_scaled @ [1.0, 0.02, 50.0, 0.0, -2.0] + rng.normal(size=80)
    return {
        "diabetes": (X_diab, y_diab),
        "synthetic": (X_syn, y_syn),
        "wide": (X_wide, y_wide),
        "scaled": (X_scaled, y_scaled),
    }


def weights_for(n, seed=0):
    """Positive random sample weights."""
    return np.random.default_rng(seed).uniform(0.2, 3.0, size=n)
