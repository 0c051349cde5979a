"""Proximal Newton method for a smooth loss plus an L1 penalty.

Minimises ``F(θ) = f(θ) + Σⱼ λⱼ |θⱼ|`` with ``f`` twice differentiable (here the log-loss
plus an L2 term). Each step builds the local quadratic model of ``f``::

    θ⁺ = argmin_z  f(θ) + ∇f(θ)ᵀ(z - θ) + ½ (z - θ)ᵀ H (z - θ) + Σ λⱼ |zⱼ|

solves it by cyclic coordinate descent with soft-thresholding
(:func:`gram_coordinate_descent` on ``G = H``, ``b = Hθ - ∇f``), and backtracks along
``d = θ⁺ - θ`` until ``F(θ + t d) <= F(θ) + σ t Δ`` with
``Δ = ∇fᵀd + Σ λⱼ(|θⱼ + dⱼ| - |θⱼ|)`` (Lee, Sun & Saunders, "Proximal Newton-type
methods for minimizing composite functions", SIAM J. Optim. 2014; Yuan, Ho & Lin,
"An improved GLMNET for L1-regularized logistic regression", JMLR 2012).

It stops when the minimum-norm subgradient (the KKT violation) is ``<= tol`` in the max norm.
"""

from __future__ import annotations

import numpy as np

from mlhood.linear_model._cd_kernel import gram_coordinate_descent


def kkt_violation(theta, grad, l1):
    """Max-norm of the minimum-norm element of ``∇f(θ) + ∂(Σ λⱼ|θⱼ|)``."""
    at_zero = np.maximum(np.abs(grad) - l1, 0.0)
    away = np.abs(grad + l1 * np.sign(theta))
    return float(np.where(theta != 0, away, at_zero).max(initial=0.0))


def _solve_model(H, grad, l1, theta, target):
    """Newton step ``d`` minimising ``gᵀd + ½dᵀHd + Σλ|θ + d|`` to KKT violation ``<= target``.

    (An inexact Newton step with forcing term 0.1: cheap far away, exact near the optimum.)
    """
    d, inner_tol = np.zeros_like(theta), 1e-2
    for _ in range(8):
        d, Hd, _ = gram_coordinate_descent(
            H, -grad, l1, d, max_sweeps=10_000, tol=inner_tol, offset=theta
        )
        if kkt_violation(theta + d, grad + Hd, l1) <= target:
            break
        inner_tol *= 1e-2
    return d


def prox_newton(smooth, hessian, l1, theta0, *, max_iter=100, tol=1e-4, armijo=1e-4):
    """Minimise ``smooth(θ) + Σ l1ⱼ|θⱼ|``.

    Parameters
    ----------
    smooth : callable
        ``θ -> (f(θ), ∇f(θ))``.
    hessian : callable
        ``θ -> ∇²f(θ)`` as a dense matrix.
    l1 : ndarray
        Per-parameter L1 strengths (0 for unpenalised ones such as intercepts).
    theta0 : ndarray
    max_iter : int
        Maximum number of Newton steps.
    tol : float
        Stop when :func:`kkt_violation` ``<= tol``.

    Returns
    -------
    theta : ndarray
    n_iter : int
    converged : bool
    """
    theta = np.array(theta0, dtype=float)
    f, grad = smooth(theta)
    for n_iter in range(1, max_iter + 1):
        violation = kkt_violation(theta, grad, l1)
        if violation <= tol:
            return theta, n_iter - 1, True
        H = hessian(theta)
        # Levenberg-Marquardt damping, vanishing at the optimum: keeps coordinate descent
        # fast on (near) singular Hessians such as the softmax's redundant direction.
        H.flat[:: H.shape[0] + 1] += min(violation, 1.0) * 1e-1
        direction = _solve_model(H, grad, l1, theta, target=0.1 * violation)
        z = theta + direction
        decrease = float(grad @ direction + l1 @ (np.abs(z) - np.abs(theta)))
        objective = f + float(l1 @ np.abs(theta))
        step = 1.0
        # Close to the optimum the predicted decrease is below the rounding error of F:
        # the line search cannot judge the step, and the (quadratically convergent) full
        # Newton step is taken.
        resolvable = abs(decrease) > 64 * np.finfo(float).eps * abs(objective)
        while True:
            candidate = theta + step * direction
            f_new, grad_new = smooth(candidate)
            if not resolvable:
                break
            if f_new + float(l1 @ np.abs(candidate)) <= objective + armijo * step * decrease:
                break
            step *= 0.5
            if step < 1e-10:  # no decrease left at machine precision: as L-BFGS's ftol
                return theta, n_iter, False
        theta, f, grad = candidate, f_new, grad_new
    return theta, max_iter, kkt_violation(theta, grad, l1) <= tol
