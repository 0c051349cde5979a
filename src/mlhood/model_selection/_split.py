"""Random splitters: K-fold, stratified K-fold, shuffle-split and the train/test helpers.

Every splitter follows scikit-learn's protocol -- ``split(X, y=None, groups=None)`` yields
``(train_indices, test_indices)`` and ``get_n_splits(...)`` says how many -- so each one
can be passed as ``cv=`` to scikit-learn as well as to mlhood.

``KFold``, ``StratifiedKFold`` and ``ShuffleSplit`` give the same indices as
scikit-learn's classes of the same name for the same ``random_state``: they draw from the
same :class:`numpy.random.RandomState` stream in the same order (one ``shuffle`` of the
index array for ``KFold``; one ``permutation`` per split for ``ShuffleSplit``; one
``shuffle`` of each class's fold labels for ``StratifiedKFold``). The stratified
``train_test_split`` is our own allocation (largest remainders per class) and is not
index-for-index equal to scikit-learn's ``StratifiedShuffleSplit``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
from sklearn.utils.validation import _num_samples, column_or_1d

from mlhood._params import Interval, ValidatedParamsMixin, validate_params
from mlhood._random import check_random_state

N_FOLDS = [Interval(Integral, 2, None, closed="left")]
_SIZE = [Interval(Integral, 1, None, closed="left"), Interval(Real, 0, 1, closed="neither"), None]


def _check_enough_samples(n_splits: int, n_samples: int) -> None:
    if n_splits > n_samples:
        raise ValueError(
            f"n_splits={n_splits} is larger than the number of samples n_samples={n_samples}"
        )


def _fold_sizes(n_samples: int, n_splits: int) -> np.ndarray:
    """Sizes of ``n_splits`` contiguous folds: the first ``n % k`` get one extra sample."""
    sizes = np.full(n_splits, n_samples // n_splits, dtype=int)
    sizes[: n_samples % n_splits] += 1
    return sizes


class BaseSplitter(ValidatedParamsMixin):
    """Shared protocol: ``split`` yields index pairs, ``get_n_splits`` counts them.

    A splitter checks its ``_parameter_constraints`` when it is built (as scikit-learn's
    splitters do: a splitter has no ``fit`` to defer the check to).
    """

    def get_params(self, deep: bool = False) -> dict:
        """The constructor's parameters (``deep`` is accepted for the estimator protocol)."""
        return dict(vars(self))

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        return self.n_splits

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({params})"


