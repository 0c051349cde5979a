"""Ordinary least squares: ``min_w Σ sᵢ (yᵢ - xᵢᵀw - b)²``.

Solved on centered data with a singular value decomposition (LAPACK ``gelsd``), which
returns the minimum-norm solution when ``X`` is rank deficient (Golub & Van Loan,
*Matrix Computations*, 4th ed., §5.5). With ``positive=True`` the non-negative least squares
problem is solved by the active-set method of Lawson & Hanson (1974).
"""

from __future__ import annotations

import numpy as np
from scipy import linalg, optimize
from sklearn.base import BaseEstimator

from mlhood._params import ValidatedParamsMixin
from mlhood.linear_model._base import (
    LinearRegressorBase,
    center_and_weight,
    check_weights,
    intercept_from_offsets,
)


class LinearRegression(ValidatedParamsMixin, LinearRegressorBase, BaseEstimator):
    """Ordinary least squares linear regression.

    Minimises ``Σᵢ sᵢ (yᵢ - xᵢᵀw - b)²`` over ``w`` (and ``b`` when ``fit_intercept``).
    The intercept is handled by centering; the centered problem is solved by an SVD-based
    least-squares routine, giving the minimum-norm ``w`` when columns are collinear.

    Parameters
    ----------
    fit_intercept : bool, default=True
        Whether to fit the intercept ``b``.
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; ``X`` is never modified in place.
    positive : bool, default=False
        Constrain the coefficients to be non-negative (Lawson-Hanson NNLS).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    rank_ : int
        Rank of the centered (weighted) design matrix.
    singular_ : ndarray of shape (min(n_samples, n_features),)
        Its singular values.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import LinearRegression
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> LinearRegression().fit(X, 1 + 2 * X.ravel()).coef_.round(6)
    array([2.])
    """

    _parameter_constraints = {
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "positive": ["boolean"],
    }

    def __init__(self, *, fit_intercept=True, copy_X=True, positive=False):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.positive = positive

    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : LinearRegression
        """
        self._validate_params()
        X, y = self._validate_fit_data(X, y)
        sample_weight = check_weights(sample_weight, X)
        Xc, yc, X_offset, y_offset = center_and_weight(
            X, y, self.fit_intercept, sample_weight, copy=False
        )
        if self.positive:
            targets = yc.reshape(len(yc), -1)
            coef = np.stack([optimize.nnls(Xc, t)[0] for t in targets.T])
            self.rank_ = int(np.linalg.matrix_rank(Xc))
            self.singular_ = linalg.svdvals(Xc)
        else:
            # numerical rank cut-off max(n, p)·ε·σ_max (as numpy.linalg.matrix_rank): the
            # direction that centering removes must count as exactly zero
            cutoff = max(Xc.shape) * np.finfo(Xc.dtype).eps
            solution, _, self.rank_, self.singular_ = linalg.lstsq(Xc, yc, cond=cutoff)
            coef = solution.T
        if y.ndim == 1:
            coef = coef.ravel()
        self.coef_ = coef.astype(X.dtype, copy=False)
        self.intercept_ = intercept_from_offsets(
            self.coef_, X_offset, y_offset, self.fit_intercept
        )
        return self
