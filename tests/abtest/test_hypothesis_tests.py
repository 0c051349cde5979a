"""z-test, chi-square, Welch and SRM against statsmodels and SciPy."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep
from statsmodels.stats.proportion import proportions_ztest as sm_ztest
from statsmodels.stats.weightstats import ttest_ind as sm_ttest_ind

from mlhood.abtest import (
    confint_difference,
    confint_lift,
    proportions_chisquare,
    proportions_ztest,
    srm_test,
    welch_ttest,
)


def test_required_ztest_numbers():
    z, p = proportions_ztest([120, 100], [10_000, 10_000])
    assert round(z, 3) == 1.356
    assert round(p, 3) == 0.175


def test_required_srm_numbers():
    result = srm_test([600, 400], [0.5, 0.5])
    assert f"{result.pvalue:.3g}" == "2.54e-10"
    assert result.statistic == pytest.approx(40.0)
    assert result.mismatch


@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
@pytest.mark.parametrize(
    ("counts", "nobs"), [([120, 100], [10_000, 10_000]), ([30, 55], [400, 900]), ([5, 0], [9, 7])]
)
def test_ztest_matches_statsmodels(counts, nobs, alternative):
    ours = proportions_ztest(counts, nobs, alternative=alternative)
    z, p = sm_ztest(np.array(counts), np.array(nobs), alternative=alternative)
    assert ours.statistic == pytest.approx(z, rel=1e-12)
    assert ours.pvalue == pytest.approx(p, rel=1e-10)


@pytest.mark.parametrize(
    ("counts", "nobs"), [([120, 100], [10_000, 10_000]), ([30, 55], [400, 900])]
)
def test_intervals_match_statsmodels(counts, nobs):
    low, high = confint_proportions_2indep(
        counts[0], nobs[0], counts[1], nobs[1], method="wald", compare="diff"
    )
    np.testing.assert_allclose(confint_difference(counts, nobs), [low, high], rtol=1e-10)
    low, high = confint_proportions_2indep(
        counts[0], nobs[0], counts[1], nobs[1], method="log", compare="ratio"
    )
    np.testing.assert_allclose(confint_lift(counts, nobs), [low - 1, high - 1], rtol=1e-10)
    ztest = proportions_ztest(counts, nobs, alpha=0.1)
    np.testing.assert_allclose(
        ztest.confidence_interval, confint_difference(counts, nobs, alpha=0.1)
    )


@pytest.mark.parametrize("correction", [False, True])
def test_chisquare_matches_scipy_contingency(correction):
    counts, nobs = np.array([120, 100]), np.array([10_000, 10_000])
    table = np.column_stack([counts, nobs - counts])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=correction)
    ours = proportions_chisquare(counts, nobs, correction=correction)
    assert ours.statistic == pytest.approx(chi2, rel=1e-12)
    assert ours.pvalue == pytest.approx(p, rel=1e-10)
    assert ours.df == dof
    if not correction:  # X^2 = z^2 with two arms
        assert ours.statistic == pytest.approx(proportions_ztest(counts, nobs).statistic ** 2)


def test_chisquare_many_arms_matches_scipy():
    counts, nobs = np.array([50, 61, 47, 80]), np.array([1000, 1010, 990, 1200])
    chi2, p, dof, _ = stats.chi2_contingency(np.column_stack([counts, nobs - counts]))
    ours = proportions_chisquare(counts, nobs)
    assert (ours.statistic, ours.pvalue, ours.df) == pytest.approx((chi2, p, dof))


@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_welch_matches_scipy_and_statsmodels(alternative):
    rng = np.random.default_rng(0)
    a = rng.normal(10.0, 3.0, size=57)
    b = rng.normal(9.0, 1.0, size=130)
    ours = welch_ttest(a, b, alternative=alternative)
    ref = stats.ttest_ind(
        a,
        b,
        equal_var=False,
        alternative={"larger": "greater", "smaller": "less"}.get(alternative, alternative),
    )
    assert ours.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert ours.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    t, p, df = sm_ttest_ind(a, b, usevar="unequal", alternative=alternative)
    assert (ours.statistic, ours.pvalue, ours.df) == pytest.approx((t, p, df), rel=1e-10)
    low, high = ref.confidence_interval(0.95) if alternative == "two-sided" else (None, None)
    if low is not None:
        np.testing.assert_allclose(ours.confidence_interval, [low, high], rtol=1e-10)


@pytest.mark.parametrize(
    ("observed", "shares"),
    [([600, 400], [0.5, 0.5]), ([9120, 880], [0.9, 0.1]), ([330, 360, 310], [1, 1, 1])],
)
def test_srm_matches_scipy_chisquare(observed, shares):
    shares = np.asarray(shares, dtype=float)
    expected = np.sum(observed) * shares / shares.sum()
    ref = stats.chisquare(observed, expected)
    ours = srm_test(observed, shares)
    assert (ours.statistic, ours.pvalue) == pytest.approx((ref.statistic, ref.pvalue))


@pytest.mark.parametrize(
    ("counts", "nobs", "message"),
    [
        ([-1, 5], [10, 10], "non-negative"),
        ([5, 5], [10, -10], "non-negative"),
        ([5, 5], [10, 0], "zero users"),
        ([11, 5], [10, 10], "exceed"),
        ([1.5, 5], [10, 10], "whole"),
        ([5, 5, 5], [10, 10], "same length"),
        ([5, np.nan], [10, 10], "finite"),
    ],
)
def test_bad_counts(counts, nobs, message):
    with pytest.raises(ValueError, match=message):
        proportions_ztest(counts, nobs)


def test_bad_options():
    with pytest.raises(ValueError, match="alternative"):
        proportions_ztest([1, 2], [10, 10], alternative="bigger")
    with pytest.raises(ValueError, match="alpha"):
        confint_difference([1, 2], [10, 10], alpha=1.5)
    with pytest.raises(ValueError, match="at least one conversion"):
        confint_lift([0, 2], [10, 10])
    with pytest.raises(ValueError, match="at least 2"):
        welch_ttest([1.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="NaN"):
        welch_ttest([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        welch_ttest([1.0, 1.0], [2.0, 2.0])
    with pytest.raises(ValueError, match="non-negative"):
        srm_test([-5, 10], [0.5, 0.5])
    with pytest.raises(ValueError, match="positive"):
        srm_test([5, 10], [1.0, 0.0])
    with pytest.raises(ValueError, match="all zero"):
        srm_test([0, 0], [0.5, 0.5])


def test_no_variation_gives_z_zero():
    result = proportions_ztest([0, 0], [100, 50])
    assert (result.statistic, result.pvalue) == (0.0, 1.0)


@settings(max_examples=25, deadline=None)
@given(
    n0=st.integers(1, 5000),
    n1=st.integers(1, 5000),
    f0=st.floats(0, 1),
    f1=st.floats(0, 1),
)
def test_ztest_matches_statsmodels_on_random_tables(n0, n1, f0, f1):
    counts = np.array([round(f0 * n0), round(f1 * n1)])
    nobs = np.array([n0, n1])
    ours = proportions_ztest(counts, nobs)
    pooled = counts.sum() / nobs.sum()
    if 0 < pooled < 1:
        z, p = sm_ztest(counts, nobs)
        assert ours.statistic == pytest.approx(z, rel=1e-9, abs=1e-12)
        assert ours.pvalue == pytest.approx(p, rel=1e-9, abs=1e-15)
    assert 0.0 <= ours.pvalue <= 1.0


@settings(max_examples=25, deadline=None)
@given(negative=st.integers(-10_000, -1), users=st.integers(1, 10_000))
def test_any_negative_count_is_rejected(negative, users):
    with pytest.raises(ValueError, match="non-negative"):
        proportions_ztest([negative, 5], [users, users + 5])
    with pytest.raises(ValueError, match="non-negative"):
        srm_test([negative, users], [0.5, 0.5])
