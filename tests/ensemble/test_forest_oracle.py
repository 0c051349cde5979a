"""Forests and bagging against scikit-learn: held-out accuracy, OOB, determinism, errors."""

import numpy as np
import pytest
from sklearn import ensemble as sk_ensemble
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_wine
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from mlhood.ensemble import (
    BaggingClassifier,
    BaggingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from mlhood.neighbors import KNeighborsRegressor


def held_out(make, X, y, seed, regression=False):
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.3, random_state=seed, stratify=None if regression else y
    )
    pred = make(seed).fit(X_tr, y_tr).predict(X_te)
    if regression:
        return 1 - np.sum((y_te - pred) ** 2) / np.sum((y_te - y_te.mean()) ** 2)
    return np.mean(pred == y_te)


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine, load_digits])
def test_forest_accuracy_as_sklearn(loader):
    """Held-out accuracy averaged over 5 seeds within 1 percentage point."""
    X, y = loader(return_X_y=True)
    ours = [
        held_out(lambda s: RandomForestClassifier(40, random_state=s), X, y, s) for s in range(5)
    ]
    ref = [
        held_out(lambda s: sk_ensemble.RandomForestClassifier(40, random_state=s), X, y, s)
        for s in range(5)
    ]
    assert abs(np.mean(ours) - np.mean(ref)) <= 0.01


def test_forest_r2_as_sklearn():
    X, y = load_diabetes(return_X_y=True)
    ours = [
        held_out(lambda s: RandomForestRegressor(60, random_state=s), X, y, s, True)
        for s in range(5)
    ]
    ref = [
        held_out(lambda s: sk_ensemble.RandomForestRegressor(60, random_state=s), X, y, s, True)
        for s in range(5)
    ]
    assert abs(np.mean(ours) - np.mean(ref)) <= 0.02


def test_bagging_accuracy_as_sklearn():
    X, y = load_breast_cancer(return_X_y=True)
    ours = [
        held_out(lambda s: BaggingClassifier(n_estimators=40, random_state=s), X, y, s)
        for s in range(5)
    ]
    ref = [
        held_out(lambda s: sk_ensemble.BaggingClassifier(n_estimators=40, random_state=s), X, y, s)
        for s in range(5)
    ]
    assert abs(np.mean(ours) - np.mean(ref)) <= 0.01


