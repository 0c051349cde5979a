"""Lab q06 (A/B testing): every claim holds for several seeds, same seed same numbers."""

import pytest

from mlhood.labs import run_lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q06_claims_hold(seed):
    result = run_lab("q06", quick=True, seed=seed)
    assert result.id == "q06" and result.title
    assert result.figures and result.tables
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    split = {row["split"]: row["total_users"] for row in result.tables["users_needed_by_split"]}
    assert split["50/50"] == 2 * 3835


def test_q06_is_reproducible():
    a = run_lab("q06", quick=True, seed=4).to_dict()
    b = run_lab("q06", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
