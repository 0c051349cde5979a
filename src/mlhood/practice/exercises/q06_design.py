"""Exercises for q06 (A/B testing), designing the test: sample size, sample-ratio check."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from scipy.stats import norm

from mlhood import abtest
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    assert_close,
    call,
    property_holds,
    to_float,
)

# ---------------------------------------------------------------- two_proportion_ztest

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


EXERCISES = (SAMPLE_SIZE_TWO_PROPORTIONS, SRM_PVALUE)
