"""Power and sample size for comparing two proportions or two means (normal approximation).

Both use the standard two-sample normal power function. With a standardised effect
``d``, ``n`` users in the control arm and ``ratio * n`` in the treatment arm, the test
statistic is ``N(d * sqrt(n_eff), 1)`` with the effective size
``n_eff = 1 / (1 / n + 1 / (ratio * n)) = n * ratio / (1 + ratio)``, so::

    power(n) = Phi(|d| sqrt(n_eff) - z_{1-alpha/2}) + Phi(-|d| sqrt(n_eff) - z_{1-alpha/2})

(two-sided; one-sided drops the second term and uses ``z_{1-alpha}``). The sample size
is the smallest ``n`` with ``power(n) >= target``: the root of ``power(n) = target``
found by Brent's method, rounded up. Ignoring the second, tiny term it is the
familiar ``n = (1 + 1/ratio) (z_{1-alpha/2} + z_{power})^2 / d^2``.

For proportions ``d`` is Cohen's arcsine effect size
``h = 2 asin(sqrt(p_t)) - 2 asin(sqrt(p_c))`` (Cohen 1988, §6.2), the transform that
stabilises the variance of a proportion. This is what statsmodels computes with
``NormalIndPower().solve_power(proportion_effectsize(p_t, p_c), ...)``; for 10% -> 12%
at alpha = 0.05 and power 0.8 it gives 3,835 users per arm. (The textbook
pooled/unpooled-variance formula gives 3,839-3,841: a few users more.) For means
``d = delta / sd``.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.stats import norm

from mlhood._params import validate_params
from mlhood.abtest._checks import (
    ALPHA,
    ALTERNATIVE,
    POSITIVE,
    PROBABILITY,
)

# alpha, ratio and alternative of every power and sample-size function
_SETTINGS = {"alpha": ALPHA, "ratio": POSITIVE, "alternative": ALTERNATIVE}


@validate_params({"p_treatment": PROBABILITY, "p_control": PROBABILITY})
def proportion_effect_size(p_treatment, p_control):
    """Cohen's h: ``2 asin(sqrt(p_treatment)) - 2 asin(sqrt(p_control))``."""
    return float(2.0 * np.arcsin(np.sqrt(p_treatment)) - 2.0 * np.arcsin(np.sqrt(p_control)))


def normal_power(effect_size, n_control, ratio=1.0, alpha=0.05, alternative="two-sided"):
    """Power of a two-sample z-test for standardised effect ``effect_size``.

    ``effect_size`` is signed for one-sided tests: "larger" means the treatment exceeds
    the control by ``effect_size`` standard deviations.
    """
    shift = effect_size * np.sqrt(n_control * ratio / (1.0 + ratio))
    if alternative == "two-sided":
        crit = norm.ppf(1.0 - alpha / 2.0)
        return float(norm.cdf(shift - crit) + norm.cdf(-shift - crit))
    crit = norm.ppf(1.0 - alpha)
    return float(norm.cdf(shift - crit) if alternative == "larger" else norm.cdf(-shift - crit))


def normal_sample_size(effect_size, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"):
    """Smallest control-arm size (a float) reaching ``power`` for ``effect_size``."""
    if effect_size == 0 or not np.isfinite(effect_size):
        raise ValueError(
            f"the effect size must be finite and non-zero to size a test, got {effect_size!r}"
        )
    if alternative == "larger" and effect_size < 0 or alternative == "smaller" and effect_size > 0:
        raise ValueError(
            f"effect size {effect_size:.4g} points the other way than alternative="
            f"{alternative!r}: no sample size reaches the power"
        )
    if power <= normal_power(effect_size, 1e-12, ratio, alpha, alternative):
        raise ValueError(f"power must exceed the test's size alpha={alpha}, got {power}")
    high = 1.0
    while normal_power(effect_size, high, ratio, alpha, alternative) < power:
        high *= 2.0
    return brentq(
        lambda n: normal_power(effect_size, n, ratio, alpha, alternative) - power,
        1e-12,
        high,
        xtol=1e-10,
    )


@validate_params(
    {**_SETTINGS, "p_control": PROBABILITY, "p_treatment": PROBABILITY, "n_control": POSITIVE}
)
def power_proportions(
    p_control, p_treatment, n_control, alpha=0.05, ratio=1.0, alternative="two-sided"
):
    """Power to detect ``p_control -> p_treatment`` with ``n_control`` control users.

    The treatment arm has ``ratio * n_control`` users. See the module docstring.
    """
    h = proportion_effect_size(p_treatment, p_control)
    return normal_power(h, n_control, ratio, alpha, alternative)


@validate_params(
    {**_SETTINGS, "p_control": PROBABILITY, "p_treatment": PROBABILITY, "power": ALPHA}
)
def sample_size_proportions(
    p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"
):
    """Users needed in the control arm to detect ``p_control -> p_treatment``.

    The treatment arm needs ``ratio`` times as many (``ratio = n_treatment /
    n_control``); with ``ratio = 1`` the answer is users per arm. Uses Cohen's arcsine
    effect size and the normal power function (module docstring), rounded up.

    Parameters
    ----------
    p_control, p_treatment : float in [0, 1]
        Baseline and hoped-for conversion rates (must differ).
    alpha : float, default=0.05
    power : float, default=0.8
    ratio : float, default=1.0
    alternative : {"two-sided", "larger", "smaller"}, default="two-sided"
        "larger" means the treatment is expected to convert more.

    Returns
    -------
    int

    Examples
    --------
    >>> from mlhood.abtest import sample_size_proportions
    >>> sample_size_proportions(0.10, 0.12)
    3835
    """
    h = proportion_effect_size(p_treatment, p_control)
    return int(np.ceil(normal_sample_size(h, alpha, power, ratio, alternative) - 1e-9))


@validate_params({**_SETTINGS, "sd": POSITIVE, "n_control": POSITIVE})
def power_means(delta, sd, n_control, alpha=0.05, ratio=1.0, alternative="two-sided"):
    """Power to detect a difference in means ``delta`` with outcome SD ``sd``."""
    return normal_power(delta / sd, n_control, ratio, alpha, alternative)


@validate_params({**_SETTINGS, "sd": POSITIVE, "power": ALPHA})
def sample_size_means(delta, sd, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"):
    """Users needed in the control arm to detect a mean difference ``delta``.

    Normal approximation with ``d = delta / sd`` (module docstring), rounded up; the
    t-test needs one or two users more at small sizes.

    Examples
    --------
    >>> from mlhood.abtest import sample_size_means
    >>> sample_size_means(delta=0.5, sd=10.0)
    6280
    """
    d = delta / sd
    return int(np.ceil(normal_sample_size(d, alpha, power, ratio, alternative) - 1e-9))
