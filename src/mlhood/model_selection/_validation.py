"""Cross-validation and the curves built on it: validation curve, learning curve, nested CV.

K-fold estimate of generalisation score: with folds F_1..F_k,
``CV = (1/k) sum_i score(model fit on all rows outside F_i, rows in F_i)``
(Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, section 7.10).
Each (fit, score) job is independent, so they run through ``joblib.Parallel`` -- under
``joblib.parallel_config(backend="dask")`` they run on a Dask cluster.
"""

from __future__ import annotations

import time
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils.validation import _num_samples, indexable

from mlhood._params import Interval, validate_params
from mlhood.model_selection._scoring import get_scorer, resolve_cv
from mlhood.model_selection._split import _take

# The cross-validation settings shared by every function here and by the searches.
CV_CONSTRAINTS = {
    "scoring": [str, callable, None],
    "cv": [Interval(Integral, 2, None, closed="left"), "cv_object", None],
    "n_jobs": [Integral, None],
}


def fit_and_score(estimator, X, y, train, test, scorer, params=None, train_score=False):
    """Clone ``estimator``, set ``params``, fit on ``train`` rows, score on ``test`` rows.

    Returns a dict with ``test_score``, ``fit_time``, ``score_time`` and, when asked,
    ``train_score``.
    """
    model = clone(estimator)
    if params:
        model.set_params(**params)
    X_train, X_test = _take(X, train), _take(X, test)
    y_train = None if y is None else _take(y, train)
    y_test = None if y is None else _take(y, test)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    fitted = time.perf_counter()
    result = {"test_score": float(scorer(model, X_test, y_test))}
    result["fit_time"] = fitted - start
    result["score_time"] = time.perf_counter() - fitted
    if train_score:
        result["train_score"] = float(scorer(model, X_train, y_train))
    return result


@validate_params({"estimator": ["estimator"], **CV_CONSTRAINTS, "return_train_score": ["boolean"]})
def cross_validate(
    estimator, X, y=None, *, scoring=None, cv=5, n_jobs=None, return_train_score=False, groups=None
):
    """Fit and score ``estimator`` once per fold of ``cv``.

    Parameters
    ----------
    estimator : estimator
        Cloned for every fold; the original is never fitted.
    X, y : array-like
    scoring : None, str or callable
        None uses ``estimator.score``; names: accuracy, neg_mean_squared_error,
        neg_mean_absolute_error, r2; or ``callable(estimator, X, y)``.
    cv : int, splitter or iterable of (train, test)
        int -> StratifiedKFold for classifiers, KFold otherwise.
    n_jobs : int or None
        Folds run in parallel through joblib.
    return_train_score : bool
    groups : array-like or None
        Passed to ``cv.split``.

    Returns
    -------
    dict of arrays
        ``test_score``, ``fit_time``, ``score_time`` (and ``train_score``), one per fold.

    Examples
    --------
    >>> from mlhood.linear_model import LinearRegression
    >>> X = np.arange(20.0).reshape(-1, 1); y = 2 * X.ravel()
    >>> cross_validate(LinearRegression(), X, y, cv=4)["test_score"].round(6).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """
    X, y, groups = indexable(X, y, groups)
    splitter = resolve_cv(cv, estimator, y)
    scorer = get_scorer(scoring)
    jobs = (
        delayed(fit_and_score)(estimator, X, y, train, test, scorer, None, return_train_score)
        for train, test in splitter.split(X, y, groups)
    )
    results = Parallel(n_jobs=n_jobs)(jobs)
    return {key: np.array([r[key] for r in results]) for key in results[0]}


@validate_params({"estimator": ["estimator"], **CV_CONSTRAINTS})
def cross_val_score(estimator, X, y=None, *, scoring=None, cv=5, n_jobs=None, groups=None):
    """Test score of every fold (see :func:`cross_validate`)."""
    return cross_validate(estimator, X, y, scoring=scoring, cv=cv, n_jobs=n_jobs, groups=groups)[
        "test_score"
    ]


@validate_params(
    {
        "estimator": ["estimator"],
        "param_name": [str],
        "param_range": ["array-like"],
        **CV_CONSTRAINTS,
    }
)
def validation_curve(estimator, X, y, *, param_name, param_range, scoring=None, cv=5, n_jobs=None):
    """Train and validation scores for each value of one hyperparameter.

    Returns
    -------
    train_scores, test_scores : ndarray of shape (len(param_range), n_folds)

    Examples
    --------
    >>> from mlhood.linear_model import Ridge
    >>> X = np.random.RandomState(0).normal(size=(30, 3)); y = X @ [1.0, 2.0, 3.0]
    >>> tr, te = validation_curve(Ridge(), X, y, param_name="alpha", param_range=[0.1, 10], cv=3)
    >>> tr.shape, bool(te[0].mean() > te[1].mean())
    ((2, 3), True)
    """
    X, y = indexable(X, y)
    splitter = resolve_cv(cv, estimator, y)
    scorer = get_scorer(scoring)
    folds = list(splitter.split(X, y))
    jobs = (
        delayed(fit_and_score)(estimator, X, y, tr, te, scorer, {param_name: value}, True)
        for value in param_range
        for tr, te in folds
    )
    results = Parallel(n_jobs=n_jobs)(jobs)
    shape = (len(param_range), len(folds))
    train = np.array([r["train_score"] for r in results]).reshape(shape)
    test = np.array([r["test_score"] for r in results]).reshape(shape)
    return train, test


