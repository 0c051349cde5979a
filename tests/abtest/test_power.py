"""Power and sample size against statsmodels' NormalIndPower and the closed form."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from mlhood.abtest import (
    power_means,
    power_proportions,
    proportion_effect_size,
    sample_size_means,
    sample_size_proportions,
)

SM_ALTERNATIVE = {"two-sided": "two-sided", "larger": "larger", "smaller": "smaller"}


def test_required_sample_size():
    assert sample_size_proportions(0.10, 0.12) == 3835


def test_required_number_comes_from_arcsine_effect_size_not_pooled_formula():
    # The classic pooled/unpooled formula lands a few users higher; we document this.
    z_a, z_b = norm.ppf(0.975), norm.ppf(0.8)
    p1, p2 = 0.10, 0.12
    pooled = (
        (z_a * np.sqrt(2 * 0.11 * 0.89) + z_b * np.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) / (p2 - p1)
    ) ** 2
    assert int(np.ceil(pooled)) == 3841
    h = proportion_effect_size(p2, p1)
    assert int(np.ceil(2 * (z_a + z_b) ** 2 / h**2)) == 3835


@pytest.mark.parametrize("ratio", [1.0, 0.25, 9.0, 1 / 9])
@pytest.mark.parametrize(("p_c", "p_t"), [(0.10, 0.12), (0.5, 0.45), (0.02, 0.025)])
@pytest.mark.parametrize("alternative", ["two-sided", "larger"])
def test_sample_size_matches_statsmodels(p_c, p_t, ratio, alternative):
    h = proportion_effectsize(p_t, p_c)
    if alternative == "larger" and h < 0:
        pytest.raises(ValueError, sample_size_proportions, p_c, p_t, alternative=alternative)
        return
    expected = NormalIndPower().solve_power(
        h, alpha=0.05, power=0.8, ratio=ratio, alternative=alternative
    )
    ours = sample_size_proportions(p_c, p_t, ratio=ratio, alternative=alternative)
    assert ours == int(np.ceil(expected))
    assert power_proportions(p_c, p_t, ours, ratio=ratio, alternative=alternative) >= 0.8
    assert power_proportions(p_c, p_t, ours - 1, ratio=ratio, alternative=alternative) < 0.8


@pytest.mark.parametrize("n", [100, 1000, 5000])
@pytest.mark.parametrize("ratio", [1.0, 3.0])
def test_power_matches_statsmodels(n, ratio):
    h = proportion_effectsize(0.12, 0.10)
    expected = NormalIndPower().power(h, nobs1=n, alpha=0.05, ratio=ratio)
    assert power_proportions(0.10, 0.12, n, ratio=ratio) == pytest.approx(expected, rel=1e-10)
    expected = NormalIndPower().power(0.2, nobs1=n, alpha=0.01, ratio=ratio)
    assert power_means(1.0, 5.0, n, alpha=0.01, ratio=ratio) == pytest.approx(expected)


def test_unequal_split_needs_more_users_in_total():
    equal = 2 * sample_size_proportions(0.10, 0.12)
    n_control = sample_size_proportions(0.10, 0.12, ratio=1 / 9)  # 90/10 split
    skewed = n_control * (1 + 1 / 9)
    # (1 + r)^2 / (4 r) = 100 / 36 = 2.78 times as many users in total
    assert skewed / equal == pytest.approx(100 / 36, rel=1e-3)


def test_sample_size_means_matches_statsmodels():
    expected = NormalIndPower().solve_power(0.05, alpha=0.05, power=0.9, ratio=2.0)
    assert sample_size_means(0.5, 10.0, power=0.9, ratio=2.0) == int(np.ceil(expected))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"p_control": 1.2, "p_treatment": 0.1}, ValueError, "p_control"),
        ({"p_control": 0.1, "p_treatment": -0.1}, ValueError, "p_treatment"),
        ({"p_control": 0.1, "p_treatment": 0.1}, ValueError, "non-zero"),
        ({"p_control": 0.1, "p_treatment": 0.12, "alpha": 0.0}, ValueError, "alpha"),
        ({"p_control": 0.1, "p_treatment": 0.12, "power": 1.0}, ValueError, "power"),
        ({"p_control": 0.1, "p_treatment": 0.12, "power": 0.01}, ValueError, "power"),
        ({"p_control": 0.1, "p_treatment": 0.12, "ratio": 0}, ValueError, "ratio"),
        ({"p_control": "0.1", "p_treatment": 0.12}, TypeError, "p_control"),
        ({"p_control": 0.1, "p_treatment": 0.12, "alternative": "up"}, ValueError, "alternative"),
    ],
)
def test_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        sample_size_proportions(**kwargs)


def test_bad_power_inputs():
    with pytest.raises(ValueError, match="n_control"):
        power_proportions(0.1, 0.12, 0)
    with pytest.raises(ValueError, match="sd"):
        sample_size_means(1.0, 0.0)


@settings(max_examples=25, deadline=None)
@given(
    p_c=st.floats(0.01, 0.9),
    lift=st.floats(0.05, 0.5),
    ratio=st.floats(0.1, 10),
    power=st.floats(0.5, 0.95),
)
def test_sample_size_is_the_smallest_reaching_power(p_c, lift, ratio, power):
    p_t = min(p_c * (1 + lift), 0.99)
    n = sample_size_proportions(p_c, p_t, power=power, ratio=ratio)
    assert power_proportions(p_c, p_t, n, ratio=ratio) >= power - 1e-9
    if n > 1:
        assert power_proportions(p_c, p_t, n - 1, ratio=ratio) < power


@settings(max_examples=25, deadline=None)
@given(
    bad=st.one_of(st.floats(max_value=-1e-9), st.floats(min_value=1 + 1e-9)).filter(np.isfinite),
    good=st.floats(0.01, 0.99),
)
def test_any_probability_outside_unit_interval_is_rejected(bad, good):
    with pytest.raises(ValueError, match="p_control"):
        sample_size_proportions(bad, good)
    with pytest.raises(ValueError, match="p_treatment"):
        power_proportions(good, bad, 100)
