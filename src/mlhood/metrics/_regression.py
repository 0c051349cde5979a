"""Regression metrics: mean squared / absolute error and the coefficient of determination.

With weights ``sᵢ`` (default 1) and per-output errors ``eᵢ = yᵢ - ŷᵢ``::

    MSE = Σ sᵢ eᵢ² / Σ sᵢ,   MAE = Σ sᵢ |eᵢ| / Σ sᵢ,
    R²  = 1 - Σ sᵢ eᵢ² / Σ sᵢ (yᵢ - ȳ)²      (ȳ the weighted mean)

Multi-output scores are averaged as ``multioutput`` says ("uniform_average",
"raw_values", "variance_weighted" for R², or an array of weights).
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

from mlhood._params import Elements, Interval, Options, validate_params

_MULTIOUTPUT = ("raw_values", "uniform_average", "variance_weighted")
_OUTPUTS = {
    "multioutput": [Options(_MULTIOUTPUT), Elements(Interval(Real, 0, None, closed="left"))]
}


def _check_targets(y_true, y_pred, sample_weight, multioutput):
    y_true = check_array(y_true, ensure_2d=False, dtype="numeric", input_name="y_true")
    y_pred = check_array(y_pred, ensure_2d=False, dtype="numeric", input_name="y_pred")
    check_consistent_length(y_true, y_pred)
    y_true = y_true.reshape(len(y_true), -1).astype(float)
    y_pred = y_pred.reshape(len(y_pred), -1).astype(float)
    if y_true.shape[1] != y_pred.shape[1]:
        raise ValueError(
            f"y_true and y_pred have different numbers of outputs "
            f"({y_true.shape[1]} != {y_pred.shape[1]})."
        )
    if sample_weight is not None:
        sample_weight = check_array(
            sample_weight, ensure_2d=False, dtype=float, input_name="sample_weight"
        )
        if sample_weight.ndim != 1:
            raise ValueError("sample_weight must be 1-D.")
        check_consistent_length(y_true, sample_weight)
        if np.any(sample_weight < 0) or sample_weight.sum() <= 0:
            raise ValueError("sample_weight must be non-negative with a positive sum.")
    if not isinstance(multioutput, str):
        multioutput = check_array(multioutput, ensure_2d=False, input_name="multioutput")
        if multioutput.shape != (y_true.shape[1],):
            raise ValueError(
                f"multioutput weights must have shape ({y_true.shape[1]},), "
                f"got {multioutput.shape}."
            )
    return y_true, y_pred, sample_weight, multioutput


def _combine(per_output, multioutput, variance=None):
    if isinstance(multioutput, str):
        if multioutput == "raw_values":
            return per_output
        if multioutput == "variance_weighted" and variance is not None and variance.sum() > 0:
            return float(np.average(per_output, weights=variance))
        return float(np.mean(per_output))
    return float(np.average(per_output, weights=multioutput))


def _mean_error(pointwise, y_true, y_pred, sample_weight, multioutput):
    """Weighted mean of ``pointwise(y_true - y_pred)`` per output, then combined."""
    y_true, y_pred, weights, multioutput = _check_targets(
        y_true, y_pred, sample_weight, multioutput
    )
    per_output = np.average(pointwise(y_true - y_pred), axis=0, weights=weights)
    return _combine(per_output, multioutput)


@validate_params(_OUTPUTS)
def mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean squared error ``Σ sᵢ (yᵢ - ŷᵢ)² / Σ sᵢ``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average"} or array-like, default="uniform_average"

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from mlhood.metrics import mean_squared_error
    >>> mean_squared_error([3.0, 0.0], [1.0, 0.0])
    2.0
    """
    return _mean_error(np.square, y_true, y_pred, sample_weight, multioutput)


@validate_params(_OUTPUTS)
def root_mean_squared_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Root mean squared error: the square root of :func:`mean_squared_error` per output.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average"} or array-like, default="uniform_average"

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from mlhood.metrics import root_mean_squared_error
    >>> root_mean_squared_error([3.0, 0.0], [1.0, 0.0])
    1.4142135623730951
    """
    per_output = np.sqrt(
        mean_squared_error(y_true, y_pred, sample_weight=sample_weight, multioutput="raw_values")
    )
    return _combine(per_output, _check_targets(y_true, y_pred, None, multioutput)[3])


@validate_params(_OUTPUTS)
def mean_absolute_error(y_true, y_pred, *, sample_weight=None, multioutput="uniform_average"):
    """Mean absolute error ``Σ sᵢ |yᵢ - ŷᵢ| / Σ sᵢ``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average"} or array-like, default="uniform_average"

    Returns
    -------
    loss : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from mlhood.metrics import mean_absolute_error
    >>> mean_absolute_error([3.0, 0.0], [1.0, 0.0])
    1.0
    """
    return _mean_error(np.abs, y_true, y_pred, sample_weight, multioutput)


@validate_params({**_OUTPUTS, "force_finite": ["boolean"]})
def r2_score(
    y_true, y_pred, *, sample_weight=None, multioutput="uniform_average", force_finite=True
):
    """Coefficient of determination ``R² = 1 - SS_res / SS_tot``.

    A constant ``y_true`` makes ``SS_tot = 0``: the score is then 1.0 for a perfect
    prediction and 0.0 otherwise (``force_finite=True``), or NaN / -inf.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    sample_weight : array-like of shape (n_samples,), optional
    multioutput : {"raw_values", "uniform_average", "variance_weighted"} or array-like
    force_finite : bool, default=True

    Returns
    -------
    score : float or ndarray of shape (n_outputs,)

    Examples
    --------
    >>> from mlhood.metrics import r2_score
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    y_true, y_pred, weights, multioutput = _check_targets(
        y_true, y_pred, sample_weight, multioutput
    )
    if len(y_true) < 2:
        raise ValueError("r2_score needs at least two samples.")
    w = np.ones(len(y_true)) if weights is None else weights
    residual = w @ (y_true - y_pred) ** 2
    mean = np.average(y_true, axis=0, weights=w)
    total = w @ (y_true - mean) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        score = 1.0 - residual / total
    zero_total = total == 0
    if force_finite:
        score[zero_total] = np.where(residual[zero_total] == 0, 1.0, 0.0)
    else:
        score[zero_total & (residual == 0)] = np.nan
        score[zero_total & (residual != 0)] = -np.inf
    return _combine(score, multioutput, variance=total)
