"""Scorers (greater is better) and the ``cv=`` argument resolver shared by CV and searches.

A scorer is ``scorer(estimator, X, y) -> float``. ``scoring=None`` uses the estimator's
own ``score``; a few common names are built in; any callable is accepted.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.multiclass import type_of_target

from mlhood._params import Interval, validate_params
from mlhood.model_selection._split import KFold, StratifiedKFold


def _accuracy(estimator, X, y) -> float:
    return float(np.mean(estimator.predict(X) == np.asarray(y)))


def _neg_mse(estimator, X, y) -> float:
    return -float(np.mean((estimator.predict(X) - np.asarray(y, dtype=float)) ** 2))


def _neg_mae(estimator, X, y) -> float:
    return -float(np.mean(np.abs(estimator.predict(X) - np.asarray(y, dtype=float))))


def _r2(estimator, X, y) -> float:
    y = np.asarray(y, dtype=float)
    residual = np.sum((y - estimator.predict(X)) ** 2)
    total = np.sum((y - y.mean()) ** 2)
    return float(1.0 - residual / total) if total > 0 else 0.0


def _own_score(estimator, X, y) -> float:
    return float(estimator.score(X, y))


SCORERS = {
    "accuracy": _accuracy,
    "neg_mean_squared_error": _neg_mse,
    "neg_mean_absolute_error": _neg_mae,
    "r2": _r2,
}


def get_scorer(scoring):
    """Return a callable ``scorer(estimator, X, y)`` for ``scoring`` (None, name or callable)."""
    if scoring is None:
        return _own_score
    if callable(scoring):
        return scoring
    if isinstance(scoring, str) and scoring in SCORERS:
        return SCORERS[scoring]
    raise ValueError(
        f"scoring must be None, a callable(estimator, X, y) or one of {sorted(SCORERS)}, "
        f"got {scoring!r}"
    )


class _FixedSplits:
    """Wrap an iterable of (train, test) pairs so it can be split more than once."""

    def __init__(self, pairs):
        self.pairs = [(np.asarray(tr), np.asarray(te)) for tr, te in pairs]

    def split(self, X=None, y=None, groups=None):
        yield from self.pairs

    def get_n_splits(self, X=None, y=None, groups=None):
        return len(self.pairs)


@validate_params(
    {
        "cv": [Interval(numbers.Integral, 2, None, closed="left"), "cv_object", None],
        "classifier": ["boolean"],
    }
)
def check_cv(cv=5, y=None, classifier: bool = False):
    """Turn ``cv`` into a splitter: int -> (Stratified)KFold, splitter as is, or pairs.

    An int gives ``StratifiedKFold`` for a classifier on binary/multiclass ``y`` (as in
    scikit-learn), otherwise ``KFold``.
    """
    if cv is None:
        cv = 5
    if isinstance(cv, numbers.Integral) and not isinstance(cv, bool):
        if classifier and y is not None and type_of_target(y) in ("binary", "multiclass"):
            return StratifiedKFold(int(cv))
        return KFold(int(cv))
    if hasattr(cv, "split") and hasattr(cv, "get_n_splits"):
        return cv
    if hasattr(cv, "__iter__") and not isinstance(cv, (str, bytes)):
        return _FixedSplits(cv)
    raise ValueError(
        f"cv must be an int, a splitter with split/get_n_splits or an iterable "
        f"of (train, test) index pairs, got {cv!r}"
    )


def resolve_cv(cv, estimator, y):
    """``check_cv`` with the classifier flag read from ``estimator``."""
    return check_cv(cv, y, classifier=is_classifier(estimator))
