"""Input checks shared by the A/B-testing functions: clear errors naming the argument."""

from __future__ import annotations

import numbers

import numpy as np

ALTERNATIVES = ("two-sided", "larger", "smaller")


def check_alternative(alternative):
    """``alternative`` must be "two-sided", "larger" or "smaller"."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be one of {ALTERNATIVES}, got {alternative!r}")
    return alternative


def check_open_unit(name, value):
    """A float strictly between 0 and 1 (alpha, power, ...)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a float in (0, 1), got {value!r}")
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}")
    return float(value)


def check_probability(name, value):
    """A conversion rate: a float in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a probability in [0, 1], got {value!r}")
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1], got {value!r}")
    return float(value)


def check_positive(name, value):
    """A finite float > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_counts(counts, nobs, *, n_arms=None):
    """Successes and users per arm: non-negative integers with ``0 <= counts <= nobs``."""
    counts = np.asarray(counts, dtype=float)
    nobs = np.asarray(nobs, dtype=float)
    if counts.ndim != 1 or nobs.shape != counts.shape:
        raise ValueError(
            "counts and nobs must be 1-D with one entry per arm and the same length, got "
            f"shapes {counts.shape} and {nobs.shape}"
        )
    if n_arms is not None and counts.size != n_arms:
        raise ValueError(f"expected {n_arms} arms, got {counts.size}")
    if counts.size < 2:
        raise ValueError(f"need at least 2 arms, got {counts.size}")
    for name, values in (("counts", counts), ("nobs", nobs)):
        if not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite, got {values.tolist()}")
        if np.any(values < 0):
            raise ValueError(f"{name} must be non-negative, got {values.tolist()}")
        if np.any(values != np.round(values)):
            raise ValueError(f"{name} must be whole numbers, got {values.tolist()}")
    if np.any(nobs == 0):
        arm = int(np.flatnonzero(nobs == 0)[0])
        raise ValueError(f"arm {arm} has zero users (nobs[{arm}] == 0); no rate can be estimated")
    if np.any(counts > nobs):
        raise ValueError(
            f"counts cannot exceed nobs (more conversions than users): counts="
            f"{counts.tolist()}, nobs={nobs.tolist()}"
        )
    return counts, nobs


def check_sample(name, values, min_size=2):
    """A 1-D array of finite numbers with at least ``min_size`` entries."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {values.shape}")
    if values.size < min_size:
        raise ValueError(f"{name} needs at least {min_size} observations, got {values.size}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return values
