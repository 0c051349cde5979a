"""Bias-variance decomposition of a learner's expected test loss over training sets.

Fit the learner on ``R`` training sets and predict the test points, giving predictions
``p_r(x)``, ``r = 1..R``. The expectation in the definitions is over training sets drawn
from the data distribution, so the faithful way is a ``sampler`` that draws a fresh
training set each round (possible when the distribution is known, as in a simulation).
Without one, ``R`` bootstrap resamples of the one training set stand in for fresh sets:
an approximation whose variance describes resampling *that* set (it reuses its rows, so
the spread is typically smaller than over truly fresh sets) and whose main prediction is
centred on that set's quirks rather than on the population.

Squared error (Hastie, Tibshirani & Friedman, *ESL*, eq. 7.9). With main prediction
``pbar(x) = mean_r p_r(x)``, target ``y`` and, when known, the noise-free target ``f(x)``:

    expected_loss = mean_x mean_r (p_r(x) - y)^2
    variance      = mean_x mean_r (p_r(x) - pbar(x))^2
    bias2         = mean_x (pbar(x) - f(x))^2        (f = y when f is unknown)
    noise         = mean_x (y - f(x))^2              (None when f is unknown)

Without ``f`` the identity ``expected_loss = bias2 + variance`` is exact and bias2
contains the noise. With ``y_test_true = f(x)`` the three parts are separated and
``expected_loss ~= bias2 + variance + noise`` (equal in expectation over the noise; the
cross term averages out over many test points). With repeated measurements (``y_test`` of
shape ``(n_test, n_repeats)``) and no ``f``, ``f`` is estimated by the mean of the repeats
and noise by their unbiased variance.

0-1 loss (Domingos 2000, "A unified bias-variance decomposition"). Main prediction is the
most frequent ``p_r(x)``; ``bias(x) = 1[main(x) != y]``, ``var(x) = P_r(p_r(x) != main(x))``:

    expected_loss = mean_x P_r(p_r(x) != y)
    bias2         = mean_x bias(x)                   (an indicator: its square is itself)
    variance      = mean_x var(x)
    net_variance  = mean_x (1 - 2 bias(x)) var(x)

For two classes ``expected_loss = bias2 + net_variance`` exactly: variance adds to the
loss on unbiased points and subtracts from it on biased ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils.validation import check_array

from mlhood._params import Interval, Options, validate_params
from mlhood._random import check_random_state


@dataclass(frozen=True)
class BiasVariance:
    """Parts of the expected test loss (see :func:`bias_variance_decomposition`).

    Attributes
    ----------
    expected_loss, bias2, variance : float
    noise : float or None
        Irreducible error, when it can be estimated (``y_test_true`` or repeats given).
    net_variance : float or None
        0-1 loss only: Domingos's signed variance.
    predictions : ndarray of shape (n_rounds, n_test)
        Every round's test predictions.
    """

    expected_loss: float
    bias2: float
    variance: float
    noise: float | None
    net_variance: float | None
    predictions: np.ndarray


def _fit_predict(estimator, X_train, y_train, X_test, sample):
    model = clone(estimator).fit(X_train[sample], y_train[sample])
    return model.predict(X_test)


def _fit_predict_fresh(estimator, sampler, seed, X_test):
    X_train, y_train = sampler(np.random.default_rng(seed))
    return clone(estimator).fit(X_train, y_train).predict(X_test)


def _mode_per_column(predictions: np.ndarray) -> np.ndarray:
    labels, codes = np.unique(predictions, return_inverse=True)
    codes = codes.reshape(predictions.shape)
    counts = np.zeros((labels.size, predictions.shape[1]), dtype=int)
    np.add.at(counts, (codes, np.arange(predictions.shape[1])[None, :]), 1)
    return labels[np.argmax(counts, axis=0)]


def _mse_parts(predictions, y_test, y_test_true):
    main = predictions.mean(axis=0)
    variance = float(np.mean((predictions - main) ** 2))
    if y_test.ndim == 2:  # repeated measurements of the same test point
        expected = float(np.mean((predictions[:, :, None] - y_test[None]) ** 2))
        if y_test_true is None:
            y_test_true = y_test.mean(axis=1)
            noise = float(np.mean(np.var(y_test, axis=1, ddof=1)))
        else:
            noise = float(np.mean((y_test - y_test_true[:, None]) ** 2))
        return expected, float(np.mean((main - y_test_true) ** 2)), variance, noise
    expected = float(np.mean((predictions - y_test) ** 2))
    if y_test_true is None:
        return expected, float(np.mean((main - y_test) ** 2)), variance, None
    noise = float(np.mean((y_test - y_test_true) ** 2))
    return expected, float(np.mean((main - y_test_true) ** 2)), variance, noise


@validate_params(
    {
        "estimator": ["estimator"],
        "loss": [Options(["mse", "0-1"])],
        "n_rounds": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "sampler": [callable, None],
    }
)
def bias_variance_decomposition(
    estimator,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    loss="mse",
    n_rounds=200,
    random_state=None,
    y_test_true=None,
    n_jobs=None,
    sampler=None,
):
    """Split a learner's expected test loss into bias, variance and (when possible) noise.

    The learner is refit on ``n_rounds`` training sets and predicts ``X_test``: fresh
    sets from ``sampler`` when given, otherwise bootstrap resamples of
    ``(X_train, y_train)`` (an approximation, see the module docstring, which also gives
    the formulas).

    Parameters
    ----------
    estimator : estimator
        Cloned for every round.
    X_train, y_train : array-like or None
        The training set to resample; ignored (may be None) when ``sampler`` is given.
    X_test : array-like of shape (n_test, n_features)
    y_test : array-like of shape (n_test,) or (n_test, n_repeats)
        Observed test targets; a 2-D array holds repeated noisy measurements per point
        (``loss="mse"`` only), from which the noise is estimated.
    loss : {"mse", "0-1"}
    n_rounds : int, default=200
    random_state : int, RandomState or None
        Seed of the bootstrap draws. The estimator's own ``random_state`` is kept.
    y_test_true : array-like of shape (n_test,), optional
        Noise-free targets ``f(x)`` (known in simulations); separates noise from bias.
    n_jobs : int or None
        Rounds run in parallel through joblib.
    sampler : callable, optional
        ``sampler(rng) -> (X_train, y_train)`` draws a fresh training set from the data
        distribution with the NumPy ``Generator`` it is given (one per round, seeded from
        ``random_state``).

    Returns
    -------
    BiasVariance
        ``expected_loss``, ``bias2``, ``variance``, ``noise``, ``net_variance``,
        ``predictions``.

    Examples
    --------
    >>> from mlhood.tree import DecisionTreeRegressor
    >>> X = np.linspace(0, 1, 50)[:, None]; y = np.sin(6 * X[:, 0])
    >>> r = bias_variance_decomposition(DecisionTreeRegressor(max_depth=2), X, y, X[:5], y[:5],
    ...                                 n_rounds=20, random_state=0)
    >>> bool(abs(r.expected_loss - r.bias2 - r.variance) < 1e-9)
    True

    Fresh training sets: a model predicting the training mean of ``n`` draws of
    ``N(0, 1)`` has variance ``1/n`` (here ``1/10``).

    >>> from mlhood.linear_model import Ridge
    >>> def sampler(rng):
    ...     return np.zeros((10, 1)), rng.normal(size=10)
    >>> r = bias_variance_decomposition(Ridge(), None, None, np.zeros((1, 1)), np.zeros(1),
    ...                                 n_rounds=2000, random_state=0, sampler=sampler)
    >>> round(r.variance, 2)
    0.1
    """
    X_test = check_array(X_test, accept_sparse=False)
    y_test = np.asarray(y_test)
    if sampler is None:
        X_train = check_array(X_train, accept_sparse=False)
        y_train = np.asarray(y_train)
        if y_train.shape[0] != X_train.shape[0]:
            raise ValueError(f"y_train has {y_train.shape[0]} rows, X_train {X_train.shape[0]}")
    if y_test.shape[0] != X_test.shape[0] or y_test.ndim not in (1, 2):
        raise ValueError(
            f"y_test must have shape (n_test,) or (n_test, n_repeats) with "
            f"n_test={X_test.shape[0]}, got {y_test.shape}"
        )
    if y_test.ndim == 2 and loss != "mse":
        raise ValueError("repeated measurements (2-D y_test) are supported for loss='mse' only")
    if y_test_true is not None:
        y_test_true = np.asarray(y_test_true, dtype=float)
        if y_test_true.shape != (X_test.shape[0],):
            raise ValueError(f"y_test_true must have shape ({X_test.shape[0]},)")
    rng = check_random_state(random_state)
    if sampler is None:
        n = X_train.shape[0]
        samples = [rng.randint(0, n, size=n) for _ in range(int(n_rounds))]
        tasks = (delayed(_fit_predict)(estimator, X_train, y_train, X_test, s) for s in samples)
    else:
        seeds = rng.randint(0, 2**31 - 1, size=int(n_rounds))
        tasks = (delayed(_fit_predict_fresh)(estimator, sampler, s, X_test) for s in seeds)
    predictions = np.array(Parallel(n_jobs=n_jobs)(tasks))
    if loss == "mse":
        expected, bias2, variance, noise = _mse_parts(
            predictions.astype(float), y_test.astype(float), y_test_true
        )
        return BiasVariance(expected, bias2, variance, noise, None, predictions)
    main = _mode_per_column(predictions)
    biased = main != y_test
    spread = np.mean(predictions != main, axis=0)
    expected = float(np.mean(predictions != y_test))
    net = float(np.mean(np.where(biased, -spread, spread)))
    noise = None
    if y_test_true is not None:
        noise = float(np.mean(y_test != y_test_true))
    return BiasVariance(
        expected, float(np.mean(biased)), float(spread.mean()), noise, net, predictions
    )
