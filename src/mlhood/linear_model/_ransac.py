"""RANSAC: fit a model on random minimal subsets and keep the one most points agree with."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood._random import check_random_state

_LOSSES = {
    "absolute_error": lambda y, pred: np.abs(y - pred),
    "squared_error": lambda y, pred: (y - pred) ** 2,
}


def _default_estimator():
    from mlhood.linear_model import LinearRegression

    return LinearRegression()


def needed_trials(inlier_ratio, min_samples, stop_probability):
    """Trials so a clean minimal subset is drawn with probability ``stop_probability``.

    One random subset of ``m`` points is all-inlier with probability ``w**m``, so ``N``
    trials find at least one with probability ``1 - (1 - w**m)**N``; solving for ``N``::

        N = log(1 - stop_probability) / log(1 - w**m)
    """
    clean = inlier_ratio**min_samples
    if clean <= 0.0:
        return np.inf
    if clean >= 1.0:
        return 1.0
    # log1p keeps log(1 - clean) non-zero when clean is tiny (a bad early trial)
    return np.log(1.0 - stop_probability) / np.log1p(-clean)


def random_subset(rng, n, size):
    """``size`` distinct indices out of ``n``, uniformly at random.

    For small subsets draw with replacement and redraw on a repeat (cheap: the chance
    of a repeat is below 1/2 when ``size^2 < n``); otherwise permute. This avoids
    shuffling all ``n`` rows on every RANSAC trial.
    """
    if size * size < n:
        while True:
            subset = rng.randint(0, n, size)
            if np.unique(subset).size == size:
                return subset
    return rng.choice(n, size=size, replace=False)


class RANSACRegressor(ValidatedParamsMixin, MetaEstimatorMixin, RegressorMixin, BaseEstimator):
    """RANdom SAmple Consensus regression (Fischler & Bolles 1981).

    Each trial fits ``estimator`` on ``min_samples`` points drawn at random and counts
    the *inliers*: samples whose loss ``L(y_i, f(x_i))`` is below ``residual_threshold``.
    The trial with the most inliers wins (ties go to the smaller total inlier loss), and
    the final model is refit on the winning inlier set. Sampling stops after
    ``max_trials`` trials or earlier once, with inlier ratio ``w`` of the best trial,
    ``N = log(1 - stop_probability) / log(1 - w**min_samples)`` trials have been run.

    Parameters
    ----------
    estimator : regressor, default=None
        Fitted on each subset (cloned). ``None`` means
        :class:`mlhood.linear_model.LinearRegression`.
    min_samples : int (>= 1), float in (0, 1) or None, default=None
        Subset size: an absolute count, a fraction of ``n_samples`` (rounded up), or
        ``n_features + 1`` when ``None``.
    residual_threshold : float or None, default=None
        Largest loss of an inlier. ``None`` means the median absolute deviation of ``y``.
    max_trials : int, default=100
    stop_probability : float in (0, 1], default=0.99
    loss : {"absolute_error", "squared_error"} or callable, default="absolute_error"
        ``loss(y_true, y_pred)`` returning one value per sample.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimator_ : regressor
        The model refit on the inliers of the best trial.
    inlier_mask_ : ndarray of bool, shape (n_samples,)
    n_trials_ : int
        Trials actually run.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import RANSACRegressor
    >>> X = np.arange(30.0).reshape(-1, 1)
    >>> y = 3 * X.ravel() - 2
    >>> y[:5] = 500.0
    >>> model = RANSACRegressor(random_state=0).fit(X, y)
    >>> int(model.inlier_mask_.sum()), round(float(model.predict([[10.0]])[0]), 6)
    (25, 28.0)
    """

    _parameter_constraints = {
        "estimator": ["estimator", None],
        "min_samples": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
            None,
        ],
        "residual_threshold": [Interval(Real, 0, None, closed="left"), None],
        "max_trials": [Interval(Integral, 1, None, closed="left")],
        "stop_probability": [Interval(Real, 0, 1, closed="both")],
        "loss": [Options(sorted(_LOSSES)), callable],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        min_samples=None,
        residual_threshold=None,
        max_trials=100,
        stop_probability=0.99,
        loss="absolute_error",
        random_state=None,
    ):
        self.estimator = estimator
        self.min_samples = min_samples
        self.residual_threshold = residual_threshold
        self.max_trials = max_trials
        self.stop_probability = stop_probability
        self.loss = loss
        self.random_state = random_state

    def _subset_size(self, n_samples, n_features):
        m = self.min_samples
        if m is None:
            size = n_features + 1
        elif isinstance(m, Integral):
            size = int(m)
        else:
            size = int(np.ceil(m * n_samples))
        if size > n_samples:
            raise ValueError(
                f"min_samples={size} is larger than the number of samples "
                f"(n_samples={n_samples}); RANSAC needs at least min_samples points"
            )
        return size

    def _loss_function(self):
        return self.loss if callable(self.loss) else _LOSSES[self.loss]

    def fit(self, X, y):
        """Run the RANSAC trials on ``X``, ``y`` and refit on the best inlier set."""
        self._validate_params()
        loss = self._loss_function()
        X, y = validate_data(self, X, y, y_numeric=True, ensure_min_samples=2)
        n_samples, n_features = X.shape
        size = self._subset_size(n_samples, n_features)
        if self.residual_threshold is None:
            threshold = float(np.median(np.abs(y - np.median(y))))
        else:
            threshold = float(self.residual_threshold)
        base = _default_estimator() if self.estimator is None else self.estimator
        rng = check_random_state(self.random_state)

        best_count, best_loss, best_mask = 0, np.inf, None
        trials = 0
        while trials < self.max_trials:
            trials += 1
            subset = random_subset(rng, n_samples, size)
            model = clone(base).fit(X[subset], y[subset])
            sample_loss = np.asarray(loss(y, model.predict(X)), dtype=float)
            mask = sample_loss <= threshold
            count = int(mask.sum())
            total = float(sample_loss[mask].sum())
            if count > best_count or (count == best_count and count > 0 and total < best_loss):
                best_count, best_loss, best_mask = count, total, mask
                if trials >= needed_trials(count / n_samples, size, self.stop_probability):
                    break
            elif best_mask is not None and trials >= needed_trials(
                best_count / n_samples, size, self.stop_probability
            ):
                break

        if best_mask is None or best_count < size:
            raise ValueError(
                f"RANSAC found no consensus set of at least min_samples={size} inliers in "
                f"{trials} trials; raise residual_threshold (now {threshold:g}) or max_trials"
            )
        self.n_trials_ = trials
        self.inlier_mask_ = best_mask
        self.estimator_ = clone(base).fit(X[best_mask], y[best_mask])
        return self

    def predict(self, X):
        """Predict with the model refit on the inliers."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.estimator_.predict(X)
