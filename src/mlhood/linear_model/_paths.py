"""Regularisation paths: coefficients over a grid of penalty strengths.

- :func:`enet_path` / :func:`lasso_path` solve the elastic net (scikit-learn's scaling, no
  intercept: center the data first if you want one) for a decreasing grid of ``α``, each
  solve warm-started at the previous solution, which is what makes the whole path cost
  little more than one fit (Friedman, Hastie & Tibshirani, J. Stat. Softw. 2010, §2.5).
  The default grid runs from ``α_max = max|Xᵀy| / (n·l1_ratio)`` — the smallest ``α`` with
  all coefficients zero — down to ``eps·α_max``, evenly spaced on a log scale.
- :func:`ridge_path` uses one SVD ``X = U diag(σ) Vᵀ`` for every ``α``:
  ``w(α) = V diag(σ / (σ² + α)) Uᵀ y``.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_array, check_consistent_length

from mlhood._params import Elements, Interval, Options, validate_params
from mlhood.linear_model._base import FLOAT_DTYPES, center_and_weight
from mlhood.linear_model._enet_solver import enet_coordinate_descent, problem_cache


def _check_path_data(X, y):
    X = check_array(X, dtype=FLOAT_DTYPES, order="F", input_name="X")
    y = check_array(y, dtype=X.dtype, ensure_2d=False, input_name="y")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D for a path (fit one path per target), got {y.shape}.")
    check_consistent_length(X, y)
    return X, y


_ALPHAS = [Elements(Interval(Real, 0, np.inf, closed="left")), None]
_N_ALPHAS = [Interval(Integral, 1, None, closed="left")]


def alpha_grid(X, y, *, l1_ratio=1.0, eps=1e-3, n_alphas=100):
    """Decreasing log-spaced grid from ``α_max = max|Xᵀy| / (n·l1_ratio)`` to ``eps·α_max``."""
    if not 0.0 < l1_ratio <= 1.0:
        raise ValueError(f"l1_ratio must be in (0, 1] to build an alpha grid, got {l1_ratio!r}.")
    if not 0.0 < eps < 1.0:
        raise ValueError(f"eps must be in (0, 1), got {eps!r}.")
    if int(n_alphas) < 1:
        raise ValueError(f"n_alphas must be a positive integer, got {n_alphas!r}.")
    alpha_max = float(np.abs(X.T @ y).max()) / (X.shape[0] * l1_ratio)
    if alpha_max <= np.finfo(float).resolution:
        return np.full(int(n_alphas), np.finfo(float).resolution)
    return np.geomspace(alpha_max, alpha_max * eps, num=int(n_alphas))


@validate_params(
    {
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "eps": [Interval(Real, 0, 1, closed="neither")],
        "n_alphas": _N_ALPHAS,
        "alphas": _ALPHAS,
        "precompute": ["boolean", Options(["auto"])],
        "coef_init": ["array-like", None],
        "positive": ["boolean"],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "return_n_iter": ["boolean"],
    }
)
def enet_path(
    X,
    y,
    *,
    l1_ratio=0.5,
    eps=1e-3,
    n_alphas=100,
    alphas=None,
    precompute="auto",
    coef_init=None,
    positive=False,
    max_iter=1000,
    tol=1e-4,
    return_n_iter=False,
):
    """Elastic-net coefficients along a grid of ``α`` (coordinate descent, warm starts).

    Minimises ``1/(2n)‖y - Xw‖² + α·l1_ratio‖w‖₁ + α(1-l1_ratio)/2‖w‖²`` for each ``α``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    l1_ratio : float, default=0.5
    eps : float, default=1e-3
        ``α_min / α_max`` of the default grid.
    n_alphas : int, default=100
    alphas : array-like, optional
        Explicit grid (sorted into decreasing order).
    precompute : bool or "auto", default="auto"
        Use the Gram matrix ``XᵀX`` (``"auto"``: when ``n_samples > n_features``).
    coef_init : array-like of shape (n_features,), optional
        Starting coefficients for the first ``α``.
    positive : bool, default=False
    max_iter : int, default=1000
    tol : float, default=1e-4
        Duality-gap tolerance relative to ``‖y‖²``.
    return_n_iter : bool, default=False

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)
    dual_gaps : ndarray of shape (n_alphas,)
        Final duality gaps divided by ``n_samples``.
    n_iters : ndarray of shape (n_alphas,)
        Only with ``return_n_iter=True``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import lasso_path
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> alphas, coefs, _ = lasso_path(X, X @ [1.0, 0.5], n_alphas=3)
    >>> coefs.shape
    (2, 3)
    """
    X, y = _check_path_data(X, y)
    n_samples, n_features = X.shape
    if alphas is None:
        alphas = alpha_grid(X, y, l1_ratio=l1_ratio, eps=eps, n_alphas=n_alphas)
    else:
        alphas = np.sort(np.asarray(alphas, dtype=float).ravel())[::-1]
    use_gram = precompute is True or (precompute == "auto" and n_samples > n_features)
    gram = X.T @ X if use_gram else None
    cache = problem_cache(X, y, gram, X.T @ y)
    w = np.zeros(n_features) if coef_init is None else np.array(coef_init, dtype=float)
    coefs = np.empty((n_features, len(alphas)), dtype=X.dtype)
    gaps = np.empty(len(alphas))
    n_iters = np.empty(len(alphas), dtype=int)
    for i, alpha in enumerate(alphas):
        w, gap, tol_abs, n_iters[i] = enet_coordinate_descent(
            X,
            y,
            alpha * l1_ratio * n_samples,
            alpha * (1.0 - l1_ratio) * n_samples,
            w,
            positive=positive,
            max_iter=max_iter,
            tol=tol,
            cache=cache,
        )
        if gap > tol_abs:
            warnings.warn(
                f"Objective did not converge at alpha={alpha:.3e}: duality gap {gap:.3e} > "
                f"tolerance {tol_abs:.3e}.",
                ConvergenceWarning,
                stacklevel=2,
            )
        coefs[:, i] = w
        gaps[i] = gap / n_samples
    if return_n_iter:
        return alphas, coefs, gaps, n_iters
    return alphas, coefs, gaps


@validate_params(
    {"eps": [Interval(Real, 0, 1, closed="neither")], "n_alphas": _N_ALPHAS, "alphas": _ALPHAS}
)
def lasso_path(X, y, *, eps=1e-3, n_alphas=100, alphas=None, **params):
    """Lasso coefficients along a grid of ``α``: :func:`enet_path` with ``l1_ratio=1``.

    Minimises ``1/(2n)‖y - Xw‖² + α‖w‖₁`` for each ``α``; see :func:`enet_path` for the
    parameters and return values.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import lasso_path
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> alphas, coefs, _ = lasso_path(X, X @ [1.0, 0.0], alphas=[10.0])
    >>> coefs.ravel().tolist()
    [0.0, 0.0]
    """
    return enet_path(X, y, l1_ratio=1.0, eps=eps, n_alphas=n_alphas, alphas=alphas, **params)


@validate_params({"alphas": _ALPHAS, "n_alphas": _N_ALPHAS, "fit_intercept": ["boolean"]})
def ridge_path(X, y, *, alphas=None, n_alphas=100, fit_intercept=False, sample_weight=None):
    """Ridge coefficients ``argmin ‖y - Xw‖² + α‖w‖²`` for every ``α`` from one SVD.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alphas : array-like, optional
        Penalties ``>= 0``; sorted into decreasing order. Default: ``n_alphas`` values
        log-spaced from ``10²·σ₁²`` down to ``10⁻⁶·σ₁²`` (``σ₁`` the largest singular value).
    n_alphas : int, default=100
    fit_intercept : bool, default=False
        Center ``X`` and ``y`` first (the intercept is not penalised).
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    alphas : ndarray of shape (n_alphas,)
    coefs : ndarray of shape (n_features, n_alphas)

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import ridge_path
    >>> X = np.eye(2)
    >>> ridge_path(X, np.array([1.0, 2.0]), alphas=[1.0])[1].ravel().tolist()
    [0.5, 1.0]
    """
    X, y = _check_path_data(X, y)
    if sample_weight is not None:
        sample_weight = check_array(sample_weight, ensure_2d=False, input_name="sample_weight")
        check_consistent_length(X, sample_weight)
    Xc, yc, _, _ = center_and_weight(X, y, fit_intercept, sample_weight)
    U, s, Vt = np.linalg.svd(Xc, full_matrices=False)  # scipy's gesdd is slow on small X
    if alphas is None:
        top = float(s[0] ** 2) if s.size else 1.0
        alphas = np.geomspace(1e2 * top, 1e-6 * top, num=int(n_alphas))
    else:
        alphas = np.sort(np.asarray(alphas, dtype=float).ravel())[::-1]
    keep = s > s.max(initial=0.0) * 1e-15
    shrink = s[:, None] / (s[:, None] ** 2 + alphas[None, :])
    shrink[~keep] = 0.0
    coefs = Vt.T @ (shrink * (U.T @ yc)[:, None])
    return alphas, coefs
