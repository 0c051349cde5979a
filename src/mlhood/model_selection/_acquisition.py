"""Log expected improvement and its maximisation over the unit cube.

For minimisation with incumbent ``f*``, posterior ``N(mu(x), sigma(x)^2)`` and
``z = (f* - mu) / sigma`` (Jones, Schonlau & Welch 1998):

    EI(x) = sigma * h(z),   h(z) = phi(z) + z Phi(z)

EI underflows to 0 far from the incumbent, which leaves a gradient optimiser with a flat
landscape; we maximise ``log EI = log sigma + log h(z)`` computed stably (Ament et al.
2023, "Unexpected improvements to expected improvement"): for ``z <= -1``,
``h(z) = phi(z) (1 + z r(z))`` with the Mills-type ratio ``r = Phi / phi =
sqrt(pi/2) erfcx(-z / sqrt2)``, and for very negative ``z`` the asymptote
``log h ~= log phi(z) - 2 log(-z)``. ``d log h / dz = Phi(z) / h(z)``.

Candidates: many quasi-random points plus small perturbations of the best observed
points are scored; the top few start L-BFGS-B runs (all at once, as one separable problem
whose gradient blocks are independent) inside ``[0, 1]^D``; the best end point wins.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import erfcx, ndtr

LOG_SQRT_2PI = 0.5 * np.log(2 * np.pi)


def log_h(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log h(z)`` and its derivative, stable for all ``z``."""
    z = np.asarray(z, dtype=float)
    out, grad = np.empty_like(z), np.empty_like(z)
    log_phi = -0.5 * z**2 - LOG_SQRT_2PI
    upper = z > -1.0
    zu = z[upper]
    h = np.exp(log_phi[upper]) + zu * ndtr(zu)
    out[upper] = np.log(h)
    grad[upper] = ndtr(zu) / h
    middle = (~upper) & (z > -1e3)
    zm = z[middle]
    ratio = np.sqrt(np.pi / 2) * erfcx(-zm / np.sqrt(2))
    out[middle] = log_phi[middle] + np.log1p(zm * ratio)
    grad[middle] = ratio / (1.0 + zm * ratio)
    far = z <= -1e3
    zf = z[far]
    out[far] = log_phi[far] - 2.0 * np.log(-zf)
    grad[far] = -zf - 2.0 / zf
    return out, grad


def standardised_improvement(mu, sigma, best: float):
    """``z = (f* - mu) / sigma`` for minimisation, and ``dz/dmu = -1 / sigma``.

    Positive ``z`` means the posterior mean is below the incumbent ``f*``: a lower
    predicted loss is an improvement.

    Examples
    --------
    >>> z, dz_dmu = standardised_improvement(np.array([1.0, 3.0]), np.array([1.0, 2.0]), 2.0)
    >>> z.tolist(), dz_dmu.tolist()
    ([1.0, -0.5], [-1.0, -0.5])
    """
    return (best - mu) / sigma, -1.0 / sigma


def log_expected_improvement(gp, X: np.ndarray, best: float, return_grad: bool = False):
    """``log EI`` at the rows of ``X`` (minimisation, incumbent ``best``).

    Examples
    --------
    >>> from mlhood.model_selection._gp import GaussianProcess
    >>> X = np.linspace(0, 1, 6)[:, None]
    >>> gp = GaussianProcess().fit(X, (X[:, 0] - 0.5) ** 2)
    >>> values = log_expected_improvement(gp, np.array([[0.5], [1.0]]), best=0.04)
    >>> bool(values[0] > values[1])  # more to gain near the minimum than at the edge
    True
    """
    if not return_grad:
        mu, var = gp.predict(X)
        sigma = np.sqrt(var)
        return np.log(sigma) + log_h(standardised_improvement(mu, sigma, best)[0])[0]
    mu, var, dmu, dvar = gp.predict(X, return_grad=True)
    sigma = np.sqrt(var)
    z, dz_dmu = standardised_improvement(mu, sigma, best)
    value, dvalue_dz = log_h(z)
    dsigma = dvar / (2.0 * sigma[:, None])
    dz = dz_dmu[:, None] * dmu - z[:, None] * dsigma / sigma[:, None]
    grad = dsigma / sigma[:, None] + dvalue_dz[:, None] * dz
    return np.log(sigma) + value, grad


def maximize_acquisition(
    gp,
    best: float,
    X_observed: np.ndarray,
    rng: np.random.Generator,
    n_random: int = 1024,
    n_local: int = 256,
    n_starts: int = 8,
):
    """Unit-cube points sorted by decreasing log EI after multi-start L-BFGS-B.

    Returns
    -------
    points : ndarray of shape (n_starts, D)
    values : ndarray of shape (n_starts,)
    """
    n_dim = X_observed.shape[1]
    order = np.argsort(gp.predict(X_observed)[0])[:4]
    centres = X_observed[order[rng.integers(len(order), size=n_local)]]
    widths = np.where(rng.random(n_local) < 0.5, 0.02, 0.1)[:, None]
    local = np.clip(centres + widths * rng.normal(size=(n_local, n_dim)), 0.0, 1.0)
    candidates = np.vstack([rng.random((n_random, n_dim)), local])
    scores = log_expected_improvement(gp, candidates, best)
    top = np.argsort(-scores)[:n_starts]
    starts, start_scores = candidates[top], scores[top]

    def negative_total(flat):
        values, grads = log_expected_improvement(gp, flat.reshape(starts.shape), best, True)
        return -values.sum(), -grads.ravel()

    res = minimize(
        negative_total,
        starts.ravel(),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, 1.0)] * starts.size,
        options={"maxiter": 100},
    )
    points = np.clip(res.x.reshape(starts.shape), 0.0, 1.0)
    values = log_expected_improvement(gp, points, best)
    worse = values < start_scores  # keep a start point if its local search lost ground
    points[worse], values[worse] = starts[worse], start_scores[worse]
    order = np.argsort(-values)
    return points[order], values[order]
