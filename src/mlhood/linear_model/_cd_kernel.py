"""Cyclic coordinate descent on a quadratic with an L1 term (the inner loop of our solvers).

Solves ``min_z ½ zᵀGz - bᵀz + Σⱼ λⱼ |zⱼ|`` for a symmetric positive semi-definite ``G``.
One coordinate at a time, with every other coordinate fixed, the minimiser is the
soft-thresholding update (Friedman, Hastie & Tibshirani, "Regularization paths for
generalized linear models via coordinate descent", J. Stat. Softw. 2010)::

    ρⱼ = bⱼ - (Gz)ⱼ + Gⱼⱼ zⱼ
    zⱼ ← S(ρⱼ, λⱼ) / Gⱼⱼ,        S(ρ, λ) = sign(ρ) · max(|ρ| - λ, 0)

(with ``positive=True``: ``zⱼ ← max(ρⱼ - λⱼ, 0) / Gⱼⱼ``). The vector ``q = Gz`` is kept up
to date with one BLAS ``axpy`` per changed coordinate, so a sweep costs ``O(m · changes)``.
Callers keep ``G`` small (a working set of features, or the Hessian of a small model).
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.blas import get_blas_funcs


def soft_threshold(rho, lam):
    """``sign(ρ) · max(|ρ| - λ, 0)``, elementwise."""
    return np.sign(rho) * np.maximum(np.abs(rho) - lam, 0.0)


def gram_coordinate_descent(
    G, b, l1, z, *, positive=False, max_sweeps=1000, tol=1e-8, order=None, offset=None
):
    """Cyclic coordinate descent for ``½ zᵀGz - bᵀz + Σ l1ⱼ |offsetⱼ + zⱼ|``.

    ``offset`` (default 0) lets Newton-type callers solve for a *step* ``z`` from a point
    ``offset`` without the rounding error of forming ``G·offset``; the update becomes
    ``zⱼ ← S(ρⱼ + Gⱼⱼ offsetⱼ, λⱼ) / Gⱼⱼ - offsetⱼ``.

    Parameters
    ----------
    G : ndarray of shape (m, m)
        Symmetric positive semi-definite matrix (C-contiguous; rows are used as columns).
    b : ndarray of shape (m,)
    l1 : float or ndarray of shape (m,)
        Non-negative L1 weights (0 leaves a coordinate unpenalised).
    z : ndarray of shape (m,)
        Starting point (not modified).
    offset : ndarray of shape (m,), optional
        Fixed shift inside the L1 term.
    positive : bool
        Constrain ``z >= 0``.
    max_sweeps : int
        Maximum number of full passes over the coordinates.
    tol : float
        Stop when a sweep's largest change is ``<= tol · max|z|``.
    order : sequence of int, optional
        Coordinate visiting order (default ``0..m-1``).

    Returns
    -------
    z : ndarray of shape (m,)
    q : ndarray of shape (m,)
        ``G @ z``.
    n_sweeps : int
    """
    G = np.ascontiguousarray(G)
    m = G.shape[0]
    axpy = get_blas_funcs("axpy", (G,))
    z = np.array(z, dtype=G.dtype)
    q = G @ z
    zl = z.tolist()
    diag = np.diag(G).tolist()
    bl = np.asarray(b, dtype=G.dtype).tolist()
    lam = np.broadcast_to(np.asarray(l1, dtype=float), (m,)).tolist()
    order = range(m) if order is None else list(order)
    shift = [0.0] * m if offset is None else np.asarray(offset, dtype=float).tolist()
    n_sweeps = 0
    for n_sweeps in range(1, max_sweeps + 1):  # noqa: B007
        max_change = 0.0
        max_abs = 0.0
        for j in order:
            d = diag[j]
            if d <= 0.0:
                continue
            old = zl[j]
            sj = shift[j]
            rho = bl[j] - q[j] + d * (old + sj)
            lj = lam[j]
            if rho > lj:
                new = (rho - lj) / d - sj
            elif rho < -lj and not positive:
                new = (rho + lj) / d - sj
            else:
                new = -sj
            if new != old:
                axpy(G[j], q, a=new - old)
                zl[j] = new
                change = abs(new - old)
                if change > max_change:
                    max_change = change
            if abs(new + sj) > max_abs:
                max_abs = abs(new + sj)
        if max_change <= tol * max_abs or max_abs == 0.0:
            break
    return np.array(zl, dtype=G.dtype), q, n_sweeps


def residual_coordinate_descent(
    X, cols, R, w, col_norms, l1, l2, *, positive=False, max_sweeps=10, tol=1e-8, order=None
):
    """Cyclic coordinate descent on the columns ``cols`` of ``X``, updating the residual.

    Minimises ``½‖R‖² + l1‖w‖₁ + l2/2‖w‖²`` where ``R = y - Xw``, touching only ``w[cols]``::

        ρⱼ = xⱼᵀR + ‖xⱼ‖² wⱼ,   wⱼ ← S(ρⱼ, l1) / (‖xⱼ‖² + l2),   R ← R - xⱼ Δwⱼ

    Each update is one BLAS ``dot`` and one ``axpy`` over a column (memory bound), which
    beats forming a Gram matrix when only a few sweeps are needed.
    ``w`` and ``R`` are modified in place. ``X`` should be Fortran-ordered.

    Returns
    -------
    n_sweeps : int
    converged : bool
        Whether a sweep's largest change fell to ``tol · max|w|``.
    """
    dot, axpy = get_blas_funcs(("dot", "axpy"), (X,))
    order = list(cols) if order is None else [cols[i] for i in order]
    norms = col_norms.tolist()
    for n_sweeps in range(1, max_sweeps + 1):
        max_change = 0.0
        max_abs = 0.0
        for j in order:
            d = norms[j]
            if d <= 0.0:
                continue
            column = X[:, j]
            old = float(w[j])
            rho = dot(column, R) + d * old
            if rho > l1:
                new = (rho - l1) / (d + l2)
            elif rho < -l1 and not positive:
                new = (rho + l1) / (d + l2)
            else:
                new = 0.0
            if new != old:
                axpy(column, R, a=old - new)
                w[j] = new
                max_change = max(max_change, abs(new - old))
            max_abs = max(max_abs, abs(new))
        if max_change <= tol * max_abs or max_abs == 0.0:
            return n_sweeps, True
    return max_sweeps, False
