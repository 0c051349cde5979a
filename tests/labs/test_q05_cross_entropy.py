"""Lab q05: every claim holds for several seeds, with figures and tables."""

import numpy as np
import pytest

from mlhood.labs import q05_cross_entropy


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q05_claims_hold(seed):
    result = q05_cross_entropy.run(quick=True, seed=seed)
    assert result.id == "q05" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "Correct" in result.answer


def test_q05_same_seed_same_numbers():
    a, b = q05_cross_entropy.run(quick=True, seed=4), q05_cross_entropy.run(quick=True, seed=4)
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]


def test_q05_gradient_table_matches_closed_forms():
    (row,) = q05_cross_entropy.logit_gradients(np.array([-2.0]))
    p = 1 / (1 + np.exp(2.0))
    assert row["dCE/dz"] == pytest.approx(p - 1, rel=1e-12)
    assert row["dMSE/dz"] == pytest.approx(2 * (p - 1) * p * (1 - p), rel=1e-12)
