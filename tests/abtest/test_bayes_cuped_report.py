"""Beta-Binomial comparison, CUPED and the report object."""

import numpy as np
import pytest
from scipy.special import betaln

from mlhood.abtest import analyze_conversions, beta_binomial_test, cuped, welch_ttest


def prob_b_beats_a_closed_form(a_a, b_a, a_b, b_b):
    """Exact P(p_B > p_A) for integer a_b (Miller 2015): a finite sum of Beta functions."""
    i = np.arange(int(a_b))
    terms = betaln(a_a + i, b_a + b_b) - np.log(b_b + i) - betaln(1 + i, b_b) - betaln(a_a, b_a)
    return float(np.exp(terms).sum())


CASES = [([100, 120], [10_000, 10_000]), ([3, 7], [40, 35]), ([50, 45], [500, 520])]


@pytest.mark.parametrize(("counts", "nobs"), CASES)
def test_probability_b_beats_a_matches_closed_form(counts, nobs):
    result = beta_binomial_test(counts, nobs)
    exact = prob_b_beats_a_closed_form(*result.posterior_a, *result.posterior_b)
    assert result.prob_b_beats_a == pytest.approx(exact, abs=1e-8)


@pytest.mark.parametrize(("counts", "nobs"), CASES)
def test_expected_loss_matches_monte_carlo(counts, nobs):
    result = beta_binomial_test(counts, nobs, prior=(2.0, 3.0))
    assert result.posterior_a == (2.0 + counts[0], 3.0 + nobs[0] - counts[0])
    rng = np.random.default_rng(0)
    pa = rng.beta(*result.posterior_a, size=1_000_000)
    pb = rng.beta(*result.posterior_b, size=1_000_000)
    scale = np.sqrt(np.var(pa) + np.var(pb))
    assert result.expected_loss_b == pytest.approx(np.maximum(pa - pb, 0).mean(), abs=0.01 * scale)
    assert result.expected_loss_a == pytest.approx(np.maximum(pb - pa, 0).mean(), abs=0.01 * scale)
    assert result.prob_b_beats_a == pytest.approx((pb > pa).mean(), abs=2e-3)
    low, high = result.credible_b
    assert np.mean((pb > low) & (pb < high)) == pytest.approx(0.95, abs=2e-3)


def test_bayes_bad_prior():
    with pytest.raises(ValueError, match="prior"):
        beta_binomial_test([1, 2], [10, 10], prior=(0.0, 1.0))


def test_cuped_theta_is_ols_slope_and_reduction_is_r_squared():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, 5.0, size=4000)
    y = 3.0 + 0.8 * x + rng.normal(0, 4.0, size=4000)
    result = cuped(y, x)
    slope = np.polyfit(x, y, 1)[0]
    assert result.theta == pytest.approx(slope, rel=1e-10)
    assert result.variance_reduction == pytest.approx(np.corrcoef(x, y)[0, 1] ** 2, rel=1e-10)
    assert result.adjusted.mean() == pytest.approx(y.mean())


def test_cuped_keeps_the_effect_and_narrows_the_interval():
    rng = np.random.default_rng(1)
    n = 3000
    x = rng.normal(50, 10, size=2 * n)
    arm = np.r_[np.zeros(n), np.ones(n)].astype(bool)
    y = x + rng.normal(0, 5, size=2 * n) + 1.0 * arm
    adjusted = cuped(y, x).adjusted
    raw = welch_ttest(y[arm], y[~arm])
    cv = welch_ttest(adjusted[arm], adjusted[~arm])
    raw_width = np.diff(raw.confidence_interval)[0]
    cv_width = np.diff(cv.confidence_interval)[0]
    assert cv_width < 0.5 * raw_width
    assert abs(cv.estimate - 1.0) < 0.5
    assert cv.confidence_interval[0] < 1.0 < cv.confidence_interval[1]


def test_cuped_bad_input():
    with pytest.raises(ValueError, match="same length"):
        cuped([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="constant"):
        cuped([1.0, 2.0, 3.0], [1.0, 1.0, 1.0])


def test_report_inconclusive_and_underpowered():
    report = analyze_conversions((100, 10_000), (120, 10_000), mde=0.1)
    assert report.decision == "inconclusive"
    assert round(report.ztest.statistic, 3) == 1.356  # treatment minus control
    assert report.lift == pytest.approx(0.2)
    assert report.power_at_mde < 0.8
    text = report.summary()
    for fragment in ("1.00%", "1.20%", "+0.20 percentage points", "p = 0.175", "INCONCLUSIVE"):
        assert fragment in text
    assert f"{report.users_needed:,}" in text


def test_report_ship_and_do_not_ship():
    assert analyze_conversions((400, 10_000), (600, 10_000)).decision == "ship"
    worse = analyze_conversions((600, 10_000), (400, 10_000))
    assert worse.decision == "do not ship"
    assert worse.bayes.prob_b_beats_a < 0.001


def test_report_flags_sample_ratio_mismatch():
    report = analyze_conversions((60, 6000), (50, 4000))
    assert report.srm.mismatch
    assert report.decision.startswith("invalid")
    assert "Sample ratio check FAILED" in report.summary()
    designed = analyze_conversions((60, 6000), (50, 4000), expected_shares=(0.6, 0.4))
    assert not designed.srm.mismatch


def test_report_rejects_an_empty_arm():
    with pytest.raises(ValueError, match="zero users"):
        analyze_conversions((0, 0), (5, 100))
