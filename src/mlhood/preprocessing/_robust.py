"""Scaling by median and interquartile range, robust to outliers."""

from __future__ import annotations

from numbers import Real

import numpy as np
from scipy.stats import norm
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Elements, Interval, ValidatedParamsMixin
from mlhood.preprocessing._minmax import nonzero_scale


class RobustScaler(ValidatedParamsMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Centre each feature on its median and divide by its interquartile range.

    ::

        x' = (x - median) / (Q(q_hi) - Q(q_lo))

    with ``Q`` the empirical quantile (linear interpolation) and ``(q_lo, q_hi) =
    quantile_range`` (default the quartiles). Median and IQR have a high breakdown point:
    a few outliers barely move them (Huber & Ronchetti, *Robust Statistics*, 2nd ed.,
    2009, ch. 1 and 5). ``unit_variance`` divides the scale further by the IQR of the
    standard normal, so normal data end with unit variance. NaNs are ignored in ``fit``
    and kept in ``transform``; a zero IQR is replaced by 1.

    Parameters
    ----------
    with_centering : bool, default=True
    with_scaling : bool, default=True
    quantile_range : tuple (q_min, q_max), 0 < q_min < q_max < 100, default=(25.0, 75.0)
    copy : bool, default=True
        Kept for scikit-learn compatibility; a new array is always returned.
    unit_variance : bool, default=False

    Attributes
    ----------
    center_ : ndarray of shape (n_features,) or None
    scale_ : ndarray of shape (n_features,) or None
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> from mlhood.preprocessing import RobustScaler
    >>> RobustScaler().fit_transform([[1.0], [2.0], [3.0], [4.0], [100.0]]).ravel().tolist()
    [-1.0, -0.5, 0.0, 0.5, 48.5]
    """

    _parameter_constraints = {
        "with_centering": ["boolean"],
        "with_scaling": ["boolean"],
        "quantile_range": [Elements(Interval(Real, 0, 100, closed="both"))],
        "copy": ["boolean"],
        "unit_variance": ["boolean"],
    }

    def __init__(
        self,
        *,
        with_centering=True,
        with_scaling=True,
        quantile_range=(25.0, 75.0),
        copy=True,
        unit_variance=False,
    ):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range
        self.copy = copy
        self.unit_variance = unit_variance

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X, y=None):
        """Compute medians and quantile ranges; ``y`` is ignored."""
        self._validate_params()
        q_min, q_max = self.quantile_range
        if not 0 <= q_min <= q_max <= 100:
            raise ValueError(
                "quantile_range must satisfy 0 <= q_min <= q_max <= 100, "
                f"got {self.quantile_range}"
            )
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan")
        self.center_ = np.nanmedian(X, axis=0) if self.with_centering else None
        self.scale_ = None
        if self.with_scaling:
            low, high = np.nanpercentile(X, [q_min, q_max], axis=0)
            scale = nonzero_scale(high - low)
            if self.unit_variance:
                scale = scale / (norm.ppf(q_max / 100.0) - norm.ppf(q_min / 100.0))
            self.scale_ = scale
        return self

    def transform(self, X):
        """Centre and scale ``X``."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
        )
        out = X.astype(X.dtype, copy=True)
        if self.with_centering:
            out -= self.center_
        if self.with_scaling:
            out /= self.scale_
        return out

    def inverse_transform(self, X):
        """Undo the centring and scaling."""
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32], ensure_all_finite="allow-nan"
        )
        out = X.astype(X.dtype, copy=True)
        if self.with_scaling:
            out *= self.scale_
        if self.with_centering:
            out += self.center_
        return out
