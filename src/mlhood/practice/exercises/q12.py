"""Exercises for q12 (ROC curves): AUC with ties, the ROC points, average precision."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.metrics import average_precision_score, roc_auc_score, roc_curve
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    assert_close,
    call,
    outputs_match,
    property_holds,
    to_array,
    to_float,
    to_tuple,
)


def _labelled_scores(seed, n_samples, n_levels, separation):
    """Binary labels (both classes present) and scores with ties when ``n_levels`` is small."""
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.r_[0, 1, rng.integers(0, 2, n_samples - 2)])
    raw = rng.normal(size=n_samples) + separation * y
    scores = np.floor((raw - raw.min()) / (np.ptp(raw) + 1e-12) * n_levels) / n_levels
    return y, scores


_SCORED = st.builds(
    _labelled_scores,
    st.integers(0, 2**32 - 1),
    st.integers(2, 40),
    st.sampled_from([1, 2, 4, 10, 10_000]),
    st.sampled_from([0.0, 1.0, 3.0]),
)
_NAMES = ("y_true", "scores")


def _points_per_sample(y_true, scores):
    """Wrong: one point per sample (sorted by score), tied scores are not merged."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    tps, fps = np.cumsum(y_true[order] == 1), np.cumsum(y_true[order] == 0)
    return (
        np.r_[0.0, fps / fps[-1]],
        np.r_[0.0, tps / tps[-1]],
        np.r_[np.inf, scores[order]],
    )


# -------------------------------------------------------------------------------- roc_auc


def roc_auc(y_true, scores):
    """Area under the ROC curve: the probability that a random positive outranks a negative.

    ``AUC = (1 / (n_+ n_-)) Σ_{i positive} Σ_{j negative} ([s_i > s_j] + ½ [s_i = s_j])``,
    the Mann-Whitney U statistic divided by ``n_+ n_-``; ties count one half, which is also
    the trapezoidal area under the ROC curve drawn through tied scores. Calls
    :func:`mlhood.metrics.roc_auc_score`.

    Examples
    --------
    >>> roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.4, 0.8]))
    0.875
    """
    return float(roc_auc_score(y_true, scores))


def _auc_ties_ignored(y_true, scores):
    """Wrong: only pairs with the positive strictly higher count; ties count zero."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    higher = scores[y_true == 1][:, None] > scores[y_true == 0][None, :]
    return float(higher.mean())


def _auc_row_by_row(y_true, scores):
    """Wrong: the area under a curve with one point per row, tied rows crossed one by one."""
    fpr, tpr, _ = _points_per_sample(y_true, scores)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def _auc_symmetries(solution, args):
    y, scores = args
    auc = to_float(call(solution, args), "AUC")
    assert_close(call(solution, (y, np.exp(scores))), auc, what="AUC of exp(scores)")
    assert_close(call(solution, (y, -scores)), 1.0 - auc, what="AUC of -scores (1 - AUC)")
    assert_close(call(solution, (1 - y, scores)), 1.0 - auc, what="AUC with labels swapped")
    return None


ROC_AUC = Exercise(
    id="roc_auc",
    question="q12",
    title="ROC AUC from scores, ties counting one half",
    signature="(y_true, scores)",
    statement="""
