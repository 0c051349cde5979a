"""Independent correct solutions for q08 (plain Python lists and loops)."""

import numpy as np


def kfold_indices(n_samples, n_splits):
    splits, start = [], 0
    for fold in range(n_splits):
        size = n_samples // n_splits + (1 if fold < n_samples % n_splits else 0)
        test = list(range(start, start + size))
        train = [i for i in range(n_samples) if i < start or i >= start + size]
        splits.append((train, test))
        start += size
    return splits


def time_series_splits(n_samples, n_splits, test_size=None, gap=0):
    size = test_size if test_size is not None else n_samples // (n_splits + 1)
    splits = []
    stop = n_samples
    for _ in range(n_splits):  # from the last block backwards
        start = stop - size
        splits.append((np.arange(start - gap), np.arange(start, stop)))
        stop = start
    return splits[::-1]


def blocked_kfold(n_samples, n_splits, gap=0):
    splits = []
    for _train, test in kfold_indices(n_samples, n_splits):
        first, last = test[0], test[-1]
        kept = [i for i in range(n_samples) if i < first - gap or i > last + gap]
        splits.append((kept, test))
    return splits
