"""TargetEncoder against scikit-learn's (same folds, same values), its API and bad input."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import model_selection as sk_model_selection
from sklearn.preprocessing import TargetEncoder as SkTargetEncoder
from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.preprocessing import TargetEncoder


def _data(seed=0, n=400, binary=False):
    rng = np.random.default_rng(seed)
    levels = np.array([f"c{k}" for k in range(12)], dtype=object)
    X = np.column_stack(
        [levels[rng.zipf(1.6, size=n).clip(max=12) - 1], rng.choice(["u", "v", "w"], size=n)]
    ).astype(object)
    y = rng.normal(size=n) + 1.5 * (X[:, 0] == "c0") - (X[:, 1] == "u") + 3.0
    return X, ((y > 3.0).astype(int) if binary else y)


def _sklearn_encoder(smooth, binary, seed):
    splitter = sk_model_selection.StratifiedKFold if binary else sk_model_selection.KFold
    cv = splitter(5, shuffle=True, random_state=seed)
    return SkTargetEncoder(smooth=smooth, cv=cv, target_type="binary" if binary else "continuous")


@pytest.mark.parametrize("smooth", ["auto", 0.0, 10.0])
@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("seed", [0, 3])
def test_matches_scikit_learn(smooth, binary, seed):
    X, y = _data(seed, binary=binary)
    ours = TargetEncoder(smooth=smooth, random_state=seed)
    theirs = _sklearn_encoder(smooth, binary, seed)
    np.testing.assert_allclose(ours.fit_transform(X, y), theirs.fit_transform(X, y), atol=1e-12)
    new = np.array([["c0", "u"], ["c_new", "v"], ["c5", "zzz"]], dtype=object)
    np.testing.assert_allclose(ours.transform(new), theirs.transform(new), atol=1e-12)
    assert ours.target_mean_ == pytest.approx(theirs.target_mean_)
    for a, b in zip(ours.encodings_, theirs.encodings_):
        np.testing.assert_allclose(a, b, atol=1e-12)
    assert ours.target_type_ == ("binary" if binary else "continuous")


def test_fit_transform_is_cross_fitted_and_fit_transform_is_not():
    X, y = _data(1)
    enc = TargetEncoder(smooth=0.0, random_state=0)
    crossed = enc.fit_transform(X, y)
    in_sample = enc.transform(X)
    assert not np.allclose(crossed, in_sample)
    # in-sample, smooth=0: each row gets exactly its level's mean over all rows
    level_mean = {v: y[X[:, 1] == v].mean() for v in np.unique(X[:, 1])}
    np.testing.assert_allclose(in_sample[:, 1], [level_mean[v] for v in X[:, 1]])


def test_a_row_does_not_see_its_own_target():
    X, y = _data(2)
    enc = TargetEncoder(random_state=0)
    before = enc.fit_transform(X, y)
    y_changed = y.copy()
    y_changed[0] += 100.0
    after = TargetEncoder(random_state=0).fit_transform(X, y_changed)
    assert before[0, 0] == after[0, 0]  # row 0's encoding ignores row 0's target


def test_unknown_category_gets_the_target_mean():
    X, y = _data(4)
    enc = TargetEncoder().fit(X, y)
    out = enc.transform(np.array([["nope", "nope"]], dtype=object))
    np.testing.assert_allclose(out, [[y.mean(), y.mean()]])
    assert list(enc.get_feature_names_out()) == ["x0", "x1"]


def test_binary_labels_are_mapped_to_0_and_1():
    X, y = _data(5, binary=True)
    labels = np.where(y == 1, "yes", "no")
    enc = TargetEncoder(smooth=0.0).fit(X, labels)
    assert list(enc.classes_) == ["no", "yes"]
    assert enc.target_mean_ == pytest.approx(y.mean())


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"smooth": -1.0}, "smooth"),
        ({"smooth": "big"}, "smooth"),
        ({"cv": 1}, "cv"),
        ({"target_type": "ordinal"}, "target_type"),
    ],
)
def test_bad_parameters_are_named(params, match):
    X, y = _data(0)
    with pytest.raises(ValueError, match=match):
        TargetEncoder(**params).fit(X, y)


@pytest.mark.parametrize("smooth", ["auto", 4.0])
def test_multiclass_matches_scikit_learn(smooth):
    X, y = _data(6)
    labels = np.digitize(y, [2.5, 3.5])  # three classes
    cv = sk_model_selection.StratifiedKFold(5, shuffle=True, random_state=1)
    theirs = SkTargetEncoder(smooth=smooth, cv=cv)
    ours = TargetEncoder(smooth=smooth, random_state=1)
    np.testing.assert_allclose(
        ours.fit_transform(X, labels), theirs.fit_transform(X, labels), atol=1e-12
    )
    new = np.array([["c1", "w"], ["c_new", "u"]], dtype=object)
    np.testing.assert_allclose(ours.transform(new), theirs.transform(new), atol=1e-12)
    assert list(ours.get_feature_names_out()) == list(theirs.get_feature_names_out())


@given(st.one_of(st.floats(max_value=-1e-9), st.just(float("nan")), st.just(float("inf"))))
def test_bad_smooth_values(smooth):
    X, y = _data(0, n=60)
    with pytest.raises(ValueError, match="smooth"):
        TargetEncoder(smooth=smooth).fit(X, y)


@given(st.integers(min_value=1, max_value=5))
def test_y_of_the_wrong_length(missing):
    X, y = _data(0, n=60)
    with pytest.raises(ValueError, match="rows"):
        TargetEncoder().fit(X, y[:-missing])


def _cross_fitting_differs(estimator):
    """fit_transform is cross-fitted, so it differs from fit().transform() on purpose
    (scikit-learn's own encoder passes these checks only through its default smoothing)."""
    if estimator.smooth == "auto":
        return {}
    reason = "fit_transform is cross-fitted: it differs from fit().transform() by design"
    return {
        name: reason
        for name in ("check_transformer_general", "check_transformer_data_not_an_array")
    }


@parametrize_with_checks(
    [TargetEncoder(), TargetEncoder(smooth=5.0)], expected_failed_checks=_cross_fitting_differs
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
