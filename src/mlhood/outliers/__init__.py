"""Outlier detectors: IQR, z-score, MAD, Mahalanobis (robust) and residual-based."""

from mlhood.outliers._mahalanobis import MahalanobisDetector
from mlhood.outliers._mcd import MCDResult, fast_mcd
from mlhood.outliers._residual import ResidualDetector
from mlhood.outliers._univariate import IQRDetector, MADDetector, ZScoreDetector

__all__ = [
    "IQRDetector",
    "MADDetector",
    "MCDResult",
    "MahalanobisDetector",
    "ResidualDetector",
    "ZScoreDetector",
    "fast_mcd",
]
