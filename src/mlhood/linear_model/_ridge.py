"""Ridge regression: ``min_w Σ sᵢ (yᵢ - xᵢᵀw - b)² + α ‖w‖²``.

The normal equations ``(XᵀX + αI) w = Xᵀy`` (on centered, weighted data) are solved by a
Cholesky factorisation; when ``n_features > n_samples`` the equivalent kernel form
``w = Xᵀ (XXᵀ + αI)⁻¹ y`` is used instead. If the factorisation fails (``α = 0`` with
collinear columns) the SVD solution ``w = V diag(σ/(σ²+α)) Uᵀy`` is used (Hoerl & Kennard,
1970; Hastie, Tibshirani & Friedman, *ESL* §3.4.1).

Speed: the Gram matrix ``XᵀX`` of the centered data is accumulated block by block with the
BLAS rank-k update ``syrk`` (half the flops of a matrix product), so centering never copies
the whole of ``X``.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator

from mlhood._linalg import centered_gram
from mlhood._params import Elements, Interval, Options, ValidatedParamsMixin
from mlhood.linear_model._base import (
    LinearRegressorBase,
    center_and_weight,
    check_weights,
    intercept_from_offsets,
)

_NON_NEGATIVE = Interval(Real, 0, np.inf, closed="left")


def _solve_svd(Xc, Yc, alphas):
    """``w = V diag(σ/(σ²+α)) Uᵀy`` for each target; returns (n_features, n_targets)."""
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)  # scipy's gesdd is slow on small X
    UtY = U.T @ Yc
    coef = np.empty((Xc.shape[1], Yc.shape[1]), dtype=Xc.dtype)
    for k in range(Yc.shape[1]):
        alpha = alphas[k]
        shrink = np.divide(s, s**2 + alpha, out=np.zeros_like(s), where=s > 1e-15 * s.max())
        coef[:, k] = Vt.T @ (shrink * UtY[:, k])
    return coef


def _solve_cholesky(A, B, alphas):
    """Solve ``(A + αₖ I) xₖ = bₖ`` for every column ``k``; raises LinAlgError if singular."""
    out = np.empty_like(B)
    same_alpha = np.all(alphas == alphas[0])
    groups = [(alphas[0], slice(None))] if same_alpha else enumerate_alphas(alphas)
    for alpha, cols in groups:
        shifted = A.copy()
        shifted.flat[:: A.shape[0] + 1] += alpha
        factor = linalg.cho_factor(shifted, lower=False, check_finite=False)
        out[:, cols] = linalg.cho_solve(factor, B[:, cols], check_finite=False)
    return out


def enumerate_alphas(alphas):
    """Pairs ``(alpha_k, [k])``: one linear system per target."""
    return [(a, [k]) for k, a in enumerate(alphas)]


def ridge_solve(X, Y, alphas, fit_intercept, sample_weight, solver):
    """Ridge coefficients (n_features, n_targets), offsets and the solver actually used."""
    n_samples, n_features = X.shape
    if fit_intercept:
        X_offset = np.average(X, axis=0, weights=sample_weight).astype(X.dtype)
        Y_offset = np.average(Y, axis=0, weights=sample_weight).astype(X.dtype)
    else:
        X_offset = np.zeros(n_features, dtype=X.dtype)
        Y_offset = np.zeros(Y.shape[1], dtype=X.dtype)
    if solver in ("auto", "cholesky"):
        try:
            if n_features <= n_samples:
                gram, xty = centered_gram(X, X_offset, Y, Y_offset, sample_weight)
                coef = _solve_cholesky(gram, xty, alphas)
            else:
                Xc, Yc, _, _ = center_and_weight(X, Y, fit_intercept, sample_weight)
                dual = _solve_cholesky(Xc @ Xc.T, Yc, alphas)
                coef = Xc.T @ dual
            if np.all(np.isfinite(coef)):
                return coef, X_offset, Y_offset, "cholesky"
        except linalg.LinAlgError:
            pass
    Xc, Yc, _, _ = center_and_weight(X, Y, fit_intercept, sample_weight)
    return _solve_svd(Xc, Yc, alphas), X_offset, Y_offset, "svd"


class Ridge(ValidatedParamsMixin, LinearRegressorBase, BaseEstimator):
    """Linear least squares with an L2 penalty (ridge regression, Tikhonov regularisation).

    Minimises ``Σᵢ sᵢ (yᵢ - xᵢᵀw - b)² + α ‖w‖²``; the intercept ``b`` is not penalised.

    Parameters
    ----------
    alpha : float or array-like of shape (n_targets,), default=1.0
        Penalty strength ``α >= 0``; one per target allowed.
    fit_intercept : bool, default=True
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; ``X`` is never modified in place.
    solver : {"auto", "cholesky", "svd"}, default="auto"
        ``"auto"``/``"cholesky"``: normal equations by Cholesky, falling back to SVD.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    solver_ : str
        The solver that produced the solution.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import Ridge
    >>> X = np.array([[0.0], [1.0], [2.0]])
    >>> Ridge(alpha=1.0).fit(X, 2 * X.ravel()).coef_.round(6)
    array([1.333333])
    """

    _parameter_constraints = {
        "alpha": [_NON_NEGATIVE, Elements(_NON_NEGATIVE)],
        "fit_intercept": ["boolean"],
        "copy_X": ["boolean"],
        "solver": [Options(["auto", "cholesky", "svd"])],
    }

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, solver="auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit ridge regression.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), default=None

        Returns
        -------
        self : Ridge
        """
        self._validate_params()
        X, y = self._validate_fit_data(X, y)
        sample_weight = check_weights(sample_weight, X)
        Y = y.reshape(len(y), -1)
        alphas = np.atleast_1d(np.asarray(self.alpha, dtype=float))
        if alphas.size == 1:
            alphas = np.full(Y.shape[1], alphas[0])
        elif alphas.size != Y.shape[1]:
            raise ValueError(
                f"alpha has {alphas.size} entries but y has {Y.shape[1]} targets; "
                "pass one alpha or one per target."
            )
        coef, X_offset, Y_offset, self.solver_ = ridge_solve(
            X, Y, alphas, self.fit_intercept, sample_weight, self.solver
        )
        coef = coef.T.astype(X.dtype, copy=False)
        if y.ndim == 1:
            coef, Y_offset = coef[0], Y_offset[0]
        self.coef_ = coef
        self.intercept_ = intercept_from_offsets(coef, X_offset, Y_offset, self.fit_intercept)
        return self
