"""Exercises for q08 (cross-validation on time series): K-fold, blocked K-fold, forward splits."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.model_selection import BlockedKFold, KFold, TimeSeriesSplit
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    call,
    property_holds,
    to_tuple,
)


def _as_splits(value, n_splits):
    """The learner's splits as a list of ``(train, test)`` integer arrays, or Fail."""
    if not isinstance(value, (list, tuple)) and not hasattr(value, "__next__"):
        raise Fail(f"return a list of (train, test) pairs, got {type(value).__name__}")
    splits = list(value)
    if len(splits) != n_splits:
        raise Fail(f"expected {n_splits} (train, test) pairs, got {len(splits)}")
    pairs = []
    for i, pair in enumerate(splits):
        train, test = to_tuple(pair, 2, f"split {i}")
        pairs.append(tuple(np.asarray(part).astype(int, copy=False) for part in (train, test)))
    return pairs


def _splits_differ(got, expected) -> str | None:
    """Where the learner's splits differ from the expected ones, or None."""
    splits = _as_splits(got, len(expected))
    for i, ((train, test), (want_train, want_test)) in enumerate(zip(splits, expected)):
        for part, mine, want in (("test", test, want_test), ("train", train, want_train)):
            if not np.array_equal(mine, want):
                return f"split {i}: {part} should be {want.tolist()}, got {mine.tolist()}"
    return None


def _splits_like(reference):
    """A checker: the learner's splits equal ``reference``'s on the case."""

    def check(solution, args):
        return _splits_differ(call(solution, args), call(reference, args))

    return check


def _shuffled(splits) -> bool:
    """True when some test block is not a run of consecutive rows (the rows were shuffled)."""
    try:
        tests = [np.asarray(test, dtype=float) for _, test in splits]
    except (TypeError, ValueError):
        return False
    if not all(np.all(np.isfinite(t)) and np.all(t == np.round(t)) for t in tests):
        return False  # not row indices at all: garbage, not a shuffle
    return any(np.any(np.diff(np.sort(t)) != 1) for t in tests)


def _equal_splits(got, wrong) -> bool:
    try:
        return _splits_differ(got, wrong) is None
    except Fail:
        return False


def _same_forward_splits(got, wrong) -> bool:
    """Equal splits, or both shuffled the rows (any shuffling mistake looks like that)."""
    return _equal_splits(got, wrong) or (_shuffled(got) and _shuffled(wrong))


def _partitions(n_samples, n_splits, splits, *, disjoint_train=True):
    """Test blocks partition the rows; train and test never share a row."""
    tests = np.sort(np.concatenate([test for _, test in splits]))
    if not np.array_equal(tests, np.arange(n_samples)):
        return "the test blocks together must cover every row exactly once"
    for i, (train, test) in enumerate(splits):
        if disjoint_train and np.intersect1d(train, test).size:
            return f"split {i}: a row is in both train and test"
    return None


# ----------------------------------------------------------------------------- kfold_indices


def kfold_indices(n_samples, n_splits):
    """Unshuffled K-fold: ``n_splits`` contiguous test blocks, training on the rest.

    Block sizes are ``n // k`` and the first ``n % k`` blocks get one row more, as
    scikit-learn's ``KFold``. Calls :class:`mlhood.model_selection.KFold`.

    Examples
    --------
    >>> [(tr.tolist(), te.tolist()) for tr, te in kfold_indices(5, 2)]
    [([3, 4], [0, 1, 2]), ([0, 1, 2], [3, 4])]
    """
    return list(KFold(n_splits).split(np.zeros(n_samples)))


def _kfold_trains_on_everything(n_samples, n_splits):
    """Wrong: every fold trains on all rows, its own test rows included."""
    return [(np.arange(n_samples), test) for _, test in kfold_indices(n_samples, n_splits)]


_KFOLD_CASES = st.integers(2, 8).flatmap(lambda k: st.tuples(st.integers(k, 40), st.just(k)))


def _kfold_partition(solution, args):
    n_samples, n_splits = args
    splits = _as_splits(call(solution, args), n_splits)
    for i, (train, test) in enumerate(splits):
        if not np.array_equal(np.sort(np.concatenate([train, test])), np.arange(n_samples)):
            return f"split {i}: train and test together must be every row once"
    return _partitions(n_samples, n_splits, splits)


