"""Independent correct solutions for q14 (dict look-ups and loops)."""

import numpy as np


def one_hot(values, categories, handle_unknown="error"):
    column = {category: j for j, category in enumerate(categories)}
    rows = []
    for value in values:
        row = [0] * len(categories)
        if value in column:
            row[column[value]] = 1
        elif handle_unknown == "error":
            raise ValueError(f"unknown category {value!r}")
        rows.append(row)
    return np.array(rows, dtype=np.float32).reshape(len(rows), len(categories))


def label_encode(values):
    classes, codes = np.unique(np.asarray(values), return_inverse=True)
    return codes, classes


def target_encode(values, y, n_splits, smoothing=1.0):
    n = len(y)
    sizes = [n // n_splits + (1 if f < n % n_splits else 0) for f in range(n_splits)]
    fold_of = np.repeat(np.arange(n_splits), sizes)
    out = []
    for i in range(n):
        outside = [j for j in range(n) if fold_of[j] != fold_of[i]]
        prior = sum(y[j] for j in outside) / len(outside)
        same = [y[j] for j in outside if values[j] == values[i]]
        out.append((sum(same) + smoothing * prior) / (len(same) + smoothing))
    return out
