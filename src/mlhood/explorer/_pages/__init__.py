"""The explorer's pages, one module per lab: ``PAGES`` maps a lab id to its :class:`Page`."""

from mlhood.explorer._pages import q01_overfitting, q03_dropout, q05_cross_entropy, q12_roc
from mlhood.explorer._spec import Page

_MODULES = (q01_overfitting, q03_dropout, q05_cross_entropy, q12_roc)

PAGES: dict[str, Page] = {module.PAGE.id: module.PAGE for module in _MODULES}

__all__ = ["PAGES"]
