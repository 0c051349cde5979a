"""Confusion matrix, precision, recall and F1 for binary and multiclass labels.

For class ``c`` with ``TP_c`` true positives, ``FP_c`` false positives and ``FN_c``
false negatives::

    precision_c = TP_c / (TP_c + FP_c)
    recall_c    = TP_c / (TP_c + FN_c)
    F1_c        = 2 TP_c / (2 TP_c + FP_c + FN_c)   (harmonic mean of the two)

``average`` combines classes: ``"binary"`` reports the class ``pos_label`` only;
``"micro"`` sums TP, FP, FN over classes first; ``"macro"`` is the plain mean of the
per-class scores; ``"weighted"`` weights them by support (number of true samples);
``None`` returns the per-class array. A ratio with a zero denominator takes
``zero_division`` (``"warn"`` means 0 with a warning). This follows the definitions in
Manning, Raghavan & Schuetze, *Introduction to Information Retrieval* (2008), ch. 8 and
13.6, and scikit-learn's conventions for the edge cases.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning

from mlhood._params import Options, validate_params
from mlhood.metrics._validation import as_label_vector, as_sample_weight

_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def _check_pair(y_true, y_pred, sample_weight):
    y_true = as_label_vector("y_true", y_true)
    y_pred = as_label_vector("y_pred", y_pred)
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true and y_pred have different lengths: {y_true.shape[0]} and {y_pred.shape[0]}"
        )
    if (y_true.dtype.kind in "OU") != (y_pred.dtype.kind in "OU"):
        raise TypeError("y_true and y_pred mix string and numeric labels")
    return y_true, y_pred, as_sample_weight(sample_weight, y_true.shape[0])


@validate_params({"normalize": [Options(["true", "pred", "all", None])]})
def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Count (or weigh) each pair (true class, predicted class).

    ``C[i, j]`` is the number of samples of true class ``labels[i]`` predicted as
    ``labels[j]``; samples whose true or predicted label is not in ``labels`` are ignored.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    labels : array-like of shape (n_classes,), default=None
        Classes indexing the rows and columns; default: the sorted union of both inputs.
    sample_weight : array-like of shape (n_samples,), default=None
    normalize : {"true", "pred", "all"} or None, default=None
        Divide by row sums, column sums or the total (0/0 is reported as 0).

    Returns
    -------
    C : ndarray of shape (n_classes, n_classes)
        Integer counts, or floats with non-integer weights or ``normalize``.

    Examples
    --------
    >>> from mlhood.metrics import confusion_matrix
    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    y_true, y_pred, w = _check_pair(y_true, y_pred, sample_weight)
    if labels is None:
        labels = np.unique(np.concatenate([y_true, y_pred]))
    else:
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.size == 0:
            raise ValueError("labels must be a non-empty 1-D list of classes")
        if np.intersect1d(labels, y_true).size == 0:
            raise ValueError("none of the given labels occurs in y_true")
    k = labels.size
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    rows, row_ok = _positions(sorted_labels, order, y_true)
    cols, col_ok = _positions(sorted_labels, order, y_pred)
    keep = row_ok & col_ok
    integral = w is None or np.all(w == np.round(w))
    weights = None if w is None else w[keep]
    cm = np.bincount(rows[keep] * k + cols[keep], weights=weights, minlength=k * k)
    cm = cm.reshape(k, k)
    cm = cm.astype(np.int64) if integral else cm
    if normalize is None:
        return cm
    with np.errstate(divide="ignore", invalid="ignore"):
        if normalize == "true":
            cm = cm / cm.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            cm = cm / cm.sum(axis=0, keepdims=True)
        else:
            cm = cm / cm.sum()
    return np.nan_to_num(cm)


def _positions(sorted_labels, order, y):
    """Index of each ``y`` in the original ``labels`` order, and whether it was found."""
    idx = np.searchsorted(sorted_labels, y).clip(max=sorted_labels.size - 1)
    found = sorted_labels[idx] == y
    return order[idx], found


def _class_totals(y_true, y_pred, w, labels):
    """Per-class (TP, predicted total, true total) for each class in ``labels``."""
    k = labels.size
    order = np.argsort(labels, kind="stable")
    rows, row_ok = _positions(labels[order], order, y_true)
    cols, col_ok = _positions(labels[order], order, y_pred)
    w = np.ones(y_true.shape[0]) if w is None else w
    hit = row_ok & col_ok & (rows == cols)
    tp = np.bincount(rows[hit], weights=w[hit], minlength=k)
    pred = np.bincount(cols[col_ok], weights=w[col_ok], minlength=k)
    true = np.bincount(rows[row_ok], weights=w[row_ok], minlength=k)
    return tp, pred, true


def _divide(num, den, zero_division, what, warn):
    """``num / den`` with ``zero_division`` where ``den == 0``."""
    zero = den == 0
    value = np.nan if zero_division == "nan" else zero_division
    out = np.divide(num, np.where(zero, 1.0, den))
    if np.any(zero):
        if zero_division == "warn":
            value = 0.0
            if warn:
                warnings.warn(
                    f"{what} is ill-defined and set to 0.0 for classes with no "
                    "samples in its denominator; use zero_division to control this",
                    UndefinedMetricWarning,
                    stacklevel=4,
                )
        out[zero] = float(value)
    return out


@validate_params({"average": [Options(_AVERAGES)]})
def precision_recall_fscore(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
    warn_for=("precision", "recall", "f-score"),
):
    """Precision, recall and F1 under one averaging rule (see the module docstring).

    Returns
    -------
    precision, recall, f1 : float, or ndarray of shape (n_labels,) with ``average=None``
    """
    y_true, y_pred, w = _check_pair(y_true, y_pred, sample_weight)
    zero_division = _check_zero_division(zero_division)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if present.size > 2:
            raise ValueError(
                f"average='binary' needs at most 2 classes, found {present.size}; "
                "choose average='micro', 'macro', 'weighted' or None"
            )
        if pos_label not in present.tolist() and present.size == 2:
            raise ValueError(
                f"pos_label={pos_label!r} is not one of the labels {present.tolist()}"
            )
        labels = np.asarray([pos_label])
    elif labels is None:
        labels = present
    else:
        labels = np.asarray(labels)
    tp, pred, true = _class_totals(y_true, y_pred, w, labels)
    if average == "micro":
        tp, pred, true = tp.sum(keepdims=True), pred.sum(keepdims=True), true.sum(keepdims=True)
    precision = _divide(tp, pred, zero_division, "Precision", "precision" in warn_for)
    recall = _divide(tp, true, zero_division, "Recall", "recall" in warn_for)
    f1 = _divide(2 * tp, pred + true, zero_division, "F-score", "f-score" in warn_for)
    if average is None:
        return precision, recall, f1
    weights = true if average == "weighted" else None
    return tuple(_nan_average(v, weights) for v in (precision, recall, f1))


def _check_zero_division(value):
    """Normalise ``zero_division`` to "warn", "nan", 0.0 or 1.0."""
    if isinstance(value, str) and value in ("warn", "nan"):
        return value
    if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool):
        if np.isnan(value):
            return "nan"
        if value in (0, 1):
            return float(value)
    raise ValueError(f"zero_division must be 'warn', 0, 1 or np.nan, got {value!r}")


def _nan_average(values, weights):
    """Mean ignoring NaN entries; weighted unless the weights of the rest sum to 0."""
    keep = ~np.isnan(values)
    if not np.any(keep):
        return float("nan")
    if weights is None or weights[keep].sum() == 0:
        return float(values[keep].mean())
    return float(np.average(values[keep], weights=weights[keep]))


_SHARED_DOC = """
    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted class labels.
    labels : array-like, default=None
        Classes to include when ``average != "binary"``; default: all present classes.
    pos_label : int, bool or str, default=1
        The positive class for ``average="binary"``.
    average : {"binary", "micro", "macro", "weighted"} or None, default="binary"
    sample_weight : array-like of shape (n_samples,), default=None
    zero_division : {"warn", 0, 1, np.nan}, default="warn"
        Value of a ratio whose denominator is zero.

    Returns
    -------
    score : float, or ndarray of shape (n_labels,) with ``average=None``
