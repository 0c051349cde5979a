"""k-NN against scikit-learn's brute-force search: same neighbours, same predictions."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import neighbors as sk_neighbors
from sklearn.datasets import load_digits, load_wine

from mlhood.neighbors import KNeighborsClassifier, KNeighborsRegressor
from mlhood.neighbors._search import QUERY_BLOCK, TRAIN_TILE


def data(seed, n_train=1500, n_query=1100, p=7):
    """More training rows than one tile and more queries than one block: tiling is tested."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_train, p)) * 3 + 100.0  # far from the origin: cancellation test
    Q = rng.normal(size=(n_query, p)) * 3 + 100.0
    return X, Q, rng.integers(0, 4, n_train), X[:, 0] - X[:, 1] ** 2


def test_tiling_is_exercised():
    # several tiles (the last one partial) and several query blocks per search
    assert 1500 > TRAIN_TILE and 1500 % TRAIN_TILE and 1100 > 2 * QUERY_BLOCK


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("n_jobs", [1, 2])
def test_same_as_sklearn_brute(metric, weights, n_jobs):
    X, Q, y, y_reg = data(0)
    kw = dict(n_neighbors=7, weights=weights, metric=metric)
    ours = KNeighborsClassifier(n_jobs=n_jobs, **kw).fit(X, y)
    ref = sk_neighbors.KNeighborsClassifier(algorithm="brute", **kw).fit(X, y)
    dist, idx = ours.kneighbors(Q)
    ref_dist, ref_idx = ref.kneighbors(Q)
    np.testing.assert_array_equal(idx, ref_idx)
    np.testing.assert_allclose(dist, ref_dist, rtol=1e-9)
    np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q), atol=1e-12)
    np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
    reg = KNeighborsRegressor(n_jobs=n_jobs, **kw).fit(X, y_reg)
    ref_reg = sk_neighbors.KNeighborsRegressor(algorithm="brute", **kw).fit(X, y_reg)
    np.testing.assert_allclose(reg.predict(Q), ref_reg.predict(Q), rtol=1e-10)


@pytest.mark.parametrize("loader", [load_wine, load_digits])
def test_accuracy_as_sklearn_on_bundled_data(loader):
    X, y = loader(return_X_y=True)
    rng = np.random.default_rng(0)
    test = rng.permutation(len(y))[: len(y) // 3]
    train = np.setdiff1d(np.arange(len(y)), test)
    ours = KNeighborsClassifier().fit(X[train], y[train]).predict(X[test])
    ref = sk_neighbors.KNeighborsClassifier(algorithm="brute").fit(X[train], y[train])
    # digits has exact distance ties (integer pixels): compare accuracy, not every label
    assert abs(np.mean(ours == y[test]) - ref.score(X[test], y[test])) <= 0.01


def test_ties_go_to_lower_training_index():
    X = np.array([[1.0], [-1.0], [1.0], [3.0]])  # rows 0, 1, 2 are all at distance 1 from 0
    knn = KNeighborsClassifier(n_neighbors=2).fit(X, [0, 1, 1, 0])
    _, idx = knn.kneighbors([[0.0]])
    np.testing.assert_array_equal(idx, [[0, 1]])
    # a 1-1 vote goes to the first class in classes_
    assert knn.predict([[0.0]])[0] == 0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("k", [7, TRAIN_TILE + 44])
def test_exact_ties_across_tiles_go_to_the_lower_index(dtype, k):
    """Small integers make every score exact, so ties are exact. Each point appears twice,
    300 rows apart (other tiles, the last one partial); ``k`` may exceed the tile width."""
    rng = np.random.default_rng(3)
    A = rng.integers(-3, 4, size=(150, 3))
    X = np.vstack([A, -A, A, -A])  # mean exactly 0, so centring is exact too
    Q = rng.integers(-3, 4, size=(QUERY_BLOCK + 100, 3))
    sq = ((Q[:, None, :] - X[None]) ** 2).sum(-1)
    expected = np.argsort(sq, axis=1, kind="stable")[:, :k]
    knn = KNeighborsRegressor(n_neighbors=k, n_jobs=2).fit(X.astype(dtype), np.zeros(600))
    dist, idx = knn.kneighbors(Q.astype(dtype))
    np.testing.assert_array_equal(idx, expected)
    np.testing.assert_allclose(dist, np.sqrt(np.take_along_axis(sq, expected, 1)), rtol=1e-6)


def test_distance_weights_with_exact_match():
    X = np.array([[0.0], [1.0], [2.0]])
    reg = KNeighborsRegressor(n_neighbors=3, weights="distance").fit(X, [5.0, 1.0, 2.0])
    assert reg.predict([[0.0]])[0] == 5.0  # coincident training point takes all the weight
    np.testing.assert_allclose(
        reg.predict([[0.5]]), [(5 / 0.5 + 1 / 0.5 + 2 / 1.5) / (2 / 0.5 + 1 / 1.5)]
    )


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), k=st.integers(1, 10), p=st.integers(1, 6))
def test_neighbours_are_the_k_smallest_distances(seed, k, p):
    rng = np.random.default_rng(seed)
    X, Q = rng.normal(size=(40, p)), rng.normal(size=(5, p))
    dist, idx = KNeighborsRegressor(n_neighbors=k).fit(X, np.zeros(40)).kneighbors(Q)
    full = np.sqrt(((Q[:, None, :] - X[None]) ** 2).sum(-1))
    np.testing.assert_allclose(dist, np.sort(full, axis=1)[:, :k], atol=1e-10)
    np.testing.assert_allclose(np.take_along_axis(full, idx, 1), dist, atol=1e-10)


def test_bad_input_raises():
    X, Q, y, _ = data(1, n_train=20, n_query=3)
    with pytest.raises(ValueError, match="n_neighbors"):
        KNeighborsClassifier(n_neighbors=21).fit(X, y).predict(Q)
    with pytest.raises(ValueError, match="n_neighbors"):
        KNeighborsClassifier(n_neighbors=0).fit(X, y)
    with pytest.raises(ValueError, match="metric"):
        KNeighborsClassifier(metric="cosine").fit(X, y)
    with pytest.raises(ValueError, match="weights"):
        KNeighborsRegressor(weights="gaussian").fit(X, y)
    with pytest.raises(ValueError, match="features"):
        KNeighborsClassifier().fit(X, y).predict(Q[:, :3])
    Q_bad = Q.copy()
    Q_bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        KNeighborsClassifier().fit(X, y).predict(Q_bad)


def test_float32_is_searched_in_float32_and_finds_the_exact_neighbours():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(700, 12)) + 5.0  # off the origin: centring matters in float32
    queries = rng.normal(size=(QUERY_BLOCK + 90, 12)) + 5.0
    y = rng.integers(0, 3, 700)
    exact = sk_neighbors.KNeighborsClassifier(n_neighbors=4, algorithm="brute").fit(X, y)
    exact_distances, exact_indices = exact.kneighbors(queries)
    single = KNeighborsClassifier(n_neighbors=4, n_jobs=2).fit(X.astype(np.float32), y)
    distances, indices = single.kneighbors(queries.astype(np.float32))
    assert distances.dtype == np.float32
    np.testing.assert_array_equal(indices, exact_indices)
    np.testing.assert_allclose(distances, exact_distances, rtol=1e-5)
