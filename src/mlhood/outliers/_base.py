"""The outlier-detector API shared by every detector in :mod:`mlhood.outliers`."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Interval, Options, ValidatedParamsMixin

# contamination: "auto" (the rule's own cut-off) or the fraction of training rows flagged
CONTAMINATION = [Options(["auto"]), Interval(Real, 0, 0.5, closed="right")]


def check_not_constant(X, detector):
    """Raise a ``ValueError`` naming the first feature of ``X`` that takes a single value."""
    constant = np.flatnonzero(np.ptp(X, axis=0) == 0)
    if constant.size:
        raise ValueError(
            f"{detector} cannot be fit: feature {int(constant[0])} is constant "
            f"(value {X[0, constant[0]]!r}), so its spread is zero and every deviation "
            "from it would be infinitely outlying; drop constant features first"
        )


class ThresholdDetector(ValidatedParamsMixin, OutlierMixin, BaseEstimator):
    """Base class: a detector with an *outlyingness* ``o(x)`` and a cut-off on it.

    Subclasses implement ``_fit_statistics(X)`` (learn centre/scale) and
    ``_outlyingness(X)`` (larger means more outlying), and hold their rule's cut-off in
    ``self._rule_threshold()``. The scikit-learn conventions follow::

        score_samples(x)     = -o(x)                 (higher = more normal)
        offset_              = -cut-off
        decision_function(x) = score_samples(x) - offset_   (negative = outlier)
        predict(x)           = -1 if decision_function(x) < 0 else +1

    With ``contamination="auto"`` the cut-off is the rule's threshold (e.g. 3 for the
    z-score). With a float ``c`` in (0, 0.5] it is instead the ``1 - c`` quantile of the
    training outlyingness, so a fraction ``c`` of the training rows is flagged.
    """

    def _rule_threshold(self):  # pragma: no cover - every subclass overrides it
        raise NotImplementedError

    def fit(self, X, y=None):
        """Learn the detector's statistics and cut-off from ``X``; ``y`` is ignored."""
        self._validate_params()
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
        self._fit_statistics(X)
        if isinstance(self.contamination, str):
            cutoff = float(self._rule_threshold())
        else:
            cutoff = float(np.quantile(self._outlyingness(X), 1.0 - self.contamination))
        self.threshold_ = cutoff
        self.offset_ = -cutoff
        return self

    def _validate_predict(self, X):
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, reset=False)

    def score_samples(self, X):
        """Normality score ``-o(x)`` of each row (lower = more outlying)."""
        return -self._outlyingness(self._validate_predict(X))

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for outliers, >= 0 for inliers."""
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """``-1`` for outliers and ``+1`` for inliers."""
        return np.where(self.decision_function(X) < 0, -1, 1)
