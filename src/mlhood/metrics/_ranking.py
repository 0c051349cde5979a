"""ROC and precision-recall curves, ROC AUC and average precision for scored samples.

Sort samples by decreasing score ``s``. Every distinct score ``t`` is a threshold: the
samples with ``s >= t`` are called positive. With ``TP(t)`` and ``FP(t)`` the (weighted)
numbers of positives and negatives above the threshold, and ``P``, ``N`` their totals::

    TPR(t) = TP(t) / P        FPR(t) = FP(t) / N          (ROC curve: FPR -> TPR)
    precision(t) = TP(t) / (TP(t) + FP(t))    recall(t) = TPR(t)

Tied scores move together, so the ROC curve has a diagonal step across a tie. The area
under the ROC curve (trapezoids) equals the Mann-Whitney statistic::

    AUC = P(s+ > s-) + 0.5 P(s+ = s-)

for a random positive ``s+`` and a random negative ``s-`` (Hanley & McNeil 1982,
Radiology 143:29; Fawcett 2006, Pattern Recognition Letters 27:861). Average precision
is the step-wise (not interpolated) area under the PR curve,
``AP = sum_k (R_k - R_{k-1}) P_k`` over thresholds (Manning et al. 2008, ch. 8).

Conventions (threshold ``inf`` first, dropped collinear ROC points, multiclass
one-vs-rest averages) follow scikit-learn so results can be compared number for number.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from mlhood._params import Options, validate_params
from mlhood.metrics._validation import as_label_vector, as_sample_weight, as_score_array

_AVERAGES = [Options(["macro", "weighted", "micro", None])]


def positive_mask(y_true: np.ndarray, pos_label) -> np.ndarray:
    """Boolean "is positive" per sample; ``pos_label=None`` needs labels {0,1} or {-1,1}."""
    if pos_label is None:
        classes = np.unique(y_true)
        numeric = classes.dtype.kind in "iubf"
        allowed = ({0, 1}, {-1, 1}, {0}, {-1}, {1})
        if not numeric or set(classes.tolist()) not in allowed:
            raise ValueError(
                f"y_true takes values {classes.tolist()} and pos_label is not given: "
                "use labels {0, 1} or {-1, 1}, or pass pos_label"
            )
        pos_label = 1
    return y_true == pos_label


def _check_binary(y_true, y_score, sample_weight):
    y_true = as_label_vector("y_true", y_true)
    y_score = as_score_array("y_score", y_score, y_true.shape[0], ndim=(1, 2))
    if y_score.ndim == 2:
        if y_score.shape[1] != 1:
            raise ValueError(
                f"y_score must be 1-D for a binary target, got shape {y_score.shape}; "
                "pass the positive class's column"
            )
        y_score = y_score[:, 0]
    return y_true, y_score, as_sample_weight(sample_weight, y_true.shape[0])


def threshold_counts(is_pos, y_score, weight=None):
    """``(FP, TP, thresholds)`` at each distinct score, from the highest score down.

    One sort of the scores; the counts at the last row of each tie group are cumulative
    sums of (weighted) negatives and positives.
    """
    if weight is not None:
        keep = weight != 0
        is_pos, y_score, weight = is_pos[keep], y_score[keep], weight[keep]
    order = np.argsort(-y_score)  # ties may come in any order: only group ends are read
    score = y_score[order]
    pos = is_pos[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(score)), score.size - 1]
    if weight is None:
        tps = np.cumsum(pos, dtype=float)[last_of_tie]
        fps = last_of_tie + 1.0 - tps
    else:
        w = weight[order]
        tps = np.cumsum(pos * w)[last_of_tie]
        fps = np.cumsum(~pos * w)[last_of_tie]
    return fps, tps, score[last_of_tie]


@validate_params({"drop_intermediate": ["boolean"]})
def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """Receiver operating characteristic: FPR and TPR at every distinct threshold.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Binary labels.
    y_score : array-like of shape (n_samples,)
        Scores, higher meaning "more positive" (probabilities or decision values).
    pos_label : int, bool or str, default=None
        The positive class; ``None`` works for labels {0, 1} and {-1, 1}.
    sample_weight : array-like of shape (n_samples,), default=None
    drop_intermediate : bool, default=True
        Drop points that lie on a straight segment between their neighbours (the curve and
        its area do not change).

    Returns
    -------
    fpr, tpr : ndarray
        Increasing false and true positive rates, starting at (0, 0).
    thresholds : ndarray
        Decreasing; ``thresholds[i]`` gives ``(fpr[i], tpr[i])``; the first is ``inf``.

    Examples
    --------
    >>> from mlhood.metrics import roc_curve
    >>> fpr, tpr, thr = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    y_true, y_score, w = _check_binary(y_true, y_score, sample_weight)
    fps, tps, thresholds = threshold_counts(positive_mask(y_true, pos_label), y_score, w)
    if drop_intermediate and fps.size > 2:
        bend = np.r_[True, np.diff(fps, 2) != 0, True] | np.r_[True, np.diff(tps, 2) != 0, True]
        fps, tps, thresholds = fps[bend], tps[bend], thresholds[bend]
    fps, tps, thresholds = start_at_origin(fps, tps, thresholds)
    return _rate(fps, "negative"), _rate(tps, "positive"), thresholds


