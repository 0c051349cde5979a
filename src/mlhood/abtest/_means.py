"""Welch's t-test for a difference in means (revenue per user, time on site, ...)."""

from __future__ import annotations

import numpy as np
from scipy.stats import t as student_t

from mlhood._params import validate_params
from mlhood.abtest._checks import ALPHA, ALTERNATIVE, check_sample
from mlhood.abtest._result import TestResult


@validate_params({"alternative": ALTERNATIVE, "alpha": ALPHA})
def welch_ttest(a, b, alternative="two-sided", alpha=0.05):
    """Welch's t-test of ``H0: mean(a) = mean(b)`` without assuming equal variances.

    With sample means ``m``, variances ``s^2`` (``ddof=1``) and sizes ``n``::

        se = sqrt(s_a^2 / n_a + s_b^2 / n_b),   t = (m_a - m_b) / se
        df = se^4 / [ (s_a^2/n_a)^2 / (n_a - 1) + (s_b^2/n_b)^2 / (n_b - 1) ]

    (Welch 1947; Satterthwaite's degrees of freedom). The confidence interval for
    ``m_a - m_b`` is ``(m_a - m_b) +/- t_{df, 1-alpha/2} se``. Same numbers as
    ``scipy.stats.ttest_ind(a, b, equal_var=False)``.

    Parameters
    ----------
    a, b : array-like, 1-D
        Observations of each arm (at least 2 each).
    alternative : {"two-sided", "larger", "smaller"}, default="two-sided"
        "larger" tests ``mean(a) > mean(b)``.
    alpha : float, default=0.05

    Returns
    -------
    TestResult
        ``statistic`` (t), ``pvalue``, ``df``, ``estimate`` (``m_a - m_b``),
        ``confidence_interval``.

    Examples
    --------
    >>> from mlhood.abtest import welch_ttest
    >>> result = welch_ttest([5.1, 4.9, 6.2, 5.8, 6.0], [4.1, 4.4, 3.9, 4.8])
    >>> round(result.statistic, 3), round(result.pvalue, 4)
    (4.044, 0.005)
    """
    a = check_sample("a", a)
    b = check_sample("b", b)
    var_a = a.var(ddof=1) / a.size
    var_b = b.var(ddof=1) / b.size
    se = np.sqrt(var_a + var_b)
    diff = a.mean() - b.mean()
    if se == 0:
        raise ValueError("both samples are constant: the t statistic is undefined")
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    t = diff / se
    if alternative == "two-sided":
        pvalue = 2.0 * student_t.sf(abs(t), df)
    elif alternative == "larger":
        pvalue = student_t.sf(t, df)
    else:
        pvalue = student_t.cdf(t, df)
    half = student_t.ppf(1.0 - alpha / 2.0, df) * se
    return TestResult(
        statistic=float(t),
        pvalue=float(pvalue),
        estimate=float(diff),
        confidence_interval=(float(diff - half), float(diff + half)),
        alternative=alternative,
        method="Welch's t-test (unequal variances)",
        df=float(df),
    )
