"""Splitters, cross-validation, curves, hyperparameter search, bias-variance decomposition."""

from mlhood.model_selection._bias_variance import BiasVariance, bias_variance_decomposition
from mlhood.model_selection._minimize import OptimizeResult, minimize
from mlhood.model_selection._scoring import check_cv, get_scorer
from mlhood.model_selection._search import (
    BayesSearchCV,
    GridSearchCV,
    RandomizedSearchCV,
    parameter_grid,
)
from mlhood.model_selection._space import Categorical, Integer, Real, Space
from mlhood.model_selection._split import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    train_test_split,
    train_val_test_split,
)
from mlhood.model_selection._time_split import BlockedKFold, TimeSeriesSplit
from mlhood.model_selection._validation import (
    cross_val_score,
    cross_validate,
    learning_curve,
    nested_cross_validate,
    validation_curve,
)

__all__ = [
    "BayesSearchCV",
    "BiasVariance",
    "BlockedKFold",
    "Categorical",
    "GridSearchCV",
    "Integer",
    "OptimizeResult",
    "RandomizedSearchCV",
    "Real",
    "Space",
    "KFold",
    "ShuffleSplit",
    "StratifiedKFold",
    "TimeSeriesSplit",
    "bias_variance_decomposition",
    "check_cv",
    "cross_val_score",
    "cross_validate",
    "get_scorer",
    "learning_curve",
    "minimize",
    "nested_cross_validate",
    "parameter_grid",
    "train_test_split",
    "train_val_test_split",
    "validation_curve",
]
