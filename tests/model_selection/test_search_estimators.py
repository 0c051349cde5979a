"""GridSearchCV against scikit-learn; Randomized/Bayes search behaviour; estimator checks."""

import numpy as np
import pytest
import sklearn.model_selection as skms
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import rankdata
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.model_selection import (
    BayesSearchCV,
    Categorical,
    GridSearchCV,
    Integer,
    KFold,
    RandomizedSearchCV,
    Real,
    parameter_grid,
)
from mlhood.model_selection._search import rank_scores


def regression_data(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(80, 6))
    return X, X @ rng.normal(size=6) + 1.5 * rng.normal(size=80)


def classification_data(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(90, 4))
    return X, (X[:, 0] + 0.8 * rng.normal(size=90) > 0).astype(int)


def test_parameter_grid_order_matches_sklearn():
    grid = [{"b": [1, 2], "a": ["x", "y"], "c": [0.5]}, {"a": ["z"]}]
    assert parameter_grid(grid) == list(skms.ParameterGrid(grid))


@pytest.mark.parametrize("return_train_score", [False, True])
def test_grid_search_matches_sklearn_regression(return_train_score):
    X, y = regression_data()
    grid = {"alpha": np.logspace(-3, 3, 9).tolist(), "fit_intercept": [True, False]}
    cv = KFold(4, shuffle=True, random_state=1)
    ours = GridSearchCV(
        Ridge(),
        grid,
        cv=cv,
        scoring="neg_mean_squared_error",
        return_train_score=return_train_score,
    ).fit(X, y)
    theirs = skms.GridSearchCV(
        Ridge(),
        grid,
        cv=cv,
        scoring="neg_mean_squared_error",
        return_train_score=return_train_score,
    ).fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    assert ours.best_index_ == theirs.best_index_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-12)
    assert ours.cv_results_["params"] == theirs.cv_results_["params"]
    keys = [
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "split0_test_score",
        "split3_test_score",
    ]
    if return_train_score:
        keys += ["mean_train_score", "split2_train_score"]
    for key in keys:
        np.testing.assert_allclose(ours.cv_results_[key], theirs.cv_results_[key], rtol=1e-12)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X))
    assert list(ours.cv_results_["param_alpha"]) == list(theirs.cv_results_["param_alpha"])


def test_grid_search_matches_sklearn_classification_default_cv_and_ties():
    X, y = classification_data()
    grid = [{"C": [1e-4, 1e-3, 0.1, 1.0, 10.0]}, {"C": [1.0], "fit_intercept": [False]}]
    ours = GridSearchCV(LogisticRegression(), grid, cv=3).fit(X, y)
    theirs = skms.GridSearchCV(LogisticRegression(), grid, cv=3).fit(X, y)
    assert ours.best_params_ == theirs.best_params_
    np.testing.assert_allclose(
        ours.cv_results_["mean_test_score"], theirs.cv_results_["mean_test_score"]
    )
    np.testing.assert_array_equal(
        ours.cv_results_["rank_test_score"], theirs.cv_results_["rank_test_score"]
    )
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X))
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y))
    assert list(ours.classes_) == [0, 1] and ours.n_features_in_ == 4


