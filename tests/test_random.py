"""Random streams: every kind of random_state accepted, same seed same numbers."""

import inspect

import numpy as np
import pytest
from tests._estimators import all_estimators, data_for, make, outputs

from mlhood._random import as_generator, check_random_state
from mlhood.nn import Dropout, Linear


@pytest.mark.parametrize("helper", [as_generator, check_random_state])
@pytest.mark.parametrize("bad", [1.5, "0", True, [0]])
def test_rejects_what_is_not_a_random_state(helper, bad):
    with pytest.raises(TypeError, match="random_state must be None, an int"):
        helper(bad)


def test_same_seed_same_numbers():
    assert np.array_equal(
        as_generator(7, "weights").random(5), as_generator(7, "weights").random(5)
    )
    assert np.array_equal(check_random_state(7).rand(5), check_random_state(7).rand(5))


def test_int_seed_of_check_random_state_matches_numpy_random_state():
    assert np.array_equal(
        check_random_state(3).permutation(10), np.random.RandomState(3).permutation(10)
    )


def test_purposes_are_the_spawned_children_of_the_seed():
    child = np.random.SeedSequence(5, spawn_key=(123,))
    assert child.spawn_key == (123,)
    weights = as_generator(5, "weights").random(1000)
    dropout = as_generator(5, "dropout").random(1000)
    assert not np.allclose(weights, dropout)
    assert abs(np.corrcoef(weights, dropout)[0, 1]) < 0.1


def test_a_generator_is_used_as_it_is_and_a_random_state_is_advanced():
    rng = np.random.default_rng(0)
    assert as_generator(rng) is rng
    wrapped = check_random_state(rng)
    first = wrapped.randint(0, 2**31)
    assert first != check_random_state(rng).randint(0, 2**31)  # the Generator moved on
    legacy = np.random.RandomState(0)
    assert check_random_state(legacy) is legacy
    a, b = as_generator(legacy).random(), as_generator(legacy).random()
    assert a != b


def test_layers_with_the_same_int_seed_draw_independent_weights_and_masks():
    drop = Dropout(0.5, random_state=0)
    drop.train()
    mask = drop.forward(np.ones((64, 64))) > 0
    # Before streams were split, Dropout(random_state=0) read the raw bits of default_rng(0),
    # the very numbers Linear(random_state=0) turned into weights.
    bits = np.random.default_rng(0).bit_generator.random_raw(2048).view(np.uint32)
    shared_stream_mask = (bits < 2**31).reshape(64, 64)
    assert 0.45 < np.mean(mask == shared_stream_mask) < 0.55
    weights = Linear(64, 64, random_state=0).weight.data
    assert np.array_equal(weights, Linear(64, 64, random_state=0).weight.data)
    again = Dropout(0.5, random_state=0)
    again.train()
    assert np.array_equal(again.forward(np.ones((64, 64))) > 0, mask)


RANDOM_ESTIMATORS = [
    cls for cls in all_estimators() if "random_state" in inspect.signature(cls).parameters
]


@pytest.mark.parametrize("kind", ["generator", "random_state"])
@pytest.mark.parametrize("cls", RANDOM_ESTIMATORS, ids=lambda c: c.__name__)
def test_every_estimator_takes_any_kind_of_random_state_with_same_numbers(cls, kind):
    def fitted():
        seed = np.random.default_rng(3) if kind == "generator" else np.random.RandomState(3)
        estimator = make(cls).set_params(random_state=seed)
        X, y = data_for(estimator)
        return outputs(estimator.fit(X, y), X, y)

    first, second = fitted(), fitted()
    assert first.keys() == second.keys() and first
    for method in first:
        np.testing.assert_array_equal(first[method], second[method], err_msg=method)
