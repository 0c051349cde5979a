"""Exercises for q06 (A/B testing), reading the result: two-proportion z-test, Welch's t-test."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from scipy.stats import norm
from scipy.stats import t as student_t

from mlhood import abtest
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    against_reference,
    assert_close,
    call,
    property_holds,
    to_float,
    to_tuple,
)

# ---------------------------------------------------------------- two_proportion_ztest


def two_proportion_ztest(successes_a, n_a, successes_b, n_b):
    """Pooled two-proportion z-test, two-sided: ``z = (p_b - p_a) / se``.

    ``se = sqrt(p (1 - p) (1/n_a + 1/n_b))`` with the pooled rate
    ``p = (x_a + x_b) / (n_a + n_b)`` (under H0 both arms share one rate), and
    ``p_value = 2 (1 - Phi(|z|))``. Calls :func:`mlhood.abtest.proportions_ztest` with
    arm b first, so its ``p[0] - p[1]`` is ``p_b - p_a``; it returns ``z = 0, p = 1``
    when ``se = 0``.

    Examples
    --------
    >>> z, p = two_proportion_ztest(100, 10_000, 120, 10_000)
    >>> round(z, 3), round(p, 3)
    (1.356, 0.175)
    """
    result = abtest.proportions_ztest([successes_b, successes_a], [n_b, n_a])
    return result.statistic, result.pvalue


def _ztest_unpooled(successes_a, n_a, successes_b, n_b):
    """Wrong: each arm's own variance in the standard error, not the pooled one."""
    p_a, p_b = successes_a / n_a, successes_b / n_b
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    if se == 0:
        return 0.0, 1.0
    z = (p_b - p_a) / se
    return z, 2 * norm.sf(abs(z))


def _ztest_one_sided(successes_a, n_a, successes_b, n_b):
    """Wrong: the p-value of one tail only (no factor 2)."""
    z, _ = two_proportion_ztest(successes_a, n_a, successes_b, n_b)
    return z, norm.sf(z)


_ARMS = ("successes_a", "n_a", "successes_b", "n_b")


@st.composite
def _arms(draw):
    n_a, n_b = draw(st.integers(1, 100_000)), draw(st.integers(1, 100_000))
    return draw(st.integers(0, n_a)), n_a, draw(st.integers(0, n_b)), n_b


def _ztest_swap(solution, args):
    x_a, n_a, x_b, n_b = args
    z, p = to_tuple(call(solution, args), 2, "(z, p_value)")
    z_swapped, p_swapped = to_tuple(call(solution, (x_b, n_b, x_a, n_a)), 2, "(z, p_value)")
    assert_close(to_float(z_swapped, "z with the arms swapped"), -to_float(z, "z"), what="z(b, a)")
    assert_close(to_float(p_swapped, "p_value"), to_float(p, "p_value"), what="p_value(b, a)")
    return None


def _ztest_edges(solution):
    for args in [(0, 10, 0, 25), (7, 7, 3, 3), (0, 1, 1, 1)]:
        expected = two_proportion_ztest(*args)
        try:
            assert_close(call(solution, args), expected, what="(z, p_value)")
        except Fail as error:
            raise Fail(f"{error}\n  input: {dict(zip(_ARMS, args))}") from None


TWO_PROPORTION_ZTEST = Exercise(
    id="two_proportion_ztest",
    question="q06",
    title="Two-proportion z-test (pooled variance, two-sided)",
    signature="(successes_a, n_a, successes_b, n_b)",
    statement="""
Two-proportion z-test of H0: p_a = p_b, two-sided, with the pooled variance.

Arm a had `successes_a` conversions out of `n_a` users, arm b `successes_b` out of `n_b`
(integers, 0 <= successes <= n, n >= 1). With p_a = successes_a / n_a, p_b likewise and
the pooled rate p = (successes_a + successes_b) / (n_a + n_b):

    se = sqrt(p (1 - p) (1/n_a + 1/n_b)),   z = (p_b - p_a) / se

and the two-sided p-value under the standard normal. Return `(z, p_value)` as floats.
If se = 0 (no user converted, or every user did) return `(0.0, 1.0)`.
""",
    hints=(
        "Under H0 both arms share one conversion rate: estimate it from both arms together "
        "(the pooled rate) and use it in the standard error.",
        "Under H0 the variance of p_b - p_a is p(1 - p)(1/n_a + 1/n_b); the p-value is the "
        "probability of a |z| at least this large under N(0, 1), in either direction.",
        "p_value = 2 * scipy.stats.norm.sf(abs(z)). Test se == 0 before dividing.",
    ),
    reference=two_proportion_ztest,
    graders=(
        against_reference("matches the pooled z-test", _arms(), two_proportion_ztest, names=_ARMS),
        property_holds("swapping the arms flips z, keeps p", _arms(), _ztest_swap, names=_ARMS),
        Grader("se = 0 gives (0.0, 1.0)", _ztest_edges),
    ),
    mistakes={"ztest-unpooled": _ztest_unpooled, "pvalue-one-sided": _ztest_one_sided},
    # b converts more than a, so z > 0: every one-tail p-value (sf(z), sf(|z|), 1 - cdf(z))
    # is the same number, and the arms differ in size and rate, so pooling matters.
    probes=lambda solution: [(30, 1_000, 60, 1_200), (5, 50, 20, 80), (200, 10_000, 260, 9_000)],
)

