"""Splitters against scikit-learn's indices, plus properties of the time-series splitters."""

import numpy as np
import pytest
import sklearn.model_selection as skms
from hypothesis import given, settings
from hypothesis import strategies as st

from mlhood.model_selection import (
    BlockedKFold,
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    TimeSeriesSplit,
    train_test_split,
    train_val_test_split,
)


def assert_same_splits(ours, theirs, X, y=None):
    ours, theirs = list(ours.split(X, y)), list(theirs.split(X, y))
    assert len(ours) == len(theirs)
    for (a_tr, a_te), (b_tr, b_te) in zip(ours, theirs):
        np.testing.assert_array_equal(a_tr, b_tr)
        np.testing.assert_array_equal(a_te, b_te)


@pytest.mark.parametrize("n", [10, 23])
@pytest.mark.parametrize("k", [2, 3, 5])
@pytest.mark.parametrize("shuffle,seed", [(False, None), (True, 0), (True, 7)])
def test_kfold_matches_sklearn(n, k, shuffle, seed):
    X = np.zeros((n, 2))
    assert_same_splits(
        KFold(k, shuffle=shuffle, random_state=seed),
        skms.KFold(k, shuffle=shuffle, random_state=seed),
        X,
    )


@pytest.mark.parametrize("shuffle,seed", [(False, None), (True, 0), (True, 3)])
@pytest.mark.parametrize("k", [2, 3, 4])
def test_stratified_kfold_matches_sklearn(shuffle, seed, k):
    y = np.random.RandomState(1).choice(["a", "b", "c"], size=37, p=[0.5, 0.3, 0.2])
    y[:4] = ["c", "c", "c", "b"]
    X = np.zeros((y.size, 1))
    assert_same_splits(
        StratifiedKFold(k, shuffle=shuffle, random_state=seed),
        skms.StratifiedKFold(k, shuffle=shuffle, random_state=seed),
        X,
        y,
    )


@pytest.mark.parametrize("test_size,train_size", [(None, None), (0.3, None), (5, 10), (None, 0.5)])
def test_shuffle_split_matches_sklearn(test_size, train_size):
    X = np.zeros((31, 1))
    assert_same_splits(
        ShuffleSplit(4, test_size=test_size, train_size=train_size, random_state=2),
        skms.ShuffleSplit(4, test_size=test_size, train_size=train_size, random_state=2),
        X,
    )


@pytest.mark.parametrize("seed", [0, 5])
def test_train_test_split_matches_sklearn(seed):
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    ours = train_test_split(X, y, test_size=0.3, random_state=seed)
    theirs = skms.train_test_split(X, y, test_size=0.3, random_state=seed)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)
    ours = train_test_split(X, y, test_size=4, shuffle=False)
    theirs = skms.train_test_split(X, y, test_size=4, shuffle=False)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a, b)


def test_stratified_train_test_split_keeps_proportions():
    y = np.array([0] * 60 + [1] * 30 + [2] * 10)
    X = np.arange(100)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    assert np.bincount(y_te).tolist() == [12, 6, 2]
    assert sorted(np.concatenate([X_tr, X_te]).tolist()) == list(range(100))
    np.testing.assert_array_equal(y[X_te], y_te)


def test_train_val_test_split_partitions():
    X = np.arange(50)
    tr, va, te = train_val_test_split(X, val_size=0.2, test_size=0.1, random_state=0)
    assert (len(tr), len(va), len(te)) == (35, 10, 5)
    assert sorted(np.concatenate([tr, va, te]).tolist()) == list(range(50))
    y = np.array([0, 1] * 25)
    parts = train_val_test_split(X, y, val_size=10, test_size=10, stratify=y, random_state=1)
    assert [np.bincount(p).tolist() for p in parts[3:]] == [[15, 15], [5, 5], [5, 5]]


def test_blocked_kfold_equals_unshuffled_kfold_and_respects_gap():
    X = np.zeros((23, 1))
    assert_same_splits(BlockedKFold(4), skms.KFold(4), X)
    for train, test in BlockedKFold(4, gap=2).split(X):
        distance = np.abs(train[:, None] - test[None, :]).min()
        assert distance > 2


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"gap": 2},
        {"test_size": 3},
        {"max_train_size": 5},
        {"test_size": 2, "gap": 1, "max_train_size": 4},
    ],
)
def test_time_series_split_matches_sklearn(kwargs):
    X = np.zeros((29, 1))
    assert_same_splits(TimeSeriesSplit(4, **kwargs), skms.TimeSeriesSplit(4, **kwargs), X)


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(8, 200),
    k=st.integers(2, 6),
    gap=st.integers(0, 5),
    max_train=st.one_of(st.none(), st.integers(1, 50)),
    test_size=st.one_of(st.none(), st.integers(1, 10)),
)
def test_time_series_split_never_trains_on_the_future(n, k, gap, max_train, test_size):
    splitter = TimeSeriesSplit(k, gap=gap, max_train_size=max_train, test_size=test_size)
    t = test_size if test_size is not None else n // (k + 1)
    if n - k * t - gap <= 0:
        with pytest.raises(ValueError, match="too small"):
            list(splitter.split(np.zeros(n)))
        return
    splits = list(splitter.split(np.zeros(n)))
    assert len(splits) == k
    for train, test in splits:
        assert train.size > 0 and test.size == t
        assert train.max() + gap < test.min()
        assert test.min() - train.max() - 1 == gap
        if max_train is not None:
            assert train.size <= max_train


def test_sklearn_accepts_our_splitters_as_cv():
    from sklearn.linear_model import Ridge

    X = np.random.RandomState(0).normal(size=(40, 3))
    y = X @ [1.0, 2.0, 3.0]
    for cv in (KFold(4), BlockedKFold(4, gap=1), TimeSeriesSplit(3)):
        scores = skms.cross_val_score(Ridge(alpha=1e-3), X, y, cv=cv)
        assert scores.shape == (cv.get_n_splits(),) and scores.min() > 0.99


@pytest.mark.parametrize(
    "make", [lambda: KFold(11), lambda: BlockedKFold(11), lambda: StratifiedKFold(11)]
)
def test_too_many_splits_is_a_clear_error(make):
    with pytest.raises(ValueError, match="n_splits"):
        list(make().split(np.zeros((10, 1)), np.arange(10) % 2))


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_splits"):
        KFold(1)
    with pytest.raises(TypeError, match="n_splits"):
        KFold(2.5)
    with pytest.raises(ValueError, match="gap"):
        TimeSeriesSplit(3, gap=-1)
    with pytest.raises(ValueError, match="n_splits"):
        list(TimeSeriesSplit(10).split(np.zeros(5)))
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(np.arange(5), test_size=1.5)
    with pytest.raises(ValueError, match="same number"):
        train_test_split(np.arange(5), np.arange(4))
