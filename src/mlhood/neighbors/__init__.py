"""k-nearest neighbours for classification and regression (exact, brute force)."""

from mlhood.neighbors._classes import KNeighborsClassifier, KNeighborsRegressor

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]
