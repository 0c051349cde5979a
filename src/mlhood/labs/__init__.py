"""The fifteen labs: each interview answer proven with measured numbers.

Every lab is a module ``mlhood.labs.qNN_<slug>`` with one function
``run(*, quick=True, seed=0) -> LabResult``. Each claim names the mistakes
(:mod:`mlhood.mistakes`) that turn it red. :data:`LABS` maps each lab id to its module
name; :func:`load` imports one lab's module and :func:`run_lab` runs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from types import ModuleType

from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.mistakes import applied

LABS: dict[str, str] = {
    "q01": "q01_overfitting",
    "q02": "q02_stuck_loss",
    "q03": "q03_dropout",
    "q04": "q04_hyperparameters",
    "q05": "q05_cross_entropy",
    "q06": "q06_ab_testing",
    "q07": "q07_ridge_vs_lasso",
    "q08": "q08_time_series_cv",
    "q09": "q09_transfer_learning",
    "q10": "q10_outliers",
    "q11": "q11_sgd",
    "q12": "q12_roc",
    "q13": "q13_validation_set",
    "q14": "q14_encoding",
    "q15": "q15_dimensionality",
}

TITLES: dict[str, str] = {
    "q01": "Low bias, high variance: how do you fix it?",
    "q02": "The training loss of a neural net does not move. What do you do?",
    "q03": "How is dropout implemented in the forward and backward pass?",
    "q04": "What is a hyperparameter and how do you find good ones?",
    "q05": "What is cross-entropy loss?",
    "q06": "What is the goal of A/B testing?",
    "q07": "When is Ridge better than Lasso?",
    "q08": "Can K-fold cross-validation be used on time series?",
    "q09": "What is transfer learning?",
    "q10": "How do you handle outliers?",
    "q11": "A disadvantage of stochastic gradient descent?",
    "q12": "What is a ROC curve for?",
    "q13": "Why is a validation set necessary?",
    "q14": "When is one-hot encoding better than label encoding?",
    "q15": "What is the curse of dimensionality?",
}


def load(lab_id: str) -> ModuleType:
    """Import and return the module of lab ``lab_id`` (e.g. ``"q03"``)."""
    if lab_id not in LABS:
        raise ValueError(f"unknown lab id {lab_id!r}; valid ids: {', '.join(LABS)}")
    return importlib.import_module(f"mlhood.labs.{LABS[lab_id]}")


def run_lab(
    lab_id: str, *, quick: bool = True, seed: int = 0, mistakes: Sequence[str] = ()
) -> LabResult:
    """Run lab ``lab_id`` and return its :class:`LabResult`.

    ``mistakes`` are ids from :mod:`mlhood.mistakes`, applied while the lab runs: the
    what-if mode that shows which claims a bug turns red.
    """
    module = load(lab_id)
    with applied(*mistakes):
        return module.run(quick=quick, seed=seed)


__all__ = ["LABS", "TITLES", "Check", "Claim", "LabResult", "load", "run_lab", "timed"]
