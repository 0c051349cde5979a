"""The explorer's pages, one module per lab: ``PAGES`` maps a lab id to its :class:`Page`."""

from mlhood.explorer._pages import (
    q01_overfitting,
    q02_stuck_loss,
    q03_dropout,
    q04_hyperparameters,
    q05_cross_entropy,
    q06_ab_testing,
    q07_ridge_vs_lasso,
    q08_time_series_cv,
    q09_transfer_learning,
    q10_outliers,
    q11_sgd,
    q12_roc,
    q13_validation_set,
    q14_encoding,
    q15_dimensionality,
)
from mlhood.explorer._spec import Page

_MODULES = (
    q01_overfitting,
    q02_stuck_loss,
    q03_dropout,
    q04_hyperparameters,
    q05_cross_entropy,
    q06_ab_testing,
    q07_ridge_vs_lasso,
    q08_time_series_cv,
    q09_transfer_learning,
    q10_outliers,
    q11_sgd,
    q12_roc,
    q13_validation_set,
    q14_encoding,
    q15_dimensionality,
)

PAGES: dict[str, Page] = {module.PAGE.id: module.PAGE for module in _MODULES}

__all__ = ["PAGES"]
