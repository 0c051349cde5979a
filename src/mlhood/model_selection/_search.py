"""Hyperparameter search estimators: grid, random and Bayesian, with cross-validated scores.

Each candidate (one setting of the hyperparameters) is one trial of the engine behind
:func:`minimize`: it is scored by K-fold cross-validation on fixed folds and its value is
the negative mean test score. Trials run in parallel through joblib and can be journaled
to SQLite (``journal=``) so an interrupted search resumes. After the search the best
candidate (highest mean test score, first one on ties, like scikit-learn) is refit on
all the data when ``refit=True``.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping
from numbers import Integral
from os import PathLike

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from mlhood._params import Interval, ValidatedParamsMixin
from mlhood.model_selection._minimize import run_trials
from mlhood.model_selection._scoring import get_scorer, resolve_cv
from mlhood.model_selection._space import Categorical, Space
from mlhood.model_selection._validation import CV_CONSTRAINTS, fit_and_score


def parameter_grid(param_grid) -> list[dict]:
    """Every combination of a grid (dict or list of dicts), in scikit-learn's order.

    Keys are sorted; the last key varies fastest; dicts of a list follow one another.

    Examples
    --------
    >>> parameter_grid({"b": [1, 2], "a": ["x"]})
    [{'a': 'x', 'b': 1}, {'a': 'x', 'b': 2}]
    """
    grids = [param_grid] if isinstance(param_grid, Mapping) else list(param_grid)
    if not grids:
        raise ValueError("param_grid is empty: give at least one dict of parameter lists")
    candidates = []
    for grid in grids:
        if not isinstance(grid, Mapping):
            raise TypeError(f"param_grid must be a dict or a list of dicts, got {grid!r}")
        if not grid:
            raise ValueError("param_grid has an empty dict: give at least one parameter")
        keys = sorted(grid)
        for key in keys:
            values = grid[key]
            if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
                raise TypeError(f"param_grid[{key!r}] must be a list of values, got {values!r}")
            if len(list(values)) == 0:
                raise ValueError(f"param_grid[{key!r}] is empty")
        for combo in itertools.product(*(list(grid[k]) for k in keys)):
            candidates.append(dict(zip(keys, combo)))
    return candidates


def rank_scores(mean_scores) -> np.ndarray:
    """Rank 1 for the highest mean score (scores: greater is better), ties share a rank.

    ``rank_i = 1 + #{j : s_j > s_i}`` with NaN scores ranked last, as scikit-learn's
    ``rank_test_score``.

    Examples
    --------
    >>> rank_scores([0.5, 0.9, np.nan, 0.9]).tolist()
    [3, 1, 4, 1]
    """
    try:
        means = np.asarray(mean_scores, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"mean_scores must be numbers, got {mean_scores!r}") from error
    if means.ndim != 1:
        raise ValueError(f"mean_scores must be 1-D, got shape {means.shape}")
    means = np.where(np.isnan(means), -np.inf, means)
    return (1 + np.sum(means[None, :] > means[:, None], axis=1)).astype(np.int32)


class _CVObjective:
    """One trial = one candidate scored by K-fold CV; one part = one fold.

    The value to minimise is the negative mean test score over the folds.
    """

    def __init__(self, estimator, X, y, folds, scorer, return_train_score, to_params):
        self.estimator, self.X, self.y, self.folds = estimator, X, y, folds
        self.scorer, self.return_train_score = scorer, return_train_score
        self.to_params = to_params
        self.n_parts = len(folds)

    def part(self, point, k: int) -> dict:
        train, test = self.folds[k]
        return fit_and_score(
            self.estimator,
            self.X,
            self.y,
            train,
            test,
            self.scorer,
            self.to_params(point),
            self.return_train_score,
        )

    def combine(self, point, runs: list[dict]):
        info = {key: [r[key] for r in runs] for key in runs[0]}
        mean = float(np.mean(info["test_score"]))
        return (-mean if math.isfinite(mean) else math.nan), info

    def __call__(self, point):
        return self.combine(point, [self.part(point, k) for k in range(self.n_parts)])


def _named_space(spec, argument: str, budget: int):
    """Space of a dict name -> dimension, and the point -> params-dict mapping."""
    if not isinstance(spec, Mapping):
        raise TypeError(f"{argument} must be a dict name -> dimension, got {spec!r}")
    space = Space(spec)
    return space, lambda point: dict(zip(space.names, point)), budget, ""


def _estimator_has(attribute):
    def check(self):
        if hasattr(self, "best_estimator_"):
            return hasattr(self.best_estimator_, attribute)
        return hasattr(self.estimator, attribute)

    return check


_POSITIVE_INT = Interval(Integral, 1, None, closed="left")
# The parameters every search shares; each subclass adds its space and budget.
SEARCH_CONSTRAINTS = {
    "estimator": ["estimator"],
    **CV_CONSTRAINTS,
    "refit": ["boolean"],
    "return_train_score": ["boolean"],
    "journal": [str, PathLike, None],
}


class BaseSearchCV(ValidatedParamsMixin, MetaEstimatorMixin, BaseEstimator):
    """Shared fit/predict logic; subclasses say which candidates to try."""

    _method = "grid"

    def _space_and_params(self):
        raise NotImplementedError

    def fit(self, X, y=None, groups=None):
        """Search the candidates by cross-validation, then refit the best on all data."""
        self._validate_params()
        X, y, groups = indexable(X, y, groups)
        space, to_params, budget, tag = self._space_and_params()
        splitter = resolve_cv(self.cv, self.estimator, y)
        folds = list(splitter.split(X, y, groups))
        self.scorer_ = get_scorer(self.scoring)
        objective = _CVObjective(
            self.estimator, X, y, folds, self.scorer_, self.return_train_score, to_params
        )
        result = run_trials(
            objective,
            space,
            n_trials=budget,
            method=self._method,
            random_state=getattr(self, "random_state", None),
            n_jobs=self.n_jobs,
            journal=self.journal,
            n_initial=getattr(self, "n_initial", None),
            tag=f"{type(self).__name__}:{type(self.estimator).__name__}:"
            f"{self.scoring!r}:{len(folds)} folds:{tag}",
        )
        self.trials_ = result.trials
        self.n_splits_ = len(folds)
        self.cv_results_ = self._results(
            [to_params(t.params) for t in result.trials], [t.info for t in result.trials]
        )
        self.best_index_ = int(np.argmin(self.cv_results_["rank_test_score"]))
        self.best_score_ = float(self.cv_results_["mean_test_score"][self.best_index_])
        self.best_params_ = self.cv_results_["params"][self.best_index_]
        if self.refit:
            start = time.perf_counter()
            self.best_estimator_ = clone(self.estimator).set_params(**self.best_params_)
            self.best_estimator_.fit(X, y)
            self.refit_time_ = time.perf_counter() - start
        return self

    def _results(self, params: list[dict], infos: list[dict]) -> dict:
        results: dict = {"params": params}
        for name in sorted({k for p in params for k in p}):
            column = np.ma.masked_all(len(params), dtype=object)
            for i, p in enumerate(params):
                if name in p:
                    column[i] = p[name]
            results[f"param_{name}"] = column
        keys = ["fit_time", "score_time", "test_score"]
        if self.return_train_score:
            keys.append("train_score")
        for key in keys:
            table = np.array([info[key] for info in infos], dtype=float)
            if key.endswith("score"):
                for split in range(table.shape[1]):
                    results[f"split{split}_{key}"] = table[:, split]
            results[f"mean_{key}"] = table.mean(axis=1)
            results[f"std_{key}"] = table.std(axis=1)
        results["rank_test_score"] = rank_scores(results["mean_test_score"])
        return results

    @property
    def n_features_in_(self):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.n_features_in_

    @property
    def classes_(self):
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_.classes_

    def _best(self):
        if not self.refit:
            raise AttributeError("refit=False: there is no best_estimator_ to predict with")
        check_is_fitted(self, "best_estimator_")
        return self.best_estimator_

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        return self._best().predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        return self._best().predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        return self._best().predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        return self._best().decision_function(X)

    @available_if(_estimator_has("transform"))
    def transform(self, X):
        return self._best().transform(X)

    def score(self, X, y=None):
        """The search's scorer applied to the refit best estimator."""
        return float(get_scorer(self.scoring)(self._best(), X, y))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.input_tags.pairwise = inner.input_tags.pairwise
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        return tags


