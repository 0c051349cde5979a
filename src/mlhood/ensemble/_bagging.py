"""Bagging: fit any estimator on random resamples of the rows (and columns), then average.

Algorithm (Breiman, 1996, *Bagging predictors*, Machine Learning 24; *ESL* §8.7). For
``b = 1..B``: draw ``max_samples`` rows (with replacement when ``bootstrap``) and
``max_features`` columns (without replacement), fit a clone of ``estimator`` on them.
Predict with ``f(x) = (1/B) sum_b f_b(x)`` (regression) or the mean of the members'
class probabilities (classification; one-hot votes for members without
``predict_proba``). Averaging lowers the variance of unstable learners such as deep
trees and leaves their bias about unchanged. Rows a member did not draw give each row's
out-of-bag prediction and ``oob_score_``.

``n_jobs`` runs members through joblib with its default (process) backend, since an
arbitrary estimator may hold the GIL; :class:`~mlhood.ensemble.RandomForestClassifier`
is the fast path for trees.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, has_fit_parameter, validate_data

from mlhood._params import FRACTION, Interval, ValidatedParamsMixin
from mlhood._random import check_random_state
from mlhood.ensemble._common import (
    draw_rows,
    oob_classification,
    oob_regression,
    resolve_fraction,
)
from mlhood.tree import DecisionTreeClassifier, DecisionTreeRegressor

_COUNT = Interval(Integral, 1, None, closed="left")


def _fit_member(estimator, X, y, counts, features, seed):
    """Fit a clone on the drawn rows: as integer sample weights when the estimator takes
    them (a row drawn twice weighs 2), else as repeated rows."""
    est = clone(estimator)
    if "random_state" in est.get_params():
        est.set_params(random_state=seed)
    if has_fit_parameter(est, "sample_weight"):
        drawn = np.flatnonzero(counts)
        return est.fit(X[np.ix_(drawn, features)], y[drawn], sample_weight=counts[drawn])
    rows = np.repeat(np.arange(X.shape[0]), counts)
    return est.fit(X[np.ix_(rows, features)], y[rows])


class BaseBagging(ValidatedParamsMixin, BaseEstimator):
    """Shared code; see :class:`BaggingClassifier`."""

    _parameter_constraints = {
        "estimator": ["estimator", None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [_COUNT, FRACTION, None],
        "max_features": [_COUNT, FRACTION, None],
        "bootstrap": ["boolean"],
        "oob_score": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator=None,
        n_estimators=10,
        *,
        max_samples=1.0,
        max_features=1.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit(self, X, y):
        n_estimators = int(self.n_estimators)
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True requires bootstrap=True")
        n_samples, n_features = X.shape
        n_draw = resolve_fraction("max_samples", self.max_samples, n_samples)
        n_cols = resolve_fraction("max_features", self.max_features, n_features)
        base = self.estimator if self.estimator is not None else self._default_estimator()
        rng = check_random_state(self.random_state)
        seeds = rng.randint(0, 2**31 - 1, (n_estimators, 3))
        counts = [draw_rows(s, n_samples, n_draw, self.bootstrap) for s in seeds[:, 0]]
        self.estimators_samples_ = [np.repeat(np.arange(n_samples), c) for c in counts]
        self.estimators_features_ = [
            np.sort(np.random.default_rng(s).permutation(n_features)[:n_cols]) for s in seeds[:, 1]
        ]
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(base, X, y, c, cols, int(s))
            for c, cols, s in zip(counts, self.estimators_features_, seeds[:, 2])
        )
        if self.oob_score:
            total, n_votes = self._oob_sums(X, counts)
            self._set_oob(total, n_votes, y)
        return self

    def _oob_sums(self, X, counts):
        n_samples = X.shape[0]
        total = np.zeros((n_samples, self._n_outputs()))
        n_votes = np.zeros(n_samples, dtype=np.int64)
        for est, cols, c in zip(self.estimators_, self.estimators_features_, counts):
            oob = np.flatnonzero(c == 0)
            if oob.size:
                total[oob] += self._member_output(est, X[np.ix_(oob, cols)])
                n_votes[oob] += 1
        return total, n_votes

    def _mean_output(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        total = np.zeros((X.shape[0], self._n_outputs()))
        for est, cols in zip(self.estimators_, self.estimators_features_):
            total += self._member_output(est, X[:, cols])
        return total / len(self.estimators_)


class BaggingClassifier(ClassifierMixin, BaseBagging):
    """Bagged classifier: mean of the members' class probabilities (Breiman, 1996).

    Parameters
    ----------
    estimator : classifier or None, default=None
        Member model; None uses :class:`~mlhood.tree.DecisionTreeClassifier`.
    n_estimators : int, default=10
        Number of members ``B`` (>= 1).
    max_samples : int or float, default=1.0
        Rows drawn per member (float: fraction of n).
    max_features : int or float, default=1.0
        Columns drawn (without replacement) per member.
    bootstrap : bool, default=True
        Draw rows with replacement.
    oob_score : bool, default=False
        Compute the out-of-bag accuracy.
    n_jobs : int or None, default=None
        Parallel fits through joblib.
    random_state : int, RandomState or None, default=None

    Attributes
    ----------
    estimators_ : list
    estimators_samples_ : list of ndarray
        Rows (with repeats) each member was fit on.
    estimators_features_ : list of ndarray
    classes_ : ndarray
    oob_score_ : float
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)

    Examples
    --------
    >>> from sklearn.datasets import load_wine
    >>> from mlhood.ensemble import BaggingClassifier
    >>> X, y = load_wine(return_X_y=True)
    >>> bag = BaggingClassifier(n_estimators=20, oob_score=True, random_state=0).fit(X, y)
    >>> bool(bag.oob_score_ > 0.85)
    True
    """

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _n_outputs(self) -> int:
        return self.classes_.shape[0]

    def _member_output(self, est, X) -> np.ndarray:
        """Member probabilities placed in the columns of the classes it saw."""
        out = np.zeros((X.shape[0], self.classes_.shape[0]))
        if hasattr(est, "predict_proba"):
            out[:, est.classes_.astype(np.int64)] = est.predict_proba(X)
        else:
            out[np.arange(X.shape[0]), est.predict(X).astype(np.int64)] = 1.0
        return out

    def fit(self, X, y):
        """Fit ``n_estimators`` clones on random resamples of ``(X, y)``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.shape[0]
        return self._fit(X, codes)

    def _set_oob(self, total, n_votes, codes):
        self.oob_decision_function_, self.oob_score_ = oob_classification(total, n_votes, codes)

    def predict_proba(self, X) -> np.ndarray:
        """Mean of the members' class probabilities."""
        return self._mean_output(X)

    def predict(self, X) -> np.ndarray:
        """Most probable class (first in ``classes_`` on a tie)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class BaggingRegressor(RegressorMixin, BaseBagging):
    """Bagged regressor: ``f(x) = (1/B) sum_b f_b(x)`` (Breiman, 1996).

    Parameters
    ----------
    estimator : regressor or None, default=None
        Member model; None uses :class:`~mlhood.tree.DecisionTreeRegressor`.
    n_estimators, max_samples, max_features, bootstrap, oob_score, n_jobs, random_state
        As in :class:`BaggingClassifier`.

    Attributes
    ----------
    estimators_, estimators_samples_, estimators_features_ : list
    oob_score_ : float
        Out-of-bag R^2.
    oob_prediction_ : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from mlhood.ensemble import BaggingRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> bag = BaggingRegressor(n_estimators=20, oob_score=True, random_state=0).fit(X, y)
    >>> bool(0.2 < bag.oob_score_ < 0.6)
    True
    """

    def _default_estimator(self):
        return DecisionTreeRegressor()

    def _n_outputs(self) -> int:
        return 1

    def _member_output(self, est, X) -> np.ndarray:
        return np.asarray(est.predict(X), dtype=np.float64).reshape(-1, 1)

    def fit(self, X, y):
        """Fit ``n_estimators`` clones on random resamples of ``(X, y)``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        return self._fit(X, np.asarray(y, dtype=np.float64))

    def _set_oob(self, total, n_votes, y):
        pred, self.oob_score_ = oob_regression(total[:, 0], n_votes, y)
        self.oob_prediction_ = pred

    def predict(self, X) -> np.ndarray:
        """Mean of the members' predictions."""
        return self._mean_output(X)[:, 0]
