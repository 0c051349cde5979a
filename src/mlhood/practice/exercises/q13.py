"""Exercises for q13 (validation sets): early stopping, a three-way split, nested CV indices."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.model_selection import KFold
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import Fail, call, property_holds, to_float, to_tuple

# -------------------------------------------------------------------- early_stopping_epoch


def early_stopping_epoch(train_losses, val_losses, patience):
    """The epoch whose weights early stopping keeps: the best validation loss before stopping.

    Walk the epochs ``e = 0, 1, ...``: a validation loss strictly below the best so far
    makes ``e`` the best epoch and resets the wait; otherwise the wait grows by one, and
    training stops once it reaches ``patience``. The weights of the best epoch are restored.
    The training loss plays no part: it keeps falling while the model overfits. (This is
    the rule of :func:`mlhood.nn.fit` with ``early_stopping=True, restore_best=True``.)

    Examples
    --------
    >>> early_stopping_epoch([3, 2, 1, 0.5, 0.2], [3.0, 2.0, 2.5, 1.0, 0.5], patience=1)
    1
    """
    best, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch


def _stop_on_training_loss(train_losses, val_losses, patience):
    """Wrong: the rule watches the training loss, which keeps falling while the model overfits."""
    return early_stopping_epoch(val_losses, train_losses, patience)


def _keep_last_epoch(train_losses, val_losses, patience):
    """Wrong: returns the epoch training stopped at, not the best one, whose weights it kept."""
    best, waited = np.inf, 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
            if waited >= patience:
                return epoch
    return len(val_losses) - 1


def _curves(seed, n_epochs, turn, noise, decimals):
    rng = np.random.default_rng(seed)
    epochs = np.arange(n_epochs)
    train = 2.0 * np.exp(-epochs / 8.0) + 0.01 * rng.random(n_epochs)
    val = 1.0 + 0.002 * (epochs - turn) ** 2 + noise * rng.normal(size=n_epochs)
    return np.round(train, decimals), np.round(val, decimals)


def _stopping_case(seed, n_epochs, turn, noise, decimals, patience):
    return (*_curves(seed, n_epochs, turn, noise, decimals), patience)


_STOPPING_ARGS = ("train_losses", "val_losses", "patience")
_STOPPING_CASES = st.builds(
    _stopping_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 60),
    st.integers(0, 40),
    st.sampled_from([0.0, 0.01, 0.1]),
    st.sampled_from([1, 3, 12]),
    st.integers(1, 10),
)


def _as_epoch(value, what="the epoch"):
    epoch = to_float(value, what)
    if epoch != int(epoch):
        raise Fail(f"{what} must be a whole number, got {epoch}")
    return int(epoch)


def _same_epoch(solution, args):
    expected = early_stopping_epoch(*args)
    got = _as_epoch(call(solution, args))
    if got != expected:
        return f"expected epoch {expected}, got {got}"
    return None


def _later_epochs_do_not_matter(solution, args):
    train, val, patience = args
    got = _as_epoch(call(solution, args))
    extended = (np.r_[train, np.zeros(5)], np.r_[val, np.full(5, -1.0)], patience)
    if early_stopping_epoch(*extended) != early_stopping_epoch(*args):
        return None  # training had not stopped yet: the extra epochs do matter
    again = _as_epoch(call(solution, extended))
    if again != got:
        return (
            f"epochs after training stopped changed your answer from {got} to {again}: once "
            "patience runs out, later losses are never seen"
        )
    return None


EARLY_STOPPING_EPOCH = Exercise(
    id="early_stopping_epoch",
    question="q13",
    title="Early stopping: which epoch's weights to keep",
    signature="(train_losses, val_losses, patience)",
    statement="""
Early stopping with patience, given the loss curves of a training run: train_losses and
val_losses are float sequences, one value per epoch (epochs 0, 1, ...), patience >= 1.

