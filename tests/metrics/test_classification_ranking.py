"""Classification and ranking metrics equal scikit-learn's to 1e-12, ties included."""

import warnings

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import mlhood.metrics as mm

TOL = dict(rtol=1e-12, atol=1e-12)


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@st.composite
def tied_binary(draw, weighted=False):
    """Binary labels (both classes present) and scores on a coarse grid: many ties."""
    n = draw(st.integers(2, 60))
    y = draw(arrays(np.int64, n, elements=st.integers(0, 1)))
    y[0], y[1] = 0, 1
    levels = draw(st.integers(1, 6))
    score = draw(arrays(np.int64, n, elements=st.integers(0, levels))) / levels
    w = draw(arrays(np.float64, n, elements=st.floats(0.0, 3.0))) if weighted else None
    return y, score, w


def _assert_curves_equal(ours, ref):
    for a, b in zip(ours, ref):
        np.testing.assert_allclose(a, b, **TOL)


@settings(max_examples=25, deadline=None)
@given(data=tied_binary(), drop=st.booleans())
def test_roc_and_pr_curves_with_ties(data, drop):
    y, s, _ = data
    _assert_curves_equal(
        mm.roc_curve(y, s, drop_intermediate=drop), skm.roc_curve(y, s, drop_intermediate=drop)
    )
    _assert_curves_equal(
        mm.precision_recall_curve(y, s, drop_intermediate=drop),
        skm.precision_recall_curve(y, s, drop_intermediate=drop),
    )
    np.testing.assert_allclose(mm.roc_auc_score(y, s), skm.roc_auc_score(y, s), **TOL)
    np.testing.assert_allclose(
        mm.average_precision_score(y, s), skm.average_precision_score(y, s), **TOL
    )


@settings(max_examples=25, deadline=None)
@given(data=tied_binary(weighted=True))
def test_weighted_curves_and_scores(data):
    y, s, w = data
    if w[y == 1].sum() == 0 or w[y == 0].sum() == 0:
        w[0] = w[1] = 1.0
    _assert_curves_equal(mm.roc_curve(y, s, sample_weight=w), skm.roc_curve(y, s, sample_weight=w))
    _assert_curves_equal(
        mm.precision_recall_curve(y, s, sample_weight=w),
        skm.precision_recall_curve(y, s, sample_weight=w),
    )
    np.testing.assert_allclose(
        mm.roc_auc_score(y, s, sample_weight=w), skm.roc_auc_score(y, s, sample_weight=w), **TOL
    )
    np.testing.assert_allclose(
        mm.average_precision_score(y, s, sample_weight=w),
        skm.average_precision_score(y, s, sample_weight=w),
        **TOL,
    )
    np.testing.assert_allclose(
        mm.brier_score_loss(y, s, sample_weight=w),
        skm.brier_score_loss(y, s, sample_weight=w),
        **TOL,
    )


def test_large_continuous_scores_and_string_labels():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    s = np.round(rng.normal(size=5000) + y, 2)  # rounding gives ties
    labels = np.where(y == 1, "spam", "ham")
    np.testing.assert_allclose(mm.roc_auc_score(labels, s), skm.roc_auc_score(labels, s), **TOL)
    _assert_curves_equal(
        mm.roc_curve(labels, s, pos_label="spam"), skm.roc_curve(labels, s, pos_label="spam")
    )
    np.testing.assert_allclose(
        mm.average_precision_score(labels, s, pos_label="spam"),
        skm.average_precision_score(labels, s, pos_label="spam"),
        **TOL,
    )


def test_auc_is_mann_whitney_pair_count():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    s = rng.integers(0, 10, 300)
    pos, neg = s[y == 1], s[y == 0]
    pairs = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    np.testing.assert_allclose(mm.roc_auc_score(y, s), pairs / (pos.size * neg.size), **TOL)


@pytest.mark.parametrize("average", ["macro", "weighted", "micro", None])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_ovr_auc_and_ap(average, weighted):
    rng = np.random.default_rng(2)
    y = rng.integers(0, 4, 400)
    logits = rng.integers(0, 4, (400, 4)) + 1.5 * (y[:, None] == np.arange(4))
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    w = rng.uniform(0, 2, 400) if weighted else None
    np.testing.assert_allclose(
        mm.roc_auc_score(y, p, multi_class="ovr", average=average, sample_weight=w),
        skm.roc_auc_score(y, p, multi_class="ovr", average=average, sample_weight=w),
        **TOL,
    )
    np.testing.assert_allclose(
        mm.average_precision_score(y, p, average=average, sample_weight=w),
        skm.average_precision_score(y, p, average=average, sample_weight=w),
        **TOL,
    )


