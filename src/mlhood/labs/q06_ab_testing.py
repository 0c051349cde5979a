"""q06 - What is the goal of A/B testing? Tests, power, unequal splits and peeking, simulated."""

from __future__ import annotations

import numpy as np
from scipy import stats

from mlhood.abtest import (
    analyze_conversions,
    power_proportions,
    proportions_ztest,
    proportions_ztest_many,
    sample_size_proportions,
    srm_test,
)
from mlhood.labs._q06_figures import aa_figure, peeking_figure, split_figure
from mlhood.labs._q06_peeking import (
    ALPHA,
    BASE,
    DAYS,
    LIFTED,
    PEEK_LIFT,
    REPEATED_LOOKS_SIZE,
    bounds_by_looks,
    peeking,
    peeking_claims,
    rate_check,
    spending_check,
)
from mlhood.labs._result import Check, Claim, LabResult, timed

QUESTION = "What is the goal of A/B testing, and how do you run one without fooling yourself?"

ANSWER = """\
An A/B test is a **randomised controlled experiment**: users are split at random between
the current version (A, control) and a change (B, treatment), so the only systematic
difference between the groups is the change, and a difference in the outcome can be
attributed to it. The goal is a *decision* (ship B or not) with known error rates: a
false-positive rate alpha (shipping a change that does nothing) and a power (catching a
change that really works).

- **Plan first**: pick the metric, alpha, the smallest effect worth detecting and the
  power, and compute the users needed (10% -> 12% conversion at alpha = 0.05 and 80% power
  needs 3,835 users per arm).
- **Test**: two-proportion z-test (pooled variance under H0, two-sided unless the
  direction was fixed in advance) or chi-square for rates, Welch's t-test for means;
  report the confidence interval of the difference and of the relative lift, not only p.
- **Check the split**: a sample-ratio-mismatch test (600 vs 400 users under a 50/50
  design gives p = 2.5e-10) says the randomisation or logging is broken, and then no
  result can be trusted.
- **Equal splits are cheapest**: a 90/10 split needs about 2.8 times as many users as
  50/50 for the same power, (1 + r)^2 / (4 r) with r = 1/9.
- **Do not peek** with a fixed-horizon test: stopping at the first p < 0.05 while looking
  every day for 20 days makes the false-positive rate about 25%, not 5%. If you must look,
  use a sequential test: always-valid p-values (mSPRT) or a group-sequential
  alpha-spending plan (O'Brien-Fleming, Pocock), which keep the false-positive rate at
  alpha.
"""


def _closed_form_n(ratio, alpha=ALPHA, power=0.8):
    """Control users for 10% -> 12%: ``(1 + 1/r) (z_{1-alpha/2} + z_power)^2 / h^2``."""
    h = 2 * np.arcsin(np.sqrt(LIFTED)) - 2 * np.arcsin(np.sqrt(BASE))
    return (1 + 1 / ratio) * (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) ** 2 / h**2


