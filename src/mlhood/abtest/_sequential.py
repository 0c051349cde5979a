"""Sequential tests that allow looking at the data as it arrives without inflating alpha.

Two approaches:

* **mSPRT** (mixture sequential probability ratio test; Robbins 1970, Johari, Koomen,
  Pekelis & Walsh 2017): an *always-valid* p-value that may be checked after every
  user, with ``P(p_n < alpha for some n) <= alpha`` under ``H0``.
* **Group-sequential** boundaries by the alpha-spending approach of Lan & DeMets
  (1983): a fixed number of planned looks, each with its own z critical value.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr
from scipy.stats import norm

from mlhood._params import Interval, Options, validate_params
from mlhood.abtest._checks import ALPHA, POSITIVE


def msprt_log_likelihood_ratio(n, mean_diff, variance, tau):
    """``log Lambda_n`` of the normal mixture SPRT for ``H0: delta = 0``.

    After ``n`` pairs (one user per arm each) with mean difference ``mean_diff`` and
    per-pair variance ``V = sigma_A^2 + sigma_B^2``, mixing the alternative
    ``delta ~ N(0, tau^2)`` gives the closed form::

        Lambda_n = sqrt(V / (V + n tau^2)) * exp( n^2 tau^2 dbar^2 / (2 V (V + n tau^2)) )

    Broadcasts over arrays. Where ``V <= 0`` (no variation yet) it returns 0.
    """
    n = np.asarray(n, dtype=float)
    variance = np.asarray(variance, dtype=float)
    tau2 = tau**2
    safe = np.where(variance > 0, variance, 1.0)
    total = safe + n * tau2
    log_lr = 0.5 * np.log(safe / total) + (n * mean_diff) ** 2 * tau2 / (2.0 * safe * total)
    return np.where(variance > 0, log_lr, 0.0)


@validate_params({"tau": POSITIVE})
def msprt_pvalue(n, mean_diff, variance, tau):
    """mSPRT p-value ``min(1, 1 / Lambda_n)`` from summary statistics (broadcasts).

    For data seen only at some looks (e.g. daily totals): ``n`` pairs so far, mean
    difference ``mean_diff`` (treatment minus control) and per-pair variance
    ``variance``. Take the running minimum over the looks to get the always-valid
    p-value; it stays valid because checking at fewer times only makes it larger than
    the p-value checked after every pair.

    Examples
    --------
    >>> from mlhood.abtest import msprt_pvalue
    >>> round(float(msprt_pvalue(10_000, 0.01, 0.18, tau=0.01)), 4)
    0.2432
    """
    log_lr = msprt_log_likelihood_ratio(n, mean_diff, variance, tau)
    return np.minimum(1.0, np.exp(-log_lr))


@dataclass(frozen=True)
class SequentialResult:
    """Outcome of :func:`msprt_test`.

    Attributes
    ----------
    pvalues : ndarray
        Always-valid p-value after each pair (same shape as the inputs).
    rejected : bool or ndarray of bool
        Whether the p-value ever fell below ``alpha`` (per row for 2-D input).
    stop_index : int or ndarray of int
        First pair index at which ``p < alpha``, or -1 if never.
    """

    pvalues: np.ndarray
    rejected: np.ndarray | bool
    stop_index: np.ndarray | int


@validate_params({"tau": POSITIVE, "variance": [*POSITIVE, None], "alpha": ALPHA})
def msprt_test(a, b, tau, variance=None, alpha=0.05):
    """Always-valid p-values for ``mean(b) - mean(a)`` as pairs of users arrive.

    ``p_n = min(1, min_{m <= n} 1 / Lambda_m)`` with ``Lambda`` from
    :func:`msprt_log_likelihood_ratio`. By Ville's inequality ``1 / Lambda_n`` is a
    test martingale's reciprocal under ``H0``, so stopping the first time ``p_n <
    alpha`` -- after any number of peeks -- keeps the false-positive rate below
    ``alpha``. The price is power: a fixed-horizon test at the same final size rejects
    more often when there is an effect.

    Parameters
    ----------
    a, b : array-like of shape (n,) or (n_experiments, n)
        Outcomes (e.g. 0/1 conversions) of control and treatment users in arrival order;
        the last axis is time. 2-D input runs many experiments at once.
    tau : float
        Standard deviation of the normal mixture over the effect; choose it near the
        size of effects you expect (in the outcome's units).
    variance : float or None, default=None
        Known per-pair variance ``sigma_A^2 + sigma_B^2``. ``None`` plugs in the running
        sample variances of both arms (Johari et al. 2017, §4).
    alpha : float, default=0.05

    Returns
    -------
    SequentialResult

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.abtest import msprt_test
    >>> rng = np.random.default_rng(0)
    >>> a = rng.random(20_000) < 0.10
    >>> b = rng.random(20_000) < 0.12
    >>> result = msprt_test(a, b, tau=0.02)
    >>> bool(result.rejected), result.pvalues[-1] < 0.05
    (True, np.True_)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape or a.ndim not in (1, 2) or a.shape[-1] < 1:
        raise ValueError(
            f"a and b must have the same shape, (n,) or (n_experiments, n); got {a.shape} "
            f"and {b.shape}"
        )
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("a and b must be finite")
    n = np.arange(1, a.shape[-1] + 1, dtype=float)
    sum_a, sum_b = np.cumsum(a, axis=-1), np.cumsum(b, axis=-1)
    mean_diff = (sum_b - sum_a) / n
    if variance is None:
        sq_a, sq_b = np.cumsum(a * a, axis=-1), np.cumsum(b * b, axis=-1)
        var = (sq_a - sum_a**2 / n + sq_b - sum_b**2 / n) / np.maximum(n - 1.0, 1.0)
        var = np.where(n > 1, var, 0.0)
    else:
        var = np.full_like(mean_diff, float(variance))
    log_lr = msprt_log_likelihood_ratio(n, mean_diff, var, tau)
    pvalues = np.minimum.accumulate(np.minimum(1.0, np.exp(-log_lr)), axis=-1)
    below = pvalues < alpha
    rejected = below.any(axis=-1)
    stop_index = np.where(rejected, below.argmax(axis=-1), -1)
    if a.ndim == 1:
        return SequentialResult(pvalues, bool(rejected), int(stop_index))
    return SequentialResult(pvalues, rejected, stop_index)


SPENDING = ("obrien-fleming", "pocock")
_NEVER = 8.0  # a z bound of 8 is crossed with probability ~1e-15: "no stop at this look"


@validate_params({"alpha": ALPHA, "spending": [Options(SPENDING)]})
def alpha_spent(t, alpha=0.05, spending="obrien-fleming"):
    """Cumulative two-sided alpha spent by information fraction ``t`` (Lan & DeMets 1983).

    * "obrien-fleming": each side spends ``2 - 2 Phi(z_{1-alpha/4} / sqrt(t))`` of its
      ``alpha / 2``, so ``alpha(t) = 4 - 4 Phi(z_{1-alpha/4} / sqrt(t))`` -- almost nothing
      early, nearly all of alpha at the end (the symmetric two-sided form used by
      gsDesign, rpact and Jennison & Turnbull's tables).
    * "pocock": ``alpha(t) = alpha log(1 + (e - 1) t)`` -- spread evenly.
    """
    t = np.asarray(t, dtype=float)
    if spending == "obrien-fleming":
        return 4.0 - 4.0 * norm.cdf(norm.ppf(1.0 - alpha / 4.0) / np.sqrt(t))
    return alpha * np.log1p((np.e - 1.0) * t)


def _crossing(c, grid, weights, step, root_t):
    """P(first crossing of +/- c at the next look), from the sub-density on ``grid``."""
    edge = c * root_t
    tail = ndtr((grid - edge) / step) + ndtr((-edge - grid) / step)
    return weights @ tail


def _normal_pdf(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


@validate_params(
    {
        "alpha": ALPHA,
        "spending": [Options(SPENDING)],
        "grid_size": [Interval(Integral, 3, None, closed="left")],
    }
)
def group_sequential_bounds(looks, alpha=0.05, spending="obrien-fleming", grid_size=401):
    """Two-sided z critical values ``c_1..c_K`` for planned interim looks.

    The trial stops at look ``k`` if ``|Z_k| >= c_k``. Under ``H0`` the statistics
    ``Z_k = S(t_k) / sqrt(t_k)`` come from a Brownian motion ``S`` observed at the
    information fractions ``t_k``; each ``c_k`` is chosen so the probability of first
    crossing at look ``k`` equals the alpha spent between ``t_{k-1}`` and ``t_k``
    (:func:`alpha_spent`). The probabilities are computed by numerical integration of
    the sub-density of ``S`` over the continuation region, look by look (Armitage,
    McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19), on a grid of
    ``grid_size`` points (trapezoidal rule).

    Parameters
    ----------
    looks : int or array-like of float
        Number of equally spaced looks, or the information fractions ``0 < t_1 < ... <
        t_K = 1``.
    alpha : float, default=0.05
    spending : {"obrien-fleming", "pocock"}, default="obrien-fleming"
    grid_size : int, default=401

    Returns
    -------
    ndarray of shape (K,)

    Examples
    --------
    >>> from mlhood.abtest import group_sequential_bounds
    >>> group_sequential_bounds(5).round(3)
    array([4.877, 3.357, 2.68 , 2.29 , 2.031])
    """
    if np.ndim(looks) == 0:
        if int(looks) != looks or looks < 1:
            raise ValueError(f"looks must be a positive int or fractions, got {looks!r}")
        t = np.arange(1, int(looks) + 1) / int(looks)
    else:
        t = np.asarray(looks, dtype=float)
        if t.ndim != 1 or t.size == 0 or np.any(np.diff(t) <= 0) or t[0] <= 0 or t[-1] > 1:
            raise ValueError(
                f"information fractions must increase strictly within (0, 1], got {looks!r}"
            )
    increments = np.diff(alpha_spent(t, alpha, spending), prepend=0.0)
    bounds = np.empty(t.size)
    bounds[0] = min(norm.isf(increments[0] / 2.0), _NEVER)
    # grid over the continuation region of S(t_1), with the sub-density of S there
    grid = np.linspace(-bounds[0], bounds[0], grid_size) * np.sqrt(t[0])
    density = _normal_pdf(grid / np.sqrt(t[0])) / np.sqrt(t[0])
    for k in range(1, t.size):
        weights = density * np.gradient(grid)  # trapezoid-ish weights on a uniform grid
        weights[[0, -1]] *= 0.5
        step = np.sqrt(t[k] - t[k - 1])
        root_t = np.sqrt(t[k])

        args = (grid, weights, step, root_t)
        if _crossing(_NEVER, *args) >= increments[k]:  # nothing to spend at this look
            bounds[k] = _NEVER
        else:
            bounds[k] = brentq(
                lambda c, args=args, target=increments[k]: _crossing(c, *args) - target,
                1e-6,
                _NEVER,
            )
        new_grid = np.linspace(-bounds[k], bounds[k], grid_size) * root_t
        kernel = _normal_pdf((new_grid[:, None] - grid[None, :]) / step) / step
        density = kernel @ weights
        grid = new_grid
    return bounds
