"""Lab q11: every claim holds for several seeds, with figures and tables."""

import numpy as np
import pytest

from mlhood.labs import q11_sgd


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q11_claims_hold(seed):
    result = q11_sgd.run(quick=True, seed=seed)
    assert result.id == "q11" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "Correct" in result.answer


def test_q11_least_squares_optimum_and_path():
    X, y, w_opt, loss_opt = q11_sgd.make_problem(0, 500)
    np.testing.assert_allclose(w_opt, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    # full-batch descent from the same start converges to the least-squares solution
    points = q11_sgd.path(X, y, 500, 0.3, 300, seed=0)
    np.testing.assert_allclose(points[-1], w_opt, atol=1e-6)
    assert q11_sgd.full_loss(points[-1], X, y) == pytest.approx(loss_opt, rel=1e-9)
