"""Independent correct solutions for q06, written from the formulas (not via mlhood.abtest)."""

import math

import numpy as np
from scipy import stats


def two_proportion_ztest(successes_a, n_a, successes_b, n_b):
    # the pooled rate from the counts; p-value from the complementary error function
    pooled = (successes_a + successes_b) / (n_a + n_b)
    variance = pooled * (1.0 - pooled) * (1.0 / n_a + 1.0 / n_b)
    if variance <= 0.0:
        return [0.0, 1.0]
    z = (successes_b / n_b - successes_a / n_a) / math.sqrt(variance)
    return [z, math.erfc(abs(z) / math.sqrt(2.0))]


def welch_ttest(a, b):
    # sums by hand, two-sided p-value as the mass of both tails of Student's t
    a = [float(v) for v in a]
    b = [float(v) for v in b]
    moments = []
    for sample in (a, b):
        n = len(sample)
        mean = sum(sample) / n
        variance = sum((v - mean) ** 2 for v in sample) / (n - 1)
        moments.append((n, mean, variance / n))
    (n_a, m_a, v_a), (n_b, m_b, v_b) = moments
    t = (m_a - m_b) / math.sqrt(v_a + v_b)
    df = (v_a + v_b) ** 2 / (v_a**2 / (n_a - 1) + v_b**2 / (n_b - 1))
    return t, float(stats.t.cdf(-abs(t), df) * 2)


def sample_size_two_proportions(p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0):
    # the square root of n from the standardised effect, then squared
    z_alpha = stats.norm.isf(alpha / 2)
    z_power = stats.norm.isf(1 - power)
    spread = math.sqrt(p_control * (1 - p_control) + p_treatment * (1 - p_treatment) / ratio)
    root_n = (z_alpha + z_power) * spread / abs(p_treatment - p_control)
    return int(np.ceil(root_n**2))


def srm_pvalue(observed_counts, expected_shares):
    observed = np.asarray(observed_counts, dtype=float)
    expected = observed.sum() * np.asarray(expected_shares, dtype=float)
    expected /= np.sum(expected_shares)
    statistic, pvalue = stats.chisquare(observed, expected)
    return pvalue
