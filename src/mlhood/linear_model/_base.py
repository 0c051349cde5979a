"""Shared plumbing of the linear models: centering, sample weights, predictions.

Every linear model here fits ``y ≈ X w + b``. With ``fit_intercept=True`` the intercept is
removed from the optimisation by centering: with (weighted) means ``x̄`` and ``ȳ``, the
problem in ``(X - x̄, y - ȳ)`` has no intercept, and afterwards ``b = ȳ - x̄ᵀ w``. This is
exact for every penalty that does not touch ``b`` (Hastie, Tibshirani & Friedman, *The
Elements of Statistical Learning*, 2nd ed., §3.4.1). Sample weights ``s`` enter the squared
loss ``Σ sᵢ (yᵢ - xᵢᵀw)²`` by scaling rows with ``√sᵢ``.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

FLOAT_DTYPES = (np.float64, np.float32)


def check_weights(sample_weight, X):
    """Validate ``sample_weight`` (``None``, a scalar or one non-negative weight per row)."""
    if sample_weight is None or isinstance(sample_weight, numbers.Number):
        if isinstance(sample_weight, numbers.Number) and not sample_weight > 0:
            raise ValueError(f"sample_weight must be positive, got {sample_weight!r}.")
        return None
    return _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)


def center_and_weight(X, y, fit_intercept, sample_weight=None, copy=True, fortran=False):
    """Center ``X`` and ``y`` (weighted) and scale rows by ``√sample_weight``.

    With ``fortran=True`` the returned ``X`` is column-major (fast column access).

    Returns
    -------
    X_work, y_work : ndarray
        Centered (if ``fit_intercept``) and row-scaled data; a copy when needed.
    X_offset, y_offset : ndarray
        The (weighted) means that were removed (zeros without intercept).
    """
    n_features = X.shape[1]
    owned = False  # whether X is already our own copy (safe to scale in place)
    if fit_intercept:
        X_offset = (
            X.mean(axis=0)
            if sample_weight is None
            else np.average(X, axis=0, weights=sample_weight)
        ).astype(X.dtype, copy=False)
        y_offset = np.average(y, axis=0, weights=sample_weight).astype(y.dtype, copy=False)
        X = np.subtract(X, X_offset, order="F" if fortran else "K")
        y = y - y_offset
        owned = True
    else:
        X_offset = np.zeros(n_features, dtype=X.dtype)
        y_offset = np.zeros(y.shape[1:], dtype=y.dtype) if y.ndim > 1 else y.dtype.type(0)
        if copy or fortran:
            X = np.array(X, order="F" if fortran else "K")
            y = y.copy()
            owned = True
    if sample_weight is not None:
        root = np.sqrt(sample_weight)
        if owned:
            X *= root[:, None]
        else:
            X = X * root[:, None]
        y = y * (root[:, None] if y.ndim > 1 else root)
    return X, y, X_offset, y_offset


def intercept_from_offsets(coef, X_offset, y_offset, fit_intercept):
    """``b = ȳ - x̄ᵀ w`` for ``coef`` of shape (n_features,) or (n_targets, n_features)."""
    if not fit_intercept:
        return 0.0 if np.ndim(coef) == 1 else np.zeros(coef.shape[0], dtype=coef.dtype)
    return y_offset - coef @ X_offset


class LinearRegressorBase(RegressorMixin):
    """Shared ``predict`` of the linear regressors: ``X @ coef_.T + intercept_``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _validate_fit_data(self, X, y, multi_output=True):
        X, y = validate_data(
            self, X, y, dtype=FLOAT_DTYPES, y_numeric=True, multi_output=multi_output
        )
        if y.ndim == 2 and y.shape[1] == 1 and not multi_output:
            y = y.ravel()
        return X, y.astype(X.dtype, copy=False)

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=FLOAT_DTYPES, reset=False)
        return X @ np.asarray(self.coef_).T + self.intercept_
