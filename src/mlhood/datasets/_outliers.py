"""Data with outliers injected at known positions, of three kinds."""

from __future__ import annotations

from numbers import Integral

import numpy as np

from mlhood._params import Interval, Options, validate_params
from mlhood._random import check_random_state

_KINDS = ("spikes", "cluster", "regression")


@validate_params(
    {
        "kind": [Options(_KINDS)],
        "n_samples": [Interval(Integral, 20, None, closed="left")],
        "n_outliers": [Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }
)
def make_outliers(
    kind: str = "spikes",
    n_samples: int = 300,
    n_outliers: int | None = None,
    *,
    random_state=None,
):
    """Inliers plus outliers at known rows; returns the data and the true outlier mask.

    Three kinds, each built to make one point about outlier detection:

    ``"spikes"`` -- univariate. Inliers ``x ~ N(0, 1)``; each outlier is a spike
    ``x = s * u`` with random sign ``s`` and ``u ~ U(5, 8)``. Guarantee: every outlier
    has ``|x| >= 5``, so any sensible univariate rule finds them.

    ``"cluster"`` -- univariate masking. Inliers ``x ~ N(0, 1)``; the outliers form one
    tight cluster ``x ~ N(6, 0.1^2)``, by default 15% of the rows. Guarantee (default
    ``n_outliers``): the cluster inflates the mean and the standard deviation so much
    that the classical z-score of every cluster point is below 3 (masked), while the
    median and the median absolute deviation barely move, so the modified z-score
    ``0.6745 (x - median) / MAD`` of every cluster point is above 3.5.

    ``"regression"`` -- a joint outlier. Inliers ``x ~ U(0, 10)``,
    ``y = 1 + 2 x + N(0, 1)``. Outliers have ``x ~ U(3, 4.5)`` with ``y`` shifted up by
    ``U(6, 9)``, or ``x ~ U(5.5, 7)`` with ``y`` shifted down by ``U(6, 9)``. Guarantee:
    each outlier's ``x`` and ``y`` lie inside the range of the inliers' ``x`` and ``y``
    (no single-feature rule can see them), but its residual from the true line is at
    least 6 noise standard deviations.

    Parameters
    ----------
    kind : {"spikes", "cluster", "regression"}, default="spikes"
    n_samples : int, default=300
        Total number of rows, inliers plus outliers (>= 20).
    n_outliers : int or None, default=None
        Number of outliers, ``1 <= n_outliers < n_samples / 2``. ``None`` means
        ``round(0.15 * n_samples)`` for ``"cluster"`` and ``max(1, n_samples // 50)``
        otherwise.
    random_state : int, RandomState instance or None, default=None
        Seed; the same seed gives the same data and the same outlier positions.

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
        The feature (``x``).
    y : ndarray of shape (n_samples,) or None
        The regression target for ``kind="regression"``; ``None`` otherwise.
    outlier_mask : ndarray of bool, shape (n_samples,)
        True at the rows that were injected as outliers (positions are random).

    Examples
    --------
    >>> from mlhood.datasets import make_outliers
    >>> X, y, mask = make_outliers("spikes", n_samples=100, random_state=0)
    >>> X.shape, y is None, int(mask.sum())
    ((100, 1), True, 2)
    """
    n = int(n_samples)
    if n_outliers is None:
        n_outliers = round(0.15 * n) if kind == "cluster" else max(1, n // 50)
    m = int(n_outliers)
    if 2 * m >= n:
        raise ValueError(f"n_outliers must be < n_samples / 2 = {n / 2}, got {m}")
    rng = check_random_state(random_state)
    mask = np.zeros(n, dtype=bool)
    mask[rng.choice(n, size=m, replace=False)] = True

    if kind == "regression":
        x, y = _regression(n, m, mask, rng)
        return x[:, None], y, mask
    x = rng.standard_normal(n)
    if kind == "spikes":
        x[mask] = rng.choice([-1.0, 1.0], size=m) * rng.uniform(5.0, 8.0, size=m)
    else:
        x[mask] = 6.0 + 0.1 * rng.standard_normal(m)
    return x[:, None], None, mask


def _regression(n: int, m: int, mask: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(0.0, 10.0, size=n)
    # Pin the inlier range so outliers always sit strictly inside it.
    inlier_rows = np.flatnonzero(~mask)
    x[inlier_rows[0]], x[inlier_rows[1]] = 0.0, 10.0
    y = 1.0 + 2.0 * x + rng.standard_normal(n)
    y[inlier_rows[:2]] = 1.0, 21.0  # the two pinned rows sit exactly on the line
    up = rng.random(m) < 0.5
    shift = rng.uniform(6.0, 9.0, size=m)
    x_out = np.where(up, rng.uniform(3.0, 4.5, size=m), rng.uniform(5.5, 7.0, size=m))
    x[mask] = x_out
    y[mask] = 1.0 + 2.0 * x_out + np.where(up, shift, -shift)
    return x, y
