"""Helpers shared by bagging and random forests: parameter checks, bootstrap draws, OOB."""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from joblib import effective_n_jobs


def batches_for_jobs(n_items: int, n_jobs) -> list[np.ndarray]:
    """Split ``range(n_items)`` into one contiguous batch per joblib worker."""
    n_batches = max(1, min(effective_n_jobs(n_jobs), n_items))
    return [b for b in np.array_split(np.arange(n_items), n_batches) if b.size]


def check_n_estimators(n_estimators) -> int:
    if isinstance(n_estimators, numbers.Integral) and not isinstance(n_estimators, bool):
        if n_estimators >= 1:
            return int(n_estimators)
    raise ValueError(f"n_estimators must be an int >= 1; got {n_estimators!r}")


def resolve_fraction(name: str, value, total: int) -> int:
    """An int count in [1, total] or a float fraction in (0, 1] of ``total`` (None = all)."""
    if value is None:
        return total
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if 1 <= value <= total:
            return int(value)
    elif isinstance(value, numbers.Real) and 0.0 < value <= 1.0:
        return max(1, int(round(value * total)))
    raise ValueError(f"{name} must be an int in [1, {total}] or a float in (0, 1]; got {value!r}")


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


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    return float(np.mean(y_true == y_pred))


def r2(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``."""
    ss_tot = np.sum((y_true - y_true.mean()) ** 2)
    ss_res = np.sum((y_true - y_pred) ** 2)
    return float(1.0 - ss_res / ss_tot) if ss_tot > 0 else float(ss_res == 0)


def oob_classification(proba_sum, n_votes, y_codes) -> tuple[np.ndarray, float]:
    """OOB class probabilities and the OOB accuracy over rows that were ever out of bag."""
    proba = finish_oob(proba_sum, n_votes)
    seen = n_votes > 0
    return proba, accuracy(y_codes[seen], np.argmax(proba[seen], axis=1))


def oob_regression(pred_sum, n_votes, y) -> tuple[np.ndarray, float]:
    """OOB predictions and the OOB R^2 over rows that were ever out of bag."""
    pred = finish_oob(pred_sum, n_votes)
    seen = n_votes > 0
    return pred, r2(y[seen], pred[seen])
