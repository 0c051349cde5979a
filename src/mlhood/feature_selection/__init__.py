"""Univariate feature selection: score each feature alone, keep the best ``k``."""

from mlhood.feature_selection._select import SelectKBest
from mlhood.feature_selection._univariate import f_classif

__all__ = ["SelectKBest", "f_classif"]
