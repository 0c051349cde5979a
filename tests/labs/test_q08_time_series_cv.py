"""Lab q08: K-fold vs forward validation on time series; claims hold for 3 seeds."""

import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.linear_model import LinearRegression

from mlhood.labs import q08_time_series_cv as lab
from mlhood.model_selection import BlockedKFold, KFold, TimeSeriesSplit


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q08" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)


def test_same_seed_same_numbers_and_the_seed_reaches_the_folds():
    a, b = lab.run(quick=True, seed=4), lab.run(quick=True, seed=4)
    assert a.tables == b.tables
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]
    c = lab.run(quick=True, seed=5)
    assert a.tables != c.tables


def test_lag_features():
    t = np.arange(8.0)
    y = 10 * t
    X, target = lab.lag_features(t, y, 2, with_time=True)
    np.testing.assert_array_equal(X[0], [2.0, 10.0, 0.0])  # time, lag 1, lag 2
    np.testing.assert_array_equal(target, y[2:])


def test_leaked_fraction_counts_test_targets_used_as_training_inputs():
    one = [(np.array([3]), np.array([2]))]  # row 3's lag 1 is row 2's target
    assert lab.leaked_fraction(skms.PredefinedSplit([-1, -1, 0, -1]), 4, 1) == 1.0
    assert lab.leaked_fraction(_Fixed(one), 6, 1) == 1.0
    reverse = [(np.array([2]), np.array([3]))]  # row 3's *input* is row 2's target: no leak
    assert lab.leaked_fraction(_Fixed(reverse), 6, 1) == 0.0
    assert lab.leaked_fraction(TimeSeriesSplit(2, gap=0), 30, 3) == 0.0
    assert lab.leaked_fraction(BlockedKFold(5, gap=0), 30, 3) > 0.0
    assert lab.leaked_fraction(BlockedKFold(5, gap=3), 30, 3) == 0.0
    assert lab.leaked_fraction(KFold(5, shuffle=True, random_state=0), 30, 3) > 0.9


def test_rows_between():
    assert lab.rows_between(TimeSeriesSplit(2, test_size=2, gap=1), 7) == 2
    assert lab.rows_between(KFold(3), 9) < 0


def test_ols_kfold_closed_form_equals_refitting_each_fold():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(53, 3))
    y = X @ [1.0, -1.0, 0.5] + 2.0 + rng.normal(size=53)
    folds = np.array_split(rng.permutation(53), 5)
    cv = [(np.setdiff1d(np.arange(53), f), f) for f in folds]
    scores = skms.cross_val_score(
        LinearRegression(), X, y, cv=cv, scoring="neg_mean_squared_error"
    )
    assert lab.ols_kfold_mse(X, y, folds) == pytest.approx(-scores.mean(), rel=1e-10)


class _Fixed:
    def __init__(self, pairs):
        self.pairs = pairs

    def split(self, X):
        return iter(self.pairs)
