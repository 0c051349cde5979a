"""Brier score: mean squared error of predicted probabilities (Brier 1950).

Binary, with ``p_i`` the predicted probability of the positive class::

    BS = (1 / sum w) * sum_i w_i (y_i - p_i)^2,   y_i in {0, 1}

Multiclass, with one-hot ``y_ik`` and probability rows ``p_ik``::

    BS = (1 / sum w) * sum_i w_i sum_k (y_ik - p_ik)^2

The multiclass form with two classes is twice the binary one; ``scale_by_half`` halves it
(the default for one or two columns), so both forms agree on binary problems. Lower is
better; 0 is a perfect, fully confident forecaster (G. W. Brier, Monthly Weather Review
78:1, 1950).
"""

from __future__ import annotations

import numpy as np

from mlhood._params import Options, validate_params
from mlhood.metrics._ranking import positive_mask
from mlhood.metrics._validation import as_label_vector, as_sample_weight, as_score_array


@validate_params({"scale_by_half": [Options(["auto"]), "boolean"]})
def brier_score_loss(
    y_true, y_proba, *, sample_weight=None, pos_label=None, labels=None, scale_by_half="auto"
):
    """Mean squared difference between predicted probabilities and outcomes.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probability of the positive class, or one probability column per sorted class
        (rows must sum to 1). Values must lie in [0, 1].
    sample_weight : array-like of shape (n_samples,), default=None
    pos_label : int, bool or str, default=None
        Binary positive class; ``None`` means 1 for labels {0, 1} / {-1, 1}, otherwise the
        larger of two numeric labels.
    labels : array-like, default=None
        Multiclass: the classes naming the columns (default: sorted classes of ``y_true``).
    scale_by_half : bool or "auto", default="auto"
        Halve the multiclass sum; "auto" halves when ``y_proba`` has at most 2 columns.

    Returns
    -------
    score : float

    Raises
    ------
    ValueError
        If a probability lies outside [0, 1], rows do not sum to 1, or shapes disagree.

    Examples
    --------
    >>> from mlhood.metrics import brier_score_loss
    >>> round(brier_score_loss([0, 1, 1], [0.1, 0.9, 0.6]), 4)
    0.06
    """
    y_true = as_label_vector("y_true", y_true)
    y_proba = as_score_array("y_proba", y_proba, y_true.shape[0], ndim=(1, 2))
    w = as_sample_weight(sample_weight, y_true.shape[0])
    if y_proba.max() > 1 or y_proba.min() < 0:
        raise ValueError(
            f"y_proba must hold probabilities in [0, 1]; got values in "
            f"[{y_proba.min():g}, {y_proba.max():g}]"
        )
    if y_proba.ndim == 2 and y_proba.shape[1] == 1:
        y_proba = y_proba[:, 0]
    if y_proba.ndim == 1:
        target = np.column_stack(
            [~_binary_positive(y_true, pos_label), _binary_positive(y_true, pos_label)]
        )
        proba = np.column_stack([1.0 - y_proba, y_proba])
    else:
        classes = np.unique(y_true) if labels is None else np.asarray(labels)
        if classes.size != y_proba.shape[1]:
            raise ValueError(
                f"y_proba has {y_proba.shape[1]} columns but there are {classes.size} "
                f"classes {classes.tolist()}; pass labels to name the columns"
            )
        if np.setdiff1d(y_true, classes).size:
            raise ValueError("y_true contains labels not in labels")
        if not np.allclose(y_proba.sum(axis=1), 1.0, rtol=np.sqrt(np.finfo(float).eps)):
            raise ValueError("each row of y_proba must sum to 1")
        target = y_true[:, None] == np.sort(classes)[None, :]
        proba = y_proba
    if scale_by_half == "auto":
        scale_by_half = proba.shape[1] < 3
    per_sample = np.sum((target - proba) ** 2, axis=1)
    score = float(np.average(per_sample, weights=w))
    return 0.5 * score if scale_by_half else score


def _binary_positive(y_true, pos_label):
    classes = np.unique(y_true)
    if classes.size > 2:
        raise ValueError(
            f"y_true has {classes.size} classes but y_proba is 1-D; pass one column per class"
        )
    try:
        return positive_mask(y_true, pos_label)
    except ValueError:
        if classes.dtype.kind in "OUS":
            raise
        return y_true == classes[-1]
