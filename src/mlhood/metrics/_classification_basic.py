"""Two basic classification metrics: accuracy and the log-loss (cross-entropy).

``accuracy = Σ sᵢ [yᵢ = ŷᵢ] / Σ sᵢ`` and ``log_loss = -Σ sᵢ Σ_k Y_ik log p_ik / Σ sᵢ``.
Probabilities are clipped to ``[ε, 1 - ε]`` (``ε`` the float resolution of their dtype)
before the logarithm, so a confident wrong prediction costs ``-log ε ≈ 36`` rather than
``inf``, and ``0·log 0`` is taken as 0 (Bishop, *PRML*, §4.3.4).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import xlogy
from sklearn.utils.validation import check_array, check_consistent_length

from mlhood._params import validate_params


def _check_weights(sample_weight, n):
    if sample_weight is None:
        return None
    weights = check_array(sample_weight, ensure_2d=False, dtype=float, input_name="sample_weight")
    if weights.ndim != 1 or len(weights) != n:
        raise ValueError(f"sample_weight must be 1-D with {n} entries, got shape {weights.shape}.")
    if np.any(weights < 0):
        raise ValueError("sample_weight must be non-negative.")
    return weights


@validate_params({"normalize": ["boolean"]})
def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or weighted count) of correct predictions.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    normalize : bool, default=True
        Return the fraction; if False, the (weighted) number of correct predictions.
    sample_weight : array-like of shape (n_samples,), optional

    Returns
    -------
    score : float

    Examples
    --------
    >>> from mlhood.metrics import accuracy_score
    >>> accuracy_score(["a", "b", "b"], ["a", "b", "a"])
    0.6666666666666666
    """
    y_true = check_array(y_true, ensure_2d=False, dtype=None, input_name="y_true")
    y_pred = check_array(y_pred, ensure_2d=False, dtype=None, input_name="y_pred")
    check_consistent_length(y_true, y_pred)
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError("y_true and y_pred must be 1-D label arrays.")
    correct = (y_true == y_pred).astype(float)
    weights = _check_weights(sample_weight, len(correct))
    if not normalize:
        return float(correct.sum() if weights is None else weights @ correct)
    return float(np.average(correct, weights=weights))


@validate_params({"normalize": ["boolean"]})
def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """Cross-entropy ``-Σ sᵢ log p(yᵢ) / Σ sᵢ`` of predicted class probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_proba : array-like of shape (n_samples,) or (n_samples, n_classes)
        Probabilities, columns in the sorted order of the labels; a 1-D array is the
        probability of the larger (positive) label.
    normalize : bool, default=True
        Mean over samples; if False, the (weighted) sum.
    sample_weight : array-like of shape (n_samples,), optional
    labels : array-like, optional
        All class labels, when ``y_true`` does not contain every class.

    Returns
    -------
    loss : float

    Examples
    --------
    >>> from mlhood.metrics import log_loss
    >>> round(log_loss(["spam", "ham"], [[0.1, 0.9], [0.8, 0.2]]), 6)
    0.164252
    """
    y_true = check_array(y_true, ensure_2d=False, dtype=None, input_name="y_true")
    proba = check_array(
        y_proba, ensure_2d=False, dtype=(np.float64, np.float32), input_name="y_proba"
    )
    check_consistent_length(y_true, proba)
    if proba.max() > 1 or proba.min() < 0:
        raise ValueError("y_proba must contain probabilities in [0, 1].")
    classes = np.unique(y_true if labels is None else np.asarray(labels))
    if len(classes) < 2:
        raise ValueError(
            f"y_true contains only one label ({classes[0]!r}); pass every class through "
            "the labels argument."
        )
    if not np.isin(y_true, classes).all():
        raise ValueError("y_true contains labels that are not in labels.")
    if proba.ndim == 1:
        proba = proba[:, None]
    if proba.shape[1] == 1:
        proba = np.hstack([1.0 - proba, proba])
    if proba.shape[1] != len(classes):
        raise ValueError(
            f"y_proba has {proba.shape[1]} columns but there are {len(classes)} classes "
            f"{classes.tolist()}; pass labels or fix y_proba."
        )
    if not np.allclose(proba.sum(axis=1), 1.0, rtol=np.sqrt(np.finfo(proba.dtype).eps)):
        warnings.warn(
            "The rows of y_proba do not sum to one. Make sure to pass probabilities.",
            UserWarning,
            stacklevel=2,
        )
    eps = np.finfo(proba.dtype).eps
    proba = np.clip(proba, eps, 1 - eps)
    onehot = (y_true[:, None] == classes[None, :]).astype(proba.dtype)
    per_sample = -xlogy(onehot, proba).sum(axis=1)
    weights = _check_weights(sample_weight, len(per_sample))
    if not normalize:
        return float(per_sample.sum() if weights is None else weights @ per_sample)
    return float(np.average(per_sample, weights=weights))
