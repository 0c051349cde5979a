"""A time series with trend and seasonality, or a stationary autoregressive one."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from scipy import signal

from mlhood._params import Interval, validate_params
from mlhood._random import check_random_state


@validate_params(
    {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "slope": [Interval(Real, -np.inf, np.inf, closed="neither")],
        "curvature": [Interval(Real, -np.inf, np.inf, closed="neither")],
        "period": [Interval(Real, 0, np.inf, closed="neither")],
        "amplitude": [Interval(Real, -np.inf, np.inf, closed="neither")],
        "noise": [Interval(Real, 0, np.inf, closed="left")],
        "stationary": ["boolean"],
        "random_state": ["random_state"],
    }
)
def make_trending_series(
    n_samples: int = 500,
    *,
    slope: float = 0.05,
    curvature: float = 0.0,
    period: float = 50.0,
    amplitude: float = 2.0,
    noise: float = 1.0,
    stationary: bool = False,
    ar_coef=0.7,
    random_state=None,
):
    """One univariate series ``y_t`` for ``t = 0, ..., n_samples - 1``.

    Non-stationary (default)::

        y_t = slope * t + curvature * (t / n)^2 * n + amplitude * sin(2 pi t / period) + e_t

    with ``e_t ~ N(0, noise^2)`` independent. The mean of ``y_t`` therefore drifts with
    ``t``: later values lie outside the range of earlier ones (that is the point: models
    fit on the past must extrapolate).

    Stationary (``stationary=True``): an AR(p) process
    ``y_t = sum_k phi_k y_{t-k} + e_t`` with ``phi = ar_coef``, started from a burn-in of
    ``10 * (p + 50)`` discarded steps so the returned part is in its stationary
    distribution; trend and seasonality arguments are ignored. The AR coefficients must
    define a stationary process (all roots of ``1 - sum phi_k z^k`` outside the unit
    circle), otherwise ``ValueError``.

    Parameters
    ----------
    n_samples : int, default=500
        Length of the series (>= 2).
    slope : float, default=0.05
        Linear trend per time step.
    curvature : float, default=0.0
        Quadratic trend; the added term reaches ``curvature * n`` at the end.
    period : float, default=50.0
        Period of the seasonal sine, in time steps (> 0).
    amplitude : float, default=2.0
        Amplitude of the seasonal sine.
    noise : float, default=1.0
        Standard deviation of the innovations (>= 0).
    stationary : bool, default=False
        Return a stationary AR process instead of trend + season + noise.
    ar_coef : float or sequence of float, default=0.7
        AR coefficients ``phi_1, ..., phi_p`` (used when ``stationary=True``).
    random_state : int, RandomState instance or None, default=None
        Seed; the same seed gives the same series.

    Returns
    -------
    t : ndarray of shape (n_samples,)
        Time index ``0, 1, ..., n_samples - 1`` as floats.
    y : ndarray of shape (n_samples,)
        The series.

    Examples
    --------
    >>> from mlhood.datasets import make_trending_series
    >>> t, y = make_trending_series(100, random_state=0)
    >>> bool(y[-20:].mean() > y[:20].mean())
    True
    """
    n = int(n_samples)
    noise = float(noise)
    period = float(period)
    slope = float(slope)
    curvature = float(curvature)
    amplitude = float(amplitude)
    rng = check_random_state(random_state)
    t = np.arange(n, dtype=float)
    if stationary:
        return t, _ar_process(n, ar_coef, noise, rng)
    trend = slope * t + curvature * n * (t / n) ** 2
    season = amplitude * np.sin(2 * np.pi * t / period)
    return t, trend + season + noise * rng.standard_normal(n)


def _ar_process(n: int, ar_coef, noise: float, rng) -> np.ndarray:
    phi = np.atleast_1d(np.asarray(ar_coef, dtype=float))
    if phi.ndim != 1 or phi.size == 0 or not np.all(np.isfinite(phi)):
        raise ValueError(f"ar_coef must be a finite scalar or 1-D sequence, got {ar_coef!r}")
    # Stationary iff every root of 1 - phi_1 z - ... - phi_p z^p lies outside |z| = 1.
    roots = np.roots(np.r_[-phi[::-1], 1.0])
    if np.any(np.abs(roots) <= 1.0):
        raise ValueError(f"ar_coef {phi.tolist()} does not define a stationary AR process")
    burn = 10 * (phi.size + 50)
    e = noise * rng.standard_normal(n + burn)
    # the recursion y_t = sum_k phi_k y_{t-k} + e_t is an all-pole linear filter
    y = signal.lfilter([1.0], np.r_[1.0, -phi], e)
    return y[burn:]
