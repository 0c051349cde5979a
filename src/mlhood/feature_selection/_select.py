"""``SelectKBest``: keep the ``k`` features with the highest univariate scores."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood.feature_selection._univariate import f_classif


class SelectKBest(ValidatedParamsMixin, TransformerMixin, BaseEstimator):
    """Keep the ``k`` features with the highest scores of ``score_func(X, y)``.

    Each feature is scored on its own (by default the ANOVA F-statistic of
    :func:`f_classif`, ``F = [SS_between / (K - 1)] / [SS_within / (N - K)]``) and the
    ``k`` largest scores are kept; ``transform`` returns those columns in their original
    order. NaN scores count as the lowest; among equal scores the later column wins, as in
    scikit-learn (a stable sort, the top ``k`` taken from its end). Univariate selection
    misses features that matter only in combination, and is cheap: one pass over the data.

    Parameters
    ----------
    score_func : callable, default=f_classif
        ``score_func(X, y)`` returning scores, or a pair ``(scores, pvalues)``.
    k : int or "all", default=10
        How many features to keep; more than ``n_features`` keeps all (with a warning).

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
    pvalues_ : ndarray of shape (n_features,) or None
        ``None`` when ``score_func`` returns scores only.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` had string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.feature_selection import SelectKBest, f_classif
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 50)
    >>> X = rng.normal(size=(100, 4))
    >>> X[:, 2] += 3 * y
    >>> SelectKBest(f_classif, k=1).fit(X, y).get_support(indices=True)
    array([2])
    """

    def __init__(self, score_func=f_classif, *, k=10):
        self.score_func = score_func
        self.k = k

    _parameter_constraints = {
        "score_func": [callable],
        "k": [Interval(Integral, 0, None, closed="left"), Options(["all"])],
    }

    def fit(self, X, y):
        """Score every feature of ``X`` against ``y``."""
        self._validate_params()
        k = self.k
        X, y = validate_data(self, X, y, dtype=np.float64)
        if k != "all" and k > X.shape[1]:
            warnings.warn(
                f"k={k} is greater than n_features={X.shape[1]}. All the features will be "
                "returned.",
                UserWarning,
                stacklevel=2,
            )
        scored = self.score_func(X, y)
        if isinstance(scored, (list, tuple)):
            scores, pvalues = scored
            self.pvalues_ = np.asarray(pvalues)
        else:
            scores, self.pvalues_ = scored, None
        self.scores_ = np.asarray(scores)
        return self

    def get_support(self, indices: bool = False) -> np.ndarray:
        """Boolean mask of the kept features, or their column indices if ``indices``."""
        check_is_fitted(self)
        mask = np.zeros(self.scores_.shape, dtype=bool)
        if self.k == "all":
            mask[:] = True
        elif self.k > 0:
            scores = np.where(np.isnan(self.scores_), -np.inf, self.scores_)
            mask[np.argsort(scores, kind="stable")[-self.k :]] = True
        return np.flatnonzero(mask) if indices else mask

    def transform(self, X):
        """The kept columns of ``X``, shape ``(n_samples, n_selected)``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        mask = self.get_support()
        if not mask.any():
            warnings.warn("No features were selected (k = 0).", UserWarning, stacklevel=2)
        return X[:, mask]

    def inverse_transform(self, X):
        """Put the kept columns back in place, zeros where features were dropped."""
        mask = self.get_support()
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != mask.sum():
            raise ValueError(f"X must have shape (n, {mask.sum()}), got {X.shape}")
        full = np.zeros((X.shape[0], mask.size))
        full[:, mask] = X
        return full

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the kept features (``x0, x1, ...`` when ``X`` had none)."""
        check_is_fitted(self)
        return _check_feature_names_in(self, input_features)[self.get_support()]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