"""


@validate_params({"average": [Options(_AVERAGES)]})
def precision_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Precision ``TP / (TP + FP)``: of the samples predicted positive, the share that are.
    {doc}
    Examples
    --------
    >>> from mlhood.metrics import precision_score
    >>> precision_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
        warn_for=("precision",),
    )[0]


@validate_params({"average": [Options(_AVERAGES)]})
def recall_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """Recall ``TP / (TP + FN)``: of the truly positive samples, the share found.
    {doc}
    Examples
    --------
    >>> from mlhood.metrics import recall_score
    >>> recall_score([0, 1, 1, 1], [1, 1, 0, 1])
    0.6666666666666666
    """
    return precision_recall_fscore(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
        warn_for=("recall",),
    )[1]


@validate_params({"average": [Options(_AVERAGES)]})
def f1_score(
    y_true,
    y_pred,
    *,
    labels=None,
    pos_label=1,
    average="binary",
    sample_weight=None,
    zero_division="warn",
):
    """F1 ``2 TP / (2 TP + FP + FN)``, the harmonic mean of precision and recall.
    {doc}
    Examples
    --------
    >>> from mlhood.metrics import f1_score
    >>> f1_score([0, 1, 1, 0], [1, 1, 0, 0])
    0.5
    """
    return precision_recall_fscore(
        y_true,
        y_pred,
        labels=labels,
        pos_label=pos_label,
        average=average,
        sample_weight=sample_weight,
        zero_division=zero_division,
        warn_for=("f-score",),
    )[2]


for _f in (precision_score, recall_score, f1_score):
    _f.__doc__ = _f.__doc__.replace("{doc}", _SHARED_DOC.strip("\n"))
