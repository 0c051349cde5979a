"""The q06-q15 references against oracles: statsmodels, SciPy, scikit-learn, mlhood's layers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn import metrics as sk_metrics
from sklearn.decomposition import PCA as SkPCA
from sklearn.linear_model import Lasso as SkLasso
from sklearn.model_selection import KFold as SkKFold
from sklearn.model_selection import TimeSeriesSplit as SkTimeSeriesSplit
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import LabelEncoder as SkLabelEncoder
from sklearn.preprocessing import OneHotEncoder as SkOneHotEncoder
from statsmodels.stats.proportion import proportions_ztest

from mlhood import nn
from mlhood.linear_model import Lasso, Ridge
from mlhood.practice.exercises import (
    q06,
    q06_design,
    q07,
    q07_ridge,
    q08,
    q09,
    q10,
    q11,
    q12,
    q13,
    q14,
    q15,
)

rng = np.random.default_rng(0)


@pytest.mark.parametrize(
    ("x_a", "n_a", "x_b", "n_b"), [(100, 10_000, 120, 10_000), (3, 40, 9, 35)]
)
def test_ztest_matches_statsmodels(x_a, n_a, x_b, n_b):
    z, p = q06.two_proportion_ztest(x_a, n_a, x_b, n_b)
    oracle_z, oracle_p = proportions_ztest([x_b, x_a], [n_b, n_a])
    assert (z, p) == pytest.approx((oracle_z, oracle_p), rel=1e-10)


def test_welch_matches_scipy():
    a, b = rng.normal(0, 1, 13), rng.normal(0.4, 3, 8)
    oracle = stats.ttest_ind(a, b, equal_var=False)
    assert q06.welch_ttest(a, b) == pytest.approx((oracle.statistic, oracle.pvalue), rel=1e-10)


def test_sample_size_is_near_mlhood_arcsine_answer_and_reaches_the_power():
    n = q06_design.sample_size_two_proportions(0.10, 0.12)
    assert abs(n - 3835) <= 10  # mlhood.abtest's Cohen's-h answer; the brief quotes 3839-3841
    se = np.sqrt((0.10 * 0.90 + 0.12 * 0.88) / n)
    assert stats.norm.cdf(0.02 / se - stats.norm.ppf(0.975)) >= 0.8


def test_srm_matches_scipy_chisquare():
    observed = np.array([5_100, 4_850, 10_050])
    oracle = stats.chisquare(observed, observed.sum() * np.array([0.25, 0.25, 0.5]))
    assert q06_design.srm_pvalue(observed, [1, 1, 2]) == pytest.approx(oracle.pvalue, rel=1e-10)


def test_soft_threshold_is_the_lasso_in_one_orthonormal_dimension():
    z = np.linspace(-3, 3, 25)
    np.testing.assert_array_equal(
        q07.soft_threshold(z, 1.0), np.sign(z) * np.maximum(np.abs(z) - 1, 0)
    )


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.5])
def test_lasso_cd_converges_to_scikit_learn_and_mlhood(alpha):
    X = rng.normal(size=(50, 6))
    y = X @ np.array([2.0, 0.0, -1.0, 0.0, 0.5, 0.0]) + 0.3 * rng.normal(size=50)
    coef = q07.lasso_coordinate_descent(X, y, alpha, 500)
    oracle = SkLasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(coef, oracle.coef_, atol=1e-8)
    ours = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(coef, ours.coef_, atol=1e-7)


def test_alpha_max_zeroes_scikit_learns_lasso():
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    alpha = q07.lasso_alpha_max(X, y)
    assert np.all(SkLasso(alpha=alpha * 1.001, fit_intercept=False).fit(X, y).coef_ == 0)
    assert np.any(SkLasso(alpha=alpha * 0.9, fit_intercept=False).fit(X, y).coef_ != 0)


def test_ridge_path_matches_mlhood_ridge_for_each_alpha():
    X, y = rng.normal(2.0, 1.0, size=(25, 4)), rng.normal(size=25) + 5.0
    alphas = [10.0, 0.1, 1.0]
    coefs, intercepts = q07_ridge.ridge_path(X, y, alphas)
    for alpha, coef, intercept in zip(alphas, coefs, intercepts):
        model = Ridge(alpha=alpha).fit(X, y)
        np.testing.assert_allclose(coef, model.coef_, rtol=1e-9)
        assert intercept == pytest.approx(model.intercept_, rel=1e-9)


def _as_lists(splits):
    return [(np.asarray(tr).tolist(), np.asarray(te).tolist()) for tr, te in splits]


@pytest.mark.parametrize(("n", "k"), [(10, 3), (7, 7), (23, 5)])
def test_kfold_matches_scikit_learn(n, k):
    assert _as_lists(q08.kfold_indices(n, k)) == _as_lists(SkKFold(k).split(np.zeros(n)))


@pytest.mark.parametrize(
    ("n", "k", "test_size", "gap"), [(20, 3, None, 0), (30, 4, 5, 3), (9, 2, 2, 1)]
)
def test_time_series_splits_match_scikit_learn(n, k, test_size, gap):
    oracle = SkTimeSeriesSplit(k, test_size=test_size, gap=gap).split(np.zeros(n))
    assert _as_lists(q08.time_series_splits(n, k, test_size, gap)) == _as_lists(oracle)


def test_blocked_kfold_without_gap_is_kfold():
    assert _as_lists(q08.blocked_kfold(17, 4)) == _as_lists(SkKFold(4).split(np.zeros(17)))


def test_extract_features_matches_an_mlhood_network():
    model = nn.Sequential(
        nn.Linear(5, 4, random_state=0), nn.ReLU(), nn.Linear(4, 3, random_state=1), nn.ReLU()
    )
    X = rng.normal(size=(6, 5))
    linears = [layer for layer in model.layers if isinstance(layer, nn.Linear)]
    got = q09.extract_features(X, [m.weight.data for m in linears], [m.bias.data for m in linears])
    np.testing.assert_allclose(got, model.forward(X), rtol=1e-12)


def test_linear_head_converges_to_a_softmax_regression():
    X, y = rng.normal(size=(60, 2)), rng.integers(0, 3, 60)
    W, b = q09.train_linear_head(X, y, 3, 0.5, 3000)
    logits = X @ W.T + b
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    gradient = (probs - np.eye(3)[y]).T @ X / len(y)
    assert np.abs(gradient).max() < 1e-6  # the unregularised optimum


def test_iqr_matches_mlhood_detector():
    from mlhood.outliers import IQRDetector

    x = np.r_[rng.normal(size=60), 6.0, -7.0]
    expected = IQRDetector().fit_predict(x[:, None]) == -1
    np.testing.assert_array_equal(q10.iqr_outliers(x), expected)


def test_modified_zscore_matches_mlhood_mad_scale():
    from mlhood.outliers import MADDetector

    x = np.r_[rng.normal(size=40), 9.0]
    detector = MADDetector().fit(x[:, None])
    scores = (x - detector.location_[0]) / detector.scale_[0]
    np.testing.assert_allclose(q10.modified_zscore(x), scores, rtol=1e-12)


def test_mahalanobis_matches_scipy():
    from scipy.spatial.distance import mahalanobis

    X, mu = rng.normal(size=(5, 3)), rng.normal(size=3)
    A = rng.normal(size=(3, 3))
    cov = A @ A.T + np.eye(3)
    expected = [mahalanobis(x, mu, np.linalg.inv(cov)) for x in X]
    np.testing.assert_allclose(q10.mahalanobis_distances(X, mu, cov), expected, rtol=1e-10)


@pytest.mark.parametrize(
    ("step", "optimizer", "extra"),
    [
        (q11.adam_step, nn.Adam, {}),
        (q11.adamw_step, nn.AdamW, {"weight_decay": 0.1}),
    ],
)
def test_adam_steps_match_mlhood_optimizers_over_several_steps(step, optimizer, extra):
    start = rng.normal(size=(3, 4))
    p = nn.Parameter(start.copy())
    opt = optimizer([p], lr=0.05, betas=(0.8, 0.99), eps=1e-6, **extra)
    param, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t in range(1, 6):
        grad = rng.normal(size=start.shape)
        p.grad[...] = grad
        opt.step()
        param, m, v = step(param, grad, m, v, t, 0.05, 0.8, 0.99, 1e-6, *extra.values())
    np.testing.assert_allclose(param, p.data, rtol=1e-12)


def test_momentum_step_matches_mlhood_sgd():
    start = rng.normal(size=5)
    p = nn.Parameter(start.copy())
    opt = nn.SGD([p], lr=0.1, momentum=0.9)
    param, velocity = start.copy(), np.zeros(5)
    for _ in range(4):
        grad = rng.normal(size=5)
        p.grad[...] = grad
        opt.step()
        param, velocity = q11.sgd_momentum_step(param, grad, velocity, 0.1, 0.9)
    np.testing.assert_allclose(param, p.data, rtol=1e-12)


@pytest.mark.parametrize("levels", [2, 5, 1000])
def test_roc_references_match_scikit_learn(levels):
    y, scores = q12._labelled_scores(3, 50, levels, 1.0)
    assert q12.roc_auc(y, scores) == pytest.approx(sk_metrics.roc_auc_score(y, scores), rel=1e-12)
    fpr, tpr, thresholds = q12.roc_curve_points(y, scores)
    oracle = sk_metrics.roc_curve(y, scores, drop_intermediate=False)
    np.testing.assert_allclose(fpr, oracle[0])
    np.testing.assert_allclose(tpr, oracle[1])
    np.testing.assert_allclose(thresholds, oracle[2])
    expected = sk_metrics.average_precision_score(y, scores)
    assert q12.average_precision(y, scores) == pytest.approx(expected, rel=1e-12)


def test_early_stopping_epoch_counts_patience_from_the_best_epoch():
    val = [1.0, 0.8, 0.8, 0.7, 0.75, 0.9, 0.6, 0.5]
    assert q13.early_stopping_epoch(val, val, patience=2) == 3
    assert q13.early_stopping_epoch(val, val, patience=3) == 7


def test_nested_cv_inner_folds_never_touch_outer_test_rows():
    for outer_train, outer_test, inner in q13.nested_cv_indices(23, 4, 3):
        assert set(np.concatenate([np.r_[a, b] for a, b in inner])) == set(outer_train)
        assert not set(outer_test) & set(outer_train)


def test_one_hot_matches_scikit_learn_with_given_categories():
    values = np.array(["b", "a", "zz", "c", "a"], dtype=object)
    categories = ["c", "a", "b"]
    encoder = SkOneHotEncoder(
        categories=[categories], handle_unknown="ignore", sparse_output=False
    )
    expected = encoder.fit(np.array(categories)[:, None]).transform(values[:, None])
    np.testing.assert_array_equal(q14.one_hot(values, categories, "ignore"), expected)
    with pytest.raises(ValueError, match="unknown"):
        q14.one_hot(values, categories)


def test_label_encode_matches_scikit_learn():
    values = ["tokyo", "paris", "tokyo", "amsterdam"]
    codes, classes = q14.label_encode(values)
    oracle = SkLabelEncoder().fit(values)
    assert codes.tolist() == oracle.transform(values).tolist()
    assert classes.tolist() == oracle.classes_.tolist()


def test_target_encoding_of_a_fold_ignores_the_fold():
    values, y = ["a", "b"] * 10, rng.normal(size=20)
    encoded = q14.target_encode(values, y, 4, smoothing=2.0)
    changed = y.copy()
    changed[:5] += 50.0  # the whole first fold
    np.testing.assert_allclose(q14.target_encode(values, changed, 4, 2.0)[:5], encoded[:5])


def test_pca_matches_scikit_learn_up_to_sign():
    X, _ = q15._pca_case(4, 50, 5, 3, 7.0)
    components, variance = q15.pca_svd(X, 3)
    oracle = SkPCA(3).fit(X)
    signs = np.sign(np.sum(components * oracle.components_, axis=1))
    np.testing.assert_allclose(components * signs[:, None], oracle.components_, atol=1e-10)
    np.testing.assert_allclose(variance, oracle.explained_variance_, rtol=1e-10)


def test_pairwise_distances_and_knn_match_scikit_learn():
    A, B = rng.normal(size=(20, 3)), rng.normal(size=(7, 3))
    np.testing.assert_allclose(
        q15.pairwise_distances(A, B), sk_metrics.pairwise_distances(A, B), atol=1e-12
    )
    y = rng.integers(0, 3, 20)
    oracle = KNeighborsClassifier(n_neighbors=5).fit(A, y).predict(B)
    np.testing.assert_array_equal(q15.knn_predict(A, y, B, 5), oracle)


@pytest.mark.parametrize("ratio", [1 / 9, 0.25, 4.0, 9.0])
def test_sample_size_with_unequal_split_is_near_mlhood_arcsine_answer(ratio):
    from mlhood.abtest import sample_size_proportions

    ours = q06_design.sample_size_two_proportions(0.10, 0.12, ratio=ratio)
    assert ours == pytest.approx(sample_size_proportions(0.10, 0.12, ratio=ratio), rel=0.1)
