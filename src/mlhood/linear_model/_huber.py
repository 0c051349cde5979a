"""Huber regression with a jointly estimated scale (Owen 2007), fit by L-BFGS-B."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Interval, ValidatedParamsMixin

_MIN_SCALE = 10 * np.finfo(np.float64).eps


def huber_objective(params, X, y, epsilon, alpha, fit_intercept):
    """Owen's concomitant-scale Huber loss and its gradient.

    ``params = [w_1..w_p, (b), sigma]``. With residuals ``r = y - Xw - b``::

        L(w, b, sigma) = sum_i [ sigma + H_eps(r_i / sigma) * sigma ] + alpha * ||w||^2
        H_eps(z) = z^2                      if |z| <= eps
                 = 2 * eps * |z| - eps^2    otherwise

    The loss is jointly convex in ``(w, b, sigma)`` for ``sigma > 0``.
    """
    n_features = X.shape[1]
    w = params[:n_features]
    sigma = params[-1]
    intercept = params[n_features] if fit_intercept else 0.0
    residual = y - X @ w - intercept
    abs_residual = np.abs(residual)
    is_outlier = abs_residual > epsilon * sigma
    n_outliers = np.count_nonzero(is_outlier)
    inlier_residual = np.where(is_outlier, 0.0, residual)
    sum_sq_inlier = inlier_residual @ inlier_residual
    sum_abs_outlier = abs_residual[is_outlier].sum()

    loss = (
        y.shape[0] * sigma
        + sum_sq_inlier / sigma
        + 2.0 * epsilon * sum_abs_outlier
        - sigma * n_outliers * epsilon**2
        + alpha * (w @ w)
    )

    # d/d residual_i of the per-sample loss: 2 r/sigma (inlier) or 2 eps sign(r) (outlier)
    d_residual = np.where(is_outlier, 2.0 * epsilon * np.sign(residual), 2.0 * residual / sigma)
    grad = np.empty_like(params)
    grad[:n_features] = -(X.T @ d_residual) + 2.0 * alpha * w
    if fit_intercept:
        grad[n_features] = -d_residual.sum()
    grad[-1] = y.shape[0] - n_outliers * epsilon**2 - sum_sq_inlier / sigma**2
    return loss, grad


class HuberRegressor(ValidatedParamsMixin, RegressorMixin, BaseEstimator):
    """Linear regression that is quadratic on small residuals and linear on large ones.

    Minimises Owen's (2007) objective, which estimates the coefficients ``w``, intercept
    ``b`` and a scale ``sigma`` together, so the switch point ``epsilon * sigma`` adapts to
    the noise level and the fit does not depend on the units of ``y``::

        min_{w, b, sigma > 0}  sum_i [ sigma + H_eps((y_i - x_i w - b) / sigma) * sigma ]
                               + alpha * ||w||^2

    with ``H_eps(z) = z^2`` for ``|z| <= eps`` and ``2 eps |z| - eps^2`` otherwise
    (Huber 1964). The objective is convex and differentiable, so it is solved with
    L-BFGS-B (``sigma`` bounded below by a tiny positive number), starting from
    ``w = 0, b = 0, sigma = 1``. This is the same objective scikit-learn's
    ``HuberRegressor`` uses.

    Parameters
    ----------
    epsilon : float, default=1.35
        Residuals larger than ``epsilon * scale_`` are penalised linearly. Must be >= 1;
        1.35 gives 95% efficiency on Gaussian noise.
    alpha : float, default=1e-4
        Strength of the squared L2 penalty on ``w`` (not on the intercept).
    fit_intercept : bool, default=True
    max_iter : int, default=100
        Maximum number of L-BFGS-B iterations.
    tol : float, default=1e-5
        L-BFGS-B stops when the largest projected gradient component is below ``tol``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
    intercept_ : float
    scale_ : float
        The estimated ``sigma``.
    outliers_ : ndarray of bool, shape (n_samples,)
        Training samples with ``|residual| > epsilon * scale_``.
    n_iter_ : int
        Iterations L-BFGS-B used.
    n_features_in_ : int

    References
    ----------
    Owen, A. B. (2007). A robust hybrid of lasso and ridge regression. Contemporary
    Mathematics 443.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import HuberRegressor
    >>> X = np.arange(20.0).reshape(-1, 1)
    >>> y = 2 * X.ravel() + 1
    >>> y[3] = 100.0  # one gross outlier
    >>> model = HuberRegressor().fit(X, y)
    >>> round(float(model.coef_[0]), 2)
    2.0
    """

    _parameter_constraints = {
        "epsilon": [Interval(Real, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, epsilon=1.35, alpha=1e-4, fit_intercept=True, max_iter=100, tol=1e-5):
        self.epsilon = epsilon
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y):
        """Fit coefficients, intercept and scale on ``X`` (n_samples, n_features), ``y``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n_features = X.shape[1]
        start = np.zeros(n_features + int(self.fit_intercept) + 1)
        start[-1] = 1.0
        bounds = [(None, None)] * (start.size - 1) + [(_MIN_SCALE, None)]
        solution = minimize(
            huber_objective,
            start,
            args=(X, y, self.epsilon, self.alpha, self.fit_intercept),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": self.max_iter, "gtol": self.tol},
        )
        params = solution.x
        self.n_iter_ = int(min(solution.nit, self.max_iter))
        self.coef_ = params[:n_features].copy()
        self.intercept_ = float(params[n_features]) if self.fit_intercept else 0.0
        self.scale_ = float(params[-1])
        residual = y - X @ self.coef_ - self.intercept_
        self.outliers_ = np.abs(residual) > self.epsilon * self.scale_
        return self

    def predict(self, X):
        """Predict ``X @ coef_ + intercept_``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_
