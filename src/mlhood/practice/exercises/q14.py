"""Exercises for q14 (categorical encodings): one-hot, label and out-of-fold target encoding."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.model_selection import KFold
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    against_reference,
    call,
    outputs_match,
    property_holds,
    to_array,
    to_tuple,
)
from mlhood.preprocessing import LabelEncoder

_WORDS = ("red", "green", "blue", "cyan", "plum", "teal", "gold")

# ------------------------------------------------------------------------------------ one_hot


def one_hot(values, categories, handle_unknown="error"):
    """One-hot encode ``values`` with one column per entry of ``categories``, in that order.

    ``out[i, j] = 1`` exactly when ``values[i] == categories[j]``, so each known value's
    row holds a single 1; no order between categories is implied, unlike integer labels.
    A value outside ``categories`` raises a ValueError with ``handle_unknown="error"``;
    with ``"ignore"`` its row is all zeros (the same row a dropped reference category
    gets) -- it must never be mistaken for a known category.

    Examples
    --------
    >>> one_hot(["b", "z", "a"], ["a", "b"], handle_unknown="ignore").tolist()
    [[0.0, 1.0], [0.0, 0.0], [1.0, 0.0]]
    """
    if handle_unknown not in ("error", "ignore"):
        raise ValueError(f"handle_unknown must be 'error' or 'ignore', got {handle_unknown!r}")
    values = np.asarray(values, dtype=object).reshape(-1)
    categories = np.asarray(categories, dtype=object).reshape(-1)
    matches = values[:, None] == categories[None, :]
    unknown = ~matches.any(axis=1)
    if handle_unknown == "error" and unknown.any():
        raise ValueError(
            f"values holds unknown categories: {sorted(set(values[unknown]), key=str)}"
        )
    return matches.astype(float)


def _unknown_to_first(values, categories, handle_unknown="error"):
    """Wrong: an unknown value gets the column of a known category (here the first)."""
    index = {c: j for j, c in enumerate(categories)}
    out = np.zeros((len(values), len(categories)))
    for i, value in enumerate(values):
        out[i, index.get(value, 0)] = 1.0
    return out


def _pick(seed, n_values, n_categories, as_numbers, with_unknown):
    rng = np.random.default_rng(seed)
    pool = list(range(10, 17)) if as_numbers else list(_WORDS)
    categories = [pool[i] for i in rng.permutation(len(pool))[:n_categories]]
    chosen = [categories[i] for i in rng.integers(0, n_categories, n_values)]
    unseen = [p for p in pool if p not in categories] or [99]
    if with_unknown:
        chosen[int(rng.integers(0, n_values))] = unseen[0]
    return chosen, categories


def _one_hot_case(seed, n_values, n_categories, as_numbers, with_unknown):
    values, categories = _pick(seed, n_values, n_categories, as_numbers, with_unknown)
    return values, categories, "ignore" if with_unknown else "error"


_ONE_HOT_CASES = st.builds(
    _one_hot_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 15),
    st.integers(1, 6),
    st.booleans(),
    st.booleans(),
)
_ONE_HOT_ARGS = ("values", "categories", "handle_unknown")


def _raises_on_unknown(solution):
    for seed in range(6):
        values, categories = _pick(seed, 6, 4, seed % 2 == 0, True)
        known = [v for v in values if v in categories]
        call(solution, (known, categories, "error"))  # known values only: no error
        try:
            call(solution, (values, categories, "error"))
        except ValueError:
            continue
        raise Fail(
            "an unknown category with handle_unknown='error' must raise ValueError\n"
            f"  values = {values}\n  categories = {categories}"
        )


def _unknown_rows_last(got, wrong) -> bool:
    """Match on the probes, whose last two rows are unknown values: any known column there."""
    try:
        got = to_array(got, "one-hot", shape=np.shape(wrong))
    except Fail:
        return False
    return outputs_match(got[:-2], wrong[:-2]) and bool(np.all(got[-2:].sum(axis=1) == 1))


ONE_HOT = Exercise(
    id="one_hot",
    question="q14",
    title="One-hot encoding with a defined behaviour for unknown categories",
    signature='(values, categories, handle_unknown="error")',
    statement="""
One-hot encode `values` (a 1-D sequence of strings or ints) against `categories` (a
sequence of distinct values, in the column order to use; not necessarily sorted).
Return a float array of shape (len(values), len(categories)) with out[i, j] = 1 when
values[i] == categories[j], else 0.