KFOLD_INDICES = Exercise(
    id="kfold_indices",
    question="q08",
    title="K-fold indices without shuffling",
    signature="(n_samples, n_splits)",
    statement="""
Unshuffled K-fold cross-validation indices, as scikit-learn's KFold(n_splits).

Split rows 0..n_samples-1 into `n_splits` contiguous test blocks, in order; the first
n_samples % n_splits blocks have n_samples // n_splits + 1 rows, the others
n_samples // n_splits. Return a list of `n_splits` pairs `(train, test)` of integer
arrays, sorted increasingly; train is every row not in test. 2 <= n_splits <= n_samples.
""",
    hints=(
        "Every row is in exactly one test block; training uses all the other rows.",
        "Block sizes: start with n // k each and give one extra row to each of the first "
        "n % k blocks, so the sizes differ by at most one.",
        "Cumulative sums of the sizes give the block boundaries; "
        "train = np.r_[0:start, stop:n], test = np.arange(start, stop).",
    ),
    reference=kfold_indices,
    graders=(
        property_holds(
            "the indices of KFold",
            _KFOLD_CASES,
            _splits_like(kfold_indices),
            names=("n_samples", "n_splits"),
            max_examples=30,
        ),
        property_holds(
            "test blocks partition the rows",
            _KFOLD_CASES,
            _kfold_partition,
            names=("n_samples", "n_splits"),
            max_examples=30,
        ),
    ),
    mistakes={"kfold-test-rows-in-training": _kfold_trains_on_everything},
    probes=lambda solution: [(10, 3), (7, 2)],
    same=_equal_splits,
)

# ----------------------------------------------------------------------- time_series_splits


def time_series_splits(n_samples, n_splits, test_size=None, gap=0):
    """Forward (expanding-window) validation: train on the past, test on what follows.

    With test size ``t`` (default ``n // (k + 1)``) the test blocks are the last ``k``
    blocks of ``t`` rows: block ``i`` starts at ``s_i = n - (k - i) t`` and trains on
    rows ``[0, s_i - gap)``, leaving ``gap`` rows out so that autocorrelation cannot leak
    across the boundary. Calls :class:`mlhood.model_selection.TimeSeriesSplit`: the same
    indices as scikit-learn's.

    Examples
    --------
    >>> [(tr.tolist(), te.tolist()) for tr, te in time_series_splits(7, 2, test_size=2, gap=1)]
    [([0, 1], [3, 4]), ([0, 1, 2, 3], [5, 6])]
    """
    splitter = TimeSeriesSplit(n_splits, test_size=test_size, gap=gap)
    return list(splitter.split(np.zeros(n_samples)))


def _ts_gap_ignored(n_samples, n_splits, test_size=None, gap=0):
    """Wrong: the gap is ignored, training runs right up to the test block."""
    return time_series_splits(n_samples, n_splits, test_size, 0)


def _ts_shuffled(n_samples, n_splits, test_size=None, gap=0):
    """Wrong: the rows are shuffled before splitting, so folds train on the future."""
    order = np.random.default_rng(0).permutation(n_samples)
    return [
        (np.sort(order[train]), np.sort(order[test]))
        for train, test in time_series_splits(n_samples, n_splits, test_size, gap)
    ]


@st.composite
def _ts_cases(draw):
    n_splits = draw(st.integers(2, 6))
    test_size = draw(st.one_of(st.none(), st.integers(1, 5)))
    gap = draw(st.integers(0, 3))
    smallest = n_splits * (test_size or 1) + gap + (n_splits + 1 if test_size is None else 1)
    n_samples = draw(st.integers(smallest, smallest + 30))
    return n_samples, n_splits, test_size, gap


_TS_ARGS = ("n_samples", "n_splits", "test_size", "gap")


def _forward_only(solution, args):
    n_samples, n_splits, test_size, gap = args
    splits = _as_splits(call(solution, args), n_splits)
    for i, (train, test) in enumerate(splits):
        if train.size and test.size and train.max() + gap >= test.min():
            return (
                f"split {i}: training row {train.max()} is not at least gap={gap} rows "
                f"before the first test row {test.min()}"
            )
    return None