class GridSearchCV(BaseSearchCV):
    """Exhaustive search over a grid of parameter values, scored by cross-validation.

    Parameters
    ----------
    estimator : estimator
    param_grid : dict of lists, or list of such dicts
        Every combination is tried, in scikit-learn's order.
    scoring : None, str or callable
        None uses ``estimator.score`` (see :func:`mlhood.model_selection.get_scorer`).
    cv : int, splitter or iterable, default=5
    n_jobs : int or None
        Candidates evaluated in parallel through joblib.
    refit : bool, default=True
    return_train_score : bool, default=False
    journal : str, path or None
        SQLite file of finished candidates; rerunning resumes.

    Attributes
    ----------
    cv_results_ : dict of arrays
    best_index_, best_score_, best_params_, best_estimator_, n_splits_, scorer_, trials_

    Examples
    --------
    >>> from mlhood.linear_model import Ridge
    >>> X = np.arange(24.0).reshape(12, 2); y = X @ [1.0, -1.0]
    >>> s = GridSearchCV(Ridge(), {"alpha": [1e-6, 1e3]}, cv=3).fit(X, y)
    >>> s.best_params_
    {'alpha': 1e-06}
    """

    _method = "grid"
    _parameter_constraints = {**SEARCH_CONSTRAINTS, "param_grid": [dict, list]}

    def __init__(
        self,
        estimator,
        param_grid,
        *,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=5,
        return_train_score=False,
        journal=None,
    ):
        self.estimator = estimator
        self.param_grid = param_grid
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.return_train_score = return_train_score
        self.journal = journal

    def _space_and_params(self):
        candidates = parameter_grid(self.param_grid)
        space = Space({"candidate": Categorical(list(range(len(candidates))))})
        return space, lambda point: dict(candidates[point[0]]), len(candidates), repr(candidates)


