"""Lab q15 (curse of dimensionality): claims hold, same seed same numbers, helpers pinned."""

import numpy as np
import pytest
from scipy import stats

from mlhood.labs import run_lab
from mlhood.labs.q15_dimensionality import (
    brute_force_knn,
    concentration,
    noisy_classes,
    pooled_t_squared,
    query_distances,
)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q15_claims_hold(seed):
    result = run_lab("q15", quick=True, seed=seed)
    assert result.id == "q15" and result.title and result.question and result.answer
    assert len(result.claims) == 7
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]


def test_q15_same_seed_same_numbers():
    first, second = run_lab("q15", seed=3), run_lab("q15", seed=3)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_query_distances_are_all_the_distances_sorted():
    rng_a, rng_b = np.random.default_rng(0), np.random.default_rng(0)
    dist = query_distances(7, 3, rng_a)
    reference, queries = rng_b.uniform(size=(7, 3)), rng_b.uniform(size=(7, 3))
    direct = np.linalg.norm(queries[:, None] - reference[None], axis=2)
    np.testing.assert_allclose(dist, np.sort(direct, axis=1), rtol=1e-10)


def test_concentration_spread_matches_its_closed_form_in_high_dimension():
    (row,) = concentration([400], 200, np.random.default_rng(1))
    assert row["std/mean of squared distance"] == pytest.approx(
        row["closed form 6*sqrt(7/180)/sqrt(d)"], rel=0.1
    )


def test_brute_force_knn_is_a_majority_vote_of_the_nearest():
    X_train = np.array([[0.0], [1.0], [2.0], [10.0], [11.0]])
    y_train = np.array([0, 0, 1, 1, 1])
    dist, pred = brute_force_knn(X_train, y_train, np.array([[0.4], [10.2]]), k=3)
    np.testing.assert_allclose(dist, [[0.4, 0.6, 1.6], [0.2, 0.8, 8.2]])
    np.testing.assert_array_equal(pred, [0, 1])


def test_pooled_t_squared_is_scipy_t_test_squared():
    X, y = noisy_classes(80, 3, np.random.default_rng(2), positive_rate=0.3)
    t = stats.ttest_ind(X[y == 0], X[y == 1], equal_var=True).statistic
    np.testing.assert_allclose(pooled_t_squared(X, y), t**2, rtol=1e-10)


def test_noisy_classes_are_offset_and_unbalanced_when_asked():
    X, y = noisy_classes(4000, 10, np.random.default_rng(3), positive_rate=0.3)
    assert X.shape == (4000, 15)
    assert abs(y.mean() - 0.3) < 0.03
    assert np.all(np.abs(X[:, 5:].mean(axis=0) - 3.0) < 0.1)  # not centred
