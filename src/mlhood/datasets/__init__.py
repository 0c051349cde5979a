"""Loaders for data that ships with dependencies, and seeded synthetic generators."""

from mlhood.datasets._correlated import make_correlated_regression
from mlhood.datasets._loaders import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
)
from mlhood.datasets._nominal import make_nominal_effect
from mlhood.datasets._outliers import make_outliers
from mlhood.datasets._series import make_trending_series

__all__ = [
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_correlated_regression",
    "make_nominal_effect",
    "make_outliers",
    "make_trending_series",
]
