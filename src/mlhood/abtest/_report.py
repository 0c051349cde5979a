"""One object that analyses a conversion experiment and explains it in plain words."""

from __future__ import annotations

from dataclasses import dataclass

from mlhood._params import validate_params
from mlhood.abtest._bayes import BayesResult, beta_binomial_test
from mlhood.abtest._checks import ALPHA, POSITIVE
from mlhood.abtest._power import power_proportions, sample_size_proportions
from mlhood.abtest._proportions import confint_lift, proportions_ztest
from mlhood.abtest._result import TestResult
from mlhood.abtest._srm import SRMResult, srm_test


@dataclass(frozen=True)
class ABTestReport:
    """Everything :func:`analyze_conversions` measured; ``summary()`` explains it.

    Attributes
    ----------
    names : tuple of str
    users, conversions : tuple of int
        (control, treatment).
    rates : tuple of float
    ztest : TestResult
        Two-proportion z-test of treatment minus control, with its CI.
    lift, lift_interval : float, tuple of float
        Relative lift ``p_t / p_c - 1`` and its CI (NaN when a rate is 0).
    srm : SRMResult
    bayes : BayesResult
    alpha : float
    mde : float or None
        Minimum detectable effect as a relative lift the test was meant to detect.
    power_at_mde : float or None
        Power this many users had to detect ``mde``.
    users_needed : int or None
        Control users needed to detect ``mde`` at 80% power with this split.
    decision : str
        "ship", "do not ship", "inconclusive" or "invalid (sample ratio mismatch)".
    """

    names: tuple[str, str]
    users: tuple[int, int]
    conversions: tuple[int, int]
    rates: tuple[float, float]
    ztest: TestResult
    lift: float
    lift_interval: tuple[float, float]
    srm: SRMResult
    bayes: BayesResult
    alpha: float
    mde: float | None
    power_at_mde: float | None
    users_needed: int | None
    decision: str

    def summary(self) -> str:
        """A short report a product manager can act on."""
        control, treatment = self.names
        level = round(100 * (1 - self.alpha))
        low, high = self.ztest.confidence_interval
        lines = [
            f"A/B test: {treatment} vs {control}",
            f"- {control}: {self.conversions[0]:,} of {self.users[0]:,} users converted "
            f"({100 * self.rates[0]:.2f}%); {treatment}: {self.conversions[1]:,} of "
            f"{self.users[1]:,} ({100 * self.rates[1]:.2f}%).",
            f"- Difference: {100 * self.ztest.estimate:+.2f} percentage points "
            f"({level}% CI {100 * low:+.2f} to {100 * high:+.2f}); relative lift "
            f"{100 * self.lift:+.1f}% ({level}% CI {100 * self.lift_interval[0]:+.1f}% to "
            f"{100 * self.lift_interval[1]:+.1f}%).",
            f"- Significance: z = {self.ztest.statistic:.3f}, p = {self.ztest.pvalue:.3g} "
            f"({'below' if self.ztest.pvalue < self.alpha else 'not below'} alpha = "
            f"{self.alpha:g}).",
            f"- Bayesian view: P({treatment} is better) = {100 * self.bayes.prob_b_beats_a:.1f}%; "
            f"expected loss if we ship {treatment}: "
            f"{100 * self.bayes.expected_loss_b:.3f} pp.",
        ]
        if self.srm.mismatch:
            lines.append(
                f"- Sample ratio check FAILED (p = {self.srm.pvalue:.2g}): the split "
                f"{100 * self.srm.observed_shares[0]:.1f}/"
                f"{100 * self.srm.observed_shares[1]:.1f} is not the one designed."
            )
        else:
            lines.append(f"- Sample ratio check passed (p = {self.srm.pvalue:.2g}).")
        if self.mde is not None:
            lines.append(
                f"- Power to detect a {100 * self.mde:.0f}% relative lift: "
                f"{100 * self.power_at_mde:.0f}% (80% needs {self.users_needed:,} "
                f"{control} users with this split)."
            )
        lines.append(f"Decision: {self.decision.upper()}. {self._advice()}")
        return "\n".join(lines)

    def _advice(self) -> str:
        treatment = self.names[1]
        if self.decision.startswith("invalid"):
            return (
                "Find out why one arm lost users (assignment, redirects, logging, bots) "
                "before reading any result; then rerun."
            )
        if self.decision == "ship":
            return f"{treatment} converts better and the interval excludes zero."
        if self.decision == "do not ship":
            return f"{treatment} converts worse and the interval excludes zero."
        if self.power_at_mde is not None and self.power_at_mde < 0.8:
            return (
                "No significant difference, but the test was underpowered: keep it running "
                f"until about {self.users_needed:,} users per control arm, then decide."
            )
        return (
            "No significant difference; any effect is probably smaller than the interval "
            "above. Keep the current version unless the change is worth it for other reasons."
        )


