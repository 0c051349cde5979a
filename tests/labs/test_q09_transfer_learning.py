"""Lab q09: claims hold on several seeds; the transfer machinery is pinned."""

import copy

import numpy as np
import pytest

from mlhood import mistakes
from mlhood.labs import q09_transfer_learning as q09


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q09_claims_hold(seed):
    result = q09.run(quick=True, seed=seed)
    assert result.id == "q09" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert set(result.tables) == {
        "shared_latent_accuracy",
        "digits_accuracy",
        "transfer_mechanics",
    }
    assert "Correct" in result.answer


def test_q09_same_seed_same_numbers():
    first = q09.run(quick=True, seed=4)
    second = q09.run(quick=True, seed=4)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


@pytest.fixture(scope="module")
def digits():
    data = q09.split_tasks(0)
    return data, q09.pretrain(data, 0, epochs=2)


def test_digit_tasks_are_disjoint_and_the_source_is_left_alone(digits):
    data, source = digits
    assert set(np.unique(data["source_train"][1])) == {0, 1, 2, 3, 4}
    assert set(np.unique(data["target_pool"][1])) == {0, 1, 2, 3, 4}  # digits 5-9 relabelled
    before = source[0].weight.data.copy()
    out = q09.compare_methods(source, data, per_class=2, seed=0, steps=20, control=True)
    np.testing.assert_array_equal(source[0].weight.data, before)  # copies, not shared
    assert out["mechanics"]["copied_minus_source"] == 0.0
    assert out["mechanics"]["frozen_drift"] == 0.0
    assert 0.0 < out["mechanics"]["body_over_head_change"] < 0.5
    assert set(out) == {*q09.METHODS, q09.CONTROL, "mechanics"}


def test_transfer_copies_the_hidden_layers_and_draws_a_fresh_head(digits):
    _, source = digits
    target = q09.transfer(source, 5, seed=3)
    for i in q09.BODY:
        np.testing.assert_array_equal(target[i].weight.data, source[i].weight.data)
        assert target[i].weight.data is not source[i].weight.data
    assert target[4].weight.shape == (5, 64)


@pytest.mark.parametrize(
    ("mistake_id", "mechanic"),
    [
        ("copy-layers-reinitialises", "copied_minus_source"),
        ("freeze-still-updates", "frozen_drift"),
        ("copy-layers-aliases", "source_change"),
        ("layer-lr-groups-ignored", "body_over_head_change"),
    ],
)
def test_each_transfer_mistake_shows_in_the_mechanics(digits, mistake_id, mechanic):
    data, source = digits
    with mistakes.applied(mistake_id):
        _, worst = q09.learning_curve(copy.deepcopy(source), data, [2], 1, 0)
    limit = 0.5 if mechanic == "body_over_head_change" else 0.0
    assert worst[mechanic] > limit


def test_q09_shared_latent_target_is_balanced_and_seeded():
    data = q09.shared_latent_tasks(0, n_source=500)
    X_pool, y_pool = data["target_pool"]
    assert X_pool.shape == (2000, 120) and X_pool.dtype == np.float32
    np.testing.assert_array_equal(np.bincount(y_pool), [400] * 5)
    np.testing.assert_array_equal(np.bincount(data["target_test"][1]), [200] * 5)
    again = q09.shared_latent_tasks(0, n_source=500)
    np.testing.assert_array_equal(again["target_pool"][0], X_pool)
