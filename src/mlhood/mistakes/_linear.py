"""Mistakes in Ridge and in the Lasso's coordinate descent, caught by labs q01 and q07.

The Lasso's sweeps are compiled with numba and called from compiled code, so the two
coordinate-descent mistakes replace the Python function that drives them
(:func:`mlhood.linear_model._enet_solver.enet_coordinate_descent`) by a plain cyclic
coordinate descent of their own, correct except for the one step each gets wrong.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from mlhood.linear_model import _enet_solver
from mlhood.linear_model._base import center_and_weight, check_weights, intercept_from_offsets
from mlhood.mistakes._catalogue import mistake


@njit(cache=True)
def _naive_sweeps(X, y, A, B, w, max_sweeps, tol, hard, stale):  # pragma: no cover
    """Cyclic coordinate descent on ``½‖y - Xw‖² + A‖w‖₁ + B/2‖w‖²`` with one slip.

    ``hard``: keep ``ρ/(d+B)`` when ``|ρ| > A`` instead of shrinking it by ``A``.
    ``stale``: the residual is computed once per sweep and not updated after each
    coordinate, so every coordinate of a sweep sees the residual of the sweep's start.
    """
    n, p = X.shape
    R = y - X @ w
    for sweep in range(1, max_sweeps + 1):
        if stale:
            R = y - X @ w
        max_change, max_abs = 0.0, 0.0
        for j in range(p):
            d = 0.0
            rho = 0.0
            for i in range(n):
                d += X[i, j] * X[i, j]
                rho += X[i, j] * R[i]
            if d <= 0.0:
                continue
            old = w[j]
            rho += d * old
            if hard:
                new = rho / (d + B) if abs(rho) > A else 0.0
            else:
                new = np.sign(rho) * max(abs(rho) - A, 0.0) / (d + B)
            if new != old:
                if not stale:
                    for i in range(n):
                        R[i] -= (new - old) * X[i, j]
                w[j] = new
                max_change = max(max_change, abs(new - old))
            max_abs = max(max_abs, abs(new))
        if not np.isfinite(max_abs):
            return sweep
        if max_change <= tol * max_abs or max_abs == 0.0:
            return sweep
    return max_sweeps


def _naive_solver(X, y, A, B, w0, max_iter, tol, *, hard, stale):
    """Run :func:`_naive_sweeps`; it has no duality gap, so it reports a gap of 0."""
    X = np.ascontiguousarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.array(w0, dtype=np.float64)
    with np.errstate(all="ignore"):
        n_iter = _naive_sweeps(X, y, float(A), float(B), w, int(max_iter), 1e-10, hard, stale)
    return w, 0.0, tol * float(y @ y), n_iter


def _naive_variant(*, hard: bool, stale: bool, doc: str):
    """A wrong ``enet_coordinate_descent`` (same signature) built on :func:`_naive_solver`."""

    def enet_coordinate_descent(
        X, y, A, B, w0, *, positive=False, max_iter=1000, tol=1e-4, **_solver_options
    ):
        return _naive_solver(X, y, A, B, w0, max_iter, tol, hard=hard, stale=stale)

    enet_coordinate_descent.__doc__ = doc
    return enet_coordinate_descent


enet_coordinate_descent_hard = mistake(
    "lasso-hard-threshold",
    title="Lasso coordinate descent keeps z when |z| > t instead of shrinking it",
    target="mlhood.linear_model._enet_solver:enet_coordinate_descent",
    labs=["q01", "q07"],
    explanation="""
The coordinate update uses a hard threshold: a coefficient is kept at its least-squares
value ρ/‖xⱼ‖² when |ρ| > λ, and set to 0 otherwise. The minimiser of the one-coordinate
Lasso problem is the soft threshold sign(ρ)·max(|ρ| - λ, 0)/‖xⱼ‖²: surviving
coefficients must also be shrunk by λ. Without the shrinkage the result is not the Lasso
solution: at a non-zero coefficient the subgradient condition xⱼᵀr/n = α·sign(wⱼ) fails
(the correlation with the residual is 0 instead of ±α). Check the KKT conditions.
""",
)(
    _naive_variant(
        hard=True, stale=False, doc="Wrong: hard thresholding in every coordinate update."
    )
)


enet_coordinate_descent_stale = mistake(
    "lasso-stale-residual",
    title="Lasso coordinate descent does not update the residual after each coordinate",
    target="mlhood.linear_model._enet_solver:enet_coordinate_descent",
    labs=["q01", "q07"],
    explanation="""
The residual r = y - Xw is computed at the start of a sweep and not refreshed after wⱼ
changes, so every coordinate of the sweep is updated against the old residual (a Jacobi
step instead of a Gauss-Seidel one). Each coordinate then corrects for the same part of
the residual; with correlated features the corrections pile up and the iterates swing
or diverge instead of descending. After changing wⱼ by Δ, update r ← r - xⱼΔ at once.
""",
)(
    _naive_variant(
        hard=False,
        stale=True,
        doc="Wrong: every coordinate of a sweep sees the residual of the sweep's start.",
    )
)


@mistake(
    "ridge-intercept-penalised",
    title="Ridge penalises the intercept along with the weights",
    target="mlhood.linear_model._ridge:ridge_solve",
    labs=["q01", "q07"],
    explanation="""
