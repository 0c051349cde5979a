"""Regression, classification and ranking metrics."""

from mlhood.metrics._brier import brier_score_loss
from mlhood.metrics._classification import (
    confusion_matrix,
    f1_score,
    precision_recall_fscore,
    precision_score,
    recall_score,
)
from mlhood.metrics._classification_basic import accuracy_score, log_loss
from mlhood.metrics._ranking import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from mlhood.metrics._regression import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)

__all__: list[str] = [
    "accuracy_score",
    "average_precision_score",
    "brier_score_loss",
    "confusion_matrix",
    "f1_score",
    "log_loss",
    "mean_absolute_error",
    "mean_squared_error",
    "precision_recall_curve",
    "precision_recall_fscore",
    "precision_score",
    "r2_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
    "root_mean_squared_error",
]
