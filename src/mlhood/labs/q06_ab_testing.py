"""q06 - What is the goal of A/B testing? Tests, power, unequal splits and peeking, simulated."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from mlhood.abtest import (
    analyze_conversions,
    group_sequential_bounds,
    msprt_pvalue,
    power_proportions,
    proportions_ztest,
    sample_size_proportions,
    srm_test,
)
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed

ALPHA = 0.05
BASE, LIFTED = 0.10, 0.12  # conversion rates of the running example
TAU = 0.01  # mSPRT mixture SD: effects of about one percentage point

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
- **Test**: two-proportion z-test (or chi-square) for rates, Welch's t-test for means;
  report the confidence interval of the difference and of the relative lift, not only p.
- **Check the split**: a sample-ratio-mismatch test (600 vs 400 users under a 50/50
  design gives p = 2.5e-10) says the randomisation or logging is broken, and then no
  result can be trusted.
- **Equal splits are cheapest**: a 90/10 split needs about 2.8 times as many users as
  50/50 for the same power.
- **Do not peek** with a fixed-horizon test: stopping at the first p < 0.05 while looking
  every day multiplies the false-positive rate. If you must look, use a sequential test:
  always-valid p-values (mSPRT) or a group-sequential alpha-spending plan (O'Brien-Fleming,
  Pocock), which keep the false-positive rate at alpha.
"""


def pooled_z(conv_a, n_a, conv_b, n_b):
    """Pooled two-proportion z of ``b - a``, vectorised over experiments."""
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(se > 0, (conv_b / n_b - conv_a / n_a) / se, 0.0)


def reference_numbers():
    n = sample_size_proportions(BASE, LIFTED)
    z = proportions_ztest([120, 100], [10_000, 10_000])
    srm = srm_test([600, 400], [0.5, 0.5])
    rows = [
        {"quantity": "users per arm, 10% -> 12%, alpha 0.05, power 0.8", "value": n},
        {"quantity": "z, 120/10,000 vs 100/10,000", "value": round(z.statistic, 3)},
        {"quantity": "p, 120/10,000 vs 100/10,000", "value": round(z.pvalue, 3)},
        {"quantity": "SRM p-value, 600 vs 400 under 50/50", "value": f"{srm.pvalue:.3g}"},
    ]
    holds = (
        n == 3835
        and round(z.statistic, 3) == 1.356
        and round(z.pvalue, 3) == 0.175
        and f"{srm.pvalue:.3g}" == "2.54e-10"
    )
    claim = Claim(
        "The library reproduces the textbook numbers: 3,835 users per arm; z = 1.356, "
        "p = 0.175; SRM p = 2.54e-10.",
        {row["quantity"]: row["value"] for row in rows},
        holds,
    )
    return rows, claim


def aa_tests(rng, n_experiments, users):
    conv_a = rng.binomial(users, BASE, n_experiments)
    conv_b = rng.binomial(users, BASE, n_experiments)
    pvalues = 2 * norm.sf(np.abs(pooled_z(conv_a, users, conv_b, users)))
    library = [
        proportions_ztest([b, a], [users, users]).pvalue for a, b in zip(conv_a[:20], conv_b[:20])
    ]
    rate = float(np.mean(pvalues < ALPHA))
    se = np.sqrt(ALPHA * (1 - ALPHA) / n_experiments)
    claim = Claim(
        f"An A/A test (no real difference) rejects at about alpha = {ALPHA}.",
        {
            "experiments": n_experiments,
            "users_per_arm": users,
            "rejection_rate": round(rate, 4),
            "allowed_band": [round(ALPHA - 4 * se, 4), round(ALPHA + 4 * se, 4)],
            "max_diff_vs_library_pvalue": float(np.max(np.abs(pvalues[:20] - library))),
        },
        abs(rate - ALPHA) < 4 * se and np.allclose(pvalues[:20], library, atol=1e-12),
    )
    return pvalues, claim


