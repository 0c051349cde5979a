"""Lab q10 (outliers): every claim holds for several seeds, same seed same numbers."""

import pytest

from mlhood.labs import run_lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q10_claims_hold(seed):
    result = run_lab("q10", quick=True, seed=seed)
    assert result.id == "q10" and result.title
    assert "box_plot" in result.figures and result.tables
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    detection = result.tables["detection"]
    assert {row["data"] for row in detection} == {"spikes", "cluster", "regression"}
    assert all(0.0 <= row["precision"] <= 1.0 and 0.0 <= row["recall"] <= 1.0 for row in detection)


def test_q10_is_reproducible():
    a = run_lab("q10", quick=True, seed=3).to_dict()
    b = run_lab("q10", quick=True, seed=3).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
