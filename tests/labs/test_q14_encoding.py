"""Lab q14 (encoding): every claim holds for several seeds, same seed same numbers."""

import pytest

from mlhood.labs import run_lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q14_claims_hold(seed):
    result = run_lab("q14", quick=True, seed=seed)
    assert result.id == "q14" and result.title and result.question and result.answer
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    high = {r["encoding"]: r["columns"] for r in result.tables["high_cardinality"]}
    assert high["target encoding (out-of-fold) + linear"] == 1
    modes = [r["handle_unknown"] for r in result.tables["unknown_categories"]]
    assert modes[:2] == ["error", "ignore"]


def test_q14_is_reproducible():
    a = run_lab("q14", quick=True, seed=4).to_dict()
    b = run_lab("q14", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b
