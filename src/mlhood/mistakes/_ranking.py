"""Mistakes in ROC and precision-recall metrics (:mod:`mlhood.metrics._ranking`), caught by q12."""

from __future__ import annotations

import numpy as np

from mlhood.metrics._ranking import _pr_from_counts
from mlhood.mistakes._catalogue import mistake


@mistake(
    "roc-ignores-ties",
    title="The ROC curve steps through tied scores one row at a time",
    target="mlhood.metrics._ranking:threshold_counts",
    labs=["q12"],
    explanation="""
Every row becomes a threshold, so a group of samples with the same score is split into
several operating points in whatever order the sort left them. No threshold can separate
tied samples: they are all called positive together, and the curve must cross the tie in
one diagonal step. Walking through them one by one gives a staircase whose shape, area and
average precision depend on the row order. Cut only between distinct scores.
""",
)
def threshold_counts(is_pos, y_score, weight=None):
    """Wrong: one threshold per row, tied rows in data order."""
    if weight is not None:
        keep = weight != 0
        is_pos, y_score, weight = is_pos[keep], y_score[keep], weight[keep]
    order = np.argsort(-y_score, kind="stable")
    pos = is_pos[order]
    w = np.ones(pos.size) if weight is None else weight[order]
    return np.cumsum(~pos * w), np.cumsum(pos * w), y_score[order]


@mistake(
    "auc-step-not-trapezoid",
    title="AUC counts only strictly won pairs (a step where ties need a trapezoid)",
    target="mlhood.metrics._ranking:_binary_auc",
    labs=["q12"],
    explanation="""
The area is taken under a step function: a positive scores above a negative or it does not,
and tied pairs get no credit. But across a tie the ROC curve is a diagonal segment whose area
is a trapezoid, which is why AUC = P(s+ > s-) + 0.5 P(s+ = s-). With coarse scores (grades,
star ratings) many pairs tie, and a scorer that ignores the labels gets AUC well below 0.5.
""",
)
def _binary_auc(is_pos, y_score, weight=None):
    """Wrong: the share of strictly won pairs; ties count zero."""
    w = np.ones(is_pos.size) if weight is None else np.asarray(weight, dtype=float)
    neg_scores, neg_w = y_score[~is_pos], w[~is_pos]
    order = np.argsort(neg_scores)
    lighter = np.r_[0.0, np.cumsum(neg_w[order])]  # weight of negatives below each score
    below = lighter[np.searchsorted(neg_scores[order], y_score[is_pos], side="left")]
    return float(below @ w[is_pos] / (w[is_pos].sum() * neg_w.sum()))


@mistake(
    "roc-thresholds-off-by-one",
    title="roc_curve labels each point with the next lower score",
    target="mlhood.metrics._ranking:start_at_origin",
    labs=["q12"],
    explanation="""
The sentinel threshold is appended at the end instead of prepended, so the point reached by
calling "s >= t" positive is labelled with the next distinct score below t: each threshold is
paired with the operating point of "s > t". The curve itself is right, but reading a threshold
off it gives the wrong decisions. Check one point: the confusion matrix at s >= thresholds[i]
must give exactly (fpr[i], tpr[i]).
""",
)
def start_at_origin(fps, tps, thresholds):
    """Wrong: the thresholds are shifted by one against the (fpr, tpr) points."""
    return np.r_[0.0, fps], np.r_[0.0, tps], np.r_[thresholds, -np.inf]


@mistake(
    "average-precision-interpolated",
    title="Average precision uses the interpolated (running-maximum) precision",
    target="mlhood.metrics._ranking:_binary_average_precision",
    labs=["q12"],
    explanation="""
Each recall step is weighted by the best precision reached at that recall or beyond (the
11-point / PASCAL VOC interpolation) instead of the precision at that threshold. That is a
different, optimistic number: it fills in every dip of the PR curve, so AP is no longer the
mean, over positives, of the precision at their own score, and a noisy scorer looks better
than it is. Average precision is the plain step sum sum_k (R_k - R_{k-1}) P_k.
""",
)
def _binary_average_precision(is_pos, y_score, weight=None):
    """Wrong: precision replaced by the best precision at any higher recall."""
    from mlhood.metrics._ranking import threshold_counts

    precision, recall, _ = _pr_from_counts(*threshold_counts(is_pos, y_score, weight))
    envelope = np.maximum.accumulate(precision)  # best precision at this recall or above
    return max(0.0, float(-np.sum(np.diff(recall) * envelope[:-1])))
