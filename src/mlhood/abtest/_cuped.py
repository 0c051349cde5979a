"""CUPED: shrink the variance of a metric with a pre-experiment covariate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlhood.abtest._checks import check_sample


@dataclass(frozen=True)
class CupedResult:
    """Outcome of :func:`cuped`.

    Attributes
    ----------
    adjusted : ndarray
        ``y - theta (x - mean(x))``: same mean as ``y``, smaller variance.
    theta : float
    variance_reduction : float
        ``1 - var(adjusted) / var(y)``, which equals ``corr(x, y)^2``.
    """

    adjusted: np.ndarray
    theta: float
    variance_reduction: float


def cuped(y, x):
    """Controlled-experiment Using Pre-Experiment Data (Deng, Xu, Kohavi & Walker 2013).

    For each user, ``y`` is the metric during the experiment and ``x`` a covariate
    measured *before* it (so the treatment cannot affect it), e.g. last month's spend.
    The adjusted metric::

        y_cv = y - theta (x - mean(x)),   theta = cov(x, y) / var(x)

    has the same expectation in each arm (``x`` is balanced by randomisation) and
    variance ``var(y) (1 - rho^2)``, so the same test needs ``1 / (1 - rho^2)`` times
    fewer users. Estimate ``theta`` on the pooled users of all arms, then run the usual
    test (e.g. :func:`welch_ttest`) on ``y_cv`` split by arm.

    Parameters
    ----------
    y, x : array-like of shape (n_users,)

    Returns
    -------
    CupedResult

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.abtest import cuped
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(10, 2, size=5000)
    >>> y = x + rng.normal(0, 1, size=5000)
    >>> round(cuped(y, x).variance_reduction, 2)
    0.8
    """
    y = check_sample("y", y)
    x = check_sample("x", x)
    if x.shape != y.shape:
        raise ValueError(f"y and x must have the same length, got {y.size} and {x.size}")
    x_centered = x - x.mean()
    var_x = x_centered @ x_centered
    if var_x == 0:
        raise ValueError("the covariate x is constant, so it cannot explain any variance")
    theta = float(x_centered @ (y - y.mean()) / var_x)
    adjusted = y - theta * x_centered
    var_y = y.var()
    reduction = 1.0 - adjusted.var() / var_y if var_y > 0 else 0.0
    return CupedResult(adjusted, theta, float(reduction))
