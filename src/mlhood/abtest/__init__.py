"""A/B testing: tests, intervals, power, sample-ratio mismatch, sequential and Bayesian tests."""

from mlhood.abtest._bayes import BayesResult, beta_binomial_test
from mlhood.abtest._cuped import CupedResult, cuped
from mlhood.abtest._means import welch_ttest
from mlhood.abtest._power import (
    power_means,
    power_proportions,
    proportion_effect_size,
    sample_size_means,
    sample_size_proportions,
)
from mlhood.abtest._proportions import (
    confint_difference,
    confint_lift,
    proportions_chisquare,
    proportions_ztest,
    proportions_ztest_many,
)
from mlhood.abtest._report import ABTestReport, analyze_conversions
from mlhood.abtest._result import TestResult
from mlhood.abtest._sequential import (
    SequentialResult,
    alpha_spent,
    group_sequential_bounds,
    msprt_pvalue,
    msprt_test,
)
from mlhood.abtest._srm import SRMResult, srm_test

__all__ = [
    "ABTestReport",
    "BayesResult",
    "CupedResult",
    "SRMResult",
    "SequentialResult",
    "TestResult",
    "alpha_spent",
    "analyze_conversions",
    "beta_binomial_test",
    "confint_difference",
    "confint_lift",
    "cuped",
    "group_sequential_bounds",
    "msprt_pvalue",
    "msprt_test",
    "power_means",
    "power_proportions",
    "proportion_effect_size",
    "proportions_chisquare",
    "proportions_ztest",
    "proportions_ztest_many",
    "sample_size_means",
    "sample_size_proportions",
    "srm_test",
    "welch_ttest",
]
