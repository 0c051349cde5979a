"""Tests and confidence intervals for conversion rates (two or more arms)."""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2, norm

from mlhood._params import validate_params
from mlhood.abtest._checks import ALPHA, ALTERNATIVE, check_counts
from mlhood.abtest._result import TestResult


def normal_pvalue(z, alternative):
    """P-value of a standard-normal statistic ``z`` under ``alternative``."""
    if alternative == "two-sided":
        return 2.0 * norm.sf(np.abs(z))
    if alternative == "larger":
        return norm.sf(z)
    return norm.cdf(z)


@validate_params({"alpha": ALPHA})
def confint_difference(counts, nobs, alpha=0.05):
    """Wald interval for ``p[0] - p[1]`` with unpooled variance.

    ``(p0 - p1) +/- z_{1-alpha/2} sqrt(p0 (1 - p0) / n0 + p1 (1 - p1) / n1)``.

    Examples
    --------
    >>> from mlhood.abtest import confint_difference
    >>> [round(v, 5) for v in confint_difference([120, 100], [10_000, 10_000])]
    [-0.00089, 0.00489]
    """
    counts, nobs = check_counts(counts, nobs, n_arms=2)
    rates = counts / nobs
    se = np.sqrt(np.sum(rates * (1.0 - rates) / nobs))
    half = norm.ppf(1.0 - alpha / 2.0) * se
    diff = rates[0] - rates[1]
    return float(diff - half), float(diff + half)


@validate_params({"alpha": ALPHA})
def confint_lift(counts, nobs, alpha=0.05):
    """Interval for the relative lift ``p[0] / p[1] - 1`` by the delta method on the log.

    ``log(p0 / p1) +/- z sqrt(1/x0 - 1/n0 + 1/x1 - 1/n1)``, exponentiated, minus 1
    (Katz et al. 1978). Needs at least one conversion in each arm.

    Examples
    --------
    >>> from mlhood.abtest import confint_lift
    >>> [round(v, 4) for v in confint_lift([120, 100], [10_000, 10_000])]
    [-0.0784, 0.5624]
    """
    counts, nobs = check_counts(counts, nobs, n_arms=2)
    if np.any(counts == 0):
        raise ValueError(
            "the relative lift needs at least one conversion in each arm, got "
            f"counts={counts.tolist()}"
        )
    log_ratio = np.log(counts[0] / nobs[0]) - np.log(counts[1] / nobs[1])
    se = np.sqrt(np.sum(1.0 / counts - 1.0 / nobs))
    half = norm.ppf(1.0 - alpha / 2.0) * se
    return float(np.expm1(log_ratio - half)), float(np.expm1(log_ratio + half))


@validate_params({"alternative": ALTERNATIVE, "alpha": ALPHA})
def proportions_ztest(counts, nobs, alternative="two-sided", alpha=0.05):
    """Two-proportion z-test of ``H0: p[0] = p[1]`` with the pooled variance.

    With rates ``p_i = x_i / n_i`` and pooled rate ``p = (x_0 + x_1) / (n_0 + n_1)``::

        z = (p_0 - p_1) / sqrt(p (1 - p) (1 / n_0 + 1 / n_1))

    compared with the standard normal ("larger" tests ``p[0] > p[1]``). The
    confidence interval for ``p[0] - p[1]`` is the unpooled Wald interval
    (:func:`confint_difference`). This is statsmodels' ``proportions_ztest`` for two
    samples. If no arm or every arm converts, the rates are identical and the test
    returns ``z = 0, p = 1``.

    Parameters
    ----------
    counts : array-like of 2 ints
        Conversions per arm.
    nobs : array-like of 2 ints
        Users per arm (each > 0).
    alternative : {"two-sided", "larger", "smaller"}, default="two-sided"
    alpha : float, default=0.05
        For the confidence interval.

    Returns
    -------
    TestResult
        ``statistic`` (z), ``pvalue``, ``estimate`` (``p[0] - p[1]``),
        ``confidence_interval``.

    Examples
    --------
    >>> from mlhood.abtest import proportions_ztest
    >>> result = proportions_ztest([120, 100], [10_000, 10_000])
    >>> round(result.statistic, 3), round(result.pvalue, 3)
    (1.356, 0.175)
    """
    counts, nobs = check_counts(counts, nobs, n_arms=2)
    rates = counts / nobs
    pooled = counts.sum() / nobs.sum()
    se = np.sqrt(pooled * (1.0 - pooled) * np.sum(1.0 / nobs))
    diff = rates[0] - rates[1]
    z = diff / se if se > 0 else 0.0
    return TestResult(
        statistic=float(z),
        pvalue=float(normal_pvalue(z, alternative)),
        estimate=float(diff),
        confidence_interval=confint_difference(counts, nobs, alpha),
        alternative=alternative,
        method="two-proportion z-test (pooled variance)",
    )


@validate_params({"correction": ["boolean"]})
def proportions_chisquare(counts, nobs, correction=False):
    """Pearson chi-square test that ``k >= 2`` arms share one conversion rate.

    Builds the ``k x 2`` table (converted, not converted) and compares it with the
    counts expected under a common rate ``p = sum x / sum n``::

        X^2 = sum_cells (observed - expected)^2 / expected,   df = k - 1

    With two arms and no correction ``X^2 = z^2`` of :func:`proportions_ztest`.
    ``correction=True`` applies Yates' continuity correction (2 arms only), as
    ``scipy.stats.chi2_contingency`` does by default.

    Returns
    -------
    TestResult
        ``statistic`` (X^2), ``pvalue``, ``df``; ``estimate`` is the largest minus the
        smallest rate, with no confidence interval (NaN).

    Examples
    --------
    >>> from mlhood.abtest import proportions_chisquare
    >>> round(proportions_chisquare([120, 100], [10_000, 10_000]).statistic, 4)
    1.8384
    """
    counts, nobs = check_counts(counts, nobs)
    table = np.column_stack([counts, nobs - counts])
    expected = np.outer(nobs, table.sum(axis=0)) / nobs.sum()
    df = counts.size - 1
    if np.any(expected == 0):
        statistic = 0.0  # no arm or every arm converted: nothing differs
    else:
        deviation = np.abs(table - expected)
        if correction and counts.size == 2:
            deviation = np.maximum(deviation - 0.5, 0.0)
        statistic = float(np.sum(deviation**2 / expected))
    rates = counts / nobs
    return TestResult(
        statistic=statistic,
        pvalue=float(chi2.sf(statistic, df)),
        estimate=float(rates.max() - rates.min()),
        confidence_interval=(float("nan"), float("nan")),
        alternative="two-sided",
        method="Pearson chi-square test of equal rates" + (" (Yates)" if correction else ""),
        df=float(df),
    )
