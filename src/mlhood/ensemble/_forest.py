"""Random forests: bootstrap-aggregated CART trees with a random feature subset per split.

Algorithm (Breiman, 2001, *Random Forests*, Machine Learning 45; *ESL* §15.2). For
``b = 1..B``: draw ``n`` rows with replacement, grow an unpruned tree on them, trying only
``max_features`` randomly drawn features at every split. Predict by averaging the trees'
class probabilities (classification) or predictions (regression):
``f(x) = (1/B) sum_b T_b(x)``. Averaging ``B`` trees whose errors have variance
``sigma^2`` and pairwise correlation ``rho`` leaves variance
``rho sigma^2 + (1 - rho) sigma^2 / B``; the feature subsampling lowers ``rho``.

Each row is left out of a bootstrap sample with probability ``(1 - 1/n)^n -> e^{-1}
~ 0.368``; averaging only the trees that did not see a row gives its out-of-bag (OOB)
prediction, an almost free estimate of held-out performance.

Speed: the data are binned once (:mod:`mlhood.tree._binning`) and shared by all trees;
a bootstrap sample is passed as integer row weights, so a tree only visits the ~63% of
distinct rows it drew. Trees grow in the compiled, GIL-free loop of
:mod:`mlhood.tree._grow`, so ``n_jobs`` uses joblib threads (no data copies).
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from mlhood._params import FRACTION, Interval, Options, ValidatedParamsMixin
from mlhood._random import check_random_state
from mlhood.ensemble._common import (
    batches_for_jobs,
    draw_rows,
    oob_classification,
    oob_regression,
    resolve_fraction,
)
from mlhood.tree import DecisionTreeClassifier, DecisionTreeRegressor
from mlhood.tree._binning import bin_features, fit_thresholds
from mlhood.tree._classes import (
    CLASSIFICATION_CRITERIA,
    GROWTH_CONSTRAINTS,
    REGRESSION_CRITERIA,
    criterion_code,
    growth_params,
)
from mlhood.tree._grow import add_tree_values
from mlhood.tree._tree import grow


class BaseForest(ValidatedParamsMixin, BaseEstimator):
    """Shared fitting and prediction code; see :class:`RandomForestClassifier`."""

    _tree_class: type
    _parameter_constraints = {
        **GROWTH_CONSTRAINTS,
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "bootstrap": ["boolean"],
        "oob_score": ["boolean"],
        "n_jobs": [Integral, None],
        "max_samples": [
            Interval(Integral, 1, None, closed="left"),
            FRACTION,
            None,
        ],
    }

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion,
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
        max_samples=None,
        max_bins=255,
    ):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.max_samples = max_samples
        self.max_bins = max_bins

    def _fit(self, X, y, sample_weight, n_classes: int, criterion: int):
        n_estimators = int(self.n_estimators)
        if self.oob_score and not self.bootstrap:
            raise ValueError("oob_score=True requires bootstrap=True")
        weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        if not np.any(weight > 0):
            raise ValueError("sample_weight must have at least one positive entry")
        n_samples, n_features = X.shape
        n_draw = resolve_fraction("max_samples", self.max_samples, n_samples)
        params = growth_params(self, n_samples, n_features)
        thresholds, n_bins = fit_thresholds(X[weight > 0], int(self.max_bins))
        X_binned = bin_features(X, thresholds, n_bins)
        y = np.ascontiguousarray(y, dtype=np.float64)
        seeds = check_random_state(self.random_state).randint(0, 2**31 - 1, (n_estimators, 2))

        def grow_batch(batch):
            trees = []
            for i in batch:
                w = weight * draw_rows(seeds[i, 0], n_samples, n_draw, self.bootstrap)
                rows = np.flatnonzero(w > 0)
                tree = grow(
                    X_binned,
                    thresholds,
                    y,
                    w,
                    rows,
                    n_classes=n_classes,
                    criterion=criterion,
                    params=params,
                    seed=int(seeds[i, 1]),
                )
                trees.append(tree)
            return trees

        batches = batches_for_jobs(n_estimators, self.n_jobs)
        grown = Parallel(n_jobs=len(batches), prefer="threads")(
            delayed(grow_batch)(b) for b in batches
        )
        self._seeds, self._n_draw, self._n_samples = seeds, n_draw, n_samples
        self.max_features_ = params[3]
        self.estimators_ = []
        for trees, batch in zip(grown, batches):
            self.estimators_ += [self._wrap(t, int(seeds[i, 1])) for t, i in zip(trees, batch)]
        if self.oob_score:
            self._set_oob(X, y)
        return self

    def _wrap(self, tree, seed: int):
        """A fitted tree estimator around a grown :class:`Tree` (for ``estimators_``)."""
        est = self._tree_class(
            criterion=self.criterion,
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            max_features=self.max_features,
            max_bins=self.max_bins,
            random_state=seed,
        )
        est.tree_ = tree
        est.n_features_in_ = self.n_features_in_
        est.max_features_ = self.max_features_
        if hasattr(self, "classes_"):
            est.classes_, est.n_classes_ = self.classes_, self.n_classes_
        return est

    def _sum_tree_values(self, X: np.ndarray, n_values: int) -> np.ndarray:
        """``sum_b T_b(x)`` over all trees, batches of trees summed in parallel threads."""

        def add_batch(batch):
            out = np.zeros((X.shape[0], n_values))
            for i in batch:
                t = self.estimators_[i].tree_
                add_tree_values(
                    X, t.children_left, t.children_right, t.feature, t.threshold, t.value, out
                )
            return out

        batches = batches_for_jobs(len(self.estimators_), self.n_jobs)
        parts = Parallel(n_jobs=len(batches), prefer="threads")(
            delayed(add_batch)(b) for b in batches
        )
        return np.sum(parts, axis=0)

    def _oob_sums(self, X: np.ndarray, n_values: int) -> tuple[np.ndarray, np.ndarray]:
        """Sum of out-of-bag tree outputs per row, and how many trees each row was OOB for."""
        n_samples = X.shape[0]
        total = np.zeros((n_samples, n_values))
        n_votes = np.zeros(n_samples, dtype=np.int64)
        for est, seed in zip(self.estimators_, self._seeds[:, 0]):
            oob = np.flatnonzero(draw_rows(seed, n_samples, self._n_draw, True) == 0)
            part = np.zeros((oob.size, n_values))
            t = est.tree_
            add_tree_values(
                X[oob], t.children_left, t.children_right, t.feature, t.threshold, t.value, part
            )
            total[oob] += part
            n_votes[oob] += 1
        return total, n_votes

    def _check_X(self, X) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, dtype=np.float64, order="C", reset=False)

    def apply(self, X) -> np.ndarray:
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        X = self._check_X(X)
        return np.column_stack([est.tree_.apply(X) for est in self.estimators_])

    @property
    def estimators_samples_(self) -> list[np.ndarray]:
        """Rows drawn for each tree (with repeats under bootstrap), recomputed from seeds."""
        check_is_fitted(self)
        n = self._n_samples
        return [
            np.repeat(np.arange(n), draw_rows(seed, n, self._n_draw, self.bootstrap))
            for seed in self._seeds[:, 0]
        ]

    @property
    def feature_importances_(self) -> np.ndarray:
        """Mean over trees of each tree's normalised impurity decrease."""
        check_is_fitted(self)
        imp = np.mean([est.feature_importances_ for est in self.estimators_], axis=0)
        total = imp.sum()
        return imp / total if total > 0 else imp


