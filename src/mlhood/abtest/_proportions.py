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


def pooled_z(count_0, nobs_0, count_1, nobs_1):
    """Pooled two-proportion z of ``p_0 - p_1``, elementwise over broadcast arrays.

    ``z = (p_0 - p_1) / sqrt(p (1 - p) (1 / n_0 + 1 / n_1))`` with the pooled rate
    ``p = (x_0 + x_1) / (n_0 + n_1)``: under ``H0: p_0 = p_1`` both arms estimate the
    same rate, so the standard error uses it. ``z = 0`` where no arm or every arm
    converts (the rates are identical).

    Examples
    --------
    >>> from mlhood.abtest._proportions import pooled_z
    >>> round(float(pooled_z(120, 10_000, 100, 10_000)), 3)
    1.356
    """
    count_0, nobs_0, count_1, nobs_1 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (count_0, nobs_0, count_1, nobs_1))
    )
    pooled = (count_0 + count_1) / (nobs_0 + nobs_1)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / nobs_0 + 1.0 / nobs_1))
    diff = count_0 / nobs_0 - count_1 / nobs_1
    return np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)


@validate_params({"alternative": ALTERNATIVE})
def proportions_ztest_many(count_0, nobs_0, count_1, nobs_1, alternative="two-sided"):
    """The pooled two-proportion z-test of many experiments at once (NumPy arrays).

    Same statistic and p-value as :func:`proportions_ztest` for each experiment,
    ``H0: p_0 = p_1``; the four arguments broadcast against each other, so thousands of
    simulated experiments (or one experiment seen at many looks) are tested in one call.

    Parameters
    ----------
    count_0, nobs_0, count_1, nobs_1 : array-like of whole numbers
        Conversions and users of arm 0 and arm 1 (``0 <= count <= nobs``, ``nobs > 0``).
    alternative : {"two-sided", "larger", "smaller"}, default="two-sided"
        "larger" tests ``p_0 > p_1``.

    Returns
    -------
    z, pvalue : ndarray
        Of the broadcast shape.

    Examples
    --------
    >>> from mlhood.abtest import proportions_ztest_many
    >>> z, p = proportions_ztest_many([120, 90], 10_000, 100, 10_000)
    >>> z.round(3).tolist(), p.round(3).tolist()
    ([1.356, -0.729], [0.175, 0.466])
    """
    arrays = [np.asarray(v, dtype=float) for v in (count_0, nobs_0, count_1, nobs_1)]
    names = ("count_0", "nobs_0", "count_1", "nobs_1")
    for name, values in zip(names, arrays):
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError(f"{name} must be finite and non-negative")
        if np.any(values != np.round(values)):
            raise ValueError(f"{name} must hold whole numbers")
    for arm in (0, 1):
        count, nobs = arrays[2 * arm], arrays[2 * arm + 1]
        count_name, nobs_name = names[2 * arm], names[2 * arm + 1]
        if np.any(nobs == 0):
            raise ValueError(f"{nobs_name} must be > 0: an arm without users has no rate")
        if np.any(count > nobs):
            raise ValueError(
                f"{count_name} cannot exceed {nobs_name} (more conversions than users)"
            )
    z = pooled_z(*arrays)
    return z, normal_pvalue(z, alternative)


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
    z = pooled_z(counts[0], nobs[0], counts[1], nobs[1])
    return TestResult(
        statistic=float(z),
        pvalue=float(normal_pvalue(z, alternative)),
        estimate=float(counts[0] / nobs[0] - counts[1] / nobs[1]),
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
