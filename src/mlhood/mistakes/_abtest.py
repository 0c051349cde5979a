"""Mistakes in the A/B-testing toolkit (:mod:`mlhood.abtest`), caught by lab q06."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from mlhood.mistakes._catalogue import mistake


@mistake(
    "ztest-unpooled",
    title="The two-proportion z-test uses the unpooled standard error",
    target="mlhood.abtest._proportions:pooled_z",
    labs=["q06"],
    explanation="""
The z-test divides the difference of rates by sqrt(p0(1-p0)/n0 + p1(1-p1)/n1), the
standard error of the confidence interval. But the test asks how surprising the difference
is if H0 (p0 = p1) holds, and under H0 both arms estimate one common rate: the standard
error must use the pooled rate p = (x0 + x1) / (n0 + n1). With unequal arms and a real
difference the two disagree, and z^2 no longer equals the chi-square statistic of the 2x2 table.
""",
)
def pooled_z(count_0, nobs_0, count_1, nobs_1):
    """Wrong: the Wald (unpooled) standard error in a test of H0: p0 = p1."""
    count_0, nobs_0, count_1, nobs_1 = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (count_0, nobs_0, count_1, nobs_1))
    )
    rate_0, rate_1 = count_0 / nobs_0, count_1 / nobs_1
    se = np.sqrt(rate_0 * (1 - rate_0) / nobs_0 + rate_1 * (1 - rate_1) / nobs_1)
    diff = rate_0 - rate_1
    return np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)


@mistake(
    "pvalue-one-sided",
    title="The two-sided test reports a one-sided p-value",
    target="mlhood.abtest._proportions:normal_pvalue",
    labs=["q06"],
    explanation="""
The two-sided p-value is P(|Z| >= |z|) = 2 (1 - Phi(|z|)); this version returns only one
tail, 1 - Phi(|z|), half the right value. Every difference looks twice as significant:
an A/A test rejects about 10% of the time at alpha = 5%, and peeking gets worse still.
Use one tail only when the direction was fixed before seeing the data, and then keep its sign.
""",
)
def normal_pvalue(z, alternative):
    """Wrong: the 'two-sided' p-value is the area of one tail."""
    if alternative == "smaller":
        return norm.cdf(z)
    if alternative == "larger":
        return norm.sf(z)
    return norm.sf(np.abs(z))


@mistake(
    "sample-size-ignores-allocation",
    title="The sample size of an unequal split uses the 50/50 formula",
    target="mlhood.abtest._power:normal_sample_size",
    labs=["q06"],
    explanation="""
The control arm gets the per-arm size of a 50/50 test, n = 2 (z_{1-alpha/2} + z_power)^2 / d^2,
whatever the ratio: the treatment arm then has ratio * n users and the test is badly
underpowered. The variance of a difference is sigma^2 (1/n_c + 1/n_t), so the right size is
n_c = (1 + 1/ratio) (z_{1-alpha/2} + z_power)^2 / d^2: a 90/10 split needs 2.8 times the users.
""",
)
def normal_sample_size(effect_size, alpha=0.05, power=0.8, ratio=1.0, alternative="two-sided"):
    """Wrong: the 50/50 size per arm, whatever the split."""
    crit = norm.ppf(1 - alpha / 2) if alternative == "two-sided" else norm.ppf(1 - alpha)
    return 2.0 * (crit + norm.ppf(power)) ** 2 / effect_size**2


@mistake(
    "msprt-no-mixture",
    title="mSPRT plugs in the estimated effect instead of mixing over effects",
    target="mlhood.abtest._sequential:msprt_log_likelihood_ratio",
    labs=["q06"],
    explanation="""
The mixture SPRT averages the likelihood ratio over effects delta ~ N(0, tau^2), giving
sqrt(V / (V + n tau^2)) exp(n^2 tau^2 dbar^2 / (2 V (V + n tau^2))), a martingale under H0.
Plugging in the observed effect dbar instead gives the maximised ratio exp(n dbar^2 / (2 V))
= exp(z^2 / 2): "p < alpha" becomes |z| > 2.45 at every look, a constant bound that is
crossed far more often than alpha when you look every day. Average over the prior, never fit.
""",
)
def msprt_log_likelihood_ratio(n, mean_diff, variance, tau):
    """Wrong: the likelihood ratio at the observed effect, z^2 / 2, with no mixture."""
    n = np.asarray(n, dtype=float)
    variance = np.asarray(variance, dtype=float)
    safe = np.where(variance > 0, variance, 1.0)
    return np.where(variance > 0, n * mean_diff**2 / (2.0 * safe), 0.0)


@mistake(
    "alpha-spending-constant-bounds",
    title="Every interim look uses the fixed-horizon critical value 1.96",
    target="mlhood.abtest._sequential:group_sequential_bounds",
    labs=["q06"],
    explanation="""
A group-sequential plan must spend alpha across the looks: each look's bound is chosen so that
the probability of a first crossing there equals the alpha spent since the last look. Using
z = 1.96 at every look spends alpha = 5% at each of them, which is just peeking: with 20 looks
the false-positive rate is about 25%. O'Brien-Fleming bounds start near 4-5 and end near 2.
""",
)
def group_sequential_bounds(looks, alpha=0.05, spending="obrien-fleming", grid_size=401):
    """Wrong: the two-sided fixed-horizon critical value at every look."""
    count = int(looks) if np.ndim(looks) == 0 else len(looks)
    return np.full(count, norm.ppf(1 - alpha / 2))
