"""Exercises for q06 (A/B testing): z-test, Welch's t-test, sample size, sample-ratio check."""

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

# ------------------------------------------------------------- sample_size_two_proportions


def _raw_size(p_control, p_treatment, alpha, power, ratio):
    """``(z_{1-alpha/2} + z_power)^2 (p_c q_c + p_t q_t / ratio) / (p_t - p_c)^2``, unrounded."""
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    variance = p_control * (1 - p_control) + p_treatment * (1 - p_treatment) / ratio
    return z**2 * variance / (p_treatment - p_control) ** 2


def sample_size_two_proportions(p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0):
    """Control-arm users: ``ceil((z_{1-a/2} + z_pow)^2 (p_c q_c + p_t q_t / r) / (p_t - p_c)^2)``.

    With ``q = 1 - p`` and ``r = n_t / n_c``: the textbook normal approximation with each
    arm's own variance. The difference of the rates has standard error
    ``se = sqrt(p_c q_c / n_c + p_t q_t / (r n_c))``; the test rejects when the observed
    difference exceeds ``z_{1-alpha/2} se``, which happens with probability ``power`` when
    the true difference is ``(z_{1-alpha/2} + z_power) se``; solve for ``n_c``. An unequal
    split (r far from 1) needs many more users in all. (mlhood's
    :func:`mlhood.abtest.sample_size_proportions` uses Cohen's arcsine effect size and
    asks a few users fewer.)

    Examples
    --------
    >>> sample_size_two_proportions(0.10, 0.12)
    3839
    >>> sample_size_two_proportions(0.10, 0.12, ratio=1 / 9)  # a 90/10 split
    20415
    """
    return math.ceil(_raw_size(p_control, p_treatment, alpha, power, ratio))


def _size_ignores_ratio(p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0):
    """Wrong: the per-arm size of a 50/50 test, whatever the allocation ratio."""
    return math.ceil(_raw_size(p_control, p_treatment, alpha, power, 1.0))


_SIZE_ARGS = ("p_control", "p_treatment", "alpha", "power", "ratio")


@st.composite
def _size_cases(draw):
    p_control = draw(st.integers(1, 95)) / 100
    lift = draw(st.sampled_from([-0.3, -0.05, -0.01, 0.005, 0.02, 0.1, 0.25]))
    p_treatment = min(max(p_control + lift, 0.005), 0.995)
    if p_treatment == p_control:
        p_treatment = p_control + 0.004
    return (
        p_control,
        p_treatment,
        draw(st.sampled_from([0.01, 0.05, 0.1])),
        draw(st.sampled_from([0.8, 0.9, 0.95])),
        draw(st.sampled_from([1.0, 1.0, 0.25, 1 / 9, 9.0, 2.0])),
    )


def _size_matches(solution, args):
    got = call(solution, args)
    if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
        return f"return an int (control-arm users), got {type(got).__name__}"
    if got != round(got):
        return f"round up to a whole number of users, got {got!r}"
    raw = _raw_size(*args)
    accepted = {math.ceil(raw - 1e-6), math.ceil(raw + 1e-6)}  # a rounding-error margin
    if int(got) not in accepted:
        return f"expected {sample_size_two_proportions(*args)} control users, got {int(got)}"
    return None