@settings(max_examples=25, deadline=None)
@given(
    y_true=arrays(np.int64, 30, elements=st.integers(0, 3)),
    y_pred=arrays(np.int64, 30, elements=st.integers(0, 3)),
    average=st.sampled_from(["micro", "macro", "weighted", None]),
    zero_division=st.sampled_from(["warn", 0, 1, np.nan]),
)
def test_precision_recall_f1_multiclass(y_true, y_pred, average, zero_division):
    for ours, ref in [
        (mm.precision_score, skm.precision_score),
        (mm.recall_score, skm.recall_score),
        (mm.f1_score, skm.f1_score),
    ]:
        kw = dict(average=average, zero_division=zero_division)
        np.testing.assert_allclose(ours(y_true, y_pred, **kw), ref(y_true, y_pred, **kw), **TOL)
    labels = [3, 0, 7]  # a subset in custom order, with a class that never occurs
    kw = dict(average=average, labels=labels, zero_division=zero_division)
    np.testing.assert_allclose(
        mm.f1_score(y_true, y_pred, **kw), skm.f1_score(y_true, y_pred, **kw), **TOL
    )


@settings(max_examples=25, deadline=None)
@given(
    y_true=arrays(np.int64, 20, elements=st.integers(0, 1)),
    y_pred=arrays(np.int64, 20, elements=st.integers(0, 1)),
    w=arrays(np.float64, 20, elements=st.floats(0.1, 2.0)),
    zero_division=st.sampled_from(["warn", 0, 1, np.nan]),
)
def test_binary_scores_and_confusion_matrix(y_true, y_pred, w, zero_division):
    for ours, ref in [
        (mm.precision_score, skm.precision_score),
        (mm.recall_score, skm.recall_score),
        (mm.f1_score, skm.f1_score),
    ]:
        kw = dict(sample_weight=w, zero_division=zero_division)
        np.testing.assert_allclose(ours(y_true, y_pred, **kw), ref(y_true, y_pred, **kw), **TOL)
    for normalize in (None, "true", "pred", "all"):
        np.testing.assert_allclose(
            mm.confusion_matrix(y_true, y_pred, sample_weight=w, normalize=normalize),
            skm.confusion_matrix(y_true, y_pred, sample_weight=w, normalize=normalize),
            **TOL,
        )


def test_confusion_matrix_labels_and_strings():
    y_true = np.array(["cat", "dog", "cat", "bird", "dog"])
    y_pred = np.array(["dog", "dog", "cat", "cat", "bird"])
    for labels in (None, ["dog", "cat"], ["dog", "cat", "bird", "fish"]):
        ours = mm.confusion_matrix(y_true, y_pred, labels=labels)
        np.testing.assert_array_equal(ours, skm.confusion_matrix(y_true, y_pred, labels=labels))
        assert ours.dtype.kind == "i"


def test_brier_binary_and_multiclass():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 100)
    p = rng.random(100)
    for y_lab in (y, y + 2, 2 * y - 1):
        np.testing.assert_allclose(
            mm.brier_score_loss(y_lab, p), skm.brier_score_loss(y_lab, p), **TOL
        )
    y3 = rng.integers(0, 3, 100)
    p3 = rng.dirichlet(np.ones(3), 100)
    for half in ("auto", True, False):
        np.testing.assert_allclose(
            mm.brier_score_loss(y3, p3, scale_by_half=half),
            skm.brier_score_loss(y3, p3, scale_by_half=half),
            **TOL,
        )


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: mm.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3]), ValueError, "one class"),
        (lambda: mm.roc_auc_score([0, 1], [0.1]), ValueError, "rows"),
        (lambda: mm.roc_auc_score([0, 1], [0.1, np.nan]), ValueError, "NaN"),
        (lambda: mm.roc_auc_score([0, 1, 2], [0.1, 0.2, 0.3]), ValueError, "multiclass"),
        (lambda: mm.roc_auc_score([0, 1, 2], np.eye(3) * 2), ValueError, "sum to 1"),
        (lambda: mm.roc_curve(["a", "b"], [0.1, 0.2]), ValueError, "pos_label"),
        (lambda: mm.brier_score_loss([0, 1], [0.5, 1.2]), ValueError, r"\[0, 1\]"),
        (lambda: mm.brier_score_loss([0, 1], [-0.1, 0.5]), ValueError, r"\[0, 1\]"),
        (lambda: mm.f1_score([0, 1, 2], [0, 1, 1]), ValueError, "binary"),
        (lambda: mm.f1_score([0, 1], [0, 1], pos_label=5), ValueError, "pos_label"),
        (lambda: mm.f1_score([0, 1], [0, 1], average="mean"), ValueError, "average"),
        (lambda: mm.f1_score([0, 1], [0, 1], zero_division=2), ValueError, "zero_division"),
        (lambda: mm.f1_score([0.5, 1], [0, 1]), ValueError, "continuous"),
        (lambda: mm.confusion_matrix([0, 1], [0, 1, 1]), ValueError, "lengths"),
        (lambda: mm.confusion_matrix([], []), ValueError, "empty"),
        (lambda: mm.confusion_matrix([0, 1], ["a", "b"]), TypeError, "string"),
        (lambda: mm.roc_auc_score([0, 1], ["x", "y"]), TypeError, "numeric"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()
