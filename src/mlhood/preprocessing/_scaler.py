"""Standardisation: ``z = (x - μ) / σ`` per feature, with weighted, incremental moments.

Means and variances are merged batch by batch with the pairwise update of Chan, Golub &
LeVeque ("Algorithms for computing the sample variance", 1983), weighted::

    n = nₐ + n_b,  δ = μ_b - μₐ,  μ = μₐ + δ·n_b/n,  M₂ = M₂ₐ + M₂_b + δ²·nₐn_b/n,  σ² = M₂/n

so ``partial_fit`` on chunks gives the same result as ``fit`` on all rows.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from mlhood._params import ValidatedParamsMixin

FLOAT_DTYPES = (np.float64, np.float32)


def safe_scale(variance, mean):
    """``√variance``, with 1 for constant features (variance zero up to rounding)."""
    eps = np.finfo(np.float64).eps
    scale = np.sqrt(variance)
    constant = (variance <= 10 * eps * mean**2) | (scale == 0.0)
    scale[constant] = 1.0
    return scale


class StandardScaler(ValidatedParamsMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Standardise features by removing the mean and dividing by the standard deviation.

    ``transform`` computes ``z = (x - μ) / σ`` with the (weighted) mean ``μ`` and population
    standard deviation ``σ`` (``ddof=0``) of the training data; constant features keep
    ``σ = 1``. ``partial_fit`` updates the moments incrementally (Chan et al., 1983).

    Parameters
    ----------
    copy : bool, default=True
        If False, ``transform`` may work in place on float input.
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the standard deviation.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,) or None
    var_ : ndarray of shape (n_features,) or None
    scale_ : ndarray of shape (n_features,) or None
    n_samples_seen_ : int or float
        Rows seen (the sum of weights when ``sample_weight`` is given).
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.preprocessing import StandardScaler
    >>> StandardScaler().fit_transform(np.array([[1.0], [3.0]])).ravel().tolist()
    [-1.0, 1.0]
    """

    _parameter_constraints = {
        "copy": ["boolean"],
        "with_mean": ["boolean"],
        "with_std": ["boolean"],
    }

    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def _reset(self):
        for name in ("mean_", "var_", "scale_", "n_samples_seen_", "_m2", "_mean_all"):
            if hasattr(self, name):
                delattr(self, name)

    def fit(self, X, y=None, sample_weight=None):
        """Compute the mean and standard deviation of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        self._reset()
        return self.partial_fit(X, y, sample_weight)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the mean and standard deviation with one more batch of rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        self._validate_params()
        first = not hasattr(self, "n_samples_seen_")
        X = validate_data(self, X, dtype=FLOAT_DTYPES, reset=first)
        if sample_weight is None:
            weights, n_new = None, X.shape[0]
        else:
            weights = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
            n_new = float(weights.sum())
            if n_new <= 0:
                raise ValueError("sample_weight must have a positive sum.")
        batch_mean = np.average(X, axis=0, weights=weights).astype(np.float64)
        centered = X - batch_mean
        squares = centered**2 if weights is None else weights[:, None] * centered**2
        batch_m2 = squares.sum(axis=0, dtype=np.float64)
        if first:
            mean, m2, n_total = batch_mean, batch_m2, n_new
        else:
            n_old = self.n_samples_seen_
            n_total = n_old + n_new
            delta = batch_mean - self._mean_all
            mean = self._mean_all + delta * (n_new / n_total)
            m2 = self._m2 + batch_m2 + delta**2 * (n_old * n_new / n_total)
        self._mean_all, self._m2, self.n_samples_seen_ = mean, m2, n_total
        variance = m2 / n_total
        self.mean_ = mean if (self.with_mean or self.with_std) else None
        self.var_ = variance if self.with_std else None
        self.scale_ = safe_scale(variance, mean) if self.with_std else None
        return self

    def transform(self, X, copy=None):
        """Standardise ``X`` with the fitted moments.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        copy : bool, optional
            Overrides ``self.copy``.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self, "n_samples_seen_")
        copy = self.copy if copy is None else copy
        X = validate_data(self, X, dtype=FLOAT_DTYPES, reset=False, copy=copy)
        if self.with_mean:
            X -= self.mean_.astype(X.dtype)
        if self.with_std:
            X /= self.scale_.astype(X.dtype)
        return X

    def inverse_transform(self, X, copy=None):
        """Undo :meth:`transform`: ``x = z·σ + μ``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        copy : bool, optional

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self, "n_samples_seen_")
        copy = self.copy if copy is None else copy
        X = validate_data(self, X, dtype=FLOAT_DTYPES, reset=False, copy=copy)
        if self.with_std:
            X *= self.scale_.astype(X.dtype)
        if self.with_mean:
            X += self.mean_.astype(X.dtype)
        return X