def reference_check(tables):
    """The library against independent computations (SciPy's tests, closed forms)."""
    z, p = proportions_ztest_many(tables[:, 1], tables[:, 3], tables[:, 0], tables[:, 2])
    chi2 = [
        stats.chi2_contingency(np.array([[x0, n0 - x0], [x1, n1 - x1]]), correction=False)
        for x0, x1, n0, n1 in tables
    ]
    z_err = max(abs(zi**2 - c.statistic) / c.statistic for zi, c in zip(z, chi2))
    p_err = max(abs(pi - c.pvalue) for pi, c in zip(p, chi2))
    textbook = proportions_ztest([120, 100], [10_000, 10_000])
    srm = srm_test([600, 400], [0.5, 0.5])
    srm_err = abs(srm.pvalue / stats.chisquare([600, 400]).pvalue - 1)
    n_err = max(
        abs(sample_size_proportions(BASE, LIFTED, ratio=r) - _closed_form_n(r)) for r in (1, 1 / 9)
    )
    report = analyze_conversions((100, 10_000), (120, 10_000), mde=0.1)
    se = np.sqrt(0.01 * 0.99 / 10_000 + 0.012 * 0.988 / 10_000)
    bayes_err = abs(report.bayes.prob_b_beats_a - stats.norm.cdf(0.002 / se))
    wald = 0.002 + np.array([-1, 1]) * stats.norm.ppf(0.975) * se  # treatment - control
    ci_err = float(np.max(np.abs(np.array(report.ztest.confidence_interval) - wald)))
    rows = [
        {
            "quantity": "users per arm, 10% -> 12%, alpha 0.05, power 0.8",
            "value": sample_size_proportions(BASE, LIFTED),
        },
        {"quantity": "z, 120/10,000 vs 100/10,000", "value": round(textbook.statistic, 3)},
        {"quantity": "p, 120/10,000 vs 100/10,000", "value": round(textbook.pvalue, 3)},
        {"quantity": "SRM p-value, 600 vs 400 under 50/50", "value": f"{srm.pvalue:.3g}"},
    ]
    claim = Claim(
        "The library agrees with independent computations: z^2 and p of the pooled z-test "
        "equal SciPy's chi-square on unequal-split tables, the SRM p-value equals SciPy's "
        "goodness-of-fit test, sample sizes match (1 + 1/r)(z_a + z_b)^2 / h^2 for 50/50 "
        "and 90/10, and P(B beats A) matches its normal approximation.",
        {row["quantity"]: row["value"] for row in rows} | {"tables_compared": len(tables)},
        checks=[
            Check("max relative |z^2 - chi2|", z_err, "<", 1e-9),
            Check("max |p - p(chi2)|", p_err, "<", 1e-9),
            Check("relative |SRM p - scipy p|", srm_err, "<", 1e-9),
            Check("max |n - closed form| (users)", n_err, "<=", 1.0),
            Check("|P(B beats A) - normal approx.|", bayes_err, "<", 0.01),
            Check("max |report CI - Wald interval|", ci_err, "<", 1e-12),
            Check("textbook z (statsmodels: 1.356)", round(textbook.statistic, 3), "==", 1.356),
            Check("textbook p (statsmodels: 0.175)", round(textbook.pvalue, 3), "==", 0.175),
        ],
        catches=["ztest-unpooled", "pvalue-one-sided", "sample-size-ignores-allocation"],
    )
    return rows, claim


def aa_tests(rng, n_experiments, n_control=6_000, n_treatment=4_000):
    """A/A tests on an unequal 60/40 split: how often does the library's z-test reject?"""
    conv_a = rng.binomial(n_control, BASE, n_experiments)
    conv_b = rng.binomial(n_treatment, BASE, n_experiments)
    _, pvalues = proportions_ztest_many(conv_b, n_treatment, conv_a, n_control)
    rate = float(np.mean(pvalues < ALPHA))
    claim = Claim(
        f"An A/A test (no real difference, 60/40 split) rejects at alpha = {ALPHA}: neither "
        "more often (false discoveries) nor less often (a test that cannot find anything).",
        {"experiments": n_experiments, "rejection_rate": rate, "alpha": ALPHA},
        checks=[rate_check("|rejection rate - alpha|", rate, ALPHA, n_experiments)],
        catches=["pvalue-one-sided"],
    )
    return pvalues, claim


def _simulated_power(rng, n_control, n_treatment, n_experiments):
    conv_a = rng.binomial(n_control, BASE, n_experiments)
    conv_b = rng.binomial(n_treatment, LIFTED, n_experiments)
    _, pvalues = proportions_ztest_many(conv_b, n_treatment, conv_a, n_control)
    tables = np.column_stack(
        [conv_a, conv_b, np.full(n_experiments, n_control), np.full(n_experiments, n_treatment)]
    )
    return float(np.mean(pvalues < ALPHA)), tables[:20]


