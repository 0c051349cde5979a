"""Lab q10 (outliers): claims hold on several seeds, same seed same numbers, helpers."""

import numpy as np
import pytest

from mlhood.labs import run_lab
from mlhood.labs.q10_outliers import _against_the_correlation, genuine_downstream


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q10_claims_hold(seed):
    result = run_lab("q10", quick=True, seed=seed)
    assert result.id == "q10" and result.title
    assert {"box_plot", "masking", "joint_outlier", "downstream"} <= set(result.figures)
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    detection = result.tables["detection"]
    assert {row["data"] for row in detection} == {"spikes", "cluster", "cluster 2-D", "regression"}
    assert all(0.0 <= row["precision"] <= 1.0 and 0.0 <= row["recall"] <= 1.0 for row in detection)


def test_q10_is_reproducible():
    a = run_lab("q10", quick=True, seed=3).to_dict()
    b = run_lab("q10", quick=True, seed=3).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


def test_lognormal_closed_form_matches_monte_carlo_at_the_population_fences():
    _, theory = genuine_downstream(2, 10, np.random.default_rng(0))
    sigma = 1.5
    x = np.random.default_rng(1).lognormal(0.0, sigma, 4_000_000)
    q1, q3 = np.exp(sigma * np.array([-0.6744897501960817, 0.6744897501960817]))
    u = q3 + 1.5 * (q3 - q1)
    truth = np.exp(sigma**2 / 2)
    removed = x[x <= u].mean() / truth - 1
    capped = np.minimum(x, u).mean() / truth - 1
    assert theory["remove IQR outliers (mean)"] == pytest.approx(removed, abs=0.003)
    assert theory["cap at IQR fences (mean)"] == pytest.approx(capped, abs=0.003)


def test_cluster_against_the_correlation_is_ordinary_on_each_axis():
    X, mask = _against_the_correlation(np.random.default_rng(0), 2000)
    assert mask.sum() == 300
    inliers = X[~mask]
    for j in range(2):
        low, high = np.quantile(inliers[:, j], [0.001, 0.999])
        assert np.all((X[mask, j] > low) & (X[mask, j] < high))
