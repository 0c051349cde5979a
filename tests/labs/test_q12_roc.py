"""Lab q12 (ROC): every claim holds for several seeds, same seed same numbers."""

import pytest

from mlhood.labs import run_lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q12_claims_hold(seed):
    result = run_lab("q12", quick=True, seed=seed)
    assert result.id == "q12" and result.title and result.question and result.answer
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    rows = result.tables["thresholds"]
    assert [r["threshold"] for r in rows] == [0.8, 0.5, 0.2]
    assert all(r["on_roc_curve"] for r in rows)


def test_q12_is_reproducible():
    a = run_lab("q12", quick=True, seed=4).to_dict()
    b = run_lab("q12", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
