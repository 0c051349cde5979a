"""LogisticRegression against scikit-learn (probabilities to 1e-5) and finite differences."""

import warnings

import numpy as np
import pytest
from scipy.optimize import approx_fprime
from sklearn import linear_model as sk
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning

from mlhood.linear_model import LogisticRegression
from mlhood.linear_model._logistic_loss import LogisticLoss


def _datasets():
    X_bin, y_bin = make_classification(
        200,
        5,
        n_informative=3,
        n_redundant=0,
        n_clusters_per_class=1,
        flip_y=0.1,
        random_state=0,
    )
    X_multi, y_multi = make_classification(
        200,
        5,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        n_clusters_per_class=1,
        flip_y=0.1,
        random_state=0,
    )
    X_bc, y_bc = load_breast_cancer(return_X_y=True)
    X_bc = (X_bc - X_bc.mean(0)) / X_bc.std(0)
    X_iris, y_iris = load_iris(return_X_y=True)
    return {
        "binary": (X_bin, y_bin),
        "multiclass": (X_multi, y_multi),
        "breast_cancer": (X_bc[::3], y_bc[::3]),
        "iris": (X_iris, np.array(["setosa", "versicolor", "virginica"])[y_iris]),
    }


SETS = _datasets()


def sklearn_reference(penalty, C, l1_ratio, **kwargs):
    """The scikit-learn 1.9 estimator solving the same objective, converged tightly."""
    common = dict(tol=1e-12, max_iter=100_000, **kwargs)
    if penalty == "l2":
        return sk.LogisticRegression(C=C, l1_ratio=0.0, **common)
    if penalty is None:
        return sk.LogisticRegression(C=np.inf, l1_ratio=0.0, **common)
    ratio = 1.0 if penalty == "l1" else l1_ratio
    return sk.LogisticRegression(C=C, l1_ratio=ratio, solver="saga", **common)


@pytest.mark.parametrize("name", ["binary", "multiclass"])
@pytest.mark.parametrize(
    ("penalty", "l1_ratio"), [("l2", None), (None, None), ("l1", None), ("elasticnet", 0.4)]
)
@pytest.mark.parametrize("C", [0.05, 1.0])
def test_probabilities_match_sklearn(name, penalty, l1_ratio, C):
    X, y = SETS[name]
    ours = LogisticRegression(penalty=penalty, C=C, l1_ratio=l1_ratio, tol=1e-10).fit(X, y)
    ref = sklearn_reference(penalty, C, l1_ratio).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.coef_.shape == ref.coef_.shape
    assert ours.intercept_.shape == ref.intercept_.shape


@pytest.mark.parametrize("name", ["breast_cancer", "iris"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l2_real_data_with_weights_and_class_weight(name, fit_intercept):
    X, y = SETS[name]
    sw = np.random.default_rng(0).uniform(0.5, 2.0, size=len(y))
    kwargs = dict(C=0.3, fit_intercept=fit_intercept, class_weight="balanced")
    ours = LogisticRegression(tol=1e-10, max_iter=1000, **kwargs).fit(X, y, sample_weight=sw)
    ref = sk.LogisticRegression(tol=1e-12, max_iter=100_000, **kwargs).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)


def test_l1_without_intercept_matches_liblinear():
    # liblinear solves exactly C·Σℓ + ‖w‖₁ when there is no intercept to penalise
    X, y = SETS["breast_cancer"]
    ours = LogisticRegression(penalty="l1", C=0.5, fit_intercept=False, tol=1e-10).fit(X, y)
    ref = sk.LogisticRegression(
        C=0.5,
        l1_ratio=1.0,
        solver="liblinear",
        fit_intercept=False,
        tol=1e-12,
        max_iter=100_000,
    ).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    assert 0 < np.count_nonzero(ours.coef_) < X.shape[1]  # L1 selects features


def test_l1_zeroes_coefficients_as_C_shrinks():
    X, y = SETS["breast_cancer"]
    counts = [
        np.count_nonzero(LogisticRegression(penalty="l1", C=C).fit(X, y).coef_)
        for C in (0.01, 0.1, 10.0)
    ]
    assert counts[0] <= counts[1] <= counts[2] and counts[0] < counts[2]


def test_log_proba_decision_function_and_sample_weight_repetition():
    X, y = SETS["binary"]
    model = LogisticRegression(C=0.5, tol=1e-10).fit(X, y)
    proba = model.predict_proba(X)
    np.testing.assert_allclose(np.exp(model.predict_log_proba(X)), proba, rtol=1e-12)
    np.testing.assert_allclose(proba[:, 1], 1 / (1 + np.exp(-model.decision_function(X))))
    counts = np.random.default_rng(1).integers(0, 3, size=len(y))
    weighted = LogisticRegression(C=0.5, tol=1e-10).fit(X, y, sample_weight=counts)
    repeated = LogisticRegression(C=0.5, tol=1e-10).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-6, atol=1e-8)


def test_extreme_scores_give_finite_log_probabilities():
    X, y = SETS["binary"]
    model = LogisticRegression().fit(X, y)
    far = X[:3] * 1e6
    assert np.all(np.isfinite(model.predict_log_proba(far)))
    np.testing.assert_allclose(model.predict_proba(far).sum(axis=1), 1.0)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_loss_gradient_and_hessian_match_finite_differences(n_classes, fit_intercept):
    rng = np.random.default_rng(n_classes)
    X = rng.normal(size=(40, 3))
    y = rng.integers(0, n_classes, size=40)
    weights = rng.uniform(size=40)
    loss = LogisticLoss(X, y, n_classes, weights / weights.sum(), fit_intercept)
    theta = rng.normal(size=loss.size)
    _, grad = loss.loss_gradient(theta)
    np.testing.assert_allclose(grad, approx_fprime(theta, loss.loss, 1e-7), atol=1e-6)
    numeric = np.array(
        [
            approx_fprime(theta, lambda t, i=i: loss.loss_gradient(t)[1][i], 1e-7)
            for i in range(loss.size)
        ]
    )
    np.testing.assert_allclose(loss.hessian(theta), numeric, atol=1e-5)


def test_convergence_warning():
    X, y = SETS["iris"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        with pytest.raises(ConvergenceWarning):
            LogisticRegression(max_iter=1, tol=1e-12).fit(X, y)