# --------------------------------------------------------------------------- welch_ttest


def welch_ttest(a, b):
    """Welch's t-test, two-sided: ``t = (m_a - m_b) / sqrt(s_a^2/n_a + s_b^2/n_b)``.

    Sample variances with ``ddof=1``; degrees of freedom by Welch-Satterthwaite,
    ``df = se^4 / ((s_a^2/n_a)^2/(n_a - 1) + (s_b^2/n_b)^2/(n_b - 1))``;
    ``p = 2 P(T_df > |t|)``. Calls :func:`mlhood.abtest.welch_ttest`.

    Examples
    --------
    >>> t, p = welch_ttest([5.1, 4.9, 6.2, 5.8, 6.0], [4.1, 4.4, 3.9, 4.8])
    >>> round(t, 3), round(p, 4)
    (4.044, 0.005)
    """
    result = abtest.welch_ttest(a, b)
    return result.statistic, result.pvalue


def _welch_one_sided(a, b):
    """Wrong: the p-value of the upper tail only, ``P(T > t)``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    var_a, var_b = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    t = (a.mean() - b.mean()) / math.sqrt(var_a + var_b)
    return t, student_t.sf(t, df)


def _two_samples(seed, n_a, n_b, shift, spread):
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 1.0, n_a), rng.normal(shift, spread, n_b)


_SAMPLES = st.builds(
    _two_samples,
    st.integers(0, 2**32 - 1),
    st.integers(2, 40),
    st.integers(2, 40),
    st.sampled_from([0.0, 0.3, 1.0, -2.0]),
    st.sampled_from([0.2, 1.0, 3.0]),
)


def _welch_affine(solution, args):
    a, b = args
    expected = to_tuple(call(solution, args), 2, "(t, p_value)")
    moved = to_tuple(call(solution, (3.0 * a - 7.0, 3.0 * b - 7.0)), 2, "(t, p_value)")
    assert_close(moved, expected, what="(t, p_value) after x -> 3x - 7 on both samples")
    return None


WELCH_TTEST = Exercise(
    id="welch_ttest",
    question="q06",
    title="Welch's t-test for a difference in means (two-sided)",
    signature="(a, b)",
    statement="""
Welch's t-test of H0: mean(a) = mean(b), two-sided, without assuming equal variances.

`a` and `b` are 1-D float arrays (at least 2 values each, not constant). With sample
means m, sample variances s^2 (ddof=1) and sizes n:

    se = sqrt(s_a^2 / n_a + s_b^2 / n_b),   t = (m_a - m_b) / se
    df = se^4 / ((s_a^2/n_a)^2 / (n_a - 1) + (s_b^2/n_b)^2 / (n_b - 1))

(Welch-Satterthwaite; df need not be an integer). The p-value is two-sided under
Student's t with df degrees of freedom. Return `(t, p_value)` as floats.
""",
    hints=(
        "Each arm keeps its own variance: the standard error adds the variances of the two "
        "means, s^2/n, without pooling them.",
        "The degrees of freedom come from the Welch-Satterthwaite formula: a float between "
        "min(n_a, n_b) - 1 and n_a + n_b - 2.",
        "Sample variances use ddof=1; p_value = 2 * scipy.stats.t.sf(abs(t), df).",
    ),
    reference=welch_ttest,
    graders=(
        against_reference("matches Welch's t-test", _SAMPLES, welch_ttest, names=("a", "b")),
        property_holds(
            "same answer after one affine change of units",
            _SAMPLES,
            _welch_affine,
            names=("a", "b"),
            max_examples=30,
        ),
    ),
    mistakes={"pvalue-one-sided": _welch_one_sided},
    probes=lambda solution: [
        (np.array([5.1, 4.9, 6.2, 5.8, 6.0]), np.array([4.1, 4.4, 3.9, 4.8])),
        (np.arange(10.0) + 1.0, np.arange(6.0) * 0.5),
    ],
)


EXERCISES = (TWO_PROPORTION_ZTEST, WELCH_TTEST)