Area under the ROC curve. y_true: (n,) labels in {0, 1} with both classes present;
scores: (n,) floats, higher meaning "more positive", possibly with ties. Return, as a
float, the probability that a randomly chosen positive has a higher score than a randomly
chosen negative, where a tie counts one half.
""",
    hints=(
        "AUC compares every positive with every negative: count the pairs the scores order "
        "correctly.",
        "A tied pair is a coin flip for the ranking: it counts 1/2, not 0 and not 1.",
        "Vectorised: pos[:, None] > neg[None, :] plus 0.5 * (pos[:, None] == neg[None, :]), "
        "averaged; or with ranks (average rank for ties): (R_+ - n_+(n_+ + 1)/2) / (n_+ n_-).",
    ),
    reference=roc_auc,
    graders=(
        against_reference("matches the Mann-Whitney AUC", _SCORED, roc_auc, names=_NAMES),
        property_holds(
            "unchanged by exp(scores); flips to 1 - AUC",
            _SCORED,
            _auc_symmetries,
            names=_NAMES,
            max_examples=30,
        ),
    ),
    mistakes={"auc-step-not-trapezoid": _auc_ties_ignored, "roc-ignores-ties": _auc_row_by_row},
    probes=lambda solution: [
        (np.array([0, 0, 1, 1, 1, 0]), np.array([0.2, 0.5, 0.5, 0.9, 0.2, 0.1])),
        _labelled_scores(3, 30, 3, 1.0),
    ],
)

# ------------------------------------------------------------------------ roc_curve_points


def roc_curve_points(y_true, scores):
    """The ROC curve: false and true positive rates at every distinct threshold.

    Predict positive when ``score >= threshold``. The thresholds are ``+inf`` (nothing
    predicted positive: the point (0, 0)) followed by the distinct scores in decreasing
    order, so tied scores enter together and give one point (a diagonal step). Calls
    :func:`mlhood.metrics.roc_curve` keeping every point (``drop_intermediate=False``).

    Examples
    --------
    >>> fpr, tpr, thr = roc_curve_points(np.array([0, 1, 1, 0]), np.array([0.5, 0.5, 0.7, 0.1]))
    >>> fpr.tolist(), tpr.tolist(), thr.tolist()
    ([0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0], [inf, 0.7, 0.5, 0.1])
    """
    return roc_curve(y_true, scores, drop_intermediate=False)


def _thresholds_shifted(y_true, scores):
    """Wrong: the thresholds are shifted by one against the points (sentinel put last)."""
    fpr, tpr, thresholds = roc_curve_points(y_true, scores)
    return fpr, tpr, np.r_[thresholds[1:], -np.inf]


def _one_point_per_sample(got, wrong) -> bool:
    """Equal, or the learner also kept a point for every sample despite tied thresholds."""
    if outputs_match(got, wrong):
        return True
    try:
        fpr, tpr, thresholds = (np.asarray(v, dtype=float) for v in to_tuple(got, 3, "roc"))
    except Exception:
        return False
    if not (np.all(np.isfinite(fpr)) and np.all(np.isfinite(tpr))) or np.isnan(thresholds).any():
        return False
    return len(thresholds) == len(wrong[2]) and len(np.unique(thresholds)) < len(thresholds)


def _finite(thresholds):
    return np.where(np.isinf(thresholds), 1e300, thresholds)


def _curve_matches(solution, args):
    fpr, tpr, thresholds = to_tuple(call(solution, args), 3, "(fpr, tpr, thresholds)")
    want_fpr, want_tpr, want_thresholds = roc_curve_points(*args)
    assert_close((fpr, tpr), (want_fpr, want_tpr), what="(fpr, tpr)")
    thresholds = to_array(_finite(np.asarray(thresholds, dtype=float)), "thresholds")
    assert_close(thresholds, _finite(want_thresholds), what="thresholds")
    return None


def _area_is_auc(solution, args):
    fpr, tpr, _ = to_tuple(call(solution, args), 3, "(fpr, tpr, thresholds)")
    fpr, tpr = to_array(fpr, "fpr"), to_array(tpr, "tpr")
    if np.any(np.diff(fpr) < 0) or np.any(np.diff(tpr) < 0):
        return "fpr and tpr must never decrease along the curve"
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert_close(area, roc_auc(*args), what="trapezoidal area under your curve (the AUC)")
    return None


ROC_CURVE_POINTS = Exercise(
    id="roc_curve_points",
    question="q12",
    title="The points of the ROC curve",
    signature="(y_true, scores)",
    statement="""
The ROC curve of `scores` (n,) for labels `y_true` (n,) in {0, 1}, both classes present.
Predicting positive when score >= threshold, return `(fpr, tpr, thresholds)`:

- thresholds: +inf first, then every DISTINCT score in decreasing order;
- fpr[i], tpr[i]: the false and true positive rates at thresholds[i]
  (so the curve starts at (0, 0) and ends at (1, 1)).