def split_costs(rng, n_experiments):
    rows = []
    for control_share in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        ratio = (1 - control_share) / control_share  # treatment users per control user
        n_control = sample_size_proportions(BASE, LIFTED, ratio=ratio)
        rows.append(
            {
                "split": f"{round(100 * control_share)}/{round(100 * (1 - control_share))}",
                "control_users": n_control,
                "treatment_users": int(np.ceil(n_control * ratio)),
                "total_users": int(n_control + np.ceil(n_control * ratio)),
            }
        )
    total_even, total_skewed = rows[0]["total_users"], rows[4]["total_users"]
    # Simulate both splits with the 50/50 design's total.
    powers = {}
    for name, share in (("50/50", 0.5), ("90/10", 0.9)):
        n_a = round(total_even * share)
        n_b = total_even - n_a
        conv_a = rng.binomial(n_a, BASE, n_experiments)
        conv_b = rng.binomial(n_b, LIFTED, n_experiments)
        simulated = float(np.mean(np.abs(pooled_z(conv_a, n_a, conv_b, n_b)) > norm.ppf(0.975)))
        powers[name] = {
            "simulated": round(simulated, 3),
            "formula": round(power_proportions(BASE, LIFTED, n_a, ratio=n_b / n_a), 3),
        }
    factor = total_skewed / total_even
    claim = Claim(
        "A 90/10 split needs far more users than 50/50 for the same power; with the "
        "50/50 design's total, a 90/10 split loses most of the power.",
        {
            "total_users_50_50": total_even,
            "total_users_90_10": total_skewed,
            "factor": round(factor, 3),
            "theory_(1+r)^2/(4r)": round((1 + 1 / 9) ** 2 / (4 / 9), 3),
            "power_at_50_50_total": powers,
        },
        factor > 2.5
        and powers["50/50"]["simulated"] > 0.75
        and powers["90/10"]["simulated"] < 0.55,
    )
    return rows, powers, claim


LOOKS = (1, 2, 5, 10, 20)


def boundaries(looks):
    """z critical values per procedure for ``looks`` equally spaced looks."""
    return {
        "naive peeking": np.full(looks, norm.ppf(1 - ALPHA / 2)),
        "O'Brien-Fleming": group_sequential_bounds(looks, ALPHA, "obrien-fleming"),
        "Pocock": group_sequential_bounds(looks, ALPHA, "pocock"),
    }


