"""Checks shared by the A/B-testing functions: declared scalar parameters, counts, samples."""

from __future__ import annotations

from numbers import Real

import numpy as np

from mlhood._params import Interval, Options

ALTERNATIVES = ("two-sided", "larger", "smaller")


# The scalar parameters shared by the tests, declared for mlhood._params.validate_params.
ALPHA = [Interval(Real, 0, 1, closed="neither")]
ALTERNATIVE = [Options(ALTERNATIVES)]
POSITIVE = [Interval(Real, 0, np.inf, closed="neither")]
PROBABILITY = [Interval(Real, 0, 1, closed="both")]


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
