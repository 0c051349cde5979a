"""Outlier detectors: IQR, z-score, MAD, Mahalanobis (robust) and residual-based."""

__all__: list[str] = []
