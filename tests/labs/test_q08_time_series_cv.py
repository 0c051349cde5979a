"""Lab q08: K-fold vs forward validation on time series; claims hold for 3 seeds."""

import numpy as np
import pytest

from mlhood.labs import q08_time_series_cv as lab
from mlhood.model_selection import KFold, TimeSeriesSplit


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q08" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)


def test_lag_features_and_leak_counter():
    t = np.arange(8.0)
    y = 10 * t
    X, target = lab.lag_features(t, y, 2, with_time=True)
    np.testing.assert_array_equal(X[0], [2.0, 10.0, 0.0])  # time, lag 1, lag 2
    np.testing.assert_array_equal(target, y[2:])
    assert lab.leaked_fraction(TimeSeriesSplit(2, gap=3), 30, 3) == 0.0
    assert lab.leaked_fraction(TimeSeriesSplit(2, gap=0), 30, 3) > 0.0
    assert lab.leaked_fraction(KFold(5, shuffle=True, random_state=0), 30, 3) > 0.9
