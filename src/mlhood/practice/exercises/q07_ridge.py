"""Exercises for q07 (Ridge vs Lasso), continued: the Ridge path with an unpenalised intercept."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood import linear_model
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import against_reference, call, property_holds, to_array, to_tuple

# ------------------------------------------------------------------------------ ridge_path


def ridge_path(X, y, alphas):
    """Ridge with an unpenalised intercept for every ``α``: ``min ‖y - Xw - b‖² + α‖w‖²``.

    Centring removes the intercept: with ``Xc = X - x̄`` and ``yc = y - ȳ``, one SVD
    ``Xc = U diag(σ) Vᵀ`` gives every solution ``w(α) = V diag(σ / (σ² + α)) Uᵀ yc`` and
    ``b(α) = ȳ - x̄ᵀ w(α)``. Calls :func:`mlhood.linear_model.ridge_path` (which sorts the
    alphas into decreasing order) and puts the rows back in the order of ``alphas``.

    Examples
    --------
    >>> X, y = np.array([[0.0], [1.0], [2.0]]), np.array([1.0, 3.0, 5.0])
    >>> coefs, intercepts = ridge_path(X, y, [0.5, 2.0])
    >>> coefs.ravel().round(3).tolist(), intercepts.round(3).tolist()
    ([1.6, 1.0], [1.4, 2.0])
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    alphas = np.asarray(alphas, dtype=float)
    decreasing, coefs = linear_model.ridge_path(X, y, alphas=alphas, fit_intercept=True)
    rows = np.searchsorted(-decreasing, -alphas)  # the row of each alpha, in their order
    coefs = coefs.T[rows]
    return coefs, y.mean() - coefs @ X.mean(axis=0)


def _ridge_penalised_intercept(X, y, alphas):
    """Wrong: a column of ones appended to X, so alpha shrinks the intercept too."""
    X1 = np.column_stack([X, np.ones(len(X))])
    solutions = [np.linalg.solve(X1.T @ X1 + a * np.eye(X1.shape[1]), X1.T @ y) for a in alphas]
    solutions = np.array(solutions)
    return solutions[:, :-1], solutions[:, -1]


def _ridge_case(seed, n_samples, n_features, offset, alphas):
    rng = np.random.default_rng(seed)
    X = rng.normal(offset, 1.0, size=(n_samples, n_features))
    y = X @ rng.normal(size=n_features) + offset + rng.normal(size=n_samples)
    return X, y, np.asarray(alphas, dtype=float)


_RIDGE_CASES = st.builds(
    _ridge_case,
    st.integers(0, 2**32 - 1),
    st.integers(2, 20),
    st.integers(1, 6),
    st.sampled_from([0.0, 3.0, -10.0]),
    st.lists(st.sampled_from([0.01, 0.5, 1.0, 10.0, 1e3]), min_size=1, max_size=5),
)


def _ridge_shrinks(solution, args):
    X, y, alphas = args
    coefs, intercepts = to_tuple(call(solution, args), 2, "(coefs, intercepts)")
    coefs = to_array(coefs, "coefs", shape=(alphas.size, X.shape[1]))
    intercepts = to_array(intercepts, "intercepts", shape=(alphas.size,))
    norms = np.linalg.norm(coefs, axis=1)
    order = np.argsort(alphas, kind="stable")
    if np.any(np.diff(norms[order]) > 1e-9 * (1.0 + norms.max())):
        return "||w|| grows with alpha somewhere: a larger penalty must shrink the coefficients"
    residual_means = (y[None, :] - coefs @ X.T - intercepts[:, None]).mean(axis=1)
    if np.any(np.abs(residual_means) > 1e-6 * (1.0 + np.abs(y).max())):
        return "the residuals do not average to 0: an unpenalised intercept makes them do so"
    return None


RIDGE_PATH = Exercise(
    id="ridge_path",
    question="q07",
    title="Ridge coefficients for many alphas, intercept unpenalised",
    signature="(X, y, alphas)",
    statement="""
For every alpha in `alphas` (floats > 0), fit Ridge regression with an intercept that is
NOT penalised:

    minimise ||y - X w - b||^2 + alpha ||w||^2   over w (p,) and b (scalar)

X: (n, p), y: (n,). Return `(coefs, intercepts)`: coefs of shape (len(alphas), p) and
intercepts of shape (len(alphas),), row k for alphas[k] (keep the given order).
One SVD can serve every alpha.
""",
    hints=(
        "The intercept is not penalised, so it absorbs the means: centre X and y, solve "
        "without intercept, then b = mean(y) - mean(X) @ w.",
        "On centred data the solution is w = (Xc.T Xc + alpha I)^-1 Xc.T yc.",
        "With the SVD Xc = U diag(s) Vt, w(alpha) = Vt.T @ (s / (s**2 + alpha) * (U.T @ yc)): "
        "one decomposition for the whole path.",
    ),
    reference=ridge_path,
    graders=(
        against_reference(
            "matches Ridge with an unpenalised intercept",
            _RIDGE_CASES,
            ridge_path,
            names=("X", "y", "alphas"),
            max_examples=40,
        ),
        property_holds(
            "||w|| shrinks as alpha grows; residuals average 0",
            _RIDGE_CASES,
            _ridge_shrinks,
            names=("X", "y", "alphas"),
            max_examples=20,
        ),
    ),
    mistakes={"ridge-intercept-penalised": _ridge_penalised_intercept},
    probes=lambda solution: [_ridge_case(7, 15, 3, 5.0, [0.1, 10.0, 100.0])],
)


EXERCISES = (RIDGE_PATH,)
