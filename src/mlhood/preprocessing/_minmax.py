"""Min-max scaling of each feature to a given range."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Elements, Interval, ValidatedParamsMixin


def nonzero_scale(scale: np.ndarray) -> np.ndarray:
    """Replace (near-)zero scales by 1 so constant features are left unscaled."""
    scale = np.asarray(scale, dtype=float).copy()
    scale[scale < 10 * np.finfo(scale.dtype).eps] = 1.0
    return scale


class MinMaxScaler(ValidatedParamsMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale each feature linearly so its training minimum and maximum map to a range.

    With ``(a, b) = feature_range``::

        x' = a + (x - min) * (b - a) / (max - min)   i.e.   x' = x * scale_ + min_

    A constant feature (``max = min``) gets ``scale_ = b - a`` (its range counted as 1).
    NaNs are ignored in ``fit`` and kept in ``transform``. Sensitive to outliers: one
    extreme value squeezes all others (see :class:`RobustScaler`).

    Parameters
    ----------
    feature_range : tuple (min, max), default=(0, 1)
    copy : bool, default=True
        Kept for scikit-learn compatibility; a new array is always returned.
    clip : bool, default=False
        Clip transformed values of new data to ``feature_range``.

    Attributes
    ----------
    data_min_, data_max_, data_range_ : ndarray of shape (n_features,)
    scale_, min_ : ndarray of shape (n_features,)
    n_samples_seen_ : int
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from mlhood.preprocessing import MinMaxScaler
    >>> MinMaxScaler().fit_transform([[1.0], [3.0], [5.0]]).ravel().tolist()
    [0.0, 0.5, 1.0]
    """

    _parameter_constraints = {
        "feature_range": [Elements(Interval(Real, None, None, closed="neither"))],
        "copy": ["boolean"],
        "clip": ["boolean"],
    }

    def __init__(self, feature_range=(0, 1), *, copy=True, clip=False):
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X, y=None):
        """Compute each feature's minimum and maximum; ``y`` is ignored."""
        for attr in ("n_samples_seen_", "data_min_"):
            self.__dict__.pop(attr, None)
        return self.partial_fit(X, y)

    def partial_fit(self, X, y=None):
        """Update the minima and maxima with a new batch ``X``."""
        self._validate_params()
        low, high = self.feature_range
        if not low < high:
            raise ValueError(f"feature_range must satisfy min < max, got {self.feature_range}")
        first = not hasattr(self, "n_samples_seen_")
        X = validate_data(
            self, X, reset=first, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
        )
        with np.errstate(all="ignore"):
            batch_min, batch_max = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
        if first:
            self.n_samples_seen_ = X.shape[0]
        else:
            batch_min = np.fmin(self.data_min_, batch_min)
            batch_max = np.fmax(self.data_max_, batch_max)
            self.n_samples_seen_ += X.shape[0]
        self.data_min_, self.data_max_ = batch_min, batch_max
        self.data_range_ = batch_max - batch_min
        self.scale_ = (high - low) / nonzero_scale(self.data_range_)
        self.min_ = low - batch_min * self.scale_
        return self

    def transform(self, X):
        """Scale ``X`` with the fitted minima and maxima."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
        )
        out = X * self.scale_ + self.min_
        if self.clip:
            np.clip(out, *self.feature_range, out=out)
        return out.astype(X.dtype, copy=False)

    def inverse_transform(self, X):
        """Undo the scaling."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
        )
        return ((X - self.min_) / self.scale_).astype(X.dtype, copy=False)