def split_costs(rng, n_experiments):
    """Users needed per split (library), then the power they really give (simulation)."""
    rows = []
    for control_share in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        ratio = (1 - control_share) / control_share  # treatment users per control user
        n_control = sample_size_proportions(BASE, LIFTED, ratio=ratio)
        n_treatment = int(np.ceil(n_control * ratio))
        rows.append(
            {
                "split": f"{round(100 * control_share)}/{round(100 * (1 - control_share))}",
                "control_users": n_control,
                "treatment_users": n_treatment,
                "total_users": n_control + n_treatment,
            }
        )
    even, skewed = rows[0], rows[4]
    power_even, _ = _simulated_power(
        rng, even["control_users"], even["treatment_users"], n_experiments
    )
    power_skewed, tables = _simulated_power(
        rng, skewed["control_users"], skewed["treatment_users"], n_experiments
    )
    n_a = round(even["total_users"] * 0.9)  # 90/10 with only the 50/50 design's users
    power_same_total, _ = _simulated_power(rng, n_a, even["total_users"] - n_a, n_experiments)
    formula_same_total = power_proportions(
        BASE, LIFTED, n_a, ratio=(even["total_users"] - n_a) / n_a
    )
    formula_gap = max(
        abs(
            power_proportions(
                BASE, LIFTED, r["control_users"], ratio=r["treatment_users"] / r["control_users"]
            )
            - 0.8
        )
        for r in rows
    )
    factor = skewed["total_users"] / even["total_users"]
    theory = (1 + 1 / 9) ** 2 / (4 / 9)
    band = 0.03
    claim = Claim(
        "A 90/10 split needs (1 + r)^2 / (4r) = 2.78 times the users of 50/50 for the same "
        "power; at the sample sizes the library computes, simulated power is 80% for both "
        "splits, and a 90/10 split with the 50/50 design's users loses most of it.",
        {
            "total_users_50_50": even["total_users"],
            "total_users_90_10": skewed["total_users"],
            "factor": factor,
            "theory_(1+r)^2/(4r)": theory,
            "simulated_power_50_50": power_even,
            "simulated_power_90_10": power_skewed,
            "formula_power_90_10_at_50_50_total": formula_same_total,
            "experiments_per_split": n_experiments,
        },
        checks=[
            Check("|factor - theory|", abs(factor - theory), "<", 0.01),
            Check("|power 50/50 - 0.8|", abs(power_even - 0.8), "<", band),
            Check("|power 90/10 - 0.8|", abs(power_skewed - 0.8), "<", band),
            Check("power of 90/10 at the 50/50 total", power_same_total, "<", 0.55),
            Check("max |formula power at the planned sizes - 0.8|", formula_gap, "<", 0.002),
        ],
        catches=["sample-size-ignores-allocation", "pvalue-one-sided"],
    )
    return rows, tables, claim


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the A/B-testing lab."""
    result = LabResult(id="q06", title="A/B testing", question=QUESTION, answer=ANSWER)
    rng = np.random.default_rng(seed)
    scale = 1 if quick else 10
    n_aa, n_power, n_peek, n_paths = (
        100_000 * scale,
        20_000 * scale,
        20_000 * scale,
        200_000 * scale,
    )
    with timed(result):
        aa_pvalues, aa_claim = aa_tests(rng, n_aa)
        split_rows, tables, split_claim = split_costs(rng, n_power)
        reference_rows, reference_claim = reference_check(tables)
        bounds = bounds_by_looks()
        null = peeking(rng, n_peek, BASE, bounds)
        effect = peeking(rng, n_peek, PEEK_LIFT, bounds)
        spend_claim = spending_check(rng, n_paths)
        result.claims = [
            reference_claim,
            aa_claim,
            split_claim,
            *peeking_claims(null, effect, n_peek),
            spend_claim,
        ]
        report = analyze_conversions((100, 10_000), (120, 10_000), mde=0.1)
        result.tables = {
            "reference_numbers": reference_rows,
            "users_needed_by_split": split_rows,
            "sequential_procedures": [
                {
                    "procedure": name,
                    "looks": looks,
                    "false_positive_rate": round(null[(name, looks)]["rate"], 4),
                    f"power_10_to_{100 * PEEK_LIFT:.1f}": round(effect[(name, looks)]["rate"], 3),
                    "mean_stop_day_with_effect": round(effect[(name, looks)]["mean_stop_day"], 2),
                }
                for name, looks in null
                if looks in (1, 5, DAYS)
            ],
            "example_report": [{"line": line} for line in report.summary().splitlines()],
        }
        result.figures = {
            "aa_pvalues": aa_figure(aa_pvalues, ALPHA),
            "peeking": peeking_figure(null, REPEATED_LOOKS_SIZE, ALPHA, DAYS),
            "split_cost": split_figure(split_rows),
        }
    return result