class RandomForestClassifier(ClassifierMixin, BaseForest):
    """Random forest of CART classification trees (Breiman, 2001).

    Prediction averages the trees' leaf class frequencies,
    ``p(k|x) = (1/B) sum_b p_b(k|x)``, and returns the most probable class.

    Parameters
    ----------
    n_estimators : int, default=100
        Number of trees ``B`` (>= 1).
    criterion : {"gini", "entropy", "log_loss"}, default="gini"
    max_depth, min_samples_split, min_samples_leaf : as in the trees
    max_features : int, float, "sqrt", "log2" or None, default="sqrt"
        Features tried at each split.
    bootstrap : bool, default=True
        Draw each tree's rows with replacement; otherwise use ``max_samples`` distinct rows.
    oob_score : bool, default=False
        Compute the out-of-bag accuracy ``oob_score_``.
    n_jobs : int or None, default=None
        Threads used to grow and to predict (joblib; -1 = all cores).
    random_state : int, RandomState or None, default=None
        Same value => identical forest.
    max_samples : int, float or None, default=None
        Rows drawn per tree (None = n).
    max_bins : int, default=255
        Histogram bins per feature.

    Attributes
    ----------
    estimators_ : list of DecisionTreeClassifier
    estimators_samples_ : list of ndarray
        Rows each tree was grown on (with repeats).
    classes_ : ndarray
    n_classes_ : int
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
        Accuracy of the out-of-bag predictions (only with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities (NaN for a row never out of bag).

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from mlhood.ensemble import RandomForestClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> rf = RandomForestClassifier(50, oob_score=True, random_state=0).fit(X, y)
    >>> bool(rf.oob_score_ > 0.9)
    True
    """

    _tree_class = DecisionTreeClassifier
    _parameter_constraints = {
        **BaseForest._parameter_constraints,
        "criterion": [Options(CLASSIFICATION_CRITERIA)],
    }

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="gini",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features="sqrt",
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
        max_samples=None,
        max_bins=255,
    ):
        super().__init__(
            n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            max_samples=max_samples,
            max_bins=max_bins,
        )

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees on bootstrap samples of ``(X, y)``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, codes = np.unique(y, return_inverse=True)
        self.n_classes_ = self.classes_.shape[0]
        code = criterion_code(self.criterion, CLASSIFICATION_CRITERIA)
        return self._fit(X, codes, sample_weight, self.n_classes_, code)

    def _set_oob(self, X, y):
        total, n_votes = self._oob_sums(X, self.n_classes_)
        self.oob_decision_function_, self.oob_score_ = oob_classification(
            total, n_votes, y.astype(np.int64)
        )

    def predict_proba(self, X) -> np.ndarray:
        """Mean of the trees' class probabilities."""
        X = self._check_X(X)
        return self._sum_tree_values(X, self.n_classes_) / len(self.estimators_)

    def predict(self, X) -> np.ndarray:
        """Most probable class (first in ``classes_`` on a tie)."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class RandomForestRegressor(RegressorMixin, BaseForest):
    """Random forest of CART regression trees (Breiman, 2001): ``f(x) = (1/B) sum_b T_b(x)``.

    Parameters
    ----------
    n_estimators, criterion, max_depth, min_samples_split, min_samples_leaf, bootstrap,
    oob_score, n_jobs, random_state, max_samples, max_bins
        As in :class:`RandomForestClassifier` (criterion: "squared_error").
    max_features : int, float, "sqrt", "log2" or None, default=1.0
        Features tried at each split (1.0 = all, scikit-learn's default for regression).

    Attributes
    ----------
    estimators_ : list of DecisionTreeRegressor
    n_features_in_ : int
    feature_importances_ : ndarray of shape (n_features,)
    oob_score_ : float
        R^2 of the out-of-bag predictions (only with ``oob_score=True``).
    oob_prediction_ : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from mlhood.ensemble import RandomForestRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> rf = RandomForestRegressor(50, oob_score=True, random_state=0).fit(X, y)
    >>> bool(0.3 < rf.oob_score_ < 0.6)
    True
    """

    _tree_class = DecisionTreeRegressor
    _parameter_constraints = {
        **BaseForest._parameter_constraints,
        "criterion": [Options(REGRESSION_CRITERIA)],
    }

    def __init__(
        self,
        n_estimators=100,
        *,
        criterion="squared_error",
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        max_features=1.0,
        bootstrap=True,
        oob_score=False,
        n_jobs=None,
        random_state=None,
        max_samples=None,
        max_bins=255,
    ):
        super().__init__(
            n_estimators,
            criterion=criterion,
            max_depth=max_depth,
            min_samples_split=min_samples_split,
            min_samples_leaf=min_samples_leaf,
            max_features=max_features,
            bootstrap=bootstrap,
            oob_score=oob_score,
            n_jobs=n_jobs,
            random_state=random_state,
            max_samples=max_samples,
            max_bins=max_bins,
        )

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees on bootstrap samples of ``(X, y)``."""
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=np.float64, order="C", y_numeric=True)
        code = criterion_code(self.criterion, REGRESSION_CRITERIA)
        return self._fit(X, y, sample_weight, 0, code)

    def _set_oob(self, X, y):
        total, n_votes = self._oob_sums(X, 1)
        pred, self.oob_score_ = oob_regression(total[:, 0], n_votes, y)
        self.oob_prediction_ = pred

    def predict(self, X) -> np.ndarray:
        """Mean of the trees' predictions."""
        X = self._check_X(X)
        return self._sum_tree_values(X, 1)[:, 0] / len(self.estimators_)