class RandomizedSearchCV(BaseSearchCV):
    """Random search: ``n_iter`` independent draws from the parameter distributions.

    Parameters
    ----------
    estimator : estimator
    param_distributions : dict
        name -> :class:`Real`, :class:`Integer`, :class:`Categorical`, a list of values
        (uniform choice) or a frozen ``scipy.stats`` distribution.
    n_iter : int, default=10
    random_state : int, RandomState or None
        Candidate ``i`` is drawn from ``numpy.random.default_rng([seed, i])``.
    scoring, n_jobs, refit, cv, return_train_score, journal
        As in :class:`GridSearchCV`.
    """

    _method = "random"
    _parameter_constraints = {
        **SEARCH_CONSTRAINTS,
        "param_distributions": [dict],
        "n_iter": [_POSITIVE_INT],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        param_distributions,
        *,
        n_iter=10,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=5,
        random_state=None,
        return_train_score=False,
        journal=None,
    ):
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.n_iter = n_iter
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.random_state = random_state
        self.return_train_score = return_train_score
        self.journal = journal

    def _space_and_params(self):
        return _named_space(self.param_distributions, "param_distributions", self.n_iter)


class BayesSearchCV(BaseSearchCV):
    """Bayesian search: a Gaussian process of CV score given the hyperparameters picks each
    next candidate by log expected improvement (see :func:`minimize` with
    ``method="bayes"``).

    Parameters
    ----------
    estimator : estimator
    search_spaces : dict
        name -> :class:`Real`, :class:`Integer`, :class:`Categorical` or a list of values.
    n_iter : int, default=30
    n_initial : int or None
        Sobol candidates before the GP takes over.
    random_state : int, RandomState or None
    scoring, n_jobs, refit, cv, return_train_score, journal
        As in :class:`GridSearchCV`. With ``n_jobs > 1`` candidates are proposed in
        batches of ``n_jobs``.
    """

    _method = "bayes"
    _parameter_constraints = {
        **SEARCH_CONSTRAINTS,
        "search_spaces": [dict],
        "n_iter": [_POSITIVE_INT],
        "n_initial": [_POSITIVE_INT, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        search_spaces,
        *,
        n_iter=30,
        n_initial=None,
        scoring=None,
        n_jobs=None,
        refit=True,
        cv=5,
        random_state=None,
        return_train_score=False,
        journal=None,
    ):
        self.estimator = estimator
        self.search_spaces = search_spaces
        self.n_iter = n_iter
        self.n_initial = n_initial
        self.scoring = scoring
        self.n_jobs = n_jobs
        self.refit = refit
        self.cv = cv
        self.random_state = random_state
        self.return_train_score = return_train_score
        self.journal = journal

    def _space_and_params(self):
        return _named_space(self.search_spaces, "search_spaces", self.n_iter)
