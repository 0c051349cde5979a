"""Regression, classification and ranking metrics."""

from mlhood.metrics._brier import brier_score_loss
from mlhood.metrics._classification import (
    confusion_matrix,
    f1_score,
    precision_recall_fscore,
    precision_score,
    recall_score,
)
from mlhood.metrics._ranking import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

__all__: list[str] = [
    "average_precision_score",
    "brier_score_loss",
    "confusion_matrix",
    "f1_score",
    "precision_recall_curve",
    "precision_recall_fscore",
    "precision_score",
    "recall_score",
    "roc_auc_score",
    "roc_curve",
]
