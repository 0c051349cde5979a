"""Lab q06's peeking experiments: daily looks, alpha-spending bounds and mSPRT, simulated.

Also holds the constants shared by the lab (alpha, conversion rates, looks).
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, stats

from mlhood.abtest import (
    alpha_spent,
    group_sequential_bounds,
    msprt_pvalue,
    proportions_ztest_many,
)
from mlhood.labs._result import Check, Claim

ALPHA = 0.05
BASE, LIFTED = 0.10, 0.12  # conversion rates of the running example
PEEK_LIFT = 0.112  # the real effect of the peeking experiments (fixed-horizon power ~0.8)
TAU = 0.01  # mSPRT mixture SD: effects of about one percentage point
DAYS, PER_DAY = 20, 500  # peeking experiments: 20 daily looks, 500 new users per arm a day
LOOKS = (1, 2, 5, 10, 20)
# P(|Z| >= 1.96 at one of K equally spaced looks) when H0 holds (Armitage, McPherson &
# Rowe 1969, Table 2): the known size of "peek K times at the fixed-horizon test".
REPEATED_LOOKS_SIZE = {1: 0.05, 2: 0.083, 5: 0.142, 10: 0.193, 20: 0.248}
# Lan-DeMets bounds for 5 equally spaced looks, two-sided alpha 0.05 (gsDesign, rpact).
PUBLISHED_BOUNDS = {
    "obrien-fleming": (4.877, 3.357, 2.680, 2.290, 2.031),
    "pocock": (2.438, 2.427, 2.410, 2.397, 2.386),
}


def five_se_band(rate, n):
    """Five binomial standard errors around ``rate`` with ``n`` simulated experiments."""
    return 5.0 * np.sqrt(rate * (1.0 - rate) / n)


def rate_check(name, rate, expected, n):
    """A check that a rate simulated ``n`` times is within five standard errors of ``expected``."""
    return Check(name, abs(rate - expected), "<", five_se_band(expected, n))


def bounds_by_looks():
    """z critical values per procedure for each number of equally spaced looks."""
    return {
        looks: {
            "O'Brien-Fleming": group_sequential_bounds(looks, ALPHA, "obrien-fleming"),
            "Pocock": group_sequential_bounds(looks, ALPHA, "pocock"),
        }
        for looks in LOOKS
    }


def peeking(rng, n_experiments, p_treatment, bounds):
    """Daily looks at cumulative data of many experiments; which procedures reject when."""
    shape = (n_experiments, DAYS)
    conv_a = np.cumsum(rng.binomial(PER_DAY, BASE, shape), axis=1)
    conv_b = np.cumsum(rng.binomial(PER_DAY, p_treatment, shape), axis=1)
    n = PER_DAY * np.arange(1, DAYS + 1)
    z, pvalues = proportions_ztest_many(conv_b, n, conv_a, n)
    rate_a, rate_b = conv_a / n, conv_b / n
    variance = rate_a * (1 - rate_a) + rate_b * (1 - rate_b)
    msprt = np.minimum.accumulate(msprt_pvalue(n, rate_b - rate_a, variance, TAU), axis=1)
    outcomes = {}
    for looks in LOOKS:
        idx = np.arange(DAYS // looks - 1, DAYS, DAYS // looks)
        outcomes[("naive peeking", looks)] = _summarise(pvalues[:, idx] < ALPHA, idx)
        for name, bound in bounds[looks].items():
            outcomes[(name, looks)] = _summarise(np.abs(z[:, idx]) >= bound, idx)
        outcomes[("mSPRT", looks)] = _summarise(msprt[:, idx] < ALPHA, idx)
    return outcomes


def _summarise(hit, idx):
    rejected = hit.any(axis=1)
    stop_day = np.where(rejected, idx[hit.argmax(axis=1)] + 1, idx[-1] + 1)
    return {"rate": float(rejected.mean()), "mean_stop_day": float(stop_day.mean())}


def spending_check(rng, n_paths):
    """Brownian paths under H0: the first-crossing rate by look k equals alpha_spent(t_k)."""
    looks = len(PUBLISHED_BOUNDS["pocock"])
    t = np.arange(1, looks + 1) / looks
    z = np.cumsum(rng.standard_normal((n_paths, looks)), axis=1) / np.sqrt(np.arange(1, looks + 1))
    worst, crossed, table_gap = {}, {}, 0.0
    for spending, published in PUBLISHED_BOUNDS.items():
        bound = group_sequential_bounds(looks, ALPHA, spending)
        table_gap = max(table_gap, float(np.max(np.abs(bound - published))))
        cumulative = np.logical_or.accumulate(np.abs(z) >= bound, axis=1).mean(axis=0)
        crossed[spending] = cumulative.round(4).tolist()
        worst[spending] = float(np.max(np.abs(cumulative - alpha_spent(t, ALPHA, spending))))
    return Claim(
        f"The group-sequential bounds spend alpha as planned: over {looks} looks at "
        "simulated Brownian paths under H0, the share that has crossed by look k equals "
        "the Lan-DeMets spending function alpha(t_k), and the bounds are the published ones.",
        {
            "paths": n_paths,
            "cumulative_crossing": crossed,
            "alpha_spent_obf": alpha_spent(t).round(4),
        },
        checks=[
            Check(f"max |crossed - alpha(t)|, {name}", value, "<", five_se_band(ALPHA, n_paths))
            for name, value in worst.items()
        ]
        + [Check("max |bound - published table|", table_gap, "<", 0.002)],
        catches=["alpha-spending-constant-bounds"],
    )


def _mixture_gap():
    """Largest relative gap between ``msprt_pvalue`` and ``1 / Lambda`` by quadrature.

    ``Lambda = E_{delta ~ N(0, tau^2)} [L(delta) / L(0)]`` with the mean difference
    ``dbar ~ N(delta, V / n)``, integrated numerically for a few (n, dbar) pairs.
    """
    variance, gaps = BASE * (1 - BASE) + PEEK_LIFT * (1 - PEEK_LIFT), []
    for n, dbar in ((500, 0.004), (2_000, -0.01), (10_000, 0.012), (10_000, 0.0)):
        se2 = variance / n

        def ratio(delta, dbar=dbar, se2=se2):
            log_ratio = (2 * delta * dbar - delta**2) / (2 * se2)
            return np.exp(log_ratio) * stats.norm.pdf(delta, 0.0, TAU)

        lam = integrate.quad(ratio, -10 * TAU, 10 * TAU, points=[0.0, dbar], epsabs=0)[0]
        p = float(msprt_pvalue(n, dbar, variance, TAU))
        gaps.append(abs(p / min(1.0, 1.0 / lam) - 1))
    return max(gaps)


def peeking_claims(null, effect, n_peek):
    naive, fixed = null[("naive peeking", DAYS)]["rate"], null[("naive peeking", 1)]["rate"]
    known = REPEATED_LOOKS_SIZE[DAYS]
    peek_claim = Claim(
        f"Looking every day for {DAYS} days and stopping at the first p < 0.05 makes the "
        f"false-positive rate about {known:.0%} (the known size of {DAYS} repeated looks), "
        "while the single look at the end stays at alpha.",
        {"experiments": n_peek, "fixed_horizon_rate": fixed, "daily_peeking_rate": naive},
        checks=[
            rate_check("|daily peeking rate - 0.248|", naive, known, n_peek),
            rate_check("|fixed horizon rate - alpha|", fixed, ALPHA, n_peek),
        ],
        catches=["pvalue-one-sided"],
    )
    sequential = {
        name: null[(name, DAYS)]["rate"] for name in ("mSPRT", "O'Brien-Fleming", "Pocock")
    }
    fix_claim = Claim(
        "Sequential tests fix it: with the same daily looks, mSPRT stays below alpha "
        "and the alpha-spending plans stay at alpha. (The mSPRT p-value is 1 / Lambda, "
        "Lambda the likelihood ratio averaged over effects ~ N(0, tau^2), checked by "
        "numerical integration.)",
        {"false_positive_rate": sequential, "alpha": ALPHA},
        checks=[
            Check("max relative |p - 1 / integrated Lambda|", _mixture_gap(), "<", 1e-6),
            Check("mSPRT false-positive rate", sequential["mSPRT"], "<", ALPHA),
            rate_check(
                "|O'Brien-Fleming rate - alpha|", sequential["O'Brien-Fleming"], ALPHA, n_peek
            ),
            rate_check("|Pocock rate - alpha|", sequential["Pocock"], ALPHA, n_peek),
        ],
        catches=["msprt-no-mixture", "alpha-spending-constant-bounds"],
    )
    fixed_power = effect[("naive peeking", 1)]["rate"]
    obf, msprt = effect[("O'Brien-Fleming", DAYS)], effect[("mSPRT", DAYS)]
    cost_claim = Claim(
        f"With a real effect (10% -> {PEEK_LIFT:.1%}), O'Brien-Fleming keeps the fixed test's "
        "power (losing at most 4 points, gaining none) and stops earlier on average; mSPRT "
        "pays for looking any time with clearly less power (but still finds the effect).",
        {
            "fixed_power": fixed_power,
            "obrien_fleming_power": obf["rate"],
            "obrien_fleming_mean_stop_day": obf["mean_stop_day"],
            "msprt_power": msprt["rate"],
            "msprt_mean_stop_day": msprt["mean_stop_day"],
        },
        checks=[
            Check("O'Brien-Fleming power - fixed power", obf["rate"] - fixed_power, ">", -0.04),
            Check("O'Brien-Fleming power gain", obf["rate"] - fixed_power, "<", 0.005),
            Check("O'Brien-Fleming mean stop day", obf["mean_stop_day"], "<", DAYS - 2),
            Check("mSPRT power - fixed power", msprt["rate"] - fixed_power, "<", -0.15),
            Check("mSPRT power", msprt["rate"], ">", 0.3),
        ],
        catches=["msprt-no-mixture", "alpha-spending-constant-bounds", "pvalue-one-sided"],
    )
    return [peek_claim, fix_claim, cost_claim]
