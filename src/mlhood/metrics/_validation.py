"""Input checks shared by the classification and ranking metrics."""

from __future__ import annotations

import numpy as np


def as_label_vector(name: str, y) -> np.ndarray:
    """Return ``y`` as a non-empty 1-D array of class labels (ints, bools or strings)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got an array of shape {y.shape}")
    if y.size == 0:
        raise ValueError(f"{name} is empty; expected at least one label")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)):
            raise ValueError(f"{name} contains NaN or infinity")
        if not np.all(y == np.round(y)):
            raise ValueError(
                f"{name} holds continuous values; classification metrics need class labels"
            )
    elif y.dtype.kind == "O":
        kinds = {type(v) for v in y.tolist()}
        if len(kinds) > 1 and not all(issubclass(k, (int, np.integer)) for k in kinds):
            raise TypeError(f"{name} mixes label types {sorted(k.__name__ for k in kinds)}")
    elif y.dtype.kind not in "iubU":
        raise TypeError(f"{name} has unsupported dtype {y.dtype}; expected labels")
    return y


def as_score_array(name: str, y, n: int, *, ndim: tuple[int, ...] = (1,)) -> np.ndarray:
    """Return finite float scores with ``n`` rows and a dimension in ``ndim``."""
    try:
        y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be numeric scores") from err
    if y.ndim not in ndim:
        raise ValueError(
            f"{name} must have {' or '.join(map(str, ndim))} dimensions, got {y.ndim}"
        )
    if y.shape[0] != n:
        raise ValueError(f"{name} has {y.shape[0]} rows but y_true has {n}")
    if not np.all(np.isfinite(y)):
        raise ValueError(f"{name} contains NaN or infinity")
    return y


def as_sample_weight(sample_weight, n: int) -> np.ndarray | None:
    """Return ``None`` or a finite non-negative float vector of length ``n``."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight, dtype=float)
    if w.ndim != 1 or w.shape[0] != n:
        raise ValueError(f"sample_weight must have shape ({n},), got {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("sample_weight must be finite and non-negative")
    if not np.any(w > 0):
        raise ValueError("sample_weight must contain at least one positive weight")
    return w
