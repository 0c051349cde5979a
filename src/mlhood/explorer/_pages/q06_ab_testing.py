"""q06 page: effect size, allocation split and peeking against sample size, power, FPR."""

from __future__ import annotations

import numpy as np
from pydantic import Field

from mlhood.abtest import power_proportions, proportions_ztest, sample_size_proportions
from mlhood.abtest._proportions import normal_pvalue
from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider, vline

LOOKS, EXPERIMENTS, ALPHA = 10, 400, 0.05


class Params(SeededParams):
    lift_percent: float = slider(10.0, 2.0, 50.0, 1.0, "Relative lift of the treatment, in %.")
    baseline: float = slider(0.1, 0.02, 0.5, 0.01, "Conversion rate of the control arm.")
    treatment_share: float = slider(0.5, 0.1, 0.9, 0.05, "Share of users sent to treatment.")
    peeking: bool = Field(False, description="Test after each of 10 looks; stop at p < 0.05.")


def pooled_z(x_a, n_a, x_b, n_b) -> np.ndarray:
    """The two-proportion z statistic of :func:`~mlhood.abtest.proportions_ztest`, vectorised."""
    pooled = (x_a + x_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    return np.divide(x_a / n_a - x_b / n_b, se, out=np.zeros_like(se), where=se > 0)


def false_positive_rate(p: Params, n_control: int, rng) -> tuple[float, np.ndarray]:
    """Share of A/A experiments declared significant, testing once or at every look."""
    ratio = p.treatment_share / (1 - p.treatment_share)
    per_look = np.diff(np.linspace(0, n_control, LOOKS + 1).round().astype(int))
    n_a, n_b = np.cumsum(per_look), np.cumsum(np.round(per_look * ratio).astype(int))
    x_a = np.cumsum(rng.binomial(per_look, p.baseline, (EXPERIMENTS, LOOKS)), axis=1)
    x_b = np.cumsum(
        rng.binomial(n_b - np.r_[0, n_b[:-1]], p.baseline, (EXPERIMENTS, LOOKS)), axis=1
    )
    pvalues = normal_pvalue(pooled_z(x_b, n_b, x_a, n_a), "two-sided")
    significant = pvalues < ALPHA if p.peeking else pvalues[:, -1:] < ALPHA
    return float(significant.any(axis=1).mean()), pvalues[:8]


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p.seed)
    treated = p.baseline * (1 + p.lift_percent / 100)
    ratio = p.treatment_share / (1 - p.treatment_share)
    n_control = int(np.ceil(sample_size_proportions(p.baseline, min(treated, 0.999), ratio=ratio)))
    sizes = np.unique(np.geomspace(max(n_control / 20, 10), n_control * 4, 60).astype(int))
    power = [power_proportions(p.baseline, min(treated, 0.999), n, ratio=ratio) for n in sizes]
    fpr, paths = false_positive_rate(p, n_control, rng)
    n_treated = int(round(n_control * ratio))
    one = proportions_ztest(
        [rng.binomial(n_treated, min(treated, 0.999)), rng.binomial(n_control, p.baseline)],
        [n_treated, n_control],
    )
    looks = np.arange(1, LOOKS + 1)
    charts = [
        chart(
            "power",
            "Power against control-arm size",
            [line(sizes, power, "power")],
            ["mlhood.abtest.power_proportions", "mlhood.abtest.sample_size_proportions"],
            x="users in control",
            y="power",
            xlog=True,
            shapes=[vline(n_control)],
        ),
        chart(
            "peeking",
            "p-value of eight A/A tests at each look",
            [
                line(looks, path, f"A/A test {i + 1}", mode="lines+markers")
                for i, path in enumerate(paths)
            ]
            + [line(looks, [ALPHA] * LOOKS, "alpha = 0.05", line={"dash": "dot", "color": "red"})],
            ["mlhood.abtest._proportions.normal_pvalue", "mlhood.abtest.proportions_ztest"],
            x="look",
            y="p-value",
            ylog=True,
        ),
        chart(
            "fpr",
            "False-positive rate of A/A tests",
            [
                {
                    "type": "bar",
                    "x": ["peeking" if p.peeking else "one test at the end", "alpha"],
                    "y": [fpr, ALPHA],
                    "name": "false-positive rate",
                }
            ],
            ["mlhood.abtest._proportions.normal_pvalue"],
            y="share declared significant",
        ),
    ]
    numbers = {
        "users needed in control (80% power)": n_control,
        "users in treatment": n_treated,
        "false-positive rate (A/A)": fpr,
        "one A/B test: p-value": one.pvalue,
        "one A/B test: difference": one.estimate,
    }
    return result(charts, numbers)


PAGE = Page(
    "q06",
    "Sample size, power and peeking",
    "Shrink the effect and watch the sample size explode; move the split away from 50/50 and "
    "pay for it in users; turn peeking on and watch the false-positive rate of A/A tests "
    "climb far above 5%.",
    Params,
    compute,
)