@pytest.mark.parametrize("seed", [0, 1])
def test_oob_score_close_to_held_out(seed):
    X, y = load_breast_cancer(return_X_y=True)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.4, random_state=seed, stratify=y)
    rf = RandomForestClassifier(100, oob_score=True, random_state=seed).fit(X_tr, y_tr)
    assert abs(rf.oob_score_ - rf.score(X_te, y_te)) <= 0.02 + 1e-12
    proba = rf.oob_decision_function_
    assert proba.shape == (X_tr.shape[0], 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert rf.oob_score_ == np.mean(rf.classes_[proba.argmax(axis=1)] == y_tr)


def test_oob_regression_and_out_of_bag_fraction():
    X, y = load_diabetes(return_X_y=True)
    rf = RandomForestRegressor(80, oob_score=True, random_state=0).fit(X, y)
    r2 = 1 - np.sum((y - rf.oob_prediction_) ** 2) / np.sum((y - y.mean()) ** 2)
    assert rf.oob_score_ == pytest.approx(r2)
    ref = sk_ensemble.RandomForestRegressor(80, oob_score=True, random_state=0).fit(X, y)
    assert abs(rf.oob_score_ - ref.oob_score_) <= 0.03
    # share of distinct rows a tree did not see: (1 - 1/n)^n ~ e^-1
    n = X.shape[0]
    seen = [
        np.unique(s).size / n
        for s in BaggingRegressor(random_state=0).fit(X, y).estimators_samples_
    ]
    assert abs(1 - np.mean(seen) - (1 - 1 / n) ** n) < 0.02


def test_same_random_state_same_forest_any_n_jobs():
    X, y = load_digits(return_X_y=True)
    a = RandomForestClassifier(12, random_state=7, n_jobs=1).fit(X, y)
    b = RandomForestClassifier(12, random_state=7, n_jobs=2).fit(X, y)
    for ta, tb in zip(a.estimators_, b.estimators_):
        for name in ("children_left", "feature", "threshold", "value"):
            np.testing.assert_array_equal(getattr(ta.tree_, name), getattr(tb.tree_, name))
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    c = RandomForestClassifier(12, random_state=8).fit(X, y)
    assert not np.array_equal(a.predict_proba(X), c.predict_proba(X))


def test_forest_feature_importances_match_sklearn_ranking():
    X, y = load_breast_cancer(return_X_y=True)
    ours = RandomForestClassifier(100, random_state=0).fit(X, y).feature_importances_
    ref = sk_ensemble.RandomForestClassifier(100, random_state=0).fit(X, y).feature_importances_
    assert ours.sum() == pytest.approx(1.0)
    assert np.corrcoef(ours, ref)[0, 1] > 0.9


def test_bagging_any_estimator():
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    bag = BaggingClassifier(LinearSVC(), n_estimators=5, max_features=0.5, oob_score=True)
    with pytest.warns(UserWarning, match="never out of bag"):  # 5 members: some rows
        bag.set_params(random_state=0).fit(X, y)  # LinearSVC has no predict_proba: votes
    assert bag.score(X, y) > 0.95 and bag.oob_score_ > 0.9
    assert np.isnan(bag.oob_decision_function_).any()
    assert all(f.size == 15 for f in bag.estimators_features_)
    reg = BaggingRegressor(KNeighborsRegressor(), n_estimators=5, random_state=0).fit(X, y)
    manual = np.mean(
        [e.predict(X[:, f]) for e, f in zip(reg.estimators_, reg.estimators_features_)], axis=0
    )
    np.testing.assert_allclose(reg.predict(X), manual)


@pytest.mark.parametrize(
    "est, match",
    [
        (RandomForestClassifier(n_estimators=0), "n_estimators"),
        (BaggingClassifier(n_estimators=0), "n_estimators"),
        (RandomForestClassifier(max_depth=0), "max_depth"),
        (RandomForestClassifier(bootstrap=False, oob_score=True), "bootstrap"),
        (BaggingRegressor(max_samples=2.0), "max_samples"),
        (RandomForestRegressor(max_features=-1), "max_features"),
    ],
)
def test_bad_parameters_raise(est, match):
    X, y = load_wine(return_X_y=True)
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)


def test_bad_data_raise():
    X, y = load_wine(return_X_y=True)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        RandomForestClassifier(5).fit(X_nan, y)
    rf = RandomForestClassifier(5).fit(X, y)
    with pytest.raises(ValueError, match="features"):
        rf.predict(X[:, :5])


def test_estimators_samples_are_the_rows_each_tree_saw():
    X, y = load_diabetes(return_X_y=True)
    rf = RandomForestRegressor(30, oob_score=True, random_state=0).fit(X, y)
    samples = rf.estimators_samples_
    assert len(samples) == 30 and all(s.size == X.shape[0] for s in samples)
    out_of_bag = np.mean([1 - np.unique(s).size / X.shape[0] for s in samples])
    assert abs(out_of_bag - np.exp(-1)) < 0.02
    # a tree's OOB rows are exactly the rows it never drew: rebuild oob_prediction_
    total, votes = np.zeros(X.shape[0]), np.zeros(X.shape[0])
    for est, s in zip(rf.estimators_, samples):
        oob = np.setdiff1d(np.arange(X.shape[0]), s)
        total[oob] += est.predict(X[oob])
        votes[oob] += 1
    np.testing.assert_allclose(rf.oob_prediction_, total / votes)


def test_oob_score_is_nan_with_a_warning_when_no_row_was_ever_out_of_bag():
    from mlhood.ensemble._common import oob_classification, oob_regression

    votes = np.zeros(4, dtype=np.int64)
    with pytest.warns(UserWarning, match="never out of bag"):
        pred, score = oob_regression(np.zeros(4), votes, np.arange(4.0))
    assert np.isnan(score) and np.isnan(pred).all()
    with pytest.warns(UserWarning, match="never out of bag"):
        _, score = oob_classification(np.zeros((4, 2)), votes, np.array([0, 1, 0, 1]))
    assert np.isnan(score)
