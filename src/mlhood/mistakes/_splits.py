"""Mistakes in the splitters (:mod:`mlhood.model_selection`), caught by labs q04, q08, q13."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import _num_samples

from mlhood.mistakes._catalogue import mistake
from mlhood.model_selection._split import _check_enough_samples, _fold_sizes


@mistake(
    "kfold-test-rows-in-training",
    title="K-fold trains on every row, the test fold included",
    target="mlhood.model_selection._split:KFold.split",
    labs=["q04", "q08", "q13"],
    explanation="""
The training indices are all rows instead of all rows *outside* the test fold, so every
model is scored on rows it was fit on. The cross-validated error becomes the training
error: flexible models look perfect, validation curves lose their U shape and a search
on pure noise finds 'signal'. Build the training set as the complement of the test fold
(a boolean mask) and assert that train and test are disjoint.
""",
)
def kfold_split(self, X, y=None, groups=None):
    """Wrong: the test fold is not removed from the training rows."""
    n_samples = _num_samples(X)
    _check_enough_samples(self.n_splits, n_samples)
    for test in self._test_folds(n_samples):
        yield np.arange(n_samples), np.sort(test)


@mistake(
    "kfold-shuffle-ignored",
    title="K-fold ignores shuffle=True and cuts the rows in their stored order",
    target="mlhood.model_selection._split:KFold._test_folds",
    labs=["q04", "q08"],
    explanation="""
The folds are always contiguous blocks of the stored order, whatever `shuffle` says. On
data sorted in time (or by class, or by any variable) every test fold is then a region
the model never saw, and the estimate answers another question than the one asked; the
folds also differ from those the `random_state` promises. Shuffle the index array once
with the seeded generator before cutting it into folds.
""",
)
def kfold_test_folds(self, n_samples: int):
    """Wrong: no shuffle, whatever ``self.shuffle`` says."""
    bounds = np.concatenate([[0], np.cumsum(_fold_sizes(n_samples, self.n_splits))])
    for start, stop in zip(bounds[:-1], bounds[1:]):
        yield np.arange(start, stop)


@mistake(
    "timeseries-split-shuffles",
    title="The time-series splitter shuffles the rows before cutting train and test blocks",
    target="mlhood.model_selection._time_split:TimeSeriesSplit.split",
    labs=["q08"],
    explanation="""
The rows are permuted before the expanding-window cuts, so the 'past' and 'future'
blocks are random sets of rows: training rows come from after the test rows, the model
interpolates instead of forecasting, and the estimate is as optimistic as shuffled
K-fold. Forward validation must keep the time order: never shuffle a time series
before splitting it, and check that every training row precedes every test row.
""",
)
def timeseries_split_shuffled(self, X, y=None, groups=None):
    """Wrong: a random permutation of the rows is cut instead of the time order."""
    n_samples = _num_samples(X)
    test_size = self._test_block_size(n_samples)
    index = np.random.default_rng(n_samples).permutation(n_samples)
    first_test = n_samples - self.n_splits * test_size
    for test_start in range(first_test, n_samples, test_size):
        train_end = test_start - self.gap
        train_start = 0
        if self.max_train_size is not None:
            train_start = max(0, train_end - self.max_train_size)
        yield (
            np.sort(index[train_start:train_end]),
            np.sort(index[test_start : test_start + test_size]),
        )


@mistake(
    "timeseries-gap-ignored",
    title="The time-series splitter ignores gap: training runs right up to the test block",
    target="mlhood.model_selection._time_split:TimeSeriesSplit.split",
    labs=["q08"],
    explanation="""
The training rows end at the row just before the test block whatever `gap` says. With
lagged (windowed) features or a multi-step horizon, the last training rows then share
their window, or their target period, with the first test rows, which a deployed
forecaster would not have yet. End the training rows `gap` rows (at least the window
length or horizon) before the test block, and test that distance.
""",
)
def timeseries_split_no_gap(self, X, y=None, groups=None):
    """Wrong: ``train_end = test_start`` instead of ``test_start - gap``."""
    n_samples = _num_samples(X)
    test_size = self._test_block_size(n_samples)
    first_test = n_samples - self.n_splits * test_size
    for test_start in range(first_test, n_samples, test_size):
        train_start = 0
        if self.max_train_size is not None:
            train_start = max(0, test_start - self.max_train_size)
        yield np.arange(train_start, test_start), np.arange(test_start, test_start + test_size)


@mistake(
    "blocked-kfold-gap-before-only",
    title="Blocked K-fold drops the gap before the test block but not after it",
    target="mlhood.model_selection._time_split:BlockedKFold.split",
    labs=["q08"],
    explanation="""
Only the `gap` rows *before* the test block are removed from training; the rows right
after it stay. With lagged features, a training row just after the block has the test
rows' targets among its inputs, so the model has seen the answers it is scored on. The
gap must surround the test block on both sides: train on rows outside
`[start - gap, stop + gap)`.
""",
)
def blocked_split_one_side(self, X, y=None, groups=None):
    """Wrong: ``index >= stop`` instead of ``index >= stop + gap``."""
    n_samples = _num_samples(X)
    _check_enough_samples(self.n_splits, n_samples)
    bounds = np.concatenate([[0], np.cumsum(_fold_sizes(n_samples, self.n_splits))])
    index = np.arange(n_samples)
    for start, stop in zip(bounds[:-1], bounds[1:]):
        yield index[(index < start - self.gap) | (index >= stop)], index[start:stop]