def peeking(rng, n_experiments, days, users_per_day, p_treatment, bounds_by_looks):
    """Daily looks at cumulative data of many experiments; which procedures reject when."""
    conv_a = np.cumsum(rng.binomial(users_per_day, BASE, (n_experiments, days)), axis=1)
    conv_b = np.cumsum(rng.binomial(users_per_day, p_treatment, (n_experiments, days)), axis=1)
    n = users_per_day * np.arange(1, days + 1)
    z = pooled_z(conv_a, n, conv_b, n)
    rate_a, rate_b = conv_a / n, conv_b / n
    variance = rate_a * (1 - rate_a) + rate_b * (1 - rate_b)
    msprt = np.minimum.accumulate(msprt_pvalue(n, rate_b - rate_a, variance, TAU), axis=1)
    outcomes = {}
    for looks, bounds in bounds_by_looks.items():
        idx = np.arange(days // looks - 1, days, days // looks)
        for name, bound in bounds.items():
            hit = np.abs(z[:, idx]) >= bound
            outcomes[(name, looks)] = _summarise(hit, idx)
        outcomes[("mSPRT", looks)] = _summarise(msprt[:, idx] < ALPHA, idx)
    return outcomes


def _summarise(hit, idx):
    rejected = hit.any(axis=1)
    stop_day = np.where(rejected, idx[hit.argmax(axis=1)] + 1, idx[-1] + 1)
    return {"rate": float(rejected.mean()), "mean_stop_day": float(stop_day.mean())}


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the A/B-testing lab."""
    result = LabResult(id="q06", title="A/B testing", question=QUESTION, answer=ANSWER)
    rng = np.random.default_rng(seed)
    n_sim = 20_000 if quick else 200_000
    n_peek = 4_000 if quick else 40_000
    days, per_day = LOOKS[-1], 500
    with timed(result):
        reference_rows, reference_claim = reference_numbers()
        aa_pvalues, aa_claim = aa_tests(rng, n_sim, users=5_000)
        split_rows, _, split_claim = split_costs(rng, n_sim // 4)
        bounds = {looks: boundaries(looks) for looks in LOOKS}
        null = peeking(rng, n_peek, days, per_day, BASE, bounds)
        effect = peeking(rng, n_peek, days, per_day, 0.115, bounds)
        se = np.sqrt(ALPHA * (1 - ALPHA) / n_peek)
        naive, fixed = null[("naive peeking", days)]["rate"], null[("naive peeking", 1)]["rate"]
        peek_claim = Claim(
            f"Looking every day for {days} days and stopping at the first p < 0.05 inflates "
            "the false-positive rate far above alpha.",
            {"fixed_horizon_rate": round(fixed, 4), "daily_peeking_rate": round(naive, 4)},
            naive > 3 * ALPHA and abs(fixed - ALPHA) < 4 * se,
        )
        sequential = {
            name: round(null[(name, days)]["rate"], 4)
            for name in ("mSPRT", "O'Brien-Fleming", "Pocock")
        }
        fix_claim = Claim(
            "Sequential tests fix it: with the same daily looks, mSPRT stays below alpha "
            "and the alpha-spending plans stay at alpha.",
            {"false_positive_rate": sequential, "alpha": ALPHA, "tolerance_4se": round(4 * se, 4)},
            sequential["mSPRT"] < ALPHA + 2 * se
            and abs(sequential["O'Brien-Fleming"] - ALPHA) < 4 * se
            and abs(sequential["Pocock"] - ALPHA) < 4 * se,
        )
        fixed_power = effect[("naive peeking", 1)]
        obf = effect[("O'Brien-Fleming", days)]
        cost_claim = Claim(
            "With a real effect (10% -> 11.5%), O'Brien-Fleming keeps nearly the fixed test's "
            "power and stops earlier on average; mSPRT trades power for looking any time.",
            {
                "fixed_power": round(fixed_power["rate"], 3),
                "obrien_fleming_power": round(obf["rate"], 3),
                "obrien_fleming_mean_stop_day": round(obf["mean_stop_day"], 2),
                "msprt_power": round(effect[("mSPRT", days)]["rate"], 3),
                "msprt_mean_stop_day": round(effect[("mSPRT", days)]["mean_stop_day"], 2),
            },
            obf["rate"] > fixed_power["rate"] - 0.05 and obf["mean_stop_day"] < days - 2,
        )
        report = analyze_conversions((100, 10_000), (120, 10_000), mde=0.1)
        result.claims = [reference_claim, aa_claim, split_claim, peek_claim, fix_claim, cost_claim]
        result.tables = {
            "reference_numbers": reference_rows,
            "users_needed_by_split": split_rows,
            "sequential_procedures": [
                {
                    "procedure": name,
                    "looks": looks,
                    "false_positive_rate": round(null[(name, looks)]["rate"], 4),
                    "power_10_to_11.5": round(effect[(name, looks)]["rate"], 3),
                    "mean_stop_day_with_effect": round(effect[(name, looks)]["mean_stop_day"], 2),
                }
                for name, looks in null
                if looks in (1, 5, days)
            ],
            "example_report": [{"line": line} for line in report.summary().splitlines()],
        }
        result.figures = {
            "aa_pvalues": _aa_figure(aa_pvalues),
            "peeking": _peeking_figure(null, days),
            "split_cost": _split_figure(split_rows),
        }
    return result


def _aa_figure(pvalues):
    fig, ax = new_figure()
    ax.hist(pvalues, bins=20, range=(0, 1), color="#4c72b0", edgecolor="white")
    ax.axhline(len(pvalues) / 20, color="black", linestyle="--", label="uniform")
    ax.axvspan(0, ALPHA, color="#dd8452", alpha=0.3, label=f"p < {ALPHA}")
    ax.set(xlabel="p-value", ylabel="experiments", title="A/A tests: p-values are uniform")
    ax.legend()
    return fig


def _peeking_figure(null, days):
    fig, ax = new_figure()
    looks = sorted({k for _, k in null})
    for name, style in (
        ("naive peeking", "o-"),
        ("mSPRT", "s-"),
        ("O'Brien-Fleming", "^-"),
        ("Pocock", "v-"),
    ):
        ax.plot(looks, [null[(name, k)]["rate"] for k in looks], style, label=name)
    ax.axhline(ALPHA, color="black", linestyle="--", label="alpha")
    ax.set(
        xlabel=f"number of looks over {days} days",
        ylabel="false-positive rate (A/A)",
        title="Peeking inflates false positives",
    )
    ax.legend()
    return fig


def _split_figure(rows):
    fig, ax = new_figure()
    labels = [row["split"] for row in rows]
    ax.bar(labels, [row["total_users"] for row in rows], color="#55a868")
    ax.set(
        xlabel="control/treatment split (%)",
        ylabel="total users for 80% power",
        title="10% -> 12%: unequal splits cost users",
    )
    return fig