def start_at_origin(fps, tps, thresholds):
    """Prepend the ROC point (0, 0) and its threshold ``inf``: nothing is called positive.

    Point ``i`` of the result counts the samples with ``s >= thresholds[i]``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.metrics._ranking import start_at_origin
    >>> fps, tps, thr = start_at_origin(np.array([1.0]), np.array([2.0]), np.array([0.7]))
    >>> fps.tolist(), tps.tolist(), thr.tolist()
    ([0.0, 1.0], [0.0, 2.0], [inf, 0.7])
    """
    return np.r_[0.0, fps], np.r_[0.0, tps], np.r_[np.inf, thresholds]


def _rate(counts, kind):
    if counts[-1] <= 0:
        warnings.warn(
            f"No {kind} samples in y_true: this rate is undefined (NaN)",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        return np.full(counts.shape, np.nan)
    return counts / counts[-1]


@validate_params({"drop_intermediate": ["boolean"]})
def precision_recall_curve(
    y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False
):
    """Precision and recall at every distinct threshold.

    Parameters
    ----------
    y_true, y_score, pos_label, sample_weight
        As in :func:`roc_curve`.
    drop_intermediate : bool, default=False
        Drop thresholds where recall does not change (flat steps of the PR curve).

    Returns
    -------
    precision, recall : ndarray of shape (n_thresholds + 1,)
        Ordered by increasing threshold; the last point is ``(precision, recall) = (1, 0)``.
    thresholds : ndarray of shape (n_thresholds,)
        Increasing distinct scores.

    Examples
    --------
    >>> from mlhood.metrics import precision_recall_curve
    >>> p, r, t = precision_recall_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> p.tolist(), r.tolist()
    ([0.5, 0.6666666666666666, 0.5, 1.0, 1.0], [1.0, 1.0, 0.5, 0.5, 0.0])
    """
    y_true, y_score, w = _check_binary(y_true, y_score, sample_weight)
    fps, tps, thresholds = threshold_counts(positive_mask(y_true, pos_label), y_score, w)
    return _pr_from_counts(fps, tps, thresholds, drop_intermediate)


def _pr_from_counts(fps, tps, thresholds, drop_intermediate=False):
    if drop_intermediate and fps.size > 2:
        keep = np.r_[True, (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    called = tps + fps
    precision = np.divide(tps, np.where(called == 0, 1.0, called)) * (called != 0)
    if tps[-1] == 0:
        warnings.warn(
            "No positive samples in y_true: recall is set to 1 at every threshold",
            UserWarning,
            stacklevel=3,
        )
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thresholds[::-1]


def _binary_average_precision(is_pos, y_score, weight=None):
    precision, recall, _ = _pr_from_counts(*threshold_counts(is_pos, y_score, weight))
    return max(0.0, float(-np.sum(np.diff(recall) * precision[:-1])))


def _binary_auc(is_pos, y_score, weight=None):
    """Mann-Whitney AUC: pairs ranked right plus half the tied pairs, over all pairs."""
    if weight is None:
        pos = np.sort(y_score[is_pos])
        neg = np.sort(y_score[~is_pos])
        below = np.searchsorted(neg, pos, side="left").sum(dtype=np.int64)
        not_above = np.searchsorted(neg, pos, side="right").sum(dtype=np.int64)
        return float((below + not_above) / (2.0 * pos.size * neg.size))
    fps, tps, _ = threshold_counts(is_pos, y_score, weight)
    fpr, tpr = np.r_[0.0, fps] / fps[-1], np.r_[0.0, tps] / tps[-1]
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1])) / 2.0)


def _one_vs_rest(y_true, y_score, labels, sample_weight, average, binary_metric):
    """Average ``binary_metric`` over classes, each against the rest."""
    if labels is None:
        classes = np.unique(y_true)
    else:
        classes = np.asarray(labels)
        if classes.ndim != 1 or np.unique(classes).size != classes.size:
            raise ValueError("labels must be a 1-D list of unique classes")
        if not np.array_equal(np.sort(classes), classes):
            raise ValueError("labels must be sorted")
        if np.setdiff1d(y_true, classes).size:
            raise ValueError("y_true contains labels not in labels")
    if classes.size != y_score.shape[1]:
        raise ValueError(
            f"y_score has {y_score.shape[1]} columns but there are {classes.size} classes "
            f"{classes.tolist()}; pass labels to name the columns"
        )
    onehot = y_true[:, None] == classes[None, :]
    if average == "micro":
        w = None if sample_weight is None else np.repeat(sample_weight, classes.size)
        return binary_metric(onehot.ravel(), y_score.ravel(), w)
    scores = np.array(
        [binary_metric(onehot[:, k], y_score[:, k], sample_weight) for k in range(classes.size)]
    )
    if average is None:
        return scores
    if average == "macro":
        return float(np.mean(scores))
    w = np.ones(y_true.shape[0]) if sample_weight is None else sample_weight
    support = w @ onehot
    return 0.0 if support.sum() == 0 else float(np.average(scores, weights=support))