TIME_SERIES_SPLITS = Exercise(
    id="time_series_splits",
    question="q08",
    title="Forward validation splits for a time series (expanding window, gap)",
    signature="(n_samples, n_splits, test_size=None, gap=0)",
    statement="""
Forward-validation indices for rows 0..n_samples-1 in time order, as scikit-learn's
TimeSeriesSplit(n_splits, test_size=test_size, gap=gap).

The test blocks are the last n_splits blocks of `test_size` consecutive rows (default
test_size = n_samples // (n_splits + 1)). Fold i trains on every row from 0 up to, but
excluding, `gap` rows before its test block starts. Return a list of `n_splits` pairs
`(train, test)` of increasing integer arrays, earliest test block first. The inputs
always leave at least one training row.
""",
    hints=(
        "Never train on the future: each test block lies after all of its training rows.",
        "Work from the end: the last test block is the last test_size rows, the one before "
        "it the test_size rows before those, and so on, n_splits times.",
        "Test block i starts at s = n_samples - (n_splits - i) * test_size; training is "
        "np.arange(0, s - gap). Do not forget the gap.",
    ),
    reference=time_series_splits,
    graders=(
        property_holds(
            "the indices of TimeSeriesSplit",
            _ts_cases(),
            _splits_like(time_series_splits),
            names=_TS_ARGS,
            max_examples=30,
        ),
        property_holds(
            "training ends gap rows before testing",
            _ts_cases(),
            _forward_only,
            names=_TS_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={
        "timeseries-gap-ignored": _ts_gap_ignored,
        "timeseries-split-shuffles": _ts_shuffled,
    },
    probes=lambda solution: [(20, 3, None, 2), (30, 4, 5, 3), (12, 2, 3, 1)],
    same=_same_forward_splits,
)

# --------------------------------------------------------------------------- blocked_kfold


def blocked_kfold(n_samples, n_splits, gap=0):
    """Blocked K-fold: contiguous test blocks, ``gap`` rows dropped from training each side.

    Test block ``i`` is ``[start_i, stop_i)`` with the sizes of unshuffled K-fold; training
    uses every row outside ``[start_i - gap, stop_i + gap)``, so rows that neighbour the
    test block (and share its autocorrelation) cannot leak into training. Calls
    :class:`mlhood.model_selection.BlockedKFold`.

    Examples
    --------
    >>> [(tr.tolist(), te.tolist()) for tr, te in blocked_kfold(9, 3, gap=1)][1]
    ([0, 1, 7, 8], [3, 4, 5])
    """
    return list(BlockedKFold(n_splits, gap=gap).split(np.zeros(n_samples)))


def _blocked_gap_ignored(n_samples, n_splits, gap=0):
    """Wrong: the gap is ignored, training includes the rows next to the test block."""
    return kfold_indices(n_samples, n_splits)


def _blocked_gap_before_only(n_samples, n_splits, gap=0):
    """Wrong: the gap is dropped before the test block only; the rows after it stay."""
    index = np.arange(n_samples)
    return [
        (index[(index < test[0] - gap) | (index > test[-1])], test)
        for _, test in kfold_indices(n_samples, n_splits)
    ]


def _leaves_training(case) -> bool:
    """Every test block keeps some training row outside ``[start - gap, stop + gap)``."""
    n_samples, n_splits, gap = case
    stops = np.cumsum([len(test) for _, test in kfold_indices(n_samples, n_splits)])
    starts = stops - np.diff(np.r_[0, stops])
    return bool(np.all((starts - gap > 0) | (stops + gap < n_samples)))


_BLOCKED_CASES = (
    st.integers(2, 6)
    .flatmap(lambda k: st.tuples(st.integers(k, 40), st.just(k), st.integers(0, 4)))
    .filter(_leaves_training)
)


def _keeps_the_gap(solution, args):
    n_samples, n_splits, gap = args
    splits = _as_splits(call(solution, args), n_splits)
    if message := _partitions(n_samples, n_splits, splits):
        return message
    for i, (train, test) in enumerate(splits):
        near = np.min(np.abs(train[:, None] - test[None, :])) if train.size else gap + 1
        if near <= gap:
            return f"split {i}: a training row is within gap={gap} rows of the test block"
    return None


BLOCKED_KFOLD = Exercise(
    id="blocked_kfold",
    question="q08",
    title="Blocked K-fold with a gap around each test block",
    signature="(n_samples, n_splits, gap=0)",
    statement="""
K-fold for ordered data: the test blocks are those of unshuffled K-fold (contiguous, in
order; the first n_samples % n_splits blocks one row longer), and training uses every
row that is more than `gap` rows away from the test block: for the block [start, stop),
the rows outside [start - gap, stop + gap). Return a list of `n_splits` pairs
`(train, test)` of increasing integer arrays. The inputs always leave training rows.
""",
    hints=(
        "Start from unshuffled K-fold: the test blocks do not change, only training does.",
        "Rows right next to a test block are strongly correlated with it; the gap removes "
        "them from training on both sides.",
        "index = np.arange(n); train = index[(index < start - gap) | (index >= stop + gap)].",
    ),
    reference=blocked_kfold,
    graders=(
        property_holds(
            "the indices of blocked K-fold",
            _BLOCKED_CASES,
            _splits_like(blocked_kfold),
            names=("n_samples", "n_splits", "gap"),
            max_examples=30,
        ),
        property_holds(
            "no training row within gap of the test block",
            _BLOCKED_CASES,
            _keeps_the_gap,
            names=("n_samples", "n_splits", "gap"),
            max_examples=30,
        ),
    ),
    mistakes={
        "timeseries-gap-ignored": _blocked_gap_ignored,
        "blocked-kfold-gap-before-only": _blocked_gap_before_only,
    },
    same=_equal_splits,
    probes=lambda solution: [(20, 4, 2), (9, 3, 1)],
)

EXERCISES = (KFOLD_INDICES, TIME_SERIES_SPLITS, BLOCKED_KFOLD)