A value not in `categories`: with handle_unknown="error" raise ValueError; with
handle_unknown="ignore" its row is all zeros.
""",
    hints=(
        "Each row has a single 1, in the column of its category; the columns follow the "
        "order of `categories`, whatever it is.",
        "Build a dict category -> column once; look every value up in it.",
        "An unknown value must not borrow a known column (dict.get(value, 0) does exactly "
        "that): raise ValueError, or leave its row at zero for 'ignore'.",
    ),
    reference=one_hot,
    graders=(
        against_reference(
            "the one-hot matrix",
            _ONE_HOT_CASES,
            one_hot,
            names=_ONE_HOT_ARGS,
            what="one-hot",
            max_examples=30,
        ),
        Grader("with 'error' only unknown values raise ValueError", _raises_on_unknown),
    ),
    mistakes={"onehot-unknown-to-known": _unknown_to_first},
    probes=lambda solution: [
        (["red", "blue", "red", "gold", "plum"], ["blue", "red"], "ignore"),
        ([3, 1, 2, 9, 0], [2, 1, 3], "ignore"),
    ],
    same=_unknown_rows_last,
)

# ------------------------------------------------------------------------------ label_encode


def label_encode(values):
    """Integer codes in sorted label order: ``classes`` sorted distinct, ``classes[codes]``.

    Label encoding maps category ``c_k`` (k-th in sorted order) to the integer ``k``. It
    suits targets and tree models; for a linear model on a nominal feature it invents an
    order and equal spacing that the categories do not have. Uses
    :class:`mlhood.preprocessing.LabelEncoder`.

    Examples
    --------
    >>> codes, classes = label_encode(["paris", "tokyo", "paris", "amsterdam"])
    >>> codes.tolist(), classes.tolist()
    ([1, 2, 1, 0], ['amsterdam', 'paris', 'tokyo'])
    """
    encoder = LabelEncoder()
    return encoder.fit_transform(np.asarray(values)), encoder.classes_


_LABEL_CASES = st.builds(
    lambda seed, n, k, numbers: (_pick(seed, n, k, numbers, False)[0],),
    st.integers(0, 2**32 - 1),
    st.integers(1, 20),
    st.integers(1, 7),
    st.booleans(),
)


def _label_codes(solution, args):
    (values,) = args
    codes, classes = to_tuple(call(solution, args), 2, "(codes, classes)")
    want_codes, want_classes = label_encode(values)
    classes = list(np.asarray(classes).tolist())
    if classes != want_classes.tolist():
        return (
            f"classes should be the sorted distinct values {want_classes.tolist()}, got {classes}"
        )
    codes = to_array(codes, "codes", shape=want_codes.shape)
    if not np.array_equal(codes, want_codes):
        return f"codes should be {want_codes.tolist()}, got {codes.tolist()}"
    return None


LABEL_ENCODE = Exercise(
    id="label_encode",
    question="q14",
    title="Label encoding in sorted order",
    signature="(values)",
    statement="""
