"""f_classif and SelectKBest equal scikit-learn's (F, p-values, kept columns), plus bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.feature_selection import SelectKBest as SkSelectKBest
from sklearn.feature_selection import f_classif as sk_f_classif
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.feature_selection import SelectKBest, f_classif
from mlhood.feature_selection._univariate import anova_sums_of_squares


def _data(seed, n=300, p=40, n_classes=3):
    rng = np.random.default_rng(seed)
    y = rng.choice(
        n_classes, size=n, p=np.linspace(1, 2, n_classes) / np.linspace(1, 2, n_classes).sum()
    )
    X = rng.normal(size=(n, p)) * rng.uniform(0.5, 3, p) + 5
    X[:, : p // 4] += y[:, None] * rng.uniform(0.1, 1, p // 4)
    return X, y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_f_classif_equals_scikit_learn(seed):
    X, y = _data(seed)
    F, p = f_classif(X, y)
    F_ref, p_ref = sk_f_classif(X, y)
    np.testing.assert_allclose(F, F_ref, rtol=1e-10)
    np.testing.assert_allclose(p, p_ref, rtol=1e-8, atol=1e-300)


def test_f_classif_equals_scipy_one_way_anova():
    X, y = _data(3, n=120, p=5)
    F, p = f_classif(X, y)
    for j in range(X.shape[1]):
        ref = stats.f_oneway(*(X[y == c, j] for c in np.unique(y)))
        assert F[j] == pytest.approx(ref.statistic, rel=1e-10)
        assert p[j] == pytest.approx(ref.pvalue, rel=1e-8)


def test_sums_of_squares_add_up_to_the_total():
    X, y = _data(4)
    between, within, k = anova_sums_of_squares(X, y)
    np.testing.assert_allclose(between + within, ((X - X.mean(axis=0)) ** 2).sum(axis=0))
    assert k == 3


@pytest.mark.parametrize("k", [0, 1, 7, 40, "all"])
def test_select_k_best_keeps_the_same_columns_as_scikit_learn(k):
    X, y = _data(5)
    X[:, 10] = X[:, 11]  # a tie in the scores: both sides keep the later column first
    ours, ref = SelectKBest(f_classif, k=k).fit(X, y), SkSelectKBest(sk_f_classif, k=k).fit(X, y)
    np.testing.assert_array_equal(ours.get_support(), ref.get_support())
    np.testing.assert_allclose(ours.scores_, ref.scores_, rtol=1e-10)
    if k != 0:
        np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
        np.testing.assert_array_equal(
            ours.inverse_transform(ours.transform(X)), ref.inverse_transform(ref.transform(X))
        )


def test_score_func_returning_scores_only_and_feature_names():
    X, y = _data(6, p=4)
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    selector = SelectKBest(lambda X, y: X.var(axis=0), k=2).fit(frame, y)
    assert selector.pvalues_ is None
    expected = np.array(["a", "b", "c", "d"])[np.argsort(X.var(axis=0))[-2:]]
    assert sorted(selector.get_feature_names_out()) == sorted(expected)


@parametrize_with_checks([SelectKBest(k=2)])
def test_sklearn_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"k": -1}, ValueError, "The 'k' parameter of SelectKBest must be"),
        ({"k": 2.5}, ValueError, "The 'k' parameter of SelectKBest must be"),
        ({"k": "some"}, ValueError, "The 'k' parameter of SelectKBest must be"),
        ({"score_func": "f_classif"}, TypeError, "score_func"),
    ],
)
def test_bad_parameters_are_named(kwargs, error, match):
    X, y = _data(7, p=4)
    with pytest.raises(error, match=match):
        SelectKBest(**kwargs).fit(X, y)


def test_one_class_or_too_few_samples_is_refused():
    with pytest.raises(ValueError, match="at least 2 classes"):
        f_classif(np.ones((4, 2)), [1, 1, 1, 1])
    with pytest.raises(ValueError, match="more samples than classes"):
        f_classif(np.array([[0.0], [1.0]]), [0, 1])


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=3, max_value=30),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=10_000),
)
def test_p_values_are_probabilities_and_fall_as_f_grows(n, p, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(n, p)), np.arange(n) % 2
    F, pvalue = f_classif(X, y)
    assert np.all((pvalue >= 0) & (pvalue <= 1))
    order = np.argsort(F)
    assert np.all(np.diff(pvalue[order]) <= 1e-12)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["nan", "inf", "short_y", "1d"]))
def test_bad_data_gives_a_clear_value_error(kind):
    X, y = _data(8, n=20, p=3)
    if kind == "nan":
        X[3, 1] = np.nan
    elif kind == "inf":
        X[0, 0] = np.inf
    elif kind == "short_y":
        y = y[:-1]
    else:
        X = X[:, 0]
    with pytest.raises(ValueError, match="X|samples|2D"):
        f_classif(X, y)
    with pytest.raises(ValueError, match="X|samples|2D"):
        SelectKBest(k=1).fit(X, y)
