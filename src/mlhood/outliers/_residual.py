"""Residual-based detector: outliers are rows a robust regression cannot explain."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import clone

from mlhood._params import Interval, Options
from mlhood.outliers._base import CONTAMINATION, ThresholdDetector, check_not_constant
from mlhood.outliers._univariate import robust_sd


class ResidualDetector(ThresholdDetector):
    """Flag rows whose ``target`` column is far from a robust regression on the others.

    One column of ``X`` (``target``) is the response ``y`` and the remaining columns are
    the features ``Z``. A robust regression ``f`` (Huber or RANSAC, so the outliers do not
    pull the fit towards themselves) is fit on the training rows; with residuals
    ``r = y - f(Z)`` standardised by a robust scale ``s = MAD(r_train) / 0.6745``::

        o(x) = |y - f(z)| / s,   outlier when o(x) > threshold

    This sees *joint* outliers: a row whose ``y`` and ``z`` are each ordinary but whose
    combination breaks the relation. With a single column there are no features and the
    "regression" is the median, so the rule reduces to the modified z-score.

    Parameters
    ----------
    estimator : {"huber", "ransac"} or regressor, default="huber"
        ``"huber"`` is :class:`mlhood.linear_model.HuberRegressor`, ``"ransac"`` is
        :class:`mlhood.linear_model.RANSACRegressor`; any other regressor is cloned.
    target : int, default=-1
        Index of the column of ``X`` holding the response.
    threshold : float, default=3.5
    contamination : "auto" or float in (0, 0.5], default="auto"
    random_state : int, RandomState or None, default=None
        Passed to RANSAC.

    Attributes
    ----------
    estimator_ : regressor or None
        The fitted regression (``None`` with a single column).
    scale_ : float
        Robust scale of the training residuals.
    threshold_ : float

    Raises
    ------
    ValueError
        At ``fit`` if the target column is constant, or all training residuals are 0.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers import ResidualDetector
    >>> x = np.linspace(0, 10, 60)
    >>> y = 1 + 2 * x + np.sin(7 * x)
    >>> y[30] += 8.0  # inside the range of y, but off the line
    >>> int(ResidualDetector().fit_predict(np.c_[x, y])[30])
    -1
    """

    _parameter_constraints = {
        "estimator": [Options(["huber", "ransac"]), "estimator"],
        "target": [numbers.Integral],
        "threshold": [Interval(numbers.Real, 0, None, closed="left")],
        "contamination": CONTAMINATION,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator="huber",
        *,
        target=-1,
        threshold=3.5,
        contamination="auto",
        random_state=None,
    ):
        self.estimator = estimator
        self.target = target
        self.threshold = threshold
        self.contamination = contamination
        self.random_state = random_state

    def _rule_threshold(self):
        return float(self.threshold)

    def _make_estimator(self):
        from mlhood.linear_model import HuberRegressor, RANSACRegressor

        if isinstance(self.estimator, str):
            if self.estimator == "huber":
                return HuberRegressor(max_iter=500)
            if self.estimator == "ransac":
                return RANSACRegressor(random_state=self.random_state)
            raise ValueError(
                f"estimator must be 'huber', 'ransac' or a regressor, got {self.estimator!r}"
            )
        if not hasattr(self.estimator, "fit") or not hasattr(self.estimator, "predict"):
            raise TypeError(f"estimator must have fit and predict, got {self.estimator!r}")
        return clone(self.estimator)

    def _split(self, X):
        n_columns = X.shape[1]
        if not isinstance(self.target, numbers.Integral) or not (
            -n_columns <= self.target < n_columns
        ):
            raise ValueError(
                f"target must be a column index in [-{n_columns}, {n_columns}), "
                f"got {self.target!r}"
            )
        column = self.target % n_columns
        return np.delete(X, column, axis=1), X[:, column]

    def _residuals(self, X):
        features, response = self._split(X)
        if self.estimator_ is None:
            return response - self.center_
        return response - self.estimator_.predict(features)

    def _fit_statistics(self, X):
        features, response = self._split(X)
        check_not_constant(response[:, None], type(self).__name__ + " (target column)")
        if features.shape[1] == 0:
            self.estimator_ = None
            self.center_ = float(np.median(response))
        else:
            self.estimator_ = self._make_estimator().fit(features, response)
        residuals = self._residuals(X)
        self.scale_ = float(robust_sd(residuals, np.median(residuals)))
        if self.scale_ == 0.0:
            raise ValueError(
                "all training residuals are zero (the target is an exact function of the "
                "features), so no residual can be standardised"
            )

    def _outlyingness(self, X):
        return np.abs(self._residuals(X)) / self.scale_
