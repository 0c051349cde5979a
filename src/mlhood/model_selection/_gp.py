"""Gaussian-process regression with a Matérn 5/2 ARD kernel, for Bayesian optimisation.

Model (Rasmussen & Williams, *Gaussian Processes for Machine Learning*, 2006, ch. 2, 4, 5):
targets are standardised, ``y ~ N(0, K + s_n I)`` with

    k(x, x') = s_f (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r),   r^2 = sum_j (x_j - x'_j)^2 / l_j^2

one length scale ``l_j`` per input dimension (automatic relevance determination).
Hyperparameters ``theta = (log l_1..l_D, log s_f, log s_n)`` maximise the log marginal
likelihood plus a weak log-normal prior on each (a MAP estimate, which keeps length
scales sane with few points):

    log p(y | theta) = -1/2 y^T K^-1 y - sum_i log L_ii - n/2 log 2 pi,   K = L L^T

with the analytic gradient ``d/d theta_k = 1/2 tr((a a^T - K^-1) dK/d theta_k)``,
``a = K^-1 y`` (R&W eq. 5.9), by scipy's L-BFGS-B. Prediction at ``x``:

    mu(x) = k_x^T a,    var(x) = s_f - v^T v,   v = L^-1 k_x

with gradients in ``x`` for the acquisition optimiser.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.linalg import cho_solve, solve_triangular
from scipy.linalg.lapack import dpotrf, dpotri, dpotrs
from scipy.optimize import minimize

SQRT5 = np.sqrt(5.0)
LOG_BOUNDS = {
    "length": (np.log(1e-2), np.log(20.0)),
    "signal": (np.log(5e-2), np.log(20.0)),
    "noise": (np.log(1e-8), np.log(0.5)),
}
PRIOR = {"length": (np.log(0.5), 1.0), "signal": (0.0, 1.0), "noise": (np.log(1e-6), 2.0)}


@lru_cache(maxsize=64)
def _prior_cached(n_dim: int) -> tuple[np.ndarray, np.ndarray]:
    means = np.r_[np.full(n_dim, PRIOR["length"][0]), PRIOR["signal"][0], PRIOR["noise"][0]]
    sds = np.r_[np.full(n_dim, PRIOR["length"][1]), PRIOR["signal"][1], PRIOR["noise"][1]]
    return means, sds


def _prior(n_dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Means and standard deviations of the log-normal priors on theta."""
    return _prior_cached(n_dim)


def _scaled_differences(A: np.ndarray, B: np.ndarray, length: np.ndarray) -> np.ndarray:
    """``(A_i - B_k) / l`` for every pair: shape (len(A), len(B), D)."""
    return (A[:, None, :] - B[None, :, :]) / length


def matern52(sq_dist: np.ndarray, signal: float) -> tuple[np.ndarray, np.ndarray]:
    """Kernel values and ``G = -(dk/dr) / r = s_f 5/3 (1 + sqrt5 r) exp(-sqrt5 r)``."""
    r = np.sqrt(np.maximum(sq_dist, 0.0))
    decay = np.exp(-SQRT5 * r)
    k = signal * (1.0 + SQRT5 * r + 5.0 / 3.0 * sq_dist) * decay
    G = signal * 5.0 / 3.0 * (1.0 + SQRT5 * r) * decay
    return k, G


