"""mSPRT and group-sequential boundaries: closed forms, published values, simulation."""

import numpy as np
import pytest

from mlhood.abtest import alpha_spent, group_sequential_bounds, msprt_pvalue, msprt_test
from mlhood.abtest._sequential import msprt_log_likelihood_ratio


def test_msprt_likelihood_ratio_equals_numerical_mixture():
    # Lambda_n = int prod N(x_i; delta, V) / N(x_i; 0, V) dN(delta; 0, tau^2); in terms of
    # the sufficient statistic dbar ~ N(delta, V/n), integrate over delta numerically.
    n, dbar, V, tau = 400, 0.03, 0.2, 0.05
    delta = np.linspace(-1, 1, 200_001)
    ratio = np.exp(-n * (dbar - delta) ** 2 / (2 * V) + n * dbar**2 / (2 * V))
    prior = np.exp(-(delta**2) / (2 * tau**2)) / np.sqrt(2 * np.pi * tau**2)
    numeric = np.trapezoid(ratio * prior, delta)
    closed = np.exp(msprt_log_likelihood_ratio(n, dbar, V, tau))
    assert closed == pytest.approx(numeric, rel=1e-6)


def test_msprt_controls_false_positives_under_continuous_peeking():
    rng = np.random.default_rng(0)
    a = rng.random((1000, 3000)) < 0.1
    b = rng.random((1000, 3000)) < 0.1
    result = msprt_test(a, b, tau=0.02, alpha=0.05)
    assert result.rejected.mean() < 0.05
    # a fixed-horizon z-test checked after every 100 pairs would reject far more often
    n = np.arange(100, 3001, 100)
    diff = (np.cumsum(b, 1) - np.cumsum(a, 1))[:, n - 1] / n
    pooled = (np.cumsum(a, 1) + np.cumsum(b, 1))[:, n - 1] / (2 * n)
    z = diff / np.sqrt(pooled * (1 - pooled) * 2 / n)
    assert (np.abs(z) > 1.96).any(axis=1).mean() > 0.15


def test_msprt_detects_a_real_effect_and_pvalues_never_increase():
    rng = np.random.default_rng(1)
    a = rng.random(30_000) < 0.10
    b = rng.random(30_000) < 0.13
    result = msprt_test(a, b, tau=0.03)
    assert result.rejected and 0 <= result.stop_index < 30_000
    assert np.all(np.diff(result.pvalues) <= 0)
    known = msprt_test(a, b, tau=0.03, variance=0.09 + 0.13 * 0.87)
    assert known.rejected


def test_msprt_bad_input():
    with pytest.raises(ValueError, match="same shape"):
        msprt_test(np.zeros(5), np.zeros(6), tau=0.1)
    with pytest.raises(ValueError, match="tau"):
        msprt_test(np.zeros(5), np.zeros(5), tau=0.0)
    with pytest.raises(ValueError, match="finite"):
        msprt_test(np.r_[0.0, np.nan], np.zeros(2), tau=0.1)


def test_group_sequential_bounds_match_published_tables():
    # Lan-DeMets O'Brien-Fleming-type and Pocock-type, 5 equally spaced looks,
    # two-sided alpha 0.05 (as tabulated by gsDesign / rpact).
    np.testing.assert_allclose(
        group_sequential_bounds(5), [4.877, 3.357, 2.680, 2.290, 2.031], atol=2e-3
    )
    np.testing.assert_allclose(
        group_sequential_bounds(5, spending="pocock"),
        [2.438, 2.427, 2.410, 2.397, 2.386],
        atol=2e-3,
    )
    assert group_sequential_bounds(1)[0] == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize("spending", ["obrien-fleming", "pocock"])
@pytest.mark.parametrize("looks", [4, [0.2, 0.5, 0.9, 1.0]])
def test_group_sequential_overall_alpha_by_simulation(spending, looks):
    t = np.arange(1, looks + 1) / looks if np.ndim(looks) == 0 else np.asarray(looks)
    bounds = group_sequential_bounds(looks, spending=spending)
    rng = np.random.default_rng(2)
    increments = rng.normal(size=(400_000, t.size)) * np.sqrt(np.diff(t, prepend=0.0))
    z = np.cumsum(increments, axis=1) / np.sqrt(t)
    crossed = np.abs(z) >= bounds
    assert crossed.any(axis=1).mean() == pytest.approx(0.05, abs=0.0015)
    # alpha is spent as planned at each look
    first = np.where(crossed.any(axis=1), crossed.argmax(axis=1), -1)
    spent = np.array([(first == k).mean() for k in range(t.size)])
    np.testing.assert_allclose(np.cumsum(spent), alpha_spent(t, spending=spending), atol=0.0015)


def test_alpha_spent_ends_at_alpha():
    for spending in ("obrien-fleming", "pocock"):
        assert alpha_spent(1.0, 0.05, spending) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="spending"):
        alpha_spent(0.5, spending="linear")
    with pytest.raises(ValueError, match="fractions"):
        group_sequential_bounds([0.5, 0.4, 1.0])
    with pytest.raises(ValueError, match="looks"):
        group_sequential_bounds(0)


def test_msprt_pvalue_from_sums_equals_the_streaming_test():
    rng = np.random.default_rng(3)
    a = (rng.random(500) < 0.2).astype(float)
    b = (rng.random(500) < 0.3).astype(float)
    n = np.arange(1, 501)
    mean_diff = (np.cumsum(b) - np.cumsum(a)) / n
    from_sums = np.minimum.accumulate(msprt_pvalue(n, mean_diff, 0.37, tau=0.1))
    stream = msprt_test(a, b, tau=0.1, variance=0.37).pvalues
    np.testing.assert_allclose(from_sums, stream, rtol=1e-12)
    # looking only every 50 pairs can only give larger (more conservative) p-values
    looks = np.minimum.accumulate(msprt_pvalue(n[49::50], mean_diff[49::50], 0.37, tau=0.1))
    assert np.all(looks >= stream[49::50] - 1e-15)
