"""Lab q13: selection bias on coin-flip labels, nested CV and early stopping; 3 seeds."""

import numpy as np
import pytest

from mlhood.labs import q13_validation_set as lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q13" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)


def test_subset_tree_uses_its_columns_and_is_seeded():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 20))
    y = (X[:, 7] > 0).astype(int)
    a = lab.SubsetTree(subset_seed=4, n_features=3).fit(X, y)
    b = lab.SubsetTree(subset_seed=4, n_features=3).fit(X, y)
    np.testing.assert_array_equal(a.columns_, b.columns_)
    assert len(set(a.columns_)) == 3
    full = lab.SubsetTree(subset_seed=0, n_features=20, max_depth=1).fit(X, y)
    assert full.score(X, y) == 1.0  # the informative column 7 is available