Go through the epochs in order. An epoch whose validation loss is strictly lower than
every earlier one is the new best epoch. Training stops as soon as `patience`
consecutive epochs have brought no such improvement, and the weights of the best epoch
are restored. Return the best epoch (an int). If training never stops, return the best
epoch over all of them.
""",
    hints=(
        "The point of early stopping is to stop when the model starts to overfit: what does "
        "the training loss do then, and what does the validation loss do?",
        "Keep the best validation loss so far, its epoch, and a counter of epochs without "
        "improvement, reset to 0 at each improvement.",
        "Return the epoch of the best validation loss, not the epoch where you stopped: the "
        "weights of the best epoch are the ones you keep.",
    ),
    reference=early_stopping_epoch,
    graders=(
        property_holds(
            "the best validation epoch before patience runs out",
            _STOPPING_CASES,
            _same_epoch,
            names=_STOPPING_ARGS,
            max_examples=30,
        ),
        property_holds(
            "epochs after the stop cannot matter",
            _STOPPING_CASES,
            _later_epochs_do_not_matter,
            names=_STOPPING_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={
        "early-stopping-on-training-loss": _stop_on_training_loss,
        "early-stopping-keeps-last": _keep_last_epoch,
    },
    probes=lambda solution: [
        _stopping_case(0, 40, 10, 0.0, 12, 3),
        _stopping_case(1, 30, 5, 0.0, 12, 5),
    ],
)

# ------------------------------------------------------------------ train_val_test_indices


def train_val_test_indices(n_samples, n_val, n_test, rng):
    """A random three-way split of the rows into train, validation and test.

    One permutation from ``rng``: its first ``n_test`` rows are the test set, the next
    ``n_val`` the validation set, the rest training. Models are fit on train, chosen on
    validation, and the chosen one is scored once on test: choosing on test would make its
    score optimistic (the best of many noisy scores).

    Examples
    --------
    >>> train, val, test = train_val_test_indices(10, 2, 3, np.random.default_rng(0))
    >>> len(train), len(val), len(test)
    (5, 2, 3)
    """
    order = rng.permutation(n_samples)
    return order[n_test + n_val :], order[n_test : n_test + n_val], order[:n_test]


def _three_parts(value, n_samples, n_val, n_test):
    parts = [np.asarray(p).ravel() for p in to_tuple(value, 3, "(train, val, test)")]
    sizes = [len(p) for p in parts]
    if sizes != [n_samples - n_val - n_test, n_val, n_test]:
        raise Fail(
            f"sizes (train, val, test) should be {[n_samples - n_val - n_test, n_val, n_test]}, "
            f"got {sizes}"
        )
    if not np.array_equal(np.sort(np.concatenate(parts)), np.arange(n_samples)):
        raise Fail("train, val and test must together hold every row exactly once")
    return parts


@st.composite
def _split_cases(draw):
    n_samples = draw(st.integers(12, 200))
    n_test = draw(st.integers(1, n_samples // 3))
    n_val = draw(st.integers(1, n_samples // 3))
    return n_samples, n_val, n_test, draw(st.integers(0, 2**32 - 1))


def _random_split(solution, args):
    n_samples, n_val, n_test, seed = args

    def split(s):
        got = call(solution, (n_samples, n_val, n_test, np.random.default_rng(s)))
        return [np.sort(part) for part in _three_parts(got, n_samples, n_val, n_test)]

    def same(a, b):
        return all(np.array_equal(x, y) for x, y in zip(a, b))

    first = split(seed)
    if not same(first, split(seed)):
        return "the same rng seed gave a different split: draw it from rng only"
    if all(same(first, split(seed + k)) for k in range(1, 5)):
        return "five different rng seeds gave the same split: draw it at random from rng"
    return None


TRAIN_VAL_TEST_INDICES = Exercise(
    id="train_val_test_indices",
    question="q13",
    title="Random train / validation / test split",
    signature="(n_samples, n_val, n_test, rng)",
    statement="""