class GaussianProcess:
    """Matérn 5/2 ARD Gaussian process fit by MAP on the marginal likelihood.

    Examples
    --------
    >>> X = np.linspace(0, 1, 8)[:, None]; y = np.sin(6 * X[:, 0])
    >>> gp = GaussianProcess().fit(X, y)
    >>> mu, var = gp.predict(X)
    >>> bool(np.allclose(mu, y, atol=1e-2))
    True
    """

    def fit(self, X: np.ndarray, y: np.ndarray) -> GaussianProcess:
        X, y = np.asarray(X, float), np.asarray(y, float)
        self.y_mean_, self.y_std_ = y.mean(), y.std() if y.std() > 0 else 1.0
        self.X_ = X
        z = (y - self.y_mean_) / self.y_std_
        n_dim = X.shape[1]
        diff2 = (X[:, None, :] - X[None, :, :]) ** 2
        bounds = [LOG_BOUNDS["length"]] * n_dim + [LOG_BOUNDS["signal"], LOG_BOUNDS["noise"]]
        starts = [np.r_[np.full(n_dim, np.log(0.5)), 0.0, np.log(1e-6)]]
        best = None
        for theta0 in starts:
            res = minimize(
                self._neg_log_posterior,
                theta0,
                args=(diff2, z),
                jac=True,
                method="L-BFGS-B",
                bounds=bounds,
                options={"maxiter": 200},
            )
            if best is None or res.fun < best.fun:
                best = res
        self._set_theta(best.x, diff2, z)
        return self

    def _neg_log_posterior(self, theta, diff2, z):
        """Negative log marginal likelihood + log prior, and its gradient (LAPACK direct)."""
        n, n_dim = z.size, diff2.shape[2]
        length, signal, noise = np.exp(theta[:n_dim]), np.exp(theta[n_dim]), np.exp(theta[-1])
        scaled = diff2 / length**2
        K_signal, G = matern52(scaled.sum(axis=2), signal)
        K = K_signal.copy()
        K.flat[:: n + 1] += noise
        L, info = dpotrf(K, lower=1, clean=1, overwrite_a=0)
        if info != 0:
            return 1e10, np.zeros_like(theta)
        alpha, _ = dpotrs(L, z, lower=1)
        K_inv, _ = dpotri(L, lower=1)
        K_inv = np.tril(K_inv) + np.tril(K_inv, -1).T
        W = np.outer(alpha, alpha) - K_inv
        log_lik = -0.5 * z @ alpha - np.log(np.diag(L)).sum() - 0.5 * n * np.log(2 * np.pi)
        grad = np.empty_like(theta)
        grad[:n_dim] = 0.5 * ((W * G).ravel() @ scaled.reshape(n * n, n_dim))
        grad[n_dim] = 0.5 * np.sum(W * K_signal)
        grad[-1] = 0.5 * noise * np.trace(W)
        means, sds = _prior(n_dim)
        log_prior = -0.5 * np.sum(((theta - means) / sds) ** 2)
        grad_prior = -(theta - means) / sds**2
        return -(log_lik + log_prior), -(grad + grad_prior)

    def _set_theta(self, theta, diff2, z):
        n_dim = diff2.shape[2]
        self.theta_ = theta
        self.length_ = np.exp(theta[:n_dim])
        self.signal_, self.noise_ = np.exp(theta[n_dim]), np.exp(theta[-1])
        self._factorise(self.X_, z)

    def _factorise(self, X, z):
        K, _ = matern52((_scaled_differences(X, X, self.length_) ** 2).sum(axis=2), self.signal_)
        K[np.diag_indices(len(X))] += self.noise_
        self.L_ = np.linalg.cholesky(K)
        self.alpha_ = cho_solve((self.L_, True), z)
        self.X_, self.z_ = X, z

    def condition_on(self, x: np.ndarray, y_value: float) -> GaussianProcess:
        """A copy with one more observation, same hyperparameters (for batch proposals)."""
        other = GaussianProcess()
        other.__dict__.update(self.__dict__)
        z = np.r_[self.z_, (y_value - self.y_mean_) / self.y_std_]
        other._factorise(np.vstack([self.X_, x]), z)
        return other

    def predict(self, X: np.ndarray, return_grad: bool = False):
        """Posterior mean and variance in the original units (and their x-gradients)."""
        X = np.atleast_2d(X)
        scaled = _scaled_differences(X, self.X_, self.length_)
        k, G = matern52((scaled**2).sum(axis=2), self.signal_)
        v = solve_triangular(self.L_, k.T, lower=True, check_finite=False)
        mu = k @ self.alpha_
        var = np.maximum(self.signal_ - np.sum(v**2, axis=0), 1e-12)
        scale = self.y_std_
        if not return_grad:
            return self.y_mean_ + scale * mu, scale**2 * var
        dk = -G[:, :, None] * scaled / self.length_  # dk(x, X_n)/dx, shape (m, n, D)
        K_inv_k = solve_triangular(self.L_.T, v, lower=False, check_finite=False).T  # (m, n)
        dmu = np.einsum("mnd,n->md", dk, self.alpha_)
        dvar = -2.0 * np.einsum("mnd,mn->md", dk, K_inv_k)
        return (self.y_mean_ + scale * mu, scale**2 * var, scale * dmu, scale**2 * dvar)
