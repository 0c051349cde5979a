"""Lab q05: claims hold, same seed same numbers, helpers pinned against closed forms."""

import numpy as np
import pytest
from scipy.special import expit

from mlhood.labs import q05_cross_entropy


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q05_claims_hold(seed):
    result = q05_cross_entropy.run(quick=True, seed=seed)
    assert result.id == "q05" and result.title and result.question and result.answer
    assert len(result.claims) == 5
    assert all(claim.holds for claim in result.claims), [
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


def test_confident_wrong_matches_closed_forms():
    out = q05_cross_entropy.confident_wrong(z=-4.0, n=3)
    p = expit(-4.0)
    assert out["dCE/dz"] == pytest.approx(p - 1, rel=1e-12)
    assert out["dMSE/dz"] == pytest.approx(2 * (p - 1) * p * (1 - p), rel=1e-12)


def test_formula_check_references_are_the_large_logit_limits():
    out = q05_cross_entropy.formula_check(0)
    assert not np.isfinite(out["huge_logits_exp_first"])  # what the stable form avoids
    assert out["huge_logits_reference"] > 100 and out["huge_binary_reference"] > 100


def test_gradient_check_is_small_for_the_library():
    errors = q05_cross_entropy.gradient_check(3)
    assert set(errors) == {"cross-entropy", "binary cross-entropy", "sigmoid -> squared error"}
    assert max(errors.values()) < 1e-6


def test_epochs_to_reach():
    curve = np.array([3.0, 2.0, 1.0, 0.5])
    assert q05_cross_entropy.epochs_to_reach(curve, 1.0) == 3
    assert q05_cross_entropy.epochs_to_reach(curve, 0.1) == 5