def test_grid_search_parallel_equals_serial():
    X, y = regression_data(1)
    grid = {"alpha": [0.01, 0.1, 1.0, 10.0]}
    serial = GridSearchCV(Ridge(), grid, cv=3).fit(X, y)
    parallel = GridSearchCV(Ridge(), grid, cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(
        serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"]
    )


def test_random_and_bayes_search_are_seeded_and_find_a_good_alpha():
    X, y = regression_data(2)
    best = skms.GridSearchCV(Ridge(), {"alpha": np.logspace(-3, 3, 40)}, cv=4).fit(X, y)
    space = {"alpha": Real(1e-3, 1e3, log=True)}
    for cls, kw in ((RandomizedSearchCV, {"n_iter": 12}), (BayesSearchCV, {"n_iter": 12})):
        a = cls(Ridge(), space, cv=4, random_state=3, **kw).fit(X, y)
        b = cls(Ridge(), space, cv=4, random_state=3, **kw).fit(X, y)
        assert a.cv_results_["params"] == b.cv_results_["params"]
        assert len(a.cv_results_["params"]) == 12
        assert a.best_score_ >= best.best_score_ - 0.02 * abs(best.best_score_)
        assert 1e-3 <= a.best_params_["alpha"] <= 1e3


def test_searches_handle_integer_and_categorical_dimensions():
    X, y = classification_data(1)
    space = {
        "C": Real(1e-3, 1e2, log=True),
        "max_iter": Integer(50, 200),
        "fit_intercept": Categorical([True, False]),
    }
    search = BayesSearchCV(
        LogisticRegression(), space, n_iter=8, n_initial=4, cv=3, random_state=0
    ).fit(X, y)
    for p in search.cv_results_["params"]:
        assert isinstance(p["max_iter"], int) and 50 <= p["max_iter"] <= 200
        assert p["fit_intercept"] in (True, False)
    rs = RandomizedSearchCV(
        LogisticRegression(), {"C": [0.1, 1.0, 10.0]}, n_iter=5, cv=3, random_state=0
    ).fit(X, y)
    assert {p["C"] for p in rs.cv_results_["params"]} <= {0.1, 1.0, 10.0}


def test_refit_false_and_clone():
    X, y = regression_data()
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=3, refit=False).fit(X, y)
    assert not hasattr(search, "best_estimator_") and "alpha" in search.best_params_
    with pytest.raises(AttributeError, match="refit"):
        search.predict(X)
    twin = clone(search)
    assert twin.get_params()["param_grid"] == {"alpha": [0.1, 1.0]}
    assert twin.get_params()["estimator__alpha"] == 1.0
    twin.set_params(estimator__alpha=5.0)
    assert twin.estimator.alpha == 5.0


def test_bad_search_input():
    X, y = regression_data()
    with pytest.raises(ValueError, match="empty"):
        GridSearchCV(Ridge(), {}, cv=3).fit(X, y)
    with pytest.raises(ValueError, match="empty"):
        GridSearchCV(Ridge(), {"alpha": []}, cv=3).fit(X, y)
    with pytest.raises(ValueError, match="empty"):
        BayesSearchCV(Ridge(), {}, cv=3).fit(X, y)
    with pytest.raises(ValueError, match="low < high"):
        BayesSearchCV(Ridge(), {"alpha": Real(2.0, 1.0)}, cv=3)
    with pytest.raises(ValueError, match="n_splits"):
        GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=KFold(100)).fit(X, y)


Y_2D_REASON = (
    "y of shape (n, 1) goes unchanged to the inner regressor, which treats it as "
    "multi-output and (correctly) raises no DataConversionWarning"
)


@parametrize_with_checks(
    [
        GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=2),
        RandomizedSearchCV(
            Ridge(), {"alpha": Real(0.1, 10.0, log=True)}, n_iter=3, cv=2, random_state=0
        ),
        BayesSearchCV(
            Ridge(),
            {"alpha": Real(0.1, 10.0, log=True)},
            n_iter=3,
            n_initial=2,
            cv=2,
            random_state=0,
        ),
    ],
    expected_failed_checks=lambda est: (
        {"check_supervised_y_2d": Y_2D_REASON} if isinstance(est.estimator, Ridge) else {}
    ),
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from([0.1, 0.5, 0.9]), st.floats(-5, 5), st.just(float("nan"))),
        min_size=1,
        max_size=12,
    )
)
def test_rank_scores_is_scipys_min_rank_of_the_negated_scores(scores):
    scores = np.array(scores, dtype=float)
    filled = np.where(np.isnan(scores), -np.inf, scores)
    np.testing.assert_array_equal(rank_scores(scores), rankdata(-filled, method="min"))


def test_rank_scores_bad_input():
    with pytest.raises(TypeError, match="mean_scores"):
        rank_scores(["a", "b"])
    with pytest.raises(ValueError, match="mean_scores"):
        rank_scores([[0.1, 0.2]])
