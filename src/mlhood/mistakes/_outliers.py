"""Mistakes in the outlier detectors (:mod:`mlhood.outliers`), caught by lab q10."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


@mistake(
    "mad-no-consistency-constant",
    title="The modified z-score divides by the raw MAD (no 1.4826 / 0.6745 factor)",
    target="mlhood.outliers._univariate:robust_sd",
    labs=["q10"],
    explanation="""
For normal data the median absolute deviation is 0.6745 standard deviations, not one. Using
the MAD itself as the scale makes every score 1.48 times too large, so the 3.5 cut-off acts
like 2.36 SDs: on clean normal data the rule flags about 1.8% of the rows instead of 0.05%.
Divide the MAD by 0.6745 (multiply by 1.4826), or equivalently score 0.6745 (x - median) / MAD
as Iglewicz and Hoaglin do.
""",
)
def robust_sd(X, center):
    """Wrong: the MAD itself (or the MeanAD) is used as the standard deviation."""
    deviation = np.abs(X - center)
    mad = np.median(deviation, axis=0)
    return np.where(mad > 0, mad, deviation.mean(axis=0))


@mistake(
    "iqr-fences-from-median",
    title="The box-plot fences are measured from the median instead of the quartiles",
    target="mlhood.outliers._univariate:IQRDetector._fit_statistics",
    labs=["q10"],
    explanation="""
Tukey's fences are Q1 - 1.5 IQR and Q3 + 1.5 IQR: the whiskers start at the edges of the box.
Measuring 1.5 IQR from the median instead pulls both fences half a box inwards: for normal
data they sit at 2.0 SDs instead of 2.7, so the rule flags about 4.3% of clean rows instead
of 0.7%, and on skewed data (revenue) it cuts far into the real tail.
""",
)
def _iqr_fit_statistics(self, X):
    """Wrong: the fences are median -/+ k IQR."""
    q1, median, q3 = np.quantile(X, [0.25, 0.5, 0.75], axis=0)
    self.iqr_ = q3 - q1
    self.q1_ = self.q3_ = median  # the box collapsed onto the median
    k = self._rule_threshold()
    self.lower_fence_ = median - k * self.iqr_
    self.upper_fence_ = median + k * self.iqr_
    self._unit = np.maximum(self.iqr_, np.finfo(np.float64).eps)


@mistake(
    "mcd-no-consistency-factor",
    title="FAST-MCD keeps the raw h-subset covariance (no consistency rescaling)",
    target="mlhood.outliers._mcd:consistency_factor",
    labs=["q10"],
    explanation="""
The MCD covariance comes from the half of the rows closest to the centre, so it is much too
small for the inliers as a whole. Without multiplying it by median(d^2) / chi2_p.ppf(0.5),
every Mahalanobis distance is inflated: the reweighting step keeps too few rows and the
chi-square 97.5% cut-off flags far more than 2.5% of clean normal rows. A robust estimate
must still be consistent: right on average when the data are clean.
""",
)
def consistency_factor(d2, n_features):
    """Wrong: no rescaling of the h-subset covariance."""
    return 1.0


@mistake(
    "mahalanobis-classical-covariance",
    title="The robust Mahalanobis detector uses the classical mean and covariance",
    target="mlhood.outliers._mahalanobis:MahalanobisDetector._location_and_covariance",
    labs=["q10"],
    explanation="""
The "robust" detector computes the sample mean and covariance of all rows, outliers included.
A group of outliers drags the mean towards itself and stretches the covariance along its
direction, so the distances of the very points it should flag shrink below the cut-off
(masking). The centre and shape must come from a high-breakdown estimate such as the
Minimum Covariance Determinant, which ignores up to half the rows.
""",
)
def _location_and_covariance(self, X):
    """Wrong: classical estimates even when ``robust=True``."""
    from mlhood.outliers._mahalanobis import classical_estimates

    return classical_estimates(X)


@mistake(
    "residual-detector-ols",
    title="The residual detector fits ordinary least squares instead of a robust regression",
    target="mlhood.outliers._residual:ResidualDetector._make_estimator",
    labs=["q10"],
    explanation="""
Least squares minimises squared residuals, so a few gross errors pull the line towards
themselves: their own residuals shrink (they hide) and the residuals of clean rows far from
them grow (false alarms). The residuals that judge outlyingness must come from a fit the
outliers cannot move: Huber's loss grows only linearly beyond epsilon scales and RANSAC
fits the consensus of the majority.
""",
)
def _make_estimator(self):
    """Wrong: a least-squares line whatever ``estimator`` asks for."""
    from mlhood.linear_model import LinearRegression

    return LinearRegression()
