"""Lab q09: every claim holds for several seeds, with figures and tables."""

import numpy as np
import pytest

from mlhood.labs import q09_transfer_learning


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q09_claims_hold(seed):
    result = q09_transfer_learning.run(quick=True, seed=seed)
    assert result.id == "q09" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert set(result.tables) == {"shared_latent_accuracy", "digits_accuracy"}
    assert "Correct" in result.answer


def test_q09_same_seed_same_numbers():
    first = q09_transfer_learning.run(quick=True, seed=4)
    second = q09_transfer_learning.run(quick=True, seed=4)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_q09_digit_tasks_are_disjoint_and_frozen_layers_do_not_move():
    data = q09_transfer_learning.split_tasks(0)
    assert set(np.unique(data["source_train"][1])) == {0, 1, 2, 3, 4}
    assert set(np.unique(data["target_pool"][1])) == {0, 1, 2, 3, 4}  # digits 5-9 relabelled
    source = q09_transfer_learning.pretrain(data, 0, epochs=2)
    before = source[0].weight.data.copy()
    q09_transfer_learning.compare_methods(source, data, per_class=2, seed=0, steps=20)
    np.testing.assert_array_equal(source[0].weight.data, before)  # copies, not shared


def test_q09_shared_latent_target_is_balanced_and_seeded():
    data = q09_transfer_learning.shared_latent_tasks(0, n_source=500)
    X_pool, y_pool = data["target_pool"]
    assert X_pool.shape == (2000, 120) and X_pool.dtype == np.float32
    np.testing.assert_array_equal(np.bincount(y_pool), [400] * 5)
    np.testing.assert_array_equal(np.bincount(data["target_test"][1]), [200] * 5)
    again = q09_transfer_learning.shared_latent_tasks(0, n_source=500)
    np.testing.assert_array_equal(again["target_pool"][0], X_pool)
