"""Bagging and random forests, with out-of-bag estimates."""

from mlhood.ensemble._bagging import BaggingClassifier, BaggingRegressor
from mlhood.ensemble._forest import RandomForestClassifier, RandomForestRegressor

__all__ = [
    "BaggingClassifier",
    "BaggingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
]