Label-encode `values` (a 1-D sequence of strings, or of ints). Return `(codes, classes)`:
`classes` the sorted distinct values (an array), `codes` an int array with
classes[codes[i]] == values[i].
""",
    hints=(
        "The classes are the distinct values, sorted; each value's code is its position "
        "among them.",
        "np.unique returns the sorted distinct values, and with return_inverse=True the "
        "position of every value among them.",
        "classes, codes = np.unique(values, return_inverse=True)",
    ),
    reference=label_encode,
    graders=(
        property_holds(
            "sorted classes and their codes",
            _LABEL_CASES,
            _label_codes,
            names=("values",),
            max_examples=30,
        ),
    ),
)

# ----------------------------------------------------------------------------- target_encode


def target_encode(values, y, n_splits, smoothing=1.0):
    """Out-of-fold smoothed target encoding of the training rows.

    The rows are split by unshuffled K-fold (:class:`mlhood.model_selection.KFold`). A row
    in fold ``f`` is encoded from the *other* folds only: with ``s_c`` and ``n_c`` the sum
    and count of ``y`` over the other folds' rows of its category ``c``, and ``prior`` the
    mean of ``y`` over the other folds::

        encoding = (s_c + smoothing * prior) / (n_c + smoothing)

    So a row's own target never enters its encoding: computed on all rows, a rare
    category's encoding would carry its own label, and the model would learn that leak.

    Examples
    --------
    >>> target_encode(["a", "b", "a", "b"], [1.0, 0.0, 0.0, 1.0], 2, smoothing=1.0).tolist()
    [0.25, 0.75, 0.75, 0.25]
    """
    values, y = np.asarray(values, dtype=object), np.asarray(y, dtype=float)
    encoded = np.empty(len(y))
    for others, fold in KFold(n_splits).split(y):
        prior = y[others].mean()
        for i in fold:
            same_category = others[values[others] == values[i]]
            total, count = y[same_category].sum(), same_category.size
            encoded[i] = (total + smoothing * prior) / (count + smoothing)
    return encoded


def _target_encode_no_crossfit(values, y, n_splits, smoothing=1.0):
    """Wrong: every row is encoded from all rows, its own target included."""
    values, y = np.asarray(values, dtype=object), np.asarray(y, dtype=float)
    prior = y.mean()
    encoded = np.empty(len(y))
    for i in range(len(y)):
        members = values == values[i]
        encoded[i] = (y[members].sum() + smoothing * prior) / (members.sum() + smoothing)
    return encoded


def _target_encode_unsmoothed(values, y, n_splits, smoothing=1.0):
    """Wrong: out of fold, but the plain category mean: smoothing ignored."""
    values, y = np.asarray(values, dtype=object), np.asarray(y, dtype=float)
    encoded = np.empty(len(y))
    for others, fold in KFold(n_splits).split(y):
        for i in fold:
            same_category = others[values[others] == values[i]]
            encoded[i] = y[same_category].mean() if same_category.size else y[others].mean()
    return encoded


def _target_case(seed, n_values, n_categories, as_numbers, binary, n_splits, smoothing):
    values, _ = _pick(seed, n_values, n_categories, as_numbers, False)
    rng = np.random.default_rng(seed + 1)
    y = rng.integers(0, 2, n_values).astype(float) if binary else rng.normal(size=n_values)
    return values, y, min(n_splits, n_values), smoothing


_TARGET_ARGS = ("values", "y", "n_splits", "smoothing")
_TARGET_CASES = st.builds(
    _target_case,
    st.integers(0, 2**32 - 1),
    st.integers(2, 30),
    st.integers(1, 5),
    st.booleans(),
    st.booleans(),
    st.integers(2, 5),
    st.sampled_from([0.5, 1.0, 10.0]),
)


def _own_target_unused(solution, args):
    values, y, n_splits, smoothing = args
    encoded = to_array(call(solution, args), "encoding", shape=(len(y),))
    changed = y.copy()
    changed[0] += 100.0
    again = to_array(call(solution, (values, changed, n_splits, smoothing)), "encoding")
    if abs(again[0] - encoded[0]) > 1e-9 * (1.0 + abs(encoded[0])):
        return "row 0's encoding changed when only row 0's own target changed: it leaks"
    return None


TARGET_ENCODE = Exercise(
    id="target_encode",
    question="q14",
    title="Out-of-fold (cross-fitted) smoothed target encoding",
    signature="(values, y, n_splits, smoothing=1.0)",
    statement="""
Target-encode a categorical feature for the training rows, out of fold.

values: (n,) categories (strings or ints); y: (n,) float targets; split the rows with
unshuffled K-fold (`n_splits` contiguous folds in order, the first n % n_splits one row
longer). A row in fold f gets, from the rows of the OTHER folds only,

    (sum of y over those rows with the row's category + smoothing * prior)
    / (number of those rows with the row's category + smoothing)

where prior is the mean of y over the other folds' rows. Return the (n,) float array.
""",
    hints=(
        "The encoding of a row must not use that row's own target: compute it from the "
        "other folds, as if the row were new data.",
        "For each fold: the prior and the per-category sums and counts come from the rows "
        "outside the fold; apply them to the rows inside it.",
        "A category absent from the other folds gets (0 + smoothing * prior) / "
        "(0 + smoothing) = prior.",
    ),
    reference=target_encode,
    graders=(
        against_reference(
            "the out-of-fold encodings",
            _TARGET_CASES,
            target_encode,
            names=_TARGET_ARGS,
            what="encoding",
            max_examples=30,
        ),
        property_holds(
            "a row's own target does not enter its encoding",
            _TARGET_CASES,
            _own_target_unused,
            names=_TARGET_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={
        "target-encoder-no-crossfit": _target_encode_no_crossfit,
        "target-encoder-smooth-ignored": _target_encode_unsmoothed,
    },
    probes=lambda solution: [_target_case(2, 20, 4, False, True, 5, 1.0)],
)

EXERCISES = (ONE_HOT, LABEL_ENCODE, TARGET_ENCODE)
