"""Splitters for ordered data: blocked K-fold and forward (time-series) validation.

Shuffled K-fold on a time series trains on the future to predict the past, and nearby
rows leak information through trend and autocorrelation. These splitters keep order:

- :class:`BlockedKFold` -- contiguous test blocks; ``gap`` rows on each side of the block
  are dropped from training so autocorrelation cannot leak across the boundary.
- :class:`TimeSeriesSplit` -- forward validation: every test block lies strictly after its
  training rows (expanding window, or sliding window with ``max_train_size``), with
  ``gap`` rows left out between them (Bergmeir, Hyndman & Koo 2018; Hyndman &
  Athanasopoulos, *Forecasting: Principles and Practice*, "time series cross-validation").
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.utils.validation import _num_samples

from mlhood._params import Interval
from mlhood.model_selection._split import (
    N_FOLDS,
    BaseSplitter,
    _check_enough_samples,
    _fold_sizes,
)

_GAP = [Interval(Integral, 0, None, closed="left")]
_OPTIONAL_COUNT = [Interval(Integral, 1, None, closed="left"), None]


class BlockedKFold(BaseSplitter):
    """K-fold on contiguous, unshuffled blocks, with an optional gap around each test block.

    Test block ``i`` holds rows ``[start_i, stop_i)`` (sizes as in unshuffled K-fold);
    training uses every row outside ``[start_i - gap, stop_i + gap)``. With ``gap=0`` the
    indices equal scikit-learn's ``KFold(n_splits)`` without shuffling.

    Parameters
    ----------
    n_splits : int, default=5
    gap : int, default=0
        Rows removed from training on each side of the test block.

    Examples
    --------
    >>> train, test = list(BlockedKFold(3, gap=1).split(range(9)))[1]
    >>> train.tolist(), test.tolist()
    ([0, 1, 7, 8], [3, 4, 5])
    """

    _parameter_constraints = {"n_splits": N_FOLDS, "gap": _GAP}

    def __init__(self, n_splits: int = 5, *, gap: int = 0):
        self.n_splits = n_splits
        self.gap = gap
        self._validate_params()

    def split(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        _check_enough_samples(self.n_splits, n_samples)
        bounds = np.concatenate([[0], np.cumsum(_fold_sizes(n_samples, self.n_splits))])
        index = np.arange(n_samples)
        for start, stop in zip(bounds[:-1], bounds[1:]):
            train = index[(index < start - self.gap) | (index >= stop + self.gap)]
            if train.size == 0:
                raise ValueError(f"gap={self.gap} leaves no training rows for a test block")
            yield train, index[start:stop]


class TimeSeriesSplit(BaseSplitter):
    """Forward validation: train on the past, test on the block that follows (after a gap).

    With ``n`` rows, ``k = n_splits`` and test size ``t`` (default ``n // (k + 1)``), the
    test blocks are the last ``k`` blocks of ``t`` rows: block ``i`` starts at
    ``s_i = n - (k - i) t``. Its training rows are ``[0, s_i - gap)`` (expanding window)
    or the last ``max_train_size`` of them (sliding window). Same indices as
    scikit-learn's ``TimeSeriesSplit`` for the same arguments.

    Parameters
    ----------
    n_splits : int, default=5
    max_train_size : int or None
        Keep at most this many most recent rows for training (sliding window).
    test_size : int or None
        Rows per test block.
    gap : int, default=0
        Rows left out between the end of training and the start of the test block.

    Examples
    --------
    >>> splits = TimeSeriesSplit(2, test_size=2, gap=1).split(range(7))
    >>> [(tr.tolist(), te.tolist()) for tr, te in splits]
    [([0, 1], [3, 4]), ([0, 1, 2, 3], [5, 6])]
    """

    _parameter_constraints = {
        "n_splits": N_FOLDS,
        "max_train_size": _OPTIONAL_COUNT,
        "test_size": _OPTIONAL_COUNT,
        "gap": _GAP,
    }

    def __init__(self, n_splits: int = 5, *, max_train_size=None, test_size=None, gap: int = 0):
        self.n_splits = n_splits
        self.max_train_size = max_train_size
        self.test_size = test_size
        self.gap = gap
        self._validate_params()

    def _test_block_size(self, n_samples: int) -> int:
        """Rows per test block for ``n_samples`` rows; ValueError when they do not fit."""
        k = self.n_splits
        if k + 1 > n_samples:
            raise ValueError(
                f"n_splits={k} needs more than n_samples={n_samples} rows (n_splits + 1 blocks)"
            )
        test_size = self.test_size if self.test_size is not None else n_samples // (k + 1)
        first_train_end = n_samples - k * test_size - self.gap
        if first_train_end <= 0:
            raise ValueError(
                f"n_samples={n_samples} is too small for n_splits={k}, test_size={test_size} "
                f"and gap={self.gap}: the first fold would have no training rows"
            )
        return test_size

    def split(self, X, y=None, groups=None):
        n_samples = _num_samples(X)
        test_size = self._test_block_size(n_samples)
        index = np.arange(n_samples)
        first_test = n_samples - self.n_splits * test_size
        for test_start in range(first_test, n_samples, test_size):
            train_end = test_start - self.gap
            train_start = 0
            if self.max_train_size is not None:
                train_start = max(0, train_end - self.max_train_size)
            yield index[train_start:train_end], index[test_start : test_start + test_size]
