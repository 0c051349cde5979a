"""Lab q01 (overfitting, bias-variance, OOB): every claim holds for several seeds."""

import numpy as np
import pytest

from mlhood.labs import run_lab
from mlhood.labs.q01_overfitting import friedman, polynomial_design


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q01_claims_hold(seed):
    result = run_lab("q01", quick=True, seed=seed)
    assert result.id == "q01" and result.title and result.question and result.answer
    assert "36.8%" in result.answer and "bias²" in result.answer
    assert len(result.claims) >= 6
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]


def test_q01_same_seed_same_numbers():
    first, second = run_lab("q01", seed=4), run_lab("q01", seed=4)
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_decomposition_table_is_consistent():
    rows = run_lab("q01", seed=1).tables["bias-variance decomposition"]
    for row in rows:
        assert row["noise"] == pytest.approx(1.0, abs=0.15)  # the simulated noise variance
        assert row["bias²"] >= 0 and row["variance"] >= 0


def test_helpers():
    X = np.array([[0.5, 1.0, 0.5, 0.0, 0.0]])
    assert friedman(X)[0] == pytest.approx(10.0)  # 10 sin(pi/2)
    x = np.linspace(0, 1, 30)
    P, P_other = polynomial_design(x, x)
    assert P.shape == (30, 15)
    np.testing.assert_allclose(P.mean(axis=0), 0, atol=1e-10)
    np.testing.assert_allclose(P, P_other)