def _auc_checked(is_pos, y_score, weight=None):
    n_pos = is_pos.sum() if weight is None else weight[is_pos].sum()
    n_neg = (~is_pos).sum() if weight is None else weight[~is_pos].sum()
    if n_pos == 0 or n_neg == 0:
        raise ValueError(
            "roc_auc_score needs both classes in y_true, but only one class is present "
            "(with nonzero weight): ROC AUC is undefined"
        )
    return _binary_auc(is_pos, y_score, weight)


def _labels_scores_weights(y_true, y_score, sample_weight):
    """Validated labels, scores (a single score column flattened to 1-D), weights, classes.

    Shared input handling of :func:`roc_auc_score` and :func:`average_precision_score`.
    """
    y_true = as_label_vector("y_true", y_true)
    y_score = as_score_array("y_score", y_score, y_true.shape[0], ndim=(1, 2))
    w = as_sample_weight(sample_weight, y_true.shape[0])
    if y_score.ndim == 2 and y_score.shape[1] == 1:
        y_score = y_score[:, 0]
    return y_true, y_score, w, np.unique(y_true)


@validate_params({"average": _AVERAGES, "multi_class": [Options(["ovr"])]})
def roc_auc_score(
    y_true, y_score, *, average="macro", sample_weight=None, multi_class="ovr", labels=None
):
    """Area under the ROC curve (binary, or multiclass one-vs-rest).

    Binary: the Mann-Whitney probability that a random positive scores above a random
    negative, ties counting one half; the positive class is the larger label. Multiclass
    (``y_score`` of shape ``(n_samples, n_classes)`` with rows summing to 1): the AUC of
    each class against the rest, averaged.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
    average : {"macro", "weighted", "micro"} or None, default="macro"
        Multiclass only: plain mean, mean weighted by class prevalence, AUC of the
        flattened one-vs-rest problem, or the per-class array.
    sample_weight : array-like of shape (n_samples,), default=None
    multi_class : {"ovr"}, default="ovr"
        Only one-vs-rest is implemented.
    labels : array-like, default=None
        Multiclass only: sorted classes naming the columns of ``y_score``.

    Returns
    -------
    auc : float (or ndarray with ``average=None``)

    Raises
    ------
    ValueError
        If ``y_true`` has one class only (AUC undefined), or on malformed input.

    Examples
    --------
    >>> from mlhood.metrics import roc_auc_score
    >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    """
    y_true, y_score, w, classes = _labels_scores_weights(y_true, y_score, sample_weight)
    if y_score.ndim == 1:
        if classes.size > 2:
            raise ValueError(
                f"y_true has {classes.size} classes but y_score is 1-D; multiclass AUC "
                "needs scores of shape (n_samples, n_classes)"
            )
        if classes.size < 2:
            _auc_checked(np.ones(y_true.shape[0], bool), y_score)
        return _auc_checked(y_true == classes[-1], y_score, w)
    if not np.allclose(y_score.sum(axis=1), 1.0):
        raise ValueError("multiclass y_score must hold probabilities: each row must sum to 1")
    return _one_vs_rest(y_true, y_score, labels, w, average, _auc_checked)


@validate_params({"average": _AVERAGES})
def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: ``sum_k (R_k - R_{k-1}) P_k`` over decreasing thresholds.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    y_score : array-like of shape (n_samples,) or (n_samples, n_classes)
        Binary: scores of ``pos_label``. Multiclass: one column per sorted class.
    average : {"macro", "weighted", "micro"} or None, default="macro"
        How per-class values are combined (multiclass only), as in :func:`roc_auc_score`.
    pos_label : int, bool or str, default=1
        Positive class of a binary target (multiclass: must stay 1).
    sample_weight : array-like of shape (n_samples,), default=None

    Returns
    -------
    ap : float (or ndarray with ``average=None``)

    Examples
    --------
    >>> from mlhood.metrics import average_precision_score
    >>> round(average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    y_true, y_score, w, classes = _labels_scores_weights(y_true, y_score, sample_weight)
    if y_score.ndim == 1:
        if classes.size > 2:
            raise ValueError(
                f"y_true has {classes.size} classes but y_score is 1-D; pass scores of "
                "shape (n_samples, n_classes)"
            )
        if classes.size == 2 and pos_label not in classes.tolist():
            raise ValueError(f"pos_label={pos_label!r} is not one of {classes.tolist()}")
        return _binary_average_precision(y_true == pos_label, y_score, w)
    if pos_label != 1:
        raise ValueError("pos_label must be 1 for a multiclass y_true")
    if classes.size != y_score.shape[1]:
        raise ValueError(
            f"y_score must have shape (n_samples, {classes.size}), got {y_score.shape}"
        )
    return _one_vs_rest(y_true, y_score, None, w, average, _binary_average_precision)