Split the rows 0..n_samples-1 at random into three disjoint sets: `n_test` test rows,
`n_val` validation rows and the remaining training rows, drawing the randomness from
`rng` (a numpy.random.Generator). Return `(train, val, test)` as integer arrays. The same
rng state must give the same split.
""",
    hints=(
        "The three sets must not share any row: one random order of all rows, cut in three.",
        "Use the rng you are given (rng.permutation), not np.random or a fixed seed.",
        "order = rng.permutation(n_samples); test = order[:n_test]; "
        "val = order[n_test:n_test + n_val]; train = the rest.",
    ),
    reference=train_val_test_indices,
    graders=(
        property_holds(
            "a random, reproducible partition of the sizes asked",
            _split_cases(),
            _random_split,
            names=("n_samples", "n_val", "n_test", "seed of rng"),
            max_examples=30,
        ),
    ),
)

# ------------------------------------------------------------------------ nested_cv_indices


def nested_cv_indices(n_samples, outer_splits, inner_splits):
    """Indices of nested cross-validation: inner folds split only the outer training rows.

    The outer loop is unshuffled K-fold with ``outer_splits`` folds. For each outer fold,
    the inner loop (model selection) is unshuffled K-fold with ``inner_splits`` folds over
    the outer *training* rows only, so the outer test rows never influence which model is
    chosen and the outer score stays an honest estimate. Uses
    :class:`mlhood.model_selection.KFold`.

    Examples
    --------
    >>> outer_train, outer_test, inner = nested_cv_indices(6, 2, 2)[0]
    >>> outer_test.tolist(), [(tr.tolist(), te.tolist()) for tr, te in inner]
    ([0, 1, 2], [([5], [3, 4]), ([3, 4], [5])])
    """
    folds = []
    for outer_train, outer_test in KFold(outer_splits).split(np.zeros(n_samples)):
        inner = [
            (outer_train[train], outer_train[test])
            for train, test in KFold(inner_splits).split(outer_train)
        ]
        folds.append((outer_train, outer_test, inner))
    return folds


def _inner_over_all_rows(n_samples, outer_splits, inner_splits):
    """Wrong: the inner folds split every row, outer test rows included."""
    everything = list(KFold(inner_splits).split(np.zeros(n_samples)))
    return [
        (train, test, everything) for train, test in KFold(outer_splits).split(np.zeros(n_samples))
    ]


def _nested_differences(got, expected):
    """Where the learner's nested folds differ from the expected ones, or None."""
    folds = to_tuple(got, len(expected), "the outer folds")
    for i, (fold, (want_train, want_test, want_inner)) in enumerate(zip(folds, expected)):
        outer_train, outer_test, inner = to_tuple(fold, 3, f"outer fold {i}")
        for name, mine, want in (
            ("train", outer_train, want_train),
            ("test", outer_test, want_test),
        ):
            mine = np.asarray(mine)
            if not np.array_equal(mine, want):
                return f"outer fold {i}: {name} should be {want.tolist()}, got {mine.tolist()}"
        inner = to_tuple(inner, len(want_inner), f"the inner folds of outer fold {i}")
        for j, (pair, (train, test)) in enumerate(zip(inner, want_inner)):
            mine_train, mine_test = (np.asarray(p) for p in to_tuple(pair, 2, f"inner fold {j}"))
            if np.intersect1d(np.r_[mine_train, mine_test], outer_test).size:
                return f"outer fold {i}, inner fold {j} uses rows of the outer test fold"
            if not (np.array_equal(mine_train, train) and np.array_equal(mine_test, test)):
                return (
                    f"outer fold {i}, inner fold {j}: expected (train, test) = "
                    f"({train.tolist()}, {test.tolist()}), got "
                    f"({mine_train.tolist()}, {mine_test.tolist()})"
                )
    return None


def _nested_matches(solution, args):
    return _nested_differences(call(solution, args), nested_cv_indices(*args))


def _same_nested(got, wrong) -> bool:
    """Equal folds, or the learner's inner folds also split every row, outer test included."""
    try:
        return _nested_differences(got, wrong) is None or _inner_splits_every_row(got)
    except Exception:  # a malformed output matches no wrong version
        return False


def _inner_splits_every_row(folds) -> bool:
    """True when, for every outer fold, the inner folds together cover all the rows."""
    every_row = np.arange(len(np.r_[folds[0][0], folds[0][1]]))
    return all(
        np.array_equal(np.unique(np.concatenate([np.r_[tr, te] for tr, te in inner])), every_row)
        for _, _, inner in folds
    )


_NESTED_CASES = st.tuples(st.integers(2, 5), st.integers(2, 4)).flatmap(
    lambda k: st.tuples(st.integers(k[0] * k[1] + k[1], 40), st.just(k[0]), st.just(k[1]))
)

NESTED_CV_INDICES = Exercise(
    id="nested_cv_indices",
    question="q13",
    title="Nested cross-validation indices (no outer test rows in the inner loop)",
    signature="(n_samples, outer_splits, inner_splits)",
    statement="""
The indices of nested cross-validation over rows 0..n_samples-1. The outer loop is
unshuffled K-fold with `outer_splits` folds (contiguous test blocks, in order, the first
n_samples % outer_splits one row longer). For each outer fold, the inner loop is
unshuffled K-fold with `inner_splits` folds over that fold's outer training rows (in
increasing order); its indices are row numbers of the original data.

Return a list with one entry per outer fold: `(outer_train, outer_test, inner)`, where
`inner` is a list of `(inner_train, inner_test)` pairs. All are increasing int arrays.
""",
    hints=(
        "The inner loop chooses the model; the outer test fold must stay unseen until the "
        "chosen model is scored on it.",
        "Run K-fold on positions 0..len(outer_train)-1, then map them back to row numbers "
        "with outer_train[positions].",
        "Do not split all n_samples rows in the inner loop: that lets the outer test rows "
        "into model selection.",
    ),
    reference=nested_cv_indices,
    graders=(
        property_holds(
            "the nested K-fold indices",
            _NESTED_CASES,
            _nested_matches,
            names=("n_samples", "outer_splits", "inner_splits"),
            max_examples=30,
        ),
    ),
    mistakes={"nested-cv-leaks-outer-test": _inner_over_all_rows},
    probes=lambda solution: [(12, 3, 2), (20, 4, 3)],
    same=_same_nested,
)

EXERCISES = (EARLY_STOPPING_EPOCH, TRAIN_VAL_TEST_INDICES, NESTED_CV_INDICES)
