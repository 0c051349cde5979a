"""Decision trees against scikit-learn's exact CART: same trees where binning is lossless,
same held-out accuracy on the bundled data sets, clear errors on bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import tree as sk_tree
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.model_selection import KFold, StratifiedKFold

from mlhood.tree import DecisionTreeClassifier, DecisionTreeRegressor, export_text
from mlhood.tree._binning import bin_features, fit_thresholds


def small_problem(seed, n=240, p=4):
    """Continuous features with < 255 distinct values: binning is lossless, so the training
    rows are partitioned exactly as by scikit-learn's exact splitter. (Thresholds differ:
    ours sit midway between neighbouring values of the whole column, scikit-learn's midway
    between neighbouring values inside the node, so unseen points may go either way.) Trees
    are kept shallow with big leaves so that no two splits tie exactly: among tied splits
    each library picks its own."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y_class = (X[:, 0] + X[:, 1] ** 2 + 0.5 * rng.normal(size=n) > 0.8).astype(int)
    y_reg = X[:, 0] * X[:, 1] + np.sin(X[:, 2]) + 0.1 * rng.normal(size=n)
    return X, y_class, y_reg


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_classifier_matches_exact_cart(criterion, seed):
    """Continuous random sample weights make exact ties between class-count splits (common
    with unit weights, and broken differently by each library) practically impossible."""
    X, y, _ = small_problem(seed)
    w = np.random.default_rng(seed + 100).uniform(0.5, 1.5, X.shape[0])
    kw = dict(criterion=criterion, max_depth=3, min_samples_leaf=8)
    ours = DecisionTreeClassifier(random_state=0, **kw).fit(X, y, sample_weight=w)
    ref = sk_tree.DecisionTreeClassifier(random_state=0, **kw).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-12)
    assert ours.get_depth() == ref.get_depth()
    assert ours.get_n_leaves() == ref.get_n_leaves()
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-10)
    np.testing.assert_allclose(
        np.sort(ours.tree_.impurity), np.sort(ref.tree_.impurity), atol=1e-12
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_regressor_matches_exact_cart(seed):
    X, _, y = small_problem(seed)
    ours = DecisionTreeRegressor(max_depth=4, min_samples_leaf=8, random_state=0).fit(X, y)
    ref = sk_tree.DecisionTreeRegressor(max_depth=4, min_samples_leaf=8, random_state=0)
    ref.fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-10)


def test_sample_weight_matches_sklearn_and_duplication():
    X, y, _ = small_problem(3)
    w = np.random.default_rng(0).integers(0, 4, X.shape[0])
    ours = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y, sample_weight=w)
    ref = sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-12)
    dup = DecisionTreeClassifier(max_depth=3, random_state=0).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    np.testing.assert_allclose(ours.predict_proba(X), dup.predict_proba(X), atol=1e-12)


def cv_score(make, X, y, seed, regression):
    split = (KFold if regression else StratifiedKFold)(5, shuffle=True, random_state=seed)
    scores = []
    for train, test in split.split(X, y):
        pred = make(seed).fit(X[train], y[train]).predict(X[test])
        if regression:
            resid = np.sum((y[test] - pred) ** 2)
            scores.append(1 - resid / np.sum((y[test] - y[test].mean()) ** 2))
        else:
            scores.append(np.mean(pred == y[test]))
    return np.mean(scores)


@pytest.mark.parametrize("loader", [load_breast_cancer, load_wine, load_digits])
@pytest.mark.parametrize("max_depth", [None, 4])
def test_held_out_accuracy_as_sklearn(loader, max_depth):
    """5-fold CV accuracy averaged over 5 seeds within 1 percentage point."""
    X, y = loader(return_X_y=True)
    ours = [
        cv_score(lambda s: DecisionTreeClassifier(max_depth=max_depth, random_state=s), X, y, s, 0)
        for s in range(5)
    ]
    ref = [
        cv_score(
            lambda s: sk_tree.DecisionTreeClassifier(max_depth=max_depth, random_state=s),
            X,
            y,
            s,
            0,
        )
        for s in range(5)
    ]
    assert abs(np.mean(ours) - np.mean(ref)) <= 0.01


@pytest.mark.parametrize("kw", [{"max_depth": 4}, {"min_samples_leaf": 10}])
def test_held_out_r2_as_sklearn(kw):
    X, y = load_diabetes(return_X_y=True)
    ours = [
        cv_score(lambda s: DecisionTreeRegressor(random_state=s, **kw), X, y, s, 1)
        for s in range(5)
    ]
    ref = [
        cv_score(lambda s: sk_tree.DecisionTreeRegressor(random_state=s, **kw), X, y, s, 1)
        for s in range(5)
    ]
    assert abs(np.mean(ours) - np.mean(ref)) <= 0.02


