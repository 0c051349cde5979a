"""Lab q06 (A/B testing): claims hold on several seeds, same seed same numbers, helpers."""

import numpy as np
import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import proportion_effectsize

from mlhood.labs import run_lab
from mlhood.labs._q06_peeking import REPEATED_LOOKS_SIZE, five_se_band
from mlhood.labs.q06_ab_testing import _closed_form_n


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q06_claims_hold(seed):
    result = run_lab("q06", quick=True, seed=seed)
    assert result.id == "q06" and result.title
    assert set(result.figures) == {"aa_pvalues", "peeking", "split_cost"}
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    split = {row["split"]: row["total_users"] for row in result.tables["users_needed_by_split"]}
    assert split["50/50"] == 2 * 3835
    assert split["90/10"] / split["50/50"] == pytest.approx(100 / 36, abs=0.01)


def test_q06_is_reproducible():
    a = run_lab("q06", quick=True, seed=4).to_dict()
    b = run_lab("q06", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


@pytest.mark.parametrize("ratio", [1.0, 1 / 9, 0.25])
def test_closed_form_sample_size_matches_statsmodels(ratio):
    h = proportion_effectsize(0.12, 0.10)
    n = NormalIndPower().solve_power(h, alpha=0.05, power=0.8, ratio=ratio)
    assert _closed_form_n(ratio) == pytest.approx(n, abs=1.0)


def test_band_is_five_binomial_standard_errors():
    assert five_se_band(0.05, 10_000) == pytest.approx(5 * np.sqrt(0.05 * 0.95 / 10_000))


def test_repeated_looks_sizes_match_a_brownian_simulation():
    rng = np.random.default_rng(0)
    for looks, size in REPEATED_LOOKS_SIZE.items():
        z = np.cumsum(rng.standard_normal((200_000, looks)), axis=1) / np.sqrt(
            np.arange(1, looks + 1)
        )
        crossed = (np.abs(z) >= 1.959964).any(axis=1).mean()
        assert crossed == pytest.approx(size, abs=0.004)
