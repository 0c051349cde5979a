"""Exercises for q07 (Ridge vs Lasso): soft threshold, Lasso by coordinate descent."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.linear_model._cd_kernel import soft_threshold as _library_soft_threshold
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    call,
    float_arrays,
    property_holds,
    to_array,
)

# -------------------------------------------------------------------------- soft_threshold


def soft_threshold(z, t):
    """The soft-thresholding operator ``S(z, t) = sign(z) max(|z| - t, 0)``, elementwise.

    It is the proximal operator of the L1 norm: ``S(z, t) = argmin_x ½(x - z)² + t|x|``.
    Values within ``t`` of zero become exactly 0 (the Lasso's zeros); the others move
    ``t`` towards zero. Calls the library's own operator (used by the Lasso solver).

    Examples
    --------
    >>> soft_threshold(np.array([-3.0, -0.5, 0.0, 2.0]), 1.0).tolist()
    [-2.0, -0.0, 0.0, 1.0]
    """
    return _library_soft_threshold(np.asarray(z, dtype=float), t)


def _hard_threshold(z, t):
    """Wrong: hard thresholding, values beyond t are kept as they are instead of shrunk."""
    z = np.asarray(z, dtype=float)
    return np.where(np.abs(z) > t, z, 0.0)


_THRESHOLD_CASES = st.tuples(
    st.one_of(float_arrays(st.tuples(st.integers(1, 12))), float_arrays((3, 4))),
    st.sampled_from([0.0, 0.5, 1.0, 2.5]),
)


def _is_the_prox(solution, args):
    z, t = args
    x = to_array(call(solution, args), "soft_threshold(z, t)", shape=np.shape(z))

    def objective(v):
        return 0.5 * (v - z) ** 2 + t * np.abs(v)

    for step in (1e-3, -1e-3):
        if np.any(objective(x + step) < objective(x) - 1e-9):
            return "the output does not minimise ½(x - z)² + t|x| entrywise"
    return None


SOFT_THRESHOLD = Exercise(
    id="soft_threshold",
    question="q07",
    title="Soft-thresholding operator (the Lasso's shrinkage)",
    signature="(z, t)",
    statement="""
The soft-thresholding operator, elementwise:

    S(z, t) = sign(z) * max(|z| - t, 0)

`z` is a float array of any shape, `t >= 0` a float. Return a float array of the shape
of `z`: entries with |z| <= t become 0, the others move t towards zero.
""",
    hints=(
        "It is the minimiser of ½(x - z)² + t|x|: the L1 penalty pulls every value towards "
        "zero by t, and a value that would cross zero stops at zero.",
        "Do not just zero the small values and keep the rest (that is hard thresholding): "
        "the values that survive are shrunk by t too.",
        "np.sign(z) * np.maximum(np.abs(z) - t, 0.0)",
    ),
    reference=soft_threshold,
    graders=(
        against_reference(
            "matches sign(z) max(|z| - t, 0)",
            _THRESHOLD_CASES,
            soft_threshold,
            names=("z", "t"),
            max_examples=30,
        ),
        property_holds(
            "minimises ½(x - z)² + t|x|",
            _THRESHOLD_CASES,
            _is_the_prox,
            names=("z", "t"),
            max_examples=30,
        ),
    ),
    mistakes={"lasso-hard-threshold": _hard_threshold},
    probes=lambda solution: [(np.linspace(-3.0, 3.0, 13), 1.0), (np.array([[0.2, -4.0]]), 0.5)],
)

# --------------------------------------------------------------- lasso_coordinate_descent


def lasso_coordinate_descent(X, y, alpha, n_iter):
    """Lasso by cyclic coordinate descent: ``min_w (1/2n)‖y - Xw‖² + α‖w‖₁``.

    With every other coordinate fixed, the objective in ``w_j`` is a parabola plus
    ``α|w_j|``; its minimiser is a soft threshold (Friedman, Hastie & Tibshirani 2010)::

        z_j = ‖x_j‖² / n,      ρ_j = x_jᵀ r / n + z_j w_j      (r = y - Xw, current)
        w_j ← S(ρ_j, α) / z_j

    After each update the residual is corrected, ``r ← r - x_j (w_j,new - w_j,old)``, so
    the next coordinate sees it. ``n_iter`` sweeps over j = 0..p-1, from ``w = 0``; a
    column of zeros keeps ``w_j = 0``.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> lasso_coordinate_descent(X, np.array([1.0, 2.0, 3.0]), 0.1, 50).round(4).tolist()
    [0.9, 1.9]
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    residual = y.copy()
    z = (X**2).sum(axis=0) / n_samples
    for _ in range(n_iter):
        for j in range(n_features):
            if z[j] == 0:
                continue
            rho = X[:, j] @ residual / n_samples + z[j] * w[j]
            new = soft_threshold(rho, alpha) / z[j]
            residual -= X[:, j] * (new - w[j])
            w[j] = new
    return w


def _lasso_hard(X, y, alpha, n_iter):
    """Wrong: the coordinate update keeps rho / z_j when |rho| > alpha, unshrunk."""
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    z = (X**2).sum(axis=0) / n_samples
    for _ in range(n_iter):
        for j in range(n_features):
            if z[j] > 0:
                rho = X[:, j] @ (y - X @ w) / n_samples + z[j] * w[j]
                w[j] = rho / z[j] if abs(rho) > alpha else 0.0
    return w


def _lasso_stale(X, y, alpha, n_iter):
    """Wrong: the residual is computed once per sweep and not updated after each coordinate."""
    n_samples, n_features = X.shape
    w = np.zeros(n_features)
    z = (X**2).sum(axis=0) / n_samples
    for _ in range(n_iter):
        residual = y - X @ w
        for j in range(n_features):
            if z[j] > 0:
                rho = X[:, j] @ residual / n_samples + z[j] * w[j]
                w[j] = float(soft_threshold(rho, alpha)) / z[j]
    return w


def _lasso_unscaled_penalty(X, y, alpha, n_iter):
    """Wrong: x_j . r is thresholded at alpha without the 1/n, a penalty n times too weak."""
    n_samples = len(y)
    return lasso_coordinate_descent(X, y, alpha / n_samples, n_iter)


def _regression(seed, n_samples, n_features, correlated, zero_column):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    if correlated:
        X += 0.8 * rng.normal(size=(n_samples, 1))
    if zero_column and n_features > 1:
        X[:, -1] = 0.0
    y = X @ rng.normal(0.0, 2.0, n_features) + 0.5 * rng.normal(size=n_samples)
    return X, y


def _lasso_case(seed, n_samples, n_features, correlated, zero_column, fraction, n_iter):
    X, y = _regression(seed, n_samples, n_features, correlated, zero_column)
    return X, y, fraction * lasso_alpha_max(X, y), n_iter


_LASSO_ARGS = ("X", "y", "alpha", "n_iter")
_LASSO_CASES = st.builds(
    _lasso_case,
    st.integers(0, 2**32 - 1),
    st.integers(3, 25),
    st.integers(1, 6),
    st.booleans(),
    st.booleans(),
    st.sampled_from([0.0, 0.05, 0.3, 0.9, 1.2]),
    st.integers(0, 12),
)
_CONVERGED_CASES = st.builds(
    _lasso_case,
    st.integers(0, 2**32 - 1),
    st.integers(10, 30),
    st.integers(1, 5),
    st.just(False),
    st.just(False),
    st.sampled_from([0.05, 0.3, 0.7]),
    st.just(400),
)


def _optimality(solution, args):
    """KKT conditions of the Lasso: x_jᵀr/n = α sign(w_j) if w_j != 0, |x_jᵀr/n| <= α if 0."""
    X, y, alpha, _ = args
    w = to_array(call(solution, args), "coef", shape=(X.shape[1],))
    correlation = X.T @ (y - X @ w) / X.shape[0]
    slack = 1e-5 * max(alpha, 1e-12) + 1e-9
    active = w != 0
    if np.any(np.abs(correlation[~active]) > alpha + slack):
        return (
            "a zero coefficient whose feature still correlates with the residual more than alpha"
        )
    if np.any(np.abs(correlation[active] - alpha * np.sign(w[active])) > slack):
        return "after 400 sweeps a non-zero coefficient is not at the Lasso optimum"
    return None


LASSO_COORDINATE_DESCENT = Exercise(
    id="lasso_coordinate_descent",
    question="q07",
    title="Lasso by cyclic coordinate descent",
    signature="(X, y, alpha, n_iter)",
    statement="""
Fit the Lasso, min_w (1/(2n)) ||y - X w||^2 + alpha ||w||_1 (no intercept), by cyclic
coordinate descent: start from w = 0 and make `n_iter` full sweeps over the coordinates
j = 0, 1, ..., p-1 in that order, each time setting w_j to the exact minimiser of the
objective with every other coordinate fixed (using the latest values of the others).

X: (n, p) floats, y: (n,), alpha >= 0, n_iter >= 0. Return coef of shape (p,).
A column of zeros keeps its coefficient at 0.
""",
    hints=(
        "With the others fixed, the objective in w_j is a parabola plus alpha|w_j|, whose "
        "minimiser is a soft threshold of the unpenalised minimiser.",
        "Let z_j = ||x_j||^2 / n and rho_j = x_j . r / n + z_j w_j, with r = y - X w the "
        "current residual; then w_j = S(rho_j, alpha) / z_j with S the soft threshold.",
        "Keep r up to date after every coordinate: r -= x_j * (w_j_new - w_j_old). A "
        "residual computed once per sweep is stale for all coordinates after the first.",
    ),
    reference=lasso_coordinate_descent,
    graders=(
        against_reference(
            "same iterates as cyclic coordinate descent",
            _LASSO_CASES,
            lasso_coordinate_descent,
            names=_LASSO_ARGS,
            max_examples=40,
        ),
        property_holds(
            "converges to the Lasso optimum (KKT)",
            _CONVERGED_CASES,
            _optimality,
            names=_LASSO_ARGS,
            max_examples=15,
        ),
    ),
    mistakes={
        "lasso-hard-threshold": _lasso_hard,
        "lasso-stale-residual": _lasso_stale,
        "lasso-penalty-not-scaled-by-n": _lasso_unscaled_penalty,
    },
    probes=lambda solution: [
        (*_regression(3, 20, 4, True, False), 0.2, 3),
        (*_regression(4, 12, 3, True, False), 0.05, 5),
    ],
)

# ------------------------------------------------------------------------ lasso_alpha_max


def lasso_alpha_max(X, y):
    """The smallest ``α`` at which the Lasso's solution is ``w = 0``: ``max_j |x_jᵀy| / n``.

    At ``w = 0`` the residual is ``y``; zero is optimal exactly when every subgradient
    condition ``|x_jᵀ y / n| <= α`` holds (objective ``(1/2n)‖y - Xw‖² + α‖w‖₁``). Lasso
    paths start there and go down on a log grid.

    Examples
    --------
    >>> lasso_alpha_max(np.array([[1.0, 2.0], [3.0, -4.0]]), np.array([1.0, 1.0]))
    2.0
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return float(np.max(np.abs(X.T @ y)) / X.shape[0])


def _alpha_max_unscaled(X, y):
    """Wrong: max |X.T y| without dividing by n."""
    return float(np.max(np.abs(np.asarray(X).T @ np.asarray(y))))


def _alpha_max_is_the_edge(solution, args):
    X, y = args
    alpha = to_array(call(solution, args), "alpha_max", shape=())
    if np.any(lasso_coordinate_descent(X, y, float(alpha) * 1.0001, 50) != 0):
        return f"the Lasso at alpha = {float(alpha):.6g} (your alpha_max) is not all zero"
    if np.all(lasso_coordinate_descent(X, y, float(alpha) * 0.99, 50) == 0):
        return f"the Lasso is still all zero below your alpha_max = {float(alpha):.6g}"
    return None


_MAX_CASES = st.builds(
    lambda seed, n, p, correlated: _regression(seed, n, p, correlated, False),
    st.integers(0, 2**32 - 1),
    st.integers(2, 30),
    st.integers(1, 8),
    st.booleans(),
)

LASSO_ALPHA_MAX = Exercise(
    id="lasso_alpha_max",
    question="q07",
    title="Where the Lasso path starts: the smallest alpha giving w = 0",
    signature="(X, y)",
    statement="""
For the Lasso min_w (1/(2n)) ||y - X w||^2 + alpha ||w||_1 (no intercept), return the
smallest alpha for which w = 0 is the solution, as a float. X: (n, p), y: (n,), with
X.T @ y not all zero.
""",
    hints=(
        "w = 0 is optimal when 0 is in the subgradient of the objective at w = 0.",
        "At w = 0 the residual is y; the gradient of the squared-error part is -X.T @ y / n, "
        "and the subgradient of alpha|w_j| at 0 is [-alpha, alpha].",
        "So every |x_j . y| / n must be <= alpha: alpha_max = max_j |x_j . y| / n.",
    ),
    reference=lasso_alpha_max,
    graders=(
        against_reference("matches max|X.T y| / n", _MAX_CASES, lasso_alpha_max, names=("X", "y")),
        property_holds(
            "the Lasso is zero at alpha_max and not below",
            _MAX_CASES,
            _alpha_max_is_the_edge,
            names=("X", "y"),
            max_examples=20,
        ),
    ),
    mistakes={"lasso-alpha-max-unscaled": _alpha_max_unscaled},
    probes=lambda solution: [_regression(8, 20, 4, True, False)],
)


EXERCISES = (SOFT_THRESHOLD, LASSO_COORDINATE_DESCENT, LASSO_ALPHA_MAX)
