"""cross_validate and the curves against scikit-learn's versions on the same folds."""

import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.linear_model import LogisticRegression, Ridge

from mlhood.model_selection import (
    GridSearchCV,
    KFold,
    cross_val_score,
    cross_validate,
    get_scorer,
    learning_curve,
    nested_cross_validate,
    validation_curve,
)
from mlhood.model_selection._validation import outer_fold


def regression_data(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(60, 4))
    return X, X @ [1.0, -2.0, 0.5, 0.0] + 0.5 * rng.normal(size=60)


@pytest.mark.parametrize("scoring", [None, "neg_mean_squared_error", "r2"])
def test_cross_validate_matches_sklearn(scoring):
    X, y = regression_data()
    cv = KFold(5, shuffle=True, random_state=0)
    ours = cross_validate(Ridge(1.0), X, y, cv=cv, scoring=scoring, return_train_score=True)
    theirs = skms.cross_validate(Ridge(1.0), X, y, cv=cv, scoring=scoring, return_train_score=True)
    np.testing.assert_allclose(ours["test_score"], theirs["test_score"], rtol=1e-10)
    np.testing.assert_allclose(ours["train_score"], theirs["train_score"], rtol=1e-10)


def test_classifier_int_cv_is_stratified_like_sklearn():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(50, 3))
    y = (X[:, 0] > 0.3).astype(int)
    ours = cross_val_score(LogisticRegression(), X, y, cv=4, scoring="accuracy")
    theirs = skms.cross_val_score(LogisticRegression(), X, y, cv=4, scoring="accuracy")
    np.testing.assert_allclose(ours, theirs)


def test_validation_and_learning_curves_match_sklearn():
    X, y = regression_data(1)
    alphas = [0.01, 1.0, 100.0]
    ours = validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas, cv=3)
    theirs = skms.validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas, cv=3)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10)
    ours = learning_curve(Ridge(), X, y, train_sizes=[0.3, 0.6, 1.0], cv=3)
    theirs = skms.learning_curve(Ridge(), X, y, train_sizes=[0.3, 0.6, 1.0], cv=3)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_nested_cv_outer_scores_match_manual_loop():
    X, y = regression_data(2)
    search = GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3)
    result = nested_cross_validate(search, X, y, cv=KFold(4))
    for (train, test), score, params in zip(
        KFold(4).split(X), result["test_score"], result["best_params"]
    ):
        inner = skms.GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3)
        inner.fit(X[train], y[train])
        assert inner.best_params_ == params
        assert score == pytest.approx(inner.score(X[test], y[test]))


def test_bad_scoring_and_cv():
    X, y = regression_data()
    with pytest.raises(ValueError, match="scoring"):
        cross_validate(Ridge(), X, y, scoring="nope")
    with pytest.raises(ValueError, match="cv"):
        cross_validate(Ridge(), X, y, cv="five")


def test_outer_fold_tunes_on_the_training_rows_only():
    X, y = regression_data(3)
    search = GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3)
    train, test = np.arange(45), np.arange(45, 60)
    score, inner, params = outer_fold(search, X, y, train, test, get_scorer("r2"))
    oracle = skms.GridSearchCV(Ridge(), {"alpha": [0.01, 1.0, 100.0]}, cv=3).fit(X[:45], y[:45])
    assert params == oracle.best_params_
    assert inner == pytest.approx(oracle.best_score_)
    assert score == pytest.approx(oracle.score(X[45:], y[45:]))
