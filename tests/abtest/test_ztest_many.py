"""The vectorised z-test against statsmodels, the scalar test, and bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportions_ztest as sm_ztest

from mlhood.abtest import proportions_ztest, proportions_ztest_many


@pytest.mark.parametrize("alternative", ["two-sided", "larger", "smaller"])
def test_matches_statsmodels_on_unequal_arms(alternative):
    rng = np.random.default_rng(0)
    n0, n1 = rng.integers(50, 5000, 40), rng.integers(50, 5000, 40)
    x0, x1 = rng.binomial(n0, 0.1), rng.binomial(n1, 0.13)
    z, p = proportions_ztest_many(x0, n0, x1, n1, alternative=alternative)
    for i in range(40):
        sm_z, sm_p = sm_ztest(
            np.array([x0[i], x1[i]]), np.array([n0[i], n1[i]]), alternative=alternative
        )
        assert z[i] == pytest.approx(sm_z, rel=1e-12)
        assert p[i] == pytest.approx(sm_p, rel=1e-10)


def test_broadcasts_and_agrees_with_the_scalar_test():
    counts = np.array([[120, 95], [80, 130]])
    z, p = proportions_ztest_many(counts, 10_000, 100, 9_000)
    assert z.shape == p.shape == (2, 2)
    scalar = proportions_ztest([counts[1, 0], 100], [10_000, 9_000])
    assert z[1, 0] == pytest.approx(scalar.statistic, rel=1e-14)
    assert p[1, 0] == pytest.approx(scalar.pvalue, rel=1e-14)


def test_no_variation_gives_z_zero_and_p_one():
    z, p = proportions_ztest_many([0, 50], 50, [0, 40], 40)
    assert z.tolist() == [0.0, 0.0] and p.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 0, 1, 10), "nobs_0 must be > 0"),
        ((11, 10, 1, 10), "count_0 cannot exceed nobs_0"),
        ((1, 10, -1, 10), "count_1 must be finite and non-negative"),
        ((1, 10.5, 1, 10), "nobs_0 must hold whole numbers"),
        ((1, 10, np.nan, 10), "count_1 must be finite"),
    ],
)
def test_bad_input_names_the_argument(args, message):
    with pytest.raises(ValueError, match=message):
        proportions_ztest_many(*args)


def test_bad_alternative():
    with pytest.raises(ValueError, match="alternative"):
        proportions_ztest_many(1, 10, 2, 10, alternative="both")


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 10_000),
    st.integers(1, 10_000),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_any_valid_table_matches_the_scalar_test(n0, n1, f0, f1):
    x0, x1 = round(f0 * n0), round(f1 * n1)
    z, p = proportions_ztest_many(x0, n0, x1, n1)
    scalar = proportions_ztest([x0, x1], [n0, n1])
    assert float(z) == pytest.approx(scalar.statistic, rel=1e-12, abs=1e-12)
    assert 0.0 <= float(p) <= 1.0
