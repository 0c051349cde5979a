"""Independent correct solutions for q13 (other bookkeeping than the reference)."""

import numpy as np


def early_stopping_epoch(train_losses, val_losses, patience):
    # the stop epoch first, then the first minimum up to it
    stop, best, since = len(val_losses) - 1, float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, since = loss, 0
        else:
            since += 1
            if since == patience:
                stop = epoch
                break
    return int(np.argmin(np.asarray(val_losses[: stop + 1])))


def train_val_test_indices(n_samples, n_val, n_test, rng):
    # random keys, sorted: each part returned in increasing row order
    keys = rng.random(n_samples)
    order = np.argsort(keys)
    test, val, train = np.split(order, [n_test, n_test + n_val])
    return np.sort(train), np.sort(val), np.sort(test)


def _folds(rows, n_splits):
    sizes = [len(rows) // n_splits + (i < len(rows) % n_splits) for i in range(n_splits)]
    bounds = np.cumsum([0] + sizes)
    return [
        (np.r_[rows[:start], rows[stop:]], rows[start:stop])
        for start, stop in zip(bounds[:-1], bounds[1:])
    ]


def nested_cv_indices(n_samples, outer_splits, inner_splits):
    return [
        (train, test, _folds(train, inner_splits))
        for train, test in _folds(np.arange(n_samples), outer_splits)
    ]
