"""Lasso and ElasticNet estimators (coordinate descent with a duality-gap stop).

Objective (scikit-learn's), with ``sᵢ`` normalised to sum to ``n``::

    1/(2n) Σᵢ sᵢ (yᵢ - xᵢᵀw - b)² + α·l1_ratio·‖w‖₁ + α·(1 - l1_ratio)/2 · ‖w‖²

The solver lives in :mod:`mlhood.linear_model._enet_solver`.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning

from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood._random import check_random_state
from mlhood.linear_model._base import (
    LinearRegressorBase,
    center_and_weight,
    check_weights,
    intercept_from_offsets,
)
from mlhood.linear_model._enet_solver import enet_coordinate_descent


def fit_enet_targets(X, Y, alpha, l1_ratio, W0, *, positive, max_iter, tol, gram=None, rng=None):
    """Solve the (already centered, weighted) elastic net for each column of ``Y``.

    Returns coefficients (n_targets, n_features), duality gaps, gap tolerances and sweeps.
    """
    n_samples = X.shape[0]
    A = alpha * l1_ratio * n_samples
    B = alpha * (1.0 - l1_ratio) * n_samples
    results = [
        enet_coordinate_descent(
            X,
            Y[:, k],
            A,
            B,
            W0[k],
            positive=positive,
            max_iter=max_iter,
            tol=tol,
            gram=gram,
            rng=rng,
        )
        for k in range(Y.shape[1])
    ]
    coefs = np.stack([r[0] for r in results])
    gaps, tols, iters = (np.array([r[i] for r in results]) for i in (1, 2, 3))
    return coefs, gaps, tols, iters


class ElasticNet(ValidatedParamsMixin, LinearRegressorBase, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties, by cyclic coordinate descent.

    Minimises ``1/(2n) ‖y - Xw - b‖² + α·ρ‖w‖₁ + α(1-ρ)/2 ‖w‖²`` with ``ρ = l1_ratio``.
    Each coordinate update is the soft-thresholding step
    ``wⱼ ← S(xⱼᵀrⱼ/n, αρ) / (‖xⱼ‖²/n + α(1-ρ))`` where ``rⱼ`` is the residual without
    feature ``j`` (Friedman, Hastie & Tibshirani, J. Stat. Softw. 2010; Zou & Hastie 2005).
    Iterations stop when the duality gap falls below ``tol · ‖y‖²``, as in scikit-learn.

    Parameters
    ----------
    alpha : float, default=1.0
        Overall penalty strength ``α >= 0``.
    l1_ratio : float, default=0.5
        Mix ``ρ`` in [0, 1]: 1 is the lasso, 0 is ridge.
    fit_intercept : bool, default=True
    precompute : bool or "auto", default=False
        Use the full Gram matrix ``XᵀX`` (pays off when ``n_samples >> n_features``);
        ``"auto"`` chooses it when ``n_samples > 2 · n_features``.
    max_iter : int, default=1000
        Maximum number of coordinate sweeps.
    tol : float, default=1e-4
        Duality-gap tolerance, relative to ``‖y‖²``.
    warm_start : bool, default=False
        Start from the previous ``coef_``.
    positive : bool, default=False
        Constrain coefficients to be non-negative.
    random_state : int, RandomState or None, default=None
        Used when ``selection="random"``.
    selection : {"cyclic", "random"}, default="cyclic"
        Coordinate order inside a sweep.
    copy_X : bool, default=True
        Kept for scikit-learn compatibility; ``X`` is never modified in place.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_iter_ : int or list of int
        Coordinate sweeps used (per target).
    dual_gap_ : float or ndarray
        Final duality gap divided by ``n_samples``.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import ElasticNet
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> ElasticNet(alpha=0.1).fit(X, X[:, 0]).coef_.round(3)
    array([0.923, 0.   ])
    """

    _parameter_constraints = {
        "alpha": [Interval(Real, 0, np.inf, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "precompute": ["boolean", Options(["auto"])],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "copy_X": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "warm_start": ["boolean"],
        "positive": ["boolean"],
        "random_state": ["random_state"],
        "selection": [Options(["cyclic", "random"])],
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        l1_ratio=0.5,
        fit_intercept=True,
        precompute=False,
        max_iter=1000,
        copy_X=True,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def fit(self, X, y, sample_weight=None):
        """Fit the model by coordinate descent.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : float or array-like of shape (n_samples,), default=None
            Normalised internally to sum to ``n_samples``.

        Returns
        -------
        self
        """
        self._validate_params()
        X, y = self._validate_fit_data(X, y)
        n_samples, n_features = X.shape
        sample_weight = check_weights(sample_weight, X)
        if sample_weight is not None:
            sample_weight = sample_weight * (n_samples / sample_weight.sum())
        Xc, yc, X_offset, y_offset = center_and_weight(
            X, y, self.fit_intercept, sample_weight, fortran=True
        )
        Y = yc.reshape(n_samples, -1)
        W0 = np.zeros((Y.shape[1], n_features), dtype=X.dtype)
        if self.warm_start and hasattr(self, "coef_"):
            previous = np.asarray(self.coef_).reshape(-1, n_features)
            if previous.shape == W0.shape:
                W0 = previous.astype(X.dtype)
        use_gram = self.precompute is True or (
            self.precompute == "auto" and n_samples > 2 * n_features
        )
        gram = Xc.T @ Xc if use_gram else None
        rng = None
        if self.selection == "random":
            rng = np.random.default_rng(check_random_state(self.random_state).randint(2**31))
        coef, gaps, tols, iters = fit_enet_targets(
            Xc,
            Y,
            float(self.alpha),
            float(self.l1_ratio),
            W0,
            positive=self.positive,
            max_iter=self.max_iter,
            tol=self.tol,
            gram=gram,
            rng=rng,
        )
        if np.any(gaps > tols):
            warnings.warn(
                f"Objective did not converge after {self.max_iter} sweeps: duality gap "
                f"{gaps.max():.3e} > tolerance {tols.max():.3e}. Increase max_iter or tol, "
                "or scale the features.",
                ConvergenceWarning,
                stacklevel=2,
            )
        if y.ndim == 1:
            coef, gaps, iters = coef[0], gaps[0], int(iters[0])
        else:
            iters = iters.tolist()
        self.coef_ = coef
        self.dual_gap_ = gaps / n_samples
        self.n_iter_ = iters
        self.intercept_ = intercept_from_offsets(coef, X_offset, y_offset, self.fit_intercept)
        return self

    @property
    def sparse_coef_(self):
        """``coef_`` as a SciPy sparse matrix."""
        from scipy import sparse

        return sparse.csr_matrix(np.atleast_2d(self.coef_))


class Lasso(ElasticNet):
    """Linear regression with an L1 penalty (the lasso), by cyclic coordinate descent.

    Minimises ``1/(2n) ‖y - Xw - b‖² + α‖w‖₁`` (Tibshirani 1996): :class:`ElasticNet`
    with ``l1_ratio=1``. The update is ``wⱼ ← S(xⱼᵀrⱼ/n, α) / (‖xⱼ‖²/n)``.

    Parameters
    ----------
    alpha : float, default=1.0
    fit_intercept, precompute, max_iter, copy_X, tol, warm_start, positive, random_state,
    selection
        As in :class:`ElasticNet`.

    Attributes
    ----------
    coef_, intercept_, n_iter_, dual_gap_, n_features_in_
        As in :class:`ElasticNet`.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import Lasso
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]])
    >>> Lasso(alpha=0.1).fit(X, X[:, 0]).coef_.round(3)
    array([0.92, 0.  ])
    """

    _parameter_constraints = {
        name: accepted
        for name, accepted in ElasticNet._parameter_constraints.items()
        if name != "l1_ratio"
    }

    def __init__(
        self,
        alpha=1.0,
        *,
        fit_intercept=True,
        precompute=False,
        copy_X=True,
        max_iter=1000,
        tol=1e-4,
        warm_start=False,
        positive=False,
        random_state=None,
        selection="cyclic",
    ):
        super().__init__(
            alpha=alpha,
            l1_ratio=1.0,
            fit_intercept=fit_intercept,
            precompute=precompute,
            max_iter=max_iter,
            copy_X=copy_X,
            tol=tol,
            warm_start=warm_start,
            positive=positive,
            random_state=random_state,
            selection=selection,
        )
