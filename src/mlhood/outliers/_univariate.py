"""Per-feature rules: z-score, modified z-score (median/MAD) and the box-plot (IQR) rule.

Each rule scores every feature separately and a row's outlyingness is its largest
per-feature score, so a row is an outlier as soon as any one feature is.
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from mlhood._params import Interval
from mlhood.outliers._base import CONTAMINATION, ThresholdDetector, check_not_constant

# 0.6745 = Phi^{-1}(0.75): MAD / 0.6745 estimates the standard deviation of a normal.
MAD_TO_SD = 0.6745
# sqrt(pi / 2): MeanAD * 1.253314 estimates the standard deviation of a normal.
MEANAD_TO_SD = 1.253314


def robust_sd(X, center):
    """Robust standard deviation of each column of ``X`` about ``center``.

    ``MAD / 0.6745`` with ``MAD = median |x - center|``: for normal data the MAD is
    ``0.6745 sd`` (``0.6745 = Phi^{-1}(0.75)``), so dividing makes it estimate the SD
    (the factor 1.4826 = 1 / 0.6745). Where more than half the values are tied the MAD
    is 0 and ``1.253314 * MeanAD`` (mean absolute deviation) is used instead.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers._univariate import robust_sd
    >>> x = np.array([[-1.0], [0.0], [1.0], [100.0]])
    >>> robust_sd(x, np.median(x, axis=0)).round(3)
    array([1.483])
    """
    deviation = np.abs(X - center)
    mad = np.median(deviation, axis=0)
    return np.where(mad > 0, mad / MAD_TO_SD, MEANAD_TO_SD * deviation.mean(axis=0))


class _StandardisedDistance(ThresholdDetector):
    """``o(x) = max_j |x_j - location_j| / scale_j`` with a cut-off ``threshold``."""

    def _rule_threshold(self):
        return float(self.threshold)

    def _outlyingness(self, X):
        return np.max(np.abs(X - self.location_) / self.scale_, axis=1)


class ZScoreDetector(_StandardisedDistance):
    """Flag rows where some feature lies more than ``threshold`` standard deviations out.

    ``o(x) = max_j |x_j - mean_j| / sd_j`` with the training mean and standard deviation
    (``ddof=1``); outlier when ``o(x) > threshold``. Mean and SD are themselves pulled by
    outliers, so a group of outliers can *mask* itself.

    Parameters
    ----------
    threshold : float, default=3.0
    contamination : "auto" or float in (0, 0.5], default="auto"
        "auto" uses ``threshold``; a float flags that fraction of the training rows.

    Attributes
    ----------
    location_, scale_ : ndarray of shape (n_features,)
        Training mean and standard deviation.
    threshold_ : float
        Cut-off on ``o(x)``; ``offset_ = -threshold_``.

    Raises
    ------
    ValueError
        At ``fit`` if a feature is constant (its standard deviation is zero).

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers import ZScoreDetector
    >>> X = np.r_[np.linspace(-1, 1, 50), 10.0].reshape(-1, 1)
    >>> ZScoreDetector().fit_predict(X)[-3:]
    array([ 1,  1, -1])
    """

    _parameter_constraints = {
        "threshold": [Interval(Real, 0, None, closed="left")],
        "contamination": CONTAMINATION,
    }

    def __init__(self, threshold=3.0, *, contamination="auto"):
        self.threshold = threshold
        self.contamination = contamination

    def _fit_statistics(self, X):
        check_not_constant(X, type(self).__name__)
        self.location_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0, ddof=1)


class MADDetector(_StandardisedDistance):
    """Modified z-score of Iglewicz & Hoaglin (1993): median and MAD instead of mean and SD.

    ``M_j(x) = 0.6745 (x_j - median_j) / MAD_j`` with
    ``MAD_j = median_i |x_ij - median_j|``; ``o(x) = max_j |M_j(x)|``, outlier when
    ``o(x) > threshold`` (3.5 by the authors' recommendation). The median and MAD have a
    50% breakdown point, so up to half the data can be outlying without moving them far.

    When more than half of a feature's values are tied, its MAD is 0; that feature then
    uses ``1.253314 * MeanAD`` (mean absolute deviation from the median) in place of
    ``MAD / 0.6745`` (the usual fallback). A constant feature raises ``ValueError``.

    Parameters
    ----------
    threshold : float, default=3.5
    contamination : "auto" or float in (0, 0.5], default="auto"

    Attributes
    ----------
    location_ : ndarray of shape (n_features,)
        Training medians.
    scale_ : ndarray of shape (n_features,)
        Robust standard deviations ``MAD / 0.6745`` (or the MeanAD fallback).
    threshold_ : float

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers import MADDetector
    >>> X = np.r_[np.linspace(-1, 1, 50), 10.0].reshape(-1, 1)
    >>> int((MADDetector().fit_predict(X) == -1).sum())
    1
    """

    _parameter_constraints = {
        "threshold": [Interval(Real, 0, None, closed="left")],
        "contamination": CONTAMINATION,
    }

    def __init__(self, threshold=3.5, *, contamination="auto"):
        self.threshold = threshold
        self.contamination = contamination

    def _fit_statistics(self, X):
        check_not_constant(X, type(self).__name__)
        self.location_ = np.median(X, axis=0)
        self.scale_ = robust_sd(X, self.location_)


class IQRDetector(ThresholdDetector):
    """Tukey's box-plot rule: outside ``[Q1 - k IQR, Q3 + k IQR]`` on any feature.

    With quartiles ``Q1_j, Q3_j`` and ``IQR_j = Q3_j - Q1_j`` the per-feature score is
    the signed distance beyond the nearer quartile in IQR units,
    ``s_j(x) = max(Q1_j - x_j, x_j - Q3_j) / IQR_j`` (negative inside the box), and
    ``o(x) = max_j s_j(x)``; the row is an outlier when ``o(x) > k`` -- exactly the
    whiskers of a box plot (Tukey 1977). Quartiles use linear interpolation
    (``numpy.quantile``'s default), as matplotlib's box plot does.

    A constant feature raises ``ValueError``. If a non-constant feature has
    ``IQR = 0`` (over half its values tied), its fences collapse onto the tied value and
    every other value is outside them; the score then divides by a tiny positive floor,
    so those values get huge scores and are flagged, as the rule says.

    Parameters
    ----------
    k : float, default=1.5
        Whisker length in IQRs (3.0 gives Tukey's "far out" points).
    contamination : "auto" or float in (0, 0.5], default="auto"

    Attributes
    ----------
    q1_, q3_, iqr_ : ndarray of shape (n_features,)
    lower_fence_, upper_fence_ : ndarray of shape (n_features,)
    threshold_ : float

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers import IQRDetector
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [30.0]])
    >>> IQRDetector().fit_predict(X)
    array([ 1,  1,  1,  1,  1, -1])
    """

    _parameter_constraints = {
        "k": [Interval(Real, 0, None, closed="left")],
        "contamination": CONTAMINATION,
    }

    def __init__(self, k=1.5, *, contamination="auto"):
        self.k = k
        self.contamination = contamination

    def _rule_threshold(self):
        return float(self.k)

    def _fit_statistics(self, X):
        check_not_constant(X, type(self).__name__)
        self.q1_, self.q3_ = np.quantile(X, [0.25, 0.75], axis=0)
        self.iqr_ = self.q3_ - self.q1_
        k = self._rule_threshold()
        self.lower_fence_ = self.q1_ - k * self.iqr_
        self.upper_fence_ = self.q3_ + k * self.iqr_
        floor = np.finfo(np.float64).eps * np.maximum(1.0, np.abs(self.q3_))
        self._unit = np.maximum(self.iqr_, floor)

    def _outlyingness(self, X):
        beyond = np.maximum(self.q1_ - X, X - self.q3_) / self._unit
        return np.max(beyond, axis=1)
