"""Helpers shared by bagging and random forests: sample counts, bootstrap draws, OOB."""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np
from joblib import effective_n_jobs

from mlhood.metrics import accuracy_score, r2_score


def batches_for_jobs(n_items: int, n_jobs) -> list[np.ndarray]:
    """Split ``range(n_items)`` into one contiguous batch per joblib worker."""
    n_batches = max(1, min(effective_n_jobs(n_jobs), n_items))
    return [b for b in np.array_split(np.arange(n_items), n_batches) if b.size]


def resolve_fraction(name: str, value, total: int) -> int:
    """An int count in [1, total] or a float fraction in (0, 1] of ``total`` (None = all)."""
    if value is None:
        return total
    if not isinstance(value, Integral):
        return max(1, int(round(value * total)))
    if value > total:
        raise ValueError(f"{name}={value} is more than the {total} available")
    return int(value)


def draw_rows(seed: int, n_samples: int, n_draw: int, bootstrap: bool) -> np.ndarray:
    """How many times each row is drawn: with replacement (bootstrap) or without."""
    rng = np.random.default_rng(seed)
    if bootstrap:
        return np.bincount(rng.integers(0, n_samples, n_draw), minlength=n_samples)
    counts = np.zeros(n_samples, dtype=np.int64)
    counts[rng.permutation(n_samples)[:n_draw]] = 1
    return counts


def finish_oob(total: np.ndarray, n_votes: np.ndarray) -> np.ndarray:
    """Average the out-of-bag sums; rows never out of bag get NaN (with a warning)."""
    missing = n_votes == 0
    if missing.any():
        warnings.warn(
            f"{int(missing.sum())} rows were never out of bag; their OOB estimate is NaN. "
            "Use more estimators for a reliable OOB score.",
            UserWarning,
            stacklevel=3,
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / n_votes.reshape(-1, *([1] * (total.ndim - 1)))


def oob_classification(proba_sum, n_votes, y_codes) -> tuple[np.ndarray, float]:
    """OOB class probabilities and the OOB accuracy over rows that were ever out of bag."""
    proba = finish_oob(proba_sum, n_votes)
    seen = n_votes > 0
    if not seen.any():  # no row was ever out of bag: no score to compute
        return proba, float("nan")
    return proba, float(accuracy_score(y_codes[seen], np.argmax(proba[seen], axis=1)))


def oob_regression(pred_sum, n_votes, y) -> tuple[np.ndarray, float]:
    """OOB predictions and the OOB R^2 over rows that were ever out of bag."""
    pred = finish_oob(pred_sum, n_votes)
    seen = n_votes > 0
    if not seen.any():  # no row was ever out of bag: no score to compute
        return pred, float("nan")
    return pred, float(r2_score(y[seen], pred[seen]))