SAMPLE_SIZE_TWO_PROPORTIONS = Exercise(
    id="sample_size_two_proportions",
    question="q06",
    title="Users needed to detect a change in conversion rate (any allocation)",
    signature="(p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0)",
    statement="""
Users needed in the CONTROL arm to detect a change of conversion rate from `p_control`
to `p_treatment` with a two-sided test at level `alpha` and the given `power`, when the
treatment arm gets `ratio` times as many users as control (ratio = n_t / n_c > 0; 1 is a
50/50 split, 1/9 a 90/10 split). 0 < p < 1, p_control != p_treatment. Use the normal
approximation with each arm's own variance:

    n_c = (z_{1 - alpha/2} + z_{power})^2 * (p_c (1 - p_c) + p_t (1 - p_t) / ratio)
          / (p_t - p_c)^2

where z_q is the standard normal quantile (scipy.stats.norm.ppf(q)). Return n_c rounded
up, as an int.
""",
    hints=(
        "The test must clear the critical value z_{1-alpha/2}, and with probability `power` "
        "the observed difference lands beyond it: the two quantiles add up.",
        "With n_c control and ratio * n_c treatment users, the standard error of the "
        "difference is sqrt(p_c(1-p_c)/n_c + p_t(1-p_t)/(ratio n_c)); solve "
        "|p_t - p_c| / se = z_{1-alpha/2} + z_power for n_c.",
        "Two-sided puts alpha/2 in each tail: norm.ppf(1 - alpha / 2). Divide only the "
        "treatment arm's variance by ratio, and round up with math.ceil.",
    ),
    reference=sample_size_two_proportions,
    graders=(
        property_holds(
            "the control-arm users of the formula",
            _size_cases(),
            _size_matches,
            names=_SIZE_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={"sample-size-ignores-allocation": _size_ignores_ratio},
    probes=lambda solution: [(0.10, 0.12, 0.05, 0.8, 1 / 9), (0.3, 0.25, 0.01, 0.9, 4.0)],
)

# --------------------------------------------------------------------------- srm_pvalue


def srm_pvalue(observed_counts, expected_shares):
    """P-value of Pearson's goodness of fit of the arm sizes to the designed split.

    ``E_i = N s_i`` (shares normalised to sum to 1), ``X^2 = sum (O_i - E_i)^2 / E_i``,
    ``p = P(chi2_{k-1} >= X^2)``. Calls :func:`mlhood.abtest.srm_test`.

    Examples
    --------
    >>> f"{srm_pvalue([600, 400], [0.5, 0.5]):.3g}"
    '2.54e-10'
    """
    return abtest.srm_test(observed_counts, expected_shares).pvalue


def _srm_case(seed, shares, total, skew):
    rng = np.random.default_rng(seed)
    shares = np.asarray(shares, dtype=float)
    drawn = shares * np.exp(skew * rng.normal(size=shares.size))
    return rng.multinomial(total, drawn / drawn.sum()), shares


_SRM_CASES = st.builds(
    _srm_case,
    st.integers(0, 2**32 - 1),
    st.lists(st.integers(1, 9), min_size=2, max_size=5),
    st.integers(20, 200_000),
    st.sampled_from([0.0, 0.02, 0.3]),
)


def _srm_invariances(solution, args):
    counts, shares = args
    pvalue = to_float(call(solution, args), "p_value")
    order = np.arange(len(counts))[::-1]
    again = call(solution, (counts[order], 3.0 * shares[order]))
    assert_close(again, pvalue, what="p_value with the arms reversed and the shares tripled")
    exact = call(solution, (shares * 1000, shares))
    assert_close(exact, 1.0, what="p_value when the counts are exactly the designed split")
    return None


SRM_PVALUE = Exercise(
    id="srm_pvalue",
    question="q06",
    title="Sample-ratio mismatch: chi-square p-value of the split",
    signature="(observed_counts, expected_shares)",
    statement="""
Sample-ratio-mismatch check: did the randomiser split users as designed?

`observed_counts` holds the users per arm (k >= 2 non-negative integers, not all zero),
`expected_shares` the designed share of each arm (positive; normalise them to sum to 1).
With N users in total the expected counts are E_i = N * share_i, and Pearson's statistic

    X^2 = sum_i (O_i - E_i)^2 / E_i

follows a chi-square law with k - 1 degrees of freedom under a correct split. Return the
p-value P(chi2_{k-1} >= X^2) as a float.
""",
    hints=(
        "This is a goodness-of-fit test: compare the counts you observed with the counts the "
        "design predicts for the same total number of users.",
        "The shares need not sum to 1 (e.g. [1, 1] for a 50/50 split): divide by their sum.",
        "k arms give k - 1 degrees of freedom (the counts must add up to N); the p-value is "
        "scipy.stats.chi2.sf(statistic, k - 1).",
    ),
    reference=srm_pvalue,
    graders=(
        against_reference(
            "matches the chi-square goodness of fit",
            _SRM_CASES,
            srm_pvalue,
            names=("observed_counts", "expected_shares"),
            max_examples=30,
        ),
        property_holds(
            "arm order and share scale do not matter; an exact split gives 1",
            _SRM_CASES,
            _srm_invariances,
            names=("observed_counts", "expected_shares"),
            max_examples=30,
        ),
    ),
)

EXERCISES = (TWO_PROPORTION_ZTEST, WELCH_TTEST, SAMPLE_SIZE_TWO_PROPORTIONS, SRM_PVALUE)
