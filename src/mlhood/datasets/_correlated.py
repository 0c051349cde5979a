"""Regression data whose features come in groups of highly correlated columns."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from mlhood._params import Interval, Options, validate_params
from mlhood._random import check_random_state


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_groups": [Interval(Integral, 1, None, closed="left")],
        "group_size": [Interval(Integral, 1, None, closed="left")],
        "correlation": [Interval(Real, 0, 1, closed="left")],
        "n_noise_features": [Interval(Integral, 0, None, closed="left")],
        "truth": [Options(["dense", "sparse"])],
        "n_informative": [Interval(Integral, 1, None, closed="left"), None],
        "noise": [Interval(Real, 0, np.inf, closed="left")],
        "random_state": ["random_state"],
    }
)
def make_correlated_regression(
    n_samples: int = 200,
    n_groups: int = 5,
    group_size: int = 4,
    correlation: float = 0.95,
    n_noise_features: int = 0,
    truth: str = "dense",
    n_informative: int | None = None,
    noise: float = 1.0,
    random_state=None,
):
    """Linear-regression data with groups of highly correlated features.

    Each group ``g`` has a latent factor ``z_g ~ N(0, 1)``; member ``j`` of the group is
    ``x_j = sqrt(rho) * z_g + sqrt(1 - rho) * e_j`` with ``e_j ~ N(0, 1)`` independent, so
    every feature has unit variance and two members of one group have correlation ``rho``
    (members of different groups are independent). Then ``n_noise_features`` independent
    ``N(0, 1)`` columns are appended. The target is ``y = X @ coef + noise * eps`` with
    ``eps ~ N(0, 1)``.

    Parameters
    ----------
    n_samples : int, default=200
        Number of rows (>= 1).
    n_groups : int, default=5
        Number of correlated groups (>= 1).
    group_size : int, default=4
        Features per group (>= 1).
    correlation : float, default=0.95
        Within-group correlation ``rho`` in ``[0, 1)``.
    n_noise_features : int, default=0
        Independent features with zero coefficient, appended after the groups.
    truth : {"dense", "sparse"}, default="dense"
        ``"dense"``: every member of a group gets the same coefficient ``b_g`` (a random
        sign times a magnitude drawn from ``U(1, 2)``), so the signal is spread over the
        whole group. ``"sparse"``: only the first member of each of the first
        ``n_informative`` groups gets a nonzero coefficient (same law); all other
        coefficients are exactly zero.
    n_informative : int or None, default=None
        With ``truth="sparse"``: number of nonzero coefficients, at most ``n_groups``
        (``None`` means ``n_groups``). Ignored for ``"dense"``.
    noise : float, default=1.0
        Standard deviation of the additive Gaussian noise (>= 0).
    random_state : int, RandomState instance or None, default=None
        Seed; the same seed gives the same arrays.

    Returns
    -------
    X : ndarray of shape (n_samples, n_groups * group_size + n_noise_features)
        Columns ``g * group_size`` to ``(g + 1) * group_size - 1`` form group ``g``.
    y : ndarray of shape (n_samples,)
    coef : ndarray of shape (n_features,)
        The true coefficients.

    Examples
    --------
    >>> from mlhood.datasets import make_correlated_regression
    >>> X, y, coef = make_correlated_regression(n_samples=50, random_state=0)
    >>> X.shape, int((coef != 0).sum())
    ((50, 20), 20)
    """
    n_samples = int(n_samples)
    n_groups = int(n_groups)
    group_size = int(group_size)
    n_noise_features = int(n_noise_features)
    rho = float(correlation)
    noise = float(noise)
    if n_informative is None:
        n_informative = n_groups
    n_informative = int(n_informative)
    if n_informative > n_groups:
        raise ValueError(f"n_informative must be <= n_groups={n_groups}, got {n_informative}")
    rng = check_random_state(random_state)

    latent = rng.standard_normal((n_samples, n_groups))
    own = rng.standard_normal((n_samples, n_groups * group_size))
    grouped = np.sqrt(rho) * np.repeat(latent, group_size, axis=1) + np.sqrt(1 - rho) * own
    extra = rng.standard_normal((n_samples, n_noise_features))
    X = np.hstack([grouped, extra])

    signs = rng.choice([-1.0, 1.0], size=n_groups)
    group_coef = signs * rng.uniform(1.0, 2.0, size=n_groups)
    coef = np.zeros(X.shape[1])
    if truth == "dense":
        coef[: n_groups * group_size] = np.repeat(group_coef, group_size)
    else:
        first_members = np.arange(n_informative) * group_size
        coef[first_members] = group_coef[:n_informative]
    y = X @ coef + noise * rng.standard_normal(n_samples)
    return X, y, coef
