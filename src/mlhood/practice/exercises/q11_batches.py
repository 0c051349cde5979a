"""Exercises for q11 (SGD and its variants), continued: shuffled mini-batches."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import Fail, call, property_holds

# ------------------------------------------------------------------------ minibatch_indices


def minibatch_indices(n_samples, batch_size, rng):
    """One epoch of mini-batches: a fresh random permutation cut into consecutive batches.

    Every row is used exactly once per epoch; all batches have ``batch_size`` rows except
    possibly the last. Shuffling every epoch makes each mini-batch gradient an unbiased,
    independent estimate of the full gradient; in a fixed (e.g. sorted) order consecutive
    batches are correlated and SGD follows the order of the data.

    Examples
    --------
    >>> batches = minibatch_indices(5, 2, np.random.default_rng(0))
    >>> [len(b) for b in batches], sorted(np.concatenate(batches).tolist())
    ([2, 2, 1], [0, 1, 2, 3, 4])
    """
    order = rng.permutation(n_samples)
    return [order[start : start + batch_size] for start in range(0, n_samples, batch_size)]


def _batches_in_order(n_samples, batch_size, rng):
    """Wrong: the batches follow the rows in their stored order, never shuffled."""
    order = np.arange(n_samples)
    return [order[start : start + batch_size] for start in range(0, n_samples, batch_size)]


def _as_batches(value, n_samples, batch_size):
    if not isinstance(value, (list, tuple)):
        raise Fail(f"return a list of index arrays, got {type(value).__name__}")
    batches = [np.asarray(b).ravel() for b in value]
    sizes = [len(b) for b in batches]
    expected = [batch_size] * (n_samples // batch_size) + (
        [n_samples % batch_size] if n_samples % batch_size else []
    )
    if sizes != expected:
        raise Fail(f"batch sizes should be {expected}, got {sizes}")
    rows = np.sort(np.concatenate(batches)) if batches else np.array([])
    if not np.array_equal(rows, np.arange(n_samples)):
        raise Fail("every row must appear in exactly one batch")
    return batches


_BATCH_CASES = st.tuples(st.integers(12, 200), st.integers(1, 32), st.integers(0, 2**32 - 1))


def _shuffled_epoch(solution, args):
    n_samples, batch_size, seed = args
    first = _as_batches(
        call(solution, (n_samples, batch_size, np.random.default_rng(seed))), n_samples, batch_size
    )
    order = np.concatenate(first)
    if np.array_equal(order, np.arange(n_samples)):
        return "the rows come out in their stored order: shuffle them with rng every epoch"
    again = np.concatenate(
        _as_batches(
            call(solution, (n_samples, batch_size, np.random.default_rng(seed))),
            n_samples,
            batch_size,
        )
    )
    if not np.array_equal(order, again):
        return "the same rng seed gave a different order: draw the permutation from rng only"
    other = np.concatenate(
        _as_batches(
            call(solution, (n_samples, batch_size, np.random.default_rng(seed + 1))),
            n_samples,
            batch_size,
        )
    )
    if np.array_equal(order, other):
        return "two different rng seeds gave the same order: use the rng you are given"
    return None


MINIBATCH_INDICES = Exercise(
    id="minibatch_indices",
    question="q11",
    title="Shuffled mini-batch indices for one epoch",
    signature="(n_samples, batch_size, rng)",
    statement="""
The mini-batches of one epoch of SGD. Return a list of integer index arrays: a random
order of the rows 0..n_samples-1, drawn from `rng` (a numpy.random.Generator), cut into
consecutive batches of `batch_size` rows (the last batch may be smaller). Every row
appears exactly once. The same rng state must give the same batches.
""",
    hints=(
        "Each epoch must visit the rows in a new random order.",
        "Draw the order from the rng you are given (not np.random.*, not a fixed seed).",
        "order = rng.permutation(n_samples); then slice it every batch_size rows.",
    ),
    reference=minibatch_indices,
    graders=(
        property_holds(
            "one shuffled pass over the rows, reproducible from rng",
            _BATCH_CASES,
            _shuffled_epoch,
            names=("n_samples", "batch_size", "seed of rng"),
            max_examples=30,
        ),
    ),
    mistakes={"minibatch-no-shuffle": _batches_in_order},
    probes=lambda solution: [(20, 6, np.random.default_rng(0)), (9, 4, np.random.default_rng(1))],
)


EXERCISES = (MINIBATCH_INDICES,)