def test_export_text_matches_sklearn_format():
    """Same text as scikit-learn's export_text on trees without tied splits (on full iris,
    petal length and petal width tie at the root and each library may pick either)."""
    X, y = load_iris(return_X_y=True)
    X, names = X[:, :3], ["sepal length", "sepal width", "petal length"]
    ours = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    ref = sk_tree.DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    assert export_text(ours, feature_names=names) == sk_tree.export_text(
        ref, feature_names=names
    ).rstrip("\n")
    X_d, y_d = load_diabetes(return_X_y=True)
    reg = DecisionTreeRegressor(max_depth=3, random_state=0).fit(X_d, y_d)
    ref_reg = sk_tree.DecisionTreeRegressor(max_depth=3, random_state=0).fit(X_d, y_d)
    assert export_text(reg) == sk_tree.export_text(
        ref_reg, feature_names=[f"feature_{j}" for j in range(10)]
    ).rstrip("\n")
    with pytest.raises(ValueError, match="feature_names"):
        export_text(ours, feature_names=["a"])


def test_flat_arrays_are_consistent():
    X, y, _ = small_problem(4, n=300)
    t = DecisionTreeClassifier(random_state=0).fit(X, y).tree_
    leaf = t.children_left == -1
    assert np.all(t.children_right[leaf] == -1) and np.all(t.feature[leaf] == -2)
    inner = ~leaf
    n = t.n_node_samples
    assert np.all(n[inner] == n[t.children_left[inner]] + n[t.children_right[inner]])
    np.testing.assert_allclose(t.value.sum(axis=1), 1.0)


def test_same_random_state_same_tree_and_max_features_randomises():
    X, y = load_digits(return_X_y=True)
    a = DecisionTreeClassifier(max_features="sqrt", random_state=3).fit(X, y).tree_
    b = DecisionTreeClassifier(max_features="sqrt", random_state=3).fit(X, y).tree_
    c = DecisionTreeClassifier(max_features="sqrt", random_state=4).fit(X, y).tree_
    for name in ("children_left", "feature", "threshold", "value"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.node_count != c.node_count or not np.array_equal(a.feature, c.feature)


def test_many_distinct_values_are_binned_into_quantiles():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5000, 2))
    thresholds, n_bins = fit_thresholds(X, 255)
    assert np.all(n_bins == 255)
    counts = np.bincount(bin_features(X, thresholds, n_bins)[:, 0], minlength=255)
    assert counts.min() >= 15 and counts.max() <= 25  # ~5000 / 255 rows per bin


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=400, unique=False),
    max_bins=st.integers(2, 256),
)
def test_bin_code_orders_like_threshold(values, max_bins):
    """``code <= b`` exactly when ``x <= threshold[b]``: a bin split is a threshold split."""
    X = np.asarray(values).reshape(-1, 1)
    thresholds, n_bins = fit_thresholds(X, max_bins)
    codes = bin_features(X, thresholds, n_bins)[:, 0]
    assert n_bins[0] <= max_bins and codes.max() < n_bins[0]
    for b in range(n_bins[0] - 1):
        np.testing.assert_array_equal(codes <= b, X[:, 0] <= thresholds[0, b])
    assert n_bins[0] == min(max_bins, np.unique(X).size) or np.unique(X).size > max_bins


@pytest.mark.parametrize(
    "params, match",
    [
        ({"max_depth": 0}, "max_depth"),
        ({"min_samples_split": 1}, "min_samples_split"),
        ({"min_samples_leaf": 0}, "min_samples_leaf"),
        ({"max_features": 0}, "max_features"),
        ({"max_features": "half"}, "max_features"),
        ({"max_bins": 300}, "max_bins"),
        ({"criterion": "mse"}, "criterion"),
    ],
)
def test_bad_parameters_raise(params, match):
    X, y, _ = small_problem(0, n=30)
    with pytest.raises(ValueError, match=match):
        DecisionTreeClassifier(**params).fit(X, y)


def test_bad_data_raise():
    X, y, y_reg = small_problem(0, n=30)
    for bad in (np.nan, np.inf):
        X_bad = X.copy()
        X_bad[3, 1] = bad
        with pytest.raises(ValueError, match="X"):
            DecisionTreeClassifier().fit(X_bad, y)
    tree = DecisionTreeRegressor().fit(X, y_reg)
    with pytest.raises(ValueError, match="features"):
        tree.predict(X[:, :3])
    with pytest.raises(ValueError, match="(?i)sample.weight"):
        DecisionTreeClassifier().fit(X, y, sample_weight=np.zeros(30))
    with pytest.raises(ValueError):
        DecisionTreeClassifier().fit(X, y, sample_weight=-np.ones(30))