class KFold(BaseSplitter):
    """K-fold cross-validation: ``k`` contiguous folds of an (optionally shuffled) index.

    Fold ``i`` is the test set once; the other ``k - 1`` folds train. Fold sizes differ by
    at most one (the first ``n mod k`` folds get the extra sample).

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds, at least 2 and at most the number of samples.
    shuffle : bool, default=False
        Shuffle the indices once before cutting them into folds.
    random_state : int, RandomState or None
        Seed of the shuffle (only used when ``shuffle=True``).

    Examples
    --------
    >>> [test.tolist() for _, test in KFold(3).split(range(5))]
    [[0, 1], [2, 3], [4]]
    """

    _parameter_constraints = {
        "n_splits": N_FOLDS,
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state
        self._validate_params()

    def _test_folds(self, n_samples: int):
        indices = np.arange(n_samples)
        if self.shuffle:
            check_random_state(self.random_state).shuffle(indices)
        bounds = np.concatenate([[0], np.cumsum(_fold_sizes(n_samples, self.n_splits))])
        for start, stop in zip(bounds[:-1], bounds[1:]):
            yield indices[start:stop]

    def split(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        _check_enough_samples(self.n_splits, n_samples)
        for test in self._test_folds(n_samples):
            mask = np.ones(n_samples, dtype=bool)
            mask[test] = False
            yield np.flatnonzero(mask), np.sort(test)


class StratifiedKFold(BaseSplitter):
    """K-fold that keeps each class's share (nearly) equal in every fold.

    Classes are numbered in order of first appearance. Walking the labels sorted by class
    and dealing them round-robin to the folds fixes how many members of each class every
    fold receives; then each class's members are assigned their fold labels in index order
    (or in a shuffled order when ``shuffle=True``).

    Parameters
    ----------
    n_splits : int, default=5
    shuffle : bool, default=False
    random_state : int, RandomState or None

    Examples
    --------
    >>> y = [0, 0, 0, 1, 1, 1]
    >>> [test.tolist() for _, test in StratifiedKFold(3).split(y, y)]
    [[0, 3], [1, 4], [2, 5]]
    """

    _parameter_constraints = KFold._parameter_constraints

    def __init__(self, n_splits: int = 5, *, shuffle: bool = False, random_state=None):
        self.n_splits = n_splits
        self.shuffle = shuffle
        self.random_state = random_state
        self._validate_params()

    def split(self, X, y, groups=None):
        if y is None:
            raise ValueError("StratifiedKFold needs y (the class labels) to stratify on")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels, got shape {y.shape}")
        n_samples = y.shape[0]
        _check_enough_samples(self.n_splits, n_samples)
        _, first_seen, codes = np.unique(y, return_index=True, return_inverse=True)
        order_of_appearance = np.argsort(np.argsort(first_seen))
        codes = order_of_appearance[codes]
        n_classes = first_seen.size
        if np.bincount(codes).max() < self.n_splits:
            raise ValueError(
                f"n_splits={self.n_splits} is larger than the size of every class in y"
            )
        rng = check_random_state(self.random_state)
        dealt = np.sort(codes)
        per_fold = np.array(
            [
                np.bincount(dealt[i :: self.n_splits], minlength=n_classes)
                for i in range(self.n_splits)
            ]
        )
        test_fold = np.empty(n_samples, dtype=int)
        for k in range(n_classes):
            labels = np.repeat(np.arange(self.n_splits), per_fold[:, k])
            if self.shuffle:
                rng.shuffle(labels)
            test_fold[codes == k] = labels
        for i in range(self.n_splits):
            yield np.flatnonzero(test_fold != i), np.flatnonzero(test_fold == i)


def _split_sizes(n_samples: int, test_size, train_size, default_test: float) -> tuple[int, int]:
    """Resolve float (fraction) or int (count) sizes the way scikit-learn does."""

    def resolve(size, name: str, rounding) -> int | None:
        if size is None:
            return None
        if isinstance(size, Integral) and not isinstance(size, bool):
            if not 0 < size < n_samples:
                raise ValueError(f"{name}={size} must be in (0, n_samples={n_samples})")
            return int(size)
        if isinstance(size, Real) and 0.0 < size < 1.0:
            return int(rounding(size * n_samples))
        raise ValueError(f"{name} must be a float in (0, 1) or an int, got {size!r}")

    n_test = resolve(test_size, "test_size", math.ceil)
    n_train = resolve(train_size, "train_size", math.floor)
    if n_test is None:
        n_test = (
            n_samples - n_train if n_train is not None else math.ceil(default_test * n_samples)
        )
    if n_train is None:
        n_train = n_samples - n_test
    if n_train + n_test > n_samples:
        raise ValueError(f"train ({n_train}) + test ({n_test}) exceeds n_samples={n_samples}")
    if n_train < 1 or n_test < 1:
        raise ValueError(f"with n_samples={n_samples}, the train or test set would be empty")
    return n_train, n_test


class ShuffleSplit(BaseSplitter):
    """Independent random train/test splits: one fresh permutation per split.

    Parameters
    ----------
    n_splits : int, default=10
    test_size, train_size : float, int or None
        Fraction (float in (0, 1)) or count (int). ``test_size`` defaults to 0.1 when both
        are None, otherwise to the complement of ``train_size``.
    random_state : int, RandomState or None

    Examples
    --------
    >>> splitter = ShuffleSplit(2, test_size=2, random_state=0)
    >>> [len(test) for _, test in splitter.split(range(10))]
    [2, 2]
    """

    _parameter_constraints = {
        "n_splits": [Interval(Integral, 1, None, closed="left")],
        "test_size": _SIZE,
        "train_size": _SIZE,
        "random_state": ["random_state"],
    }

    def __init__(self, n_splits: int = 10, *, test_size=None, train_size=None, random_state=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.train_size = train_size
        self.random_state = random_state
        self._validate_params()

    def split(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        n_train, n_test = _split_sizes(n_samples, self.test_size, self.train_size, 0.1)
        rng = check_random_state(self.random_state)
        for _ in range(self.n_splits):
            permutation = rng.permutation(n_samples)
            yield permutation[n_test : n_test + n_train], permutation[:n_test]


def _stratified_indices(y, n_test: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Test indices with each class's share rounded by largest remainders; rest train."""
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    counts = np.bincount(codes)
    if counts.min() < 2:
        raise ValueError("stratify needs at least 2 members in every class")
    exact = counts * n_test / codes.size
    quota = np.floor(exact).astype(int)
    leftover = n_test - quota.sum()
    quota[np.argsort(-(exact - quota), kind="stable")[:leftover]] += 1
    test = np.concatenate(
        [rng.permutation(np.flatnonzero(codes == k))[: quota[k]] for k in range(classes.size)]
    )
    mask = np.ones(codes.size, dtype=bool)
    mask[test] = False
    return rng.permutation(np.flatnonzero(mask)), rng.permutation(test)


def _take(array, indices):
    if hasattr(array, "iloc"):
        return array.iloc[indices]
    if hasattr(array, "shape") or hasattr(array, "tocsr"):
        return array[indices]
    return [array[i] for i in indices]


_SPLIT_FUNCTION = {
    "random_state": ["random_state"],
    "shuffle": ["boolean"],
    "stratify": ["array-like", None],
}


@validate_params({"test_size": _SIZE, "train_size": _SIZE, **_SPLIT_FUNCTION})
def train_test_split(
    *arrays, test_size=None, train_size=None, random_state=None, shuffle=True, stratify=None
):
    """Split arrays into a random train part and test part.

    Parameters
    ----------
    *arrays : array-likes of equal length
    test_size, train_size : float, int or None
        Fractions or counts; ``test_size`` defaults to 0.25.
    random_state : int, RandomState or None
    shuffle : bool, default=True
        Without shuffling the first rows train and the last rows test (time order kept).
    stratify : array-like or None
        Class labels whose proportions the two parts keep (largest-remainder rounding).

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``. Without ``stratify`` the indices equal
        scikit-learn's ``train_test_split`` for the same ``random_state``.

    Examples
    --------
    >>> X_train, X_test = train_test_split(list(range(8)), test_size=2, shuffle=False)
    >>> X_test
    [6, 7]
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    n_samples = _num_samples(arrays[0])
    for a in arrays[1:]:
        if _num_samples(a) != n_samples:
            raise ValueError("all arrays must have the same number of samples")
    n_train, n_test = _split_sizes(n_samples, test_size, train_size, 0.25)
    if not shuffle:
        if stratify is not None:
            raise ValueError("stratify requires shuffle=True")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    elif stratify is not None:
        train, test = _stratified_indices(stratify, n_test, check_random_state(random_state))
        train = train[:n_train]
    else:
        splitter = ShuffleSplit(1, test_size=n_test, train_size=n_train, random_state=random_state)
        train, test = next(splitter.split(arrays[0]))
    return [part for a in arrays for part in (_take(a, train), _take(a, test))]


@validate_params({"val_size": _SIZE[:2], "test_size": _SIZE[:2], **_SPLIT_FUNCTION})
def train_val_test_split(
    *arrays, val_size=0.2, test_size=0.2, random_state=None, shuffle=True, stratify=None
):
    """Split arrays into train, validation and test parts.

    The test part is cut first, then the validation part from what remains, so
    ``val_size`` and ``test_size`` are both fractions (or counts) of the whole data.

    Returns
    -------
    list
        ``[a_train, a_val, a_test, b_train, b_val, b_test, ...]``.

    Examples
    --------
    >>> tr, va, te = train_val_test_split(list(range(10)), val_size=2, test_size=3, shuffle=False)
    >>> tr, va, te
    ([0, 1, 2, 3, 4], [5, 6], [7, 8, 9])
    """
    if not arrays:
        raise ValueError("train_val_test_split needs at least one array")
    n_samples = _num_samples(arrays[0])
    index = np.arange(n_samples)
    _, n_test = _split_sizes(n_samples, test_size, None, 0.2)
    _, n_val = _split_sizes(n_samples, val_size, None, 0.2)
    if n_val + n_test >= n_samples:
        raise ValueError(f"val_size and test_size leave no training data (n_samples={n_samples})")
    rest, test = train_test_split(
        index, test_size=n_test, random_state=random_state, shuffle=shuffle, stratify=stratify
    )
    rng = check_random_state(random_state)
    rest_strat = None if stratify is None else _take(stratify, rest)
    train, val = train_test_split(
        rest, test_size=n_val, random_state=rng, shuffle=shuffle, stratify=rest_strat
    )
    return [part for a in arrays for part in (_take(a, train), _take(a, val), _take(a, test))]