Tied scores are crossed together: they make one point, not one per sample.
""",
    hints=(
        "Lowering the threshold past a score turns every sample with that score positive; "
        "count how many of them are positives and how many negatives.",
        "Sort by decreasing score, take cumulative sums of positives and negatives, and keep "
        "only the last position of each run of equal scores.",
        "Prepend the point (0, 0) with threshold np.inf; divide the cumulative counts by "
        "the numbers of positives and negatives.",
    ),
    reference=roc_curve_points,
    graders=(
        property_holds("the points of the ROC curve", _SCORED, _curve_matches, names=_NAMES),
        property_holds("its area is the AUC", _SCORED, _area_is_auc, names=_NAMES),
    ),
    mistakes={
        "roc-ignores-ties": _points_per_sample,
        "roc-thresholds-off-by-one": _thresholds_shifted,
    },
    probes=lambda solution: [
        (np.array([0, 0, 1, 1, 1, 0]), np.array([0.2, 0.5, 0.5, 0.9, 0.2, 0.1])),
        _labelled_scores(4, 25, 3, 1.0),
    ],
    same=_one_point_per_sample,
)

# ----------------------------------------------------------------------- average_precision


def average_precision(y_true, scores):
    """Average precision: ``AP = Σ_k (R_k - R_{k-1}) P_k`` over the distinct thresholds.

    ``P_k`` and ``R_k`` are precision and recall when predicting positive for
    ``score >= t_k`` (thresholds decreasing, ``R_0 = 0``): the area under the
    precision-recall step curve, without interpolation (as scikit-learn). Under heavy
    class imbalance it shows the cost of false positives that the ROC curve hides. Calls
    :func:`mlhood.metrics.average_precision_score`.

    Examples
    --------
    >>> average_precision(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.8333333333333333
    """
    return float(average_precision_score(y_true, scores))


def _ap_interpolated(y_true, scores):
    """Wrong: each recall step weighted by the best precision at that recall or beyond."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    thresholds = np.unique(scores)[::-1]
    hits = np.array([np.sum((scores >= t) & (y_true == 1)) for t in thresholds])
    called = np.array([np.sum(scores >= t) for t in thresholds])
    recall, precision = np.r_[0.0, hits / hits[-1]], hits / called
    best_beyond = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(recall) * best_beyond))


def _ap_row_by_row(y_true, scores):
    """Wrong: one threshold per row (stable order), tied rows are not entered together."""
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(y_true[order] == 1)
    precision, recall = hits / np.arange(1, len(y_true) + 1), hits / hits[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def _ap_bounds(solution, args):
    y, scores = args
    ap = to_float(call(solution, args), "average precision")
    perfect = to_float(call(solution, (y, y + 0.0)), "average precision of perfect scores")
    assert_close(perfect, 1.0, what="average precision of scores = y_true")
    assert_close(call(solution, (y, 2 * scores + 5)), ap, what="AP of 2 * scores + 5")
    tied = call(solution, (y, np.zeros(len(y))))
    assert_close(tied, y.mean(), what="AP with every score tied (the share of positives)")
    return None


AVERAGE_PRECISION = Exercise(
    id="average_precision",
    question="q12",
    title="Average precision (area under the precision-recall steps)",
    signature="(y_true, scores)",
    statement="""
Average precision of `scores` (n,) for labels `y_true` (n,) in {0, 1}, both present, as
scikit-learn's average_precision_score. With the distinct scores as thresholds in
decreasing order t_1 > t_2 > ..., predicting positive when score >= t_k gives precision
P_k and recall R_k; return the float

    AP = sum_k (R_k - R_{k-1}) * P_k,   with R_0 = 0

(no interpolation, no trapezoids; tied scores enter together).
""",
    hints=(
        "AP weights the precision at each threshold by how much recall that threshold adds.",
        "Sort by decreasing score; cumulative true positives give recall (divide by the "
        "number of positives) and precision (divide by the number predicted positive).",
        "Keep only the last index of each run of tied scores before summing "
        "(R_k - R_{k-1}) * P_k.",
    ),
    reference=average_precision,
    graders=(
        against_reference(
            "matches scikit-learn's average precision",
            _SCORED,
            average_precision,
            names=_NAMES,
            max_examples=30,
        ),
        property_holds(
            "1 if perfect, base rate if all tied, affine-invariant",
            _SCORED,
            _ap_bounds,
            names=_NAMES,
            max_examples=30,
        ),
    ),
    mistakes={
        "average-precision-interpolated": _ap_interpolated,
        "roc-ignores-ties": _ap_row_by_row,
    },
    probes=lambda solution: [
        (np.array([1, 0, 0, 1, 1, 0, 1]), np.array([0.9, 0.8, 0.7, 0.7, 0.5, 0.4, 0.3])),
        _labelled_scores(5, 30, 3, 0.5),
    ],
)

EXERCISES = (ROC_AUC, ROC_CURVE_POINTS, AVERAGE_PRECISION)