@validate_params({"estimator": ["estimator"], "train_sizes": ["array-like"], **CV_CONSTRAINTS})
def learning_curve(
    estimator, X, y, *, train_sizes=(0.1, 0.325, 0.55, 0.775, 1.0), scoring=None, cv=5, n_jobs=None
):
    """Train and validation scores as the training set grows.

    For each fold and each size ``m``, the model is fit on the first ``m`` rows of that
    fold's training indices and scored on the fold's test rows.

    Returns
    -------
    train_sizes_abs : ndarray of int
    train_scores, test_scores : ndarray of shape (n_sizes, n_folds)
    """
    X, y = indexable(X, y)
    splitter = resolve_cv(cv, estimator, y)
    scorer = get_scorer(scoring)
    folds = list(splitter.split(X, y))
    n_train = min(len(tr) for tr, _ in folds)
    sizes = np.asarray(train_sizes)
    if sizes.size == 0:
        raise ValueError("train_sizes must not be empty")
    if np.issubdtype(sizes.dtype, np.floating):
        if np.any((sizes <= 0) | (sizes > 1)):
            raise ValueError("float train_sizes must be fractions in (0, 1]")
        sizes = np.maximum(1, np.floor(sizes * n_train)).astype(int)
    elif np.any((sizes < 1) | (sizes > n_train)):
        raise ValueError(f"int train_sizes must be in [1, {n_train}]")
    sizes = np.unique(sizes)
    jobs = (
        delayed(fit_and_score)(estimator, X, y, tr[:m], te, scorer, None, True)
        for m in sizes
        for tr, te in folds
    )
    results = Parallel(n_jobs=n_jobs)(jobs)
    shape = (sizes.size, len(folds))
    train = np.array([r["train_score"] for r in results]).reshape(shape)
    test = np.array([r["test_score"] for r in results]).reshape(shape)
    return sizes, train, test


def outer_fold(search, X, y, train, test, scorer) -> tuple[float, float, dict]:
    """One outer fold of nested CV: tune ``search`` on the ``train`` rows only, score on ``test``.

    Returns ``(outer test score, inner best score, best params)``.

    Examples
    --------
    >>> from mlhood.linear_model import Ridge
    >>> from mlhood.model_selection import GridSearchCV, get_scorer
    >>> X = np.arange(40.0).reshape(20, 2); y = X @ [1.0, 2.0]
    >>> search = GridSearchCV(Ridge(), {"alpha": [1e-6, 1e3]}, cv=3)
    >>> score, inner, params = outer_fold(
    ...     search, X, y, np.arange(15), np.arange(15, 20), get_scorer("r2"))
    >>> params
    {'alpha': 1e-06}
    """
    model = clone(search).fit(_take(X, train), None if y is None else _take(y, train))
    score = scorer(model, _take(X, test), None if y is None else _take(y, test))
    return float(score), float(model.best_score_), model.best_params_


@validate_params({"search": ["estimator"], **CV_CONSTRAINTS})
def nested_cross_validate(search, X, y=None, *, cv=5, scoring=None, n_jobs=None):
    """Nested cross-validation: an honest score for "tune, then fit".

    The outer loop splits off a test fold; ``search`` (any estimator that tunes itself in
    ``fit``, e.g. :class:`GridSearchCV` with its own inner ``cv``) is fit on the outer
    training rows only and scored on the outer test fold. The inner best score is an
    optimistic estimate (the maximum over candidates of noisy scores); the outer scores
    are not (Varma & Simon 2006; Cawley & Talbot 2010).

    Returns
    -------
    dict
        ``test_score`` (outer fold scores), ``inner_best_score`` (the search's
        ``best_score_`` in each outer fold) and ``best_params`` (list of dicts).
    """
    X, y = indexable(X, y)
    splitter = resolve_cv(cv, search, y)
    scorer = get_scorer(scoring)
    results = Parallel(n_jobs=n_jobs)(
        delayed(outer_fold)(search, X, y, tr, te, scorer) for tr, te in splitter.split(X, y)
    )
    if _num_samples(X) == 0:
        raise ValueError("X is empty")
    return {
        "test_score": np.array([r[0] for r in results]),
        "inner_best_score": np.array([r[1] for r in results]),
        "best_params": [r[2] for r in results],
    }
