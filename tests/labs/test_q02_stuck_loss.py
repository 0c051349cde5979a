"""Lab q02: every claim holds for several seeds, with figures and tables."""

import pytest

from mlhood.labs import q02_stuck_loss


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q02_claims_hold(seed):
    result = q02_stuck_loss.run(quick=True, seed=seed)
    assert result.id == "q02" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "Correct" in result.answer


def test_q02_every_fault_is_named_in_the_table():
    result = q02_stuck_loss.run(quick=True, seed=3)
    named = [row["diagnosis"] for row in result.tables["faults"]]
    assert named == list(q02_stuck_loss.FAULTS)
