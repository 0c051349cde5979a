"""q01 (high variance): ridge in closed form, a CART Gini split, a bootstrap sample."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    against_reference,
    assert_close,
    call,
    float_arrays,
    property_holds,
    single_precision,
    to_array,
    to_float,
    to_tuple,
)

# ---------------------------------------------------------------- the references


def ridge_closed_form(X, y, alpha):
    """Ridge regression with an unpenalised intercept, in closed form.

    Minimise ``||y - X w - b||^2 + alpha ||w||^2``. Setting the derivative in ``b`` to 0
    gives ``b = mean(y) - mean(X) w``; substituting it centres the data, and the
    derivative in ``w`` gives the normal equations of the centred problem::

        (Xc^T Xc + alpha I) w = Xc^T yc,    Xc = X - mean(X),  yc = y - mean(y)

    The intercept is not penalised: shrinking it would pull predictions towards 0, not
    towards the mean, and the fit would change when ``y`` is shifted
    (:class:`mlhood.linear_model.Ridge`; Hastie, Tibshirani & Friedman, ESL, 3.4.1).

    Returns
    -------
    coef : ndarray of shape (n_features,)
    intercept : float
    """
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    coef = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return coef, float(y_mean - x_mean @ coef)


def _gini(counts: np.ndarray) -> np.ndarray:
    """Gini impurity ``1 - sum_k p_k^2`` of each row of class counts (0 for an empty row)."""
    total = counts.sum(axis=-1, keepdims=True)
    p = counts / np.maximum(total, 1)
    return 1.0 - (p**2).sum(axis=-1)


def gini_best_split(x, y):
    """Best CART split of one feature by Gini impurity decrease.

    For a threshold ``t`` the left child holds ``x <= t``, the right ``x > t``; with node
    sizes ``n, n_L, n_R`` the impurity decrease, weighted by node sizes as in CART
    (Breiman et al., 1984; scikit-learn's ``feature_importances_``), is::

        G(node) - (n_L / n) G(left) - (n_R / n) G(right),   G = 1 - sum_k p_k^2

    Candidate thresholds are halfway between consecutive distinct sorted values; the
    smallest threshold among the best is returned. With one distinct value there is no
    split: ``(None, 0.0)``. All candidates are scored at once from cumulative class counts.
    """
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    classes = np.unique(ys, return_inverse=True)[1]
    onehot = np.eye(classes.max() + 1)[classes]
    left = np.cumsum(onehot, axis=0)[:-1]  # counts with the first i + 1 samples on the left
    right = onehot.sum(axis=0) - left
    valid = xs[1:] > xs[:-1]
    if not valid.any():
        return None, 0.0
    n = len(xs)
    n_left = np.arange(1, n)
    weighted = (n_left * _gini(left) + (n - n_left) * _gini(right)) / n
    decrease = np.where(valid, _gini(onehot.sum(axis=0)) - weighted, -np.inf)
    best = int(np.argmax(decrease))
    return float((xs[best] + xs[best + 1]) / 2), float(decrease[best])


def bootstrap_sample(n_samples, rng):
    """A bootstrap sample of row indices and the out-of-bag rows.

    ``n_samples`` indices are drawn uniformly *with replacement*; a row is out of bag when
    it was never drawn, which happens with probability ``(1 - 1/n)^n -> e^-1 ~ 0.368``.
    Each tree of a random forest is fit on such a sample and scored on its own
    out-of-bag rows (:class:`mlhood.ensemble.RandomForestClassifier`'s ``oob_score_``).

    Returns
    -------
    indices : int ndarray of shape (n_samples,)
    oob : bool ndarray of shape (n_samples,), True for rows never drawn
    """
    indices = rng.integers(0, n_samples, size=n_samples)
    oob = np.ones(n_samples, dtype=bool)
    oob[indices] = False
    return indices, oob


# ---------------------------------------------------------------- ridge graders

_ridge_cases = st.tuples(st.integers(2, 12), st.integers(1, 5)).flatmap(
    lambda s: st.tuples(
        float_arrays(s),
        float_arrays((s[0],), -50.0, 50.0),
        st.floats(0.1, 100.0),
    )
)
_RIDGE_NAMES = ("X", "y", "alpha")


def _ridge_optimality(solution, args) -> None:
    """The gradient of the objective vanishes at (coef, intercept)."""
    X, y, alpha = args
    coef, intercept = to_tuple(call(solution, args), 2, "ridge_closed_form's return value")
    precision = 1e-3 if single_precision(coef) else 1e-7  # float32 is judged as float32
    coef = to_array(coef, "coef", shape=(X.shape[1],))
    intercept = to_float(intercept, "intercept")
    residual = y - X @ coef - intercept
    scale = 1.0 + np.abs(y).sum() * (1.0 + np.abs(X).max())
    assert_close(
        np.append(-2 * X.T @ residual + 2 * alpha * coef, -2 * residual.sum()),
        np.zeros(X.shape[1] + 1),
        rtol=0.0,
        atol=precision * scale,
        what="gradient of ||y - Xw - b||^2 + alpha ||w||^2 in (w, b) at your solution",
    )


def _ridge_shift(solution, args) -> None:
    """Adding c to y adds c to the intercept and leaves coef alone (b is not penalised)."""
    X, y, alpha = args
    base = to_tuple(call(solution, args), 2, "ridge_closed_form's return value")
    shifted = to_tuple(call(solution, (X, y + 100.0, alpha)), 2, "return value")
    single = single_precision(shifted[1])  # float32 holds 100 + b to about 1e-5
    assert_close(
        (shifted[0], to_float(shifted[1], "intercept") - 100.0),
        (to_array(base[0], "coef"), to_float(base[1], "intercept")),
        rtol=1e-4 if single else 1e-6,
        atol=1e-3 if single else 1e-9,
        what="(coef, intercept - 100) after adding 100 to y",
    )


def _ridge_penalised_intercept(X, y, alpha):
    """Penalises the intercept: a column of ones appended to X and shrunk like the rest."""
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.solve(A.T @ A + alpha * np.eye(A.shape[1]), A.T @ y)
    return theta[:-1], float(theta[-1])


# ---------------------------------------------------------------- Gini graders

_split_cases = st.integers(2, 30).flatmap(
    lambda n: st.tuples(
        hnp.arrays(np.float64, (n,), elements=st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.0, 7.0])),
        hnp.arrays(np.int64, (n,), elements=st.integers(0, 2)),
    ).filter(lambda case: len(np.unique(case[0])) > 1)
)


def _split_decrease(x, y, threshold) -> float:
    """Weighted Gini decrease of the split ``x <= threshold``."""
    node, left = np.bincount(y, minlength=3), np.bincount(y[x <= threshold], minlength=3)
    right = node - left
    return float(_gini(node) - (left.sum() * _gini(left) + right.sum() * _gini(right)) / len(x))


def _best_split(solution, args) -> None:
    """The decrease is the best one, and the threshold is a midpoint that achieves it."""
    x, y = args
    threshold, decrease = to_tuple(call(solution, args), 2, "gini_best_split's return value")
    expected_threshold, expected = gini_best_split(x, y)
    assert_close(to_float(decrease, "impurity_decrease"), expected, what="impurity_decrease")
    threshold = to_float(threshold, "threshold")
    values = np.unique(x)
    midpoints = (values[1:] + values[:-1]) / 2
    if not np.isclose(midpoints, threshold, rtol=1e-9).any():
        raise Fail(
            f"threshold {threshold:g} is not halfway between two consecutive distinct values "
            f"of x (candidates: {midpoints.tolist()})"
        )
    achieved = _split_decrease(x, y, threshold)
    if achieved < expected - 1e-9:
        raise Fail(
            f"threshold {threshold:g} gives a decrease of {achieved:.6g}; the best split "
            f"({expected_threshold:g}) gives {expected:.6g}"
        )


def _constant_feature(solution) -> None:
    x, y = np.full(5, 2.0), np.array([0, 1, 0, 1, 1])
    threshold, decrease = to_tuple(solution(x, y), 2, "gini_best_split's return value")
    if threshold is not None or to_float(decrease, "impurity_decrease") != 0.0:
        raise Fail(
            f"x has one distinct value: expected (None, 0.0), got ({threshold}, {decrease})"
        )


# ---------------------------------------------------------------- bootstrap graders


def _bootstrap_output(solution, n, seed):
    indices, oob = to_tuple(solution(n, np.random.default_rng(seed)), 2, "the return value")
    indices = np.asarray(indices)
    oob = np.asarray(oob)
    if indices.shape != (n,) or indices.dtype.kind not in "iu":
        raise Fail(f"indices should be {n} integers, got shape {indices.shape} {indices.dtype}")
    if oob.shape != (n,) or not (oob.dtype == bool or np.isin(oob, (0, 1)).all()):
        raise Fail(f"oob should be a boolean array of shape ({n},), got {oob.shape} {oob.dtype}")
    oob = oob.astype(bool)
    if indices.min() < 0 or indices.max() >= n:
        raise Fail(f"indices must lie in [0, {n - 1}], got [{indices.min()}, {indices.max()}]")
    return indices, oob


def _bootstrap_consistent(solution, args) -> None:
    n, seed = args
    indices, oob = _bootstrap_output(solution, n, seed)
    expected = np.ones(n, bool)
    expected[indices] = False
    if not np.array_equal(oob, expected):
        row = int(np.argmax(oob != expected))
        raise Fail(f"row {row}: oob is {oob[row]} but it was {'not ' * oob[row]}drawn")


def _bootstrap_rate(solution) -> None:
    """About 36.8% of 20 000 rows are out of bag (drawn with replacement), from rng."""
    n = 20000
    _, oob = _bootstrap_output(solution, n, 0)
    expected = (1 - 1 / n) ** n
    if abs(oob.mean() - expected) > 0.01:
        raise Fail(
            f"{oob.mean():.3f} of the rows are out of bag; drawing with replacement leaves "
            f"about (1 - 1/n)^n = {expected:.3f} of them out"
        )
    again, _ = _bootstrap_output(solution, 50, 4)
    same, _ = _bootstrap_output(solution, 50, 4)
    if not np.array_equal(again, same):
        raise Fail("the same seed gave different samples: draw from the `rng` argument")


def _bootstrap_without_replacement(n_samples, rng):
    """Draws without replacement: a permutation, so no row is ever out of bag."""
    return rng.permutation(n_samples), np.zeros(n_samples, dtype=bool)


def _same_oob_rate(got, wrong) -> bool:
    try:
        return abs(np.mean(np.asarray(got[1], bool)) - np.mean(wrong[1])) < 0.03
    except (TypeError, ValueError, IndexError):
        return False


def _ridge_probes(solution):
    rng = np.random.default_rng(0)
    X = rng.normal(2.0, 1.0, (30, 3))
    return [(X, X @ [1.0, -2.0, 0.5] + 5.0 + rng.normal(0, 0.1, 30), 3.0)]


EXERCISES = (
    Exercise(
        id="ridge_closed_form",
        question="q01",
        title="Ridge regression in closed form, intercept not penalised",
        signature="(X, y, alpha)",
        statement="""
Ridge regression in closed form.

X: ndarray (n_samples, n_features); y: ndarray (n_samples,); alpha: float > 0.
Return ``(coef, intercept)`` minimising ``||y - X coef - intercept||^2 +
alpha ||coef||^2``: the intercept is NOT penalised. coef: ndarray (n_features,);
intercept: float.
""",
        hints=(
            "Differentiate in the intercept first: at the optimum it makes the mean residual "
            "zero, so intercept = mean(y) - mean(X) @ coef.",
            "Substituting that back centres X and y; what remains is ridge without intercept "
            "on the centred data.",
            "coef = solve(Xc.T @ Xc + alpha * I, Xc.T @ yc) with Xc = X - X.mean(0), "
            "yc = y - y.mean(); intercept = y.mean() - X.mean(0) @ coef.",
        ),
        reference=ridge_closed_form,
        graders=(
            against_reference(
                "matches the reference", _ridge_cases, ridge_closed_form, names=_RIDGE_NAMES
            ),
            property_holds(
                "gradient of the objective is zero at your solution",
                _ridge_cases,
                _ridge_optimality,
                names=_RIDGE_NAMES,
            ),
            property_holds(
                "shifting y moves only the intercept",
                _ridge_cases,
                _ridge_shift,
                names=_RIDGE_NAMES,
                max_examples=30,
            ),
        ),
        mistakes={"ridge-intercept-penalised": _ridge_penalised_intercept},
        probes=_ridge_probes,
    ),
    Exercise(
        id="gini_best_split",
        question="q01",
        title="The best Gini split of one feature (CART)",
        signature="(x, y)",
        statement="""
The best decision-tree split of one feature by Gini impurity decrease.

x: float ndarray (n,); y: int ndarray (n,) of class labels. A split sends x <= threshold
left. Try thresholds halfway between consecutive distinct values of x; return
``(threshold, impurity_decrease)`` for the split with the largest decrease
``G(node) - (n_left/n) G(left) - (n_right/n) G(right)``, ``G = 1 - sum_k p_k^2``
(children weighted by their sizes, as CART). If x has a single distinct value, return
``(None, 0.0)``.
""",
        hints=(
            "Sort x (and y with it); only midpoints between consecutive distinct values can "
            "change which samples go left.",
            "Gini of a node: 1 - sum of squared class proportions. A child's Gini must count "
            "in proportion to its size.",
            "For each candidate t: decrease = G(y) - len(L)/n * G(y[L]) - len(R)/n * G(y[R]) "
            "with L = x <= t; keep the best (cumulative class counts make it one pass).",
        ),
        reference=gini_best_split,
        graders=(
            property_holds("best weighted decrease", _split_cases, _best_split, names=("x", "y")),
            Grader("constant feature: no split", _constant_feature),
        ),
    ),
    Exercise(
        id="bootstrap_sample",
        question="q01",
        title="A bootstrap sample and its out-of-bag rows",
        signature="(n_samples, rng)",
        statement="""
A bootstrap sample, as each tree of a random forest gets.

n_samples: int; rng: numpy.random.Generator. Return ``(indices, oob)``: indices, an int
ndarray of n_samples row indices in [0, n_samples) drawn the bootstrap way; oob, a bool
ndarray (n_samples,) that is True for the rows that were never drawn (out of bag).
""",
        hints=(
            "A bootstrap sample has as many draws as rows, and the same row can come twice.",
            "Draw with replacement: about 1/e (36.8%) of the rows are then never drawn.",
            "indices = rng.integers(0, n_samples, size=n_samples); oob = ones(n, bool); "
            "oob[indices] = False.",
        ),
        reference=bootstrap_sample,
        graders=(
            property_holds(
                "oob marks exactly the rows never drawn",
                st.tuples(st.integers(1, 40), st.integers(0, 1000)),
                _bootstrap_consistent,
                names=("n_samples", "seed of rng"),
                max_examples=30,
            ),
            Grader("about 36.8% out of bag, from rng", _bootstrap_rate),
        ),
        mistakes={"bootstrap-without-replacement": _bootstrap_without_replacement},
        probes=lambda solution: [(5000, np.random.default_rng(1))],
        same=_same_oob_rate,
    ),
)
