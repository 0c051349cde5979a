"""Lab q07 (Ridge vs Lasso): every claim holds for several seeds."""

import numpy as np
import pytest

from mlhood.labs import run_lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q07_claims_hold(seed):
    result = run_lab("q07", quick=True, seed=seed)
    assert result.id == "q07" and result.title and result.question and result.answer
    assert "L2" in result.answer and "L1" in result.answer
    assert len(result.claims) >= 5
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]  # JSON-ready


def test_q07_same_seed_same_numbers():
    first = run_lab("q07", quick=True, seed=4)
    second = run_lab("q07", quick=True, seed=4)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_q07_tables_are_consistent():
    result = run_lab("q07", quick=True, seed=5)
    errors = {row["truth"]: row for row in result.tables["prediction error"]}
    assert set(errors) == {"dense", "sparse"}
    for row in errors.values():
        assert row["lasso/ridge"] == pytest.approx(
            row["lasso test MSE"] / row["ridge test MSE"], rel=1e-2
        )
    groups = result.tables["bootstrap stability per group"]
    assert all(np.isclose(g["ridge: non-zero members (mean)"], 5.0) for g in groups)
