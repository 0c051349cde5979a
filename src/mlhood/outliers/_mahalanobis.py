"""Mahalanobis-distance detector with a classical or a robust (FAST-MCD) covariance."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from scipy.stats import chi2

from mlhood._params import Interval
from mlhood.outliers._base import CONTAMINATION, ThresholdDetector, check_not_constant
from mlhood.outliers._mcd import fast_mcd


def classical_estimates(X):
    """Sample mean, sample covariance (``ddof=1``) and an all-True support mask.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers._mahalanobis import classical_estimates
    >>> location, covariance, support = classical_estimates(np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> location.tolist(), covariance.tolist(), support.tolist()
    ([1.0, 2.0], [[2.0, 2.0], [2.0, 2.0]], [True, True])
    """
    location = X.mean(axis=0)
    centered = X - location
    return location, centered.T @ centered / (X.shape[0] - 1), np.ones(X.shape[0], dtype=bool)


class MahalanobisDetector(ThresholdDetector):
    """Flag rows far from the centre in Mahalanobis distance.

    ``o(x) = d^2(x) = (x - mu)^T Sigma^{-1} (x - mu)``; for Gaussian inliers ``d^2``
    follows a chi-square law with ``p`` degrees of freedom, so the row is an outlier when
    ``d^2 > chi2_p.ppf(quantile)``. The distance accounts for correlations: a point can
    be unremarkable on every feature and still far from the cloud.

    With ``robust=False``, ``mu`` and ``Sigma`` are the sample mean and covariance, which
    the outliers themselves inflate (masking). With ``robust=True`` they come from the
    Minimum Covariance Determinant estimator computed by FAST-MCD (Rousseeuw & Van
    Driessen 1999; see :func:`mlhood.outliers.fast_mcd`), which ignores up to about half
    of the rows.

    Parameters
    ----------
    robust : bool, default=True
    quantile : float in (0, 1), default=0.975
        Chi-square quantile used as the cut-off.
    support_fraction : float in (0, 1] or None, default=None
        Share of rows in the MCD subset (robust only); ``None`` = ``(n + p + 1) / 2``.
    n_trials : int, default=500
        Random starts of FAST-MCD.
    contamination : "auto" or float in (0, 0.5], default="auto"
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    location_ : ndarray of shape (n_features,)
    covariance_ : ndarray of shape (n_features, n_features)
    precision_ : ndarray of shape (n_features, n_features)
    support_ : ndarray of bool, shape (n_samples,)
        Training rows used for the final estimate (all rows when not robust).
    threshold_ : float

    Raises
    ------
    ValueError
        At ``fit`` if a feature is constant or the covariance is singular.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.outliers import MahalanobisDetector
    >>> rng = np.random.default_rng(0)
    >>> X = rng.multivariate_normal([0, 0], [[1, 0.9], [0.9, 1]], size=200)
    >>> X[0] = [2.0, -2.0]  # ordinary on each axis, against the correlation
    >>> int(MahalanobisDetector(random_state=0).fit_predict(X)[0])
    -1
    """

    _parameter_constraints = {
        "robust": ["boolean"],
        "quantile": [Interval(Real, 0, 1, closed="neither")],
        "support_fraction": [Interval(Real, 0, 1, closed="right"), None],
        "n_trials": [Interval(Integral, 1, None, closed="left")],
        "contamination": CONTAMINATION,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        robust=True,
        *,
        quantile=0.975,
        support_fraction=None,
        n_trials=500,
        contamination="auto",
        random_state=None,
    ):
        self.robust = robust
        self.quantile = quantile
        self.support_fraction = support_fraction
        self.n_trials = n_trials
        self.contamination = contamination
        self.random_state = random_state

    def _rule_threshold(self):
        return chi2.ppf(self.quantile, self.n_features_in_)

    def _fit_statistics(self, X):
        check_not_constant(X, type(self).__name__)
        self.location_, self.covariance_, self.support_ = self._location_and_covariance(X)
        eigval = np.linalg.eigvalsh(self.covariance_)
        if eigval[0] <= 1e-12 * eigval[-1]:
            raise ValueError(
                "the covariance of X is singular (features are linearly dependent or "
                "n_samples <= n_features), so Mahalanobis distances are undefined"
            )
        self.precision_ = np.linalg.inv(self.covariance_)

    def _location_and_covariance(self, X):
        """FAST-MCD's (``robust=True``) or the classical estimates, and the rows used."""
        if not self.robust:
            return classical_estimates(X)
        mcd = fast_mcd(
            X,
            support_fraction=self.support_fraction,
            n_trials=self.n_trials,
            random_state=self.random_state,
        )
        return mcd.location, mcd.covariance, mcd.support

    def mahalanobis(self, X):
        """Squared Mahalanobis distances of the rows of ``X`` to ``location_``."""
        return self._outlyingness(self._validate_predict(X))

    def _outlyingness(self, X):
        centered = X - self.location_
        return np.einsum("ij,jk,ik->i", centered, self.precision_, centered)