@validate_params({"alpha": ALPHA, "mde": [*POSITIVE, None]})
def analyze_conversions(
    control,
    treatment,
    *,
    alpha=0.05,
    expected_shares=(0.5, 0.5),
    mde=None,
    prior=(1.0, 1.0),
    names=("control", "treatment"),
):
    """Analyse a conversion experiment: test, intervals, SRM check, Bayes, power.

    Parameters
    ----------
    control, treatment : tuple (conversions, users)
    alpha : float, default=0.05
    expected_shares : tuple of 2 floats, default=(0.5, 0.5)
        The designed split, for the sample-ratio-mismatch check (alpha 0.001).
    mde : float or None, default=None
        Relative lift the experiment was designed to detect (0.1 = +10%), for the power
        statement.
    prior : tuple, default=(1, 1)
        Beta prior of the Bayesian comparison.
    names : tuple of 2 str

    Returns
    -------
    ABTestReport

    Examples
    --------
    >>> from mlhood.abtest import analyze_conversions
    >>> report = analyze_conversions((100, 10_000), (120, 10_000), mde=0.1)
    >>> report.decision
    'inconclusive'
    >>> print(report.summary().splitlines()[-1][:35])
    Decision: INCONCLUSIVE. No signific
    """
    (x_c, n_c), (x_t, n_t) = control, treatment
    ztest = proportions_ztest([x_t, x_c], [n_t, n_c], alpha=alpha)
    rates = (x_c / n_c, x_t / n_t)
    try:
        lift_interval = confint_lift([x_t, x_c], [n_t, n_c], alpha)
        lift = rates[1] / rates[0] - 1.0
    except ValueError:
        lift, lift_interval = float("nan"), (float("nan"), float("nan"))
    srm = srm_test([n_c, n_t], expected_shares)
    bayes = beta_binomial_test([x_c, x_t], [n_c, n_t], prior=prior, alpha=alpha)
    power_at_mde = users_needed = None
    if mde is not None:
        target = min(rates[0] * (1.0 + mde), 1.0)
        ratio = n_t / n_c
        power_at_mde = power_proportions(rates[0], target, n_c, alpha, ratio)
        users_needed = sample_size_proportions(rates[0], target, alpha, 0.8, ratio)
    if srm.mismatch:
        decision = "invalid (sample ratio mismatch)"
    elif ztest.pvalue < alpha:
        decision = "ship" if ztest.estimate > 0 else "do not ship"
    else:
        decision = "inconclusive"
    return ABTestReport(
        names=tuple(names),
        users=(int(n_c), int(n_t)),
        conversions=(int(x_c), int(x_t)),
        rates=rates,
        ztest=ztest,
        lift=lift,
        lift_interval=lift_interval,
        srm=srm,
        bayes=bayes,
        alpha=alpha,
        mde=mde,
        power_at_mde=power_at_mde,
        users_needed=users_needed,
        decision=decision,
    )