The intercept is fitted as one more weight on a column of ones, and α‖θ‖² penalises it
too, instead of centring X and y first and solving for w alone. The fit then depends on
where the origin of y and of the features lies: shifting y by a constant no longer just
shifts the intercept, the intercept is pulled towards 0 and the weights bend to make up
for it. Centre X and y (or leave the intercept out of the penalty) and recover
b = ȳ - x̄ᵀw afterwards.
""",
)
def ridge_solve(X, Y, alphas, fit_intercept, sample_weight, solver):
    """Wrong: solves ``(ZᵀZ + αI)θ = ZᵀY`` with ``Z = [X, 1]``, intercept in ``θ``."""
    n_samples, n_features = X.shape
    Z = np.hstack([X, np.ones((n_samples, 1))]) if fit_intercept else X
    weights = np.ones(n_samples) if sample_weight is None else sample_weight
    ZtW = Z.T * weights
    theta = np.empty((Z.shape[1], Y.shape[1]))
    for k in range(Y.shape[1]):
        theta[:, k] = np.linalg.solve(ZtW @ Z + alphas[k] * np.eye(Z.shape[1]), ZtW @ Y[:, k])
    coef = theta[:n_features]
    intercept = theta[n_features] if fit_intercept else np.zeros(Y.shape[1])
    return coef, np.zeros(n_features), intercept, "cholesky"


@mistake(
    "lasso-alpha-max-unscaled",
    title="The Lasso's penalty grid starts at max|Xᵀy| instead of max|Xᵀy|/n",
    target="mlhood.linear_model._paths:alpha_grid",
    labs=["q07"],
    explanation="""
The smallest penalty that zeroes every Lasso coefficient is α_max = max|Xᵀy|/n for the
objective 1/(2n)‖y - Xw‖² + α‖w‖₁. Forgetting the 1/n puts the whole grid n times too
high: its lower end (eps·α_max) is still a heavy penalty, so cross-validation can only
choose among over-shrunk models, and the "validated" Lasso underfits. Derive α_max from
the optimality condition at w = 0: |xⱼᵀy|/n <= α for every j.
""",
)
def alpha_grid(X, y, *, l1_ratio=1.0, eps=1e-3, n_alphas=100):
    """Wrong: ``α_max = max|Xᵀy| / l1_ratio`` (the 1/n is missing)."""
    alpha_max = float(np.abs(X.T @ y).max()) / l1_ratio
    return np.geomspace(alpha_max, alpha_max * eps, num=int(n_alphas))


@mistake(
    "lasso-penalty-not-scaled-by-n",
    title="Lasso.fit passes α to the solver without multiplying it by n",
    target="mlhood.linear_model._coordinate_descent:fit_enet_targets",
    labs=["q07"],
    explanation="""
The solver minimises ½‖y - Xw‖² + A‖w‖₁, the estimator promises 1/(2n)‖y - Xw‖² + α‖w‖₁;
the two agree only when A = n·α. Passing A = α makes the penalty n times weaker than
asked, so a penalty chosen on a path (which scales correctly) means something else in
the estimator: the fitted Lasso keeps far too many features. Multiply both penalties by
n (or divide the loss by n) and check g = Xᵀr/n = α·sign(w) on the fitted weights.
""",
)
def fit_enet_targets(X, Y, alpha, l1_ratio, W0, *, positive, max_iter, tol, gram=None, rng=None):
    """Wrong: the penalties reach the solver without the factor ``n``."""
    results = [
        _enet_solver.enet_coordinate_descent(
            X,
            Y[:, k],
            alpha * l1_ratio,
            alpha * (1.0 - l1_ratio),
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


@mistake(
    "ols-normal-equations-pinv",
    title="Least squares solved as pinv(XᵀX) Xᵀy instead of from X itself",
    target="mlhood.linear_model._least_squares:LinearRegression.fit",
    labs=["q01"],
    explanation="""
Forming XᵀX squares the condition number of the problem: a design whose columns are
nearly collinear (raw polynomial powers, say, with cond(X) ~ 1e8) gives cond(XᵀX) ~ 1e16,
at the limit of double precision. The pseudo-inverse then discards directions the data
do determine, and the "least-squares" fit is neither the minimiser of the squared error
nor close to it. Solve the least-squares problem on X (QR or SVD, e.g. lstsq) instead.
""",
)
def fit(self, X, y, sample_weight=None):
    """Wrong: ``w = pinv(XcᵀXc) Xcᵀyc`` on the centred data."""
    X, y = self._validate_fit_data(X, y)
    sample_weight = check_weights(sample_weight, X)
    Xc, yc, X_offset, y_offset = center_and_weight(X, y, self.fit_intercept, sample_weight)
    self.coef_ = (np.linalg.pinv(Xc.T @ Xc) @ (Xc.T @ yc)).T
    self.rank_ = int(np.linalg.matrix_rank(Xc))
    self.singular_ = np.linalg.svd(Xc, compute_uv=False)
    self.intercept_ = intercept_from_offsets(self.coef_, X_offset, y_offset, self.fit_intercept)
    return self
