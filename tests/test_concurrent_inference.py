"""A fitted estimator answers the same from many threads at once as from one thread.

A web server calls ``predict`` / ``predict_proba`` / ``transform`` of one fitted model
from several threads; an estimator that reuses internal buffers between calls (as the
``nn`` layers do for speed) must not let one call overwrite another's output.
"""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from tests._estimators import all_estimators, data_for, make, outputs

N_THREADS, ROUNDS = 8, 6


def _batches(X, y, n):
    """``n`` different inputs of the same shape (same shape: the same buffers get reused)."""
    rng = np.random.default_rng(1)
    picks = [rng.permutation(len(X if X is not None else y))[:64] for _ in range(n)]
    return [(None if X is None else X[p], None if y is None else y[p]) for p in picks]


@pytest.mark.parametrize("cls", all_estimators(), ids=lambda c: c.__name__)
def test_concurrent_inference_matches_single_thread(cls):
    estimator = make(cls)
    X, y = data_for(estimator)
    if type(estimator).__name__ == "LabelEncoder":
        estimator.fit(y)
    else:
        estimator.fit(X, y) if y is not None else estimator.fit(X)
    batches = _batches(X, y, N_THREADS)
    expected = [outputs(estimator, bx, by) for bx, by in batches]
    assert expected[0], f"{cls.__name__} has no inference method"

    def work(i):
        bx, by = batches[i % N_THREADS]
        return i % N_THREADS, outputs(estimator, bx, by)

    with ThreadPoolExecutor(N_THREADS) as pool:
        results = list(pool.map(work, range(N_THREADS * ROUNDS)))
    for index, got in results:
        for method, values in expected[index].items():
            np.testing.assert_array_equal(got[method], values, err_msg=f"{cls.__name__}.{method}")
