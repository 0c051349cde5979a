"""Lab q03: every claim holds for several seeds; a broken Dropout.backward turns it red."""

import numpy as np
import pytest

import mlhood.nn
from mlhood.labs import q03_dropout


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q03_claims_hold(seed):
    result = q03_dropout.run(quick=True, seed=seed)
    assert result.id == "q03" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "keep" in result.answer and "Correct" in result.answer


def test_q03_same_seed_same_numbers():
    a = q03_dropout.gradient_check(3)
    b = q03_dropout.gradient_check(3)
    assert a == b


def _backward_ignoring_mask(self, grad, need_input_grad=True):
    """A wrong dropout backward: passes the gradient through as if nothing was dropped."""
    return grad if need_input_grad else None


def test_gradient_check_claim_turns_false_when_backward_ignores_the_mask(monkeypatch):
    monkeypatch.setattr(mlhood.nn.Dropout, "backward", _backward_ignoring_mask)
    check = q03_dropout.gradient_check(0)
    assert check["rel_error_first_layer_weight"] > 1e-3
    result = q03_dropout.run(quick=True, seed=0)
    gradient_claim = result.claims[0]
    assert "finite differences" in gradient_claim.statement
    assert gradient_claim.holds is False
    assert np.isfinite(gradient_claim.evidence["rel_error_first_layer_weight"])
