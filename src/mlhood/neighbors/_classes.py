"""k-nearest-neighbour classifier and regressor (exact brute-force search)."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood.neighbors._search import nearest

METRICS = ("euclidean", "manhattan")
WEIGHTS = ("uniform", "distance")


def neighbour_weights(distances: np.ndarray, weights: str) -> np.ndarray:
    """Vote weights: 1 (uniform) or ``1/d`` (distance); a query that coincides with
    training points (``d = 0``) gives them weight 1 and every other neighbour 0."""
    if weights == "uniform":
        return np.broadcast_to(1.0, distances.shape)
    with np.errstate(divide="ignore"):
        w = 1.0 / distances
    exact = distances == 0
    hit = exact.any(axis=1)
    w[hit] = exact[hit].astype(np.float64)
    return w


class BaseKNeighbors(ValidatedParamsMixin, BaseEstimator):
    """Shared search code; see :class:`KNeighborsClassifier`."""

    _parameter_constraints = {
        "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left")],
        "weights": [Options(WEIGHTS)],
        "metric": [Options(METRICS)],
        "n_jobs": [numbers.Integral, None],
    }

    def __init__(self, n_neighbors=5, *, weights="uniform", metric="euclidean", n_jobs=None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.metric = metric
        self.n_jobs = n_jobs

    def _store(self, X):
        self._center = X.mean(axis=0)
        self._fit_X = np.ascontiguousarray(X - self._center)
        self._sq_norms = np.einsum("ij,ij->i", self._fit_X, self._fit_X)
        self.n_samples_fit_ = X.shape[0]

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        """Distances and indices of the ``n_neighbors`` nearest training rows of each query.

        Neighbours are sorted by distance; equal distances are ordered by training index.
        """
        check_is_fitted(self)
        self._validate_params()
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if not (isinstance(k, numbers.Integral) and k >= 1):
            raise ValueError(f"n_neighbors must be an int >= 1; got {k!r}")
        if k > self.n_samples_fit_:
            raise ValueError(
                f"n_neighbors={k} must be <= the number of training samples "
                f"({self.n_samples_fit_})"
            )
        # queries are searched in the training data's precision (float32 stays float32)
        X = validate_data(self, X, dtype=self._fit_X.dtype, order="C", reset=False)
        distances, indices = nearest(
            X, self._center, self._fit_X, self._sq_norms, int(k), self.metric, self.n_jobs
        )
        return (distances, indices) if return_distance else indices


class KNeighborsClassifier(ClassifierMixin, BaseKNeighbors):
    """k-nearest-neighbour vote (Fix & Hodges, 1951; Cover & Hart, 1967; *ESL* §13.3).

    ``p(c|x) = sum_{i in N_k(x)} w_i [y_i = c] / sum_{i in N_k(x)} w_i`` with ``N_k(x)``
    the ``k`` training points closest to ``x`` and ``w_i = 1`` (uniform) or
    ``1 / d(x, x_i)`` (distance). The search is exact and brute force (see
    :mod:`mlhood.neighbors._search`).

    Ties. Among training points at exactly the same distance the one with the lower
    training index is taken first; a tied vote goes to the class listed first in
    ``classes_``. scikit-learn's brute-force search may order exact distance ties
    differently, so predictions can differ only when such ties straddle the k-th place.

    Parameters
    ----------
    n_neighbors : int, default=5
        ``k`` (at most the number of training rows, checked when predicting).
    weights : {"uniform", "distance"}, default="uniform"
    metric : {"euclidean", "manhattan"}, default="euclidean"
    n_jobs : int or None, default=None
        Threads searching query blocks in parallel (joblib; None = 1, -1 = all cores).

    Attributes
    ----------
    classes_ : ndarray
    n_features_in_ : int
    n_samples_fit_ : int

    Examples
    --------
    >>> from mlhood.neighbors import KNeighborsClassifier
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> KNeighborsClassifier(n_neighbors=3).fit(X, [0, 0, 1, 1]).predict([[1.1]])
    array([0])
    """

    def fit(self, X, y):
        """Store the training set (the search happens at prediction time)."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32))
        check_classification_targets(y)
        self.classes_, self._y_codes = np.unique(y, return_inverse=True)
        self._store(X)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Weighted share of each class among the neighbours."""
        distances, indices = self.kneighbors(X)
        w = neighbour_weights(distances, self.weights)
        votes = np.zeros((indices.shape[0], self.classes_.shape[0]))
        rows = np.arange(indices.shape[0])
        for j in range(indices.shape[1]):  # one column of neighbours at a time: O(n) memory
            votes[rows, self._y_codes[indices[:, j]]] += w[:, j]
        return votes / votes.sum(axis=1, keepdims=True)

    def predict(self, X) -> np.ndarray:
        """Class with the largest (weighted) vote."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class KNeighborsRegressor(RegressorMixin, BaseKNeighbors):
    """k-nearest-neighbour regression: ``f(x) = sum_{i in N_k(x)} w_i y_i / sum w_i``.

    Same search, weights and tie rule as :class:`KNeighborsClassifier`.

    Parameters
    ----------
    n_neighbors : int, default=5
    weights : {"uniform", "distance"}, default="uniform"
    metric : {"euclidean", "manhattan"}, default="euclidean"
    n_jobs : int or None, default=None
        As in :class:`KNeighborsClassifier`.

    Attributes
    ----------
    n_features_in_ : int
    n_samples_fit_ : int

    Examples
    --------
    >>> from mlhood.neighbors import KNeighborsRegressor
    >>> X = [[0.0], [1.0], [2.0], [3.0]]
    >>> KNeighborsRegressor(n_neighbors=2).fit(X, [0.0, 1.0, 2.0, 3.0]).predict([[0.4]])
    array([0.5])
    """

    def fit(self, X, y):
        """Store the training set (the search happens at prediction time)."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32), y_numeric=True)
        self._y = np.asarray(y, dtype=np.float64)
        self._store(X)
        return self

    def predict(self, X) -> np.ndarray:
        """Weighted mean target of the neighbours."""
        distances, indices = self.kneighbors(X)
        w = neighbour_weights(distances, self.weights)
        return np.sum(w * self._y[indices], axis=1) / np.sum(w, axis=1)
