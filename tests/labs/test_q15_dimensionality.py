"""Lab q15 (curse of dimensionality): every claim holds for several seeds."""

import numpy as np
import pytest

from mlhood.labs import run_lab
from mlhood.labs.q15_dimensionality import pairwise_distances, top_features_by_f_score


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q15_claims_hold(seed):
    result = run_lab("q15", quick=True, seed=seed)
    assert result.id == "q15" and result.title and result.question and result.answer
    assert len(result.claims) >= 5
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert result.to_dict()["claims"]


def test_q15_same_seed_same_numbers():
    first, second = run_lab("q15", seed=3), run_lab("q15", seed=3)
    assert first.tables == second.tables


def test_pairwise_distances_against_direct_formula():
    X = np.random.default_rng(0).normal(size=(6, 4))
    i, j = np.triu_indices(6, k=1)
    np.testing.assert_allclose(pairwise_distances(X), np.linalg.norm(X[i] - X[j], axis=1))


def test_f_score_keeps_the_informative_features():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 500)
    X = rng.normal(size=(500, 30))
    X[:, [3, 17]] += 2 * y[:, None]
    np.testing.assert_array_equal(top_features_by_f_score(X, y, 2), [3, 17])
