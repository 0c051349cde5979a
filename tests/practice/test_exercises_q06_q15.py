"""q06-q15 graders on wrong solutions they were not built from: each fails, none is misnamed.

The catalogue's mistakes are checked by ``test_exercises.py``; these are other plausible
slips (a sign, a strict inequality, a denominator), graded in-process, plus a few files
through the sandbox.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest
from scipy import stats

from mlhood.practice import exercises
from mlhood.practice._exercise import grade
from mlhood.practice._sandbox import check_file
from mlhood.practice.exercises import q07, q08, q10, q12, q15, with_references


def _ztest_sign_flipped(successes_a, n_a, successes_b, n_b):
    p = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(p * (1 - p) * (1 / n_a + 1 / n_b)) or 1.0
    z = (successes_a / n_a - successes_b / n_b) / se
    return z, 2 * stats.norm.sf(abs(z))


def _student_pooled(a, b):
    result = stats.ttest_ind(a, b, equal_var=True)
    return result.statistic, result.pvalue


def _sample_size_one_sided(p_control, p_treatment, alpha=0.05, power=0.8, ratio=1.0):
    z = stats.norm.ppf(1 - alpha) + stats.norm.ppf(power)
    variance = p_control * (1 - p_control) + p_treatment * (1 - p_treatment) / ratio
    return math.ceil(z**2 * variance / (p_treatment - p_control) ** 2)


def _srm_k_degrees(observed_counts, expected_shares):
    observed = np.asarray(observed_counts, dtype=float)
    expected = observed.sum() * np.asarray(expected_shares) / np.sum(expected_shares)
    return stats.chi2.sf(np.sum((observed - expected) ** 2 / expected), observed.size)


def _soft_threshold_no_sign(z, t):
    return np.maximum(np.abs(np.asarray(z, dtype=float)) - t, 0.0)


def _lasso_backwards_sweep(X, y, alpha, n_iter):
    # coordinates visited p-1, ..., 0: the same fixed point, other iterates
    order = np.arange(np.shape(X)[1])[::-1]
    return q07.lasso_coordinate_descent(np.asarray(X)[:, order], y, alpha, n_iter)[
        np.argsort(order)
    ]


def _alpha_max_centred(X, y):
    y = np.asarray(y, dtype=float)
    return float(np.max(np.abs(np.asarray(X).T @ (y - y.mean()))) / len(y))


def _ridge_without_intercept(X, y, alphas):
    X = np.asarray(X, dtype=float)
    p = X.shape[1]
    coefs = np.array([np.linalg.solve(X.T @ X + a * np.eye(p), X.T @ y) for a in alphas])
    return coefs, np.zeros(len(alphas))


def _kfold_remainder_last(n_samples, n_splits):
    size = n_samples // n_splits
    bounds = [i * size for i in range(n_splits)] + [n_samples]
    index = np.arange(n_samples)
    return [
        (np.r_[index[:start], index[stop:]], index[start:stop])
        for start, stop in zip(bounds[:-1], bounds[1:])
    ]


def _kfold_as_time_series(n_samples, n_splits, test_size=None, gap=0):
    return q08.kfold_indices(n_samples, n_splits)


def _blocked_gap_one_too_wide(n_samples, n_splits, gap=0):
    index = np.arange(n_samples)
    return [
        (index[(index < test[0] - gap - 1) | (index > test[-1] + gap + 1)], test)
        for _, test in q08.kfold_indices(n_samples, n_splits)
    ]


def _features_linear_head(X, weights, biases):
    h = np.asarray(X, dtype=float)
    for i, (W, b) in enumerate(zip(weights, biases)):
        h = h @ W.T + b
        if i < len(weights) - 1:
            h = np.maximum(h, 0.0)
    return h


def _fine_tune_decay_from_the_input(params, grads, base_lr, decay):
    return [p - base_lr * decay**i * g for i, (p, g) in enumerate(zip(params, grads))]


def _head_without_bias(features, y, n_classes, lr, n_epochs):
    from mlhood.practice.exercises.q09 import train_linear_head

    W, b = train_linear_head(features, y, n_classes, lr, n_epochs)
    return W, np.zeros_like(b)


def _iqr_inclusive(x, k=1.5):
    q1, q3 = np.quantile(x, [0.25, 0.75])
    return (x <= q1 - k * (q3 - q1)) | (x >= q3 + k * (q3 - q1))


def _iqr_nearest_quantiles(x, k=1.5):
    q1, q3 = np.quantile(x, [0.25, 0.75], method="nearest")
    return (x < q1 - k * (q3 - q1)) | (x > q3 + k * (q3 - q1))


def _zscore_with_std(x):
    x = np.asarray(x, dtype=float)
    return (x - x.mean()) / x.std()


def _mahalanobis_squared(X, location, covariance):
    return q10.mahalanobis_distances(X, location, covariance) ** 2


def _adam_eps_inside(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return param - lr * m_hat / np.sqrt(v_hat + eps), m, v


def _adamw_decay_after(
    param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2
):
    from mlhood.practice.exercises.q11 import adam_step

    new, m, v = adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)
    return new - lr * weight_decay * new, m, v


def _momentum_lr_inside(param, grad, velocity, lr=0.01, momentum=0.9):
    velocity = momentum * velocity - lr * grad
    return param + velocity, velocity


def _batches_global_random(n_samples, batch_size, rng):
    order = np.random.default_rng().permutation(n_samples)  # not the rng given
    return [order[i : i + batch_size] for i in range(0, n_samples, batch_size)]


def _auc_ties_as_wins(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores)
    return float((scores[y_true == 1][:, None] >= scores[y_true == 0][None, :]).mean())


def _roc_without_origin(y_true, scores):
    fpr, tpr, thresholds = q12.roc_curve_points(y_true, scores)
    return fpr[1:], tpr[1:], thresholds[1:]


def _ap_trapezoid(y_true, scores):
    from sklearn.metrics import auc, precision_recall_curve

    precision, recall, _ = precision_recall_curve(y_true, scores)
    return auc(recall, precision)


def _early_stopping_non_strict(train_losses, val_losses, patience):
    best, best_epoch, waited = np.inf, 0, 0
    for epoch, loss in enumerate(val_losses):
        if loss <= best:
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            if waited >= patience:
                break
    return best_epoch


def _early_stopping_no_patience(train_losses, val_losses, patience):
    return int(np.argmin(val_losses))


def _split_test_is_last(n_samples, n_val, n_test, rng):
    order = np.arange(n_samples)
    return order[: n_samples - n_val - n_test], order[-n_test - n_val : -n_test], order[-n_test:]


def _nested_inner_positions(n_samples, outer_splits, inner_splits):
    # inner indices left as positions in outer_train, not mapped back to row numbers
    return [
        (train, test, q08.kfold_indices(len(train), inner_splits))
        for train, test in q08.kfold_indices(n_samples, outer_splits)
    ]


def _one_hot_sorted_columns(values, categories, handle_unknown="error"):
    from mlhood.practice.exercises.q14 import one_hot

    return one_hot(values, sorted(categories), handle_unknown)


def _label_order_of_appearance(values):
    classes = np.array(list(dict.fromkeys(values)))
    return np.array([list(classes).index(v) for v in values]), classes


def _target_encoding_global_prior(values, y, n_splits, smoothing=1.0):
    values, y = np.asarray(values, dtype=object), np.asarray(y, dtype=float)
    encoded = np.empty(len(y))
    for others, fold in q08.kfold_indices(len(y), n_splits):
        for i in fold:
            same = others[values[others] == values[i]]
            encoded[i] = (y[same].sum() + smoothing * y.mean()) / (same.size + smoothing)
    return encoded


def _pca_biased_variance(X, n_components):
    components, variance = q15.pca_svd(X, n_components)
    return components, variance * (len(X) - 1) / len(X)


def _pca_columns(X, n_components):
    components, variance = q15.pca_svd(X, n_components)
    return components.T, variance


def _manhattan(A, B):
    return np.abs(np.asarray(A)[:, None, :] - np.asarray(B)[None, :, :]).sum(axis=2)


def _knn_largest_label_wins(X_train, y_train, X_test, k):
    nearest = np.argsort(q15.pairwise_distances(X_test, X_train), axis=1, kind="stable")[:, :k]
    votes = [np.bincount(np.asarray(y_train)[row], minlength=8) for row in nearest]
    return np.array([len(v) - 1 - np.argmax(v[::-1]) for v in votes])


WRONG = {
    "two_proportion_ztest": _ztest_sign_flipped,
    "welch_ttest": _student_pooled,
    "sample_size_two_proportions": _sample_size_one_sided,
    "srm_pvalue": _srm_k_degrees,
    "soft_threshold": _soft_threshold_no_sign,
    "lasso_coordinate_descent": _lasso_backwards_sweep,
    "lasso_alpha_max": _alpha_max_centred,
    "ridge_path": _ridge_without_intercept,
    "kfold_indices": _kfold_remainder_last,
    "time_series_splits": _kfold_as_time_series,
    "blocked_kfold": _blocked_gap_one_too_wide,
    "extract_features": _features_linear_head,
    "fine_tune_step": _fine_tune_decay_from_the_input,
    "train_linear_head": _head_without_bias,
    "iqr_outliers": [_iqr_inclusive, _iqr_nearest_quantiles],
    "modified_zscore": _zscore_with_std,
    "mahalanobis_distances": _mahalanobis_squared,
    "adam_step": _adam_eps_inside,
    "adamw_step": _adamw_decay_after,
    "sgd_momentum_step": _momentum_lr_inside,
    "minibatch_indices": _batches_global_random,
    "roc_auc": _auc_ties_as_wins,
    "roc_curve_points": _roc_without_origin,
    "average_precision": _ap_trapezoid,
    "early_stopping_epoch": [_early_stopping_non_strict, _early_stopping_no_patience],
    "train_val_test_indices": _split_test_is_last,
    "nested_cv_indices": _nested_inner_positions,
    "one_hot": _one_hot_sorted_columns,
    "label_encode": _label_order_of_appearance,
    "target_encode": _target_encoding_global_prior,
    "pca_svd": [_pca_biased_variance, _pca_columns],
    "pairwise_distances": _manhattan,
    "knn_predict": _knn_largest_label_wins,
}
CASES = [
    (exercise_id, wrong)
    for exercise_id, wrongs in WRONG.items()
    for wrong in (wrongs if isinstance(wrongs, list) else [wrongs])
]


@pytest.mark.parametrize(("exercise_id", "wrong"), CASES, ids=[w.__name__ for _, w in CASES])
def test_an_unseen_wrong_solution_fails_without_a_wrong_name(exercise_id, wrong):
    exercise = exercises.get(exercise_id)
    report = grade(exercise, with_references(exercise, wrong))
    assert not report.passed
    failed = [c for c in report.checks if not c.passed]
    assert all(c.message and c.message != "ok" for c in failed)
    assert report.mistake is None, f"named {report.mistake} for {wrong.__name__}"


def test_every_q06_q15_exercise_has_an_unseen_wrong_solution():
    ours = {e.id for e in exercises.all_exercises().values() if e.question >= "q06"}
    assert ours == set(WRONG)
    assert len(ours) >= 30


def test_a_failure_shows_the_smallest_input_and_is_deterministic():
    exercise = exercises.get("iqr_outliers")
    messages = [
        [c.message for c in grade(exercise, with_references(exercise, _iqr_inclusive)).checks]
        for _ in range(2)
    ]
    assert messages[0] == messages[1]
    assert "smallest failing input" in "".join(messages[0])


SANDBOXED = {
    "time_series_splits": (
        """
        import numpy as np

        def time_series_splits(n_samples, n_splits, test_size=None, gap=0):
            size = test_size or n_samples // (n_splits + 1)
            starts = [n_samples - (n_splits - i) * size for i in range(n_splits)]
            return [(np.arange(s), np.arange(s, s + size)) for s in starts]
        """,
        "timeseries-gap-ignored",
    ),
    "roc_auc": (
        """
        def roc_auc(y_true, scores):
            pos = [s for s, y in zip(scores, y_true) if y == 1]
            neg = [s for s, y in zip(scores, y_true) if y == 0]
            return sum(p > n for p in pos for n in neg) / (len(pos) * len(neg))
        """,
        "auc-step-not-trapezoid",
    ),
    "one_hot": (
        """
        import numpy as np

        def one_hot(values, categories, handle_unknown="error"):
            out = np.zeros((len(values), len(categories)))
            for i, v in enumerate(values):
                out[i, list(categories).index(v) if v in categories else -1] = 1
            return out
        """,
        "onehot-unknown-to-known",
    ),
    "pca_svd": (
        """
        import numpy as np

        def pca_svd(X, n_components):
            Xc = X - X.mean(axis=0)
            _, s, vt = np.linalg.svd(Xc, full_matrices=False)
            return vt[:n_components], s[:n_components] ** 2 / (len(X) - 1)
        """,
        None,
    ),
}


@pytest.mark.parametrize("exercise_id", SANDBOXED)
def test_learner_files_through_the_sandbox(tmp_path, exercise_id):
    body, mistake = SANDBOXED[exercise_id]
    path = tmp_path / f"{exercise_id}.py"
    path.write_text(textwrap.dedent(body))
    report = check_file(exercise_id, path, timeout=30.0).report
    assert report.passed is (mistake is None), report.checks
    assert report.mistake == mistake


def _returns_none(*args):
    return None


def _returns_text(*args):
    return "a string"


def _returns_nan(*args):
    return np.full(3, np.nan)


def _raises(*args):
    raise ZeroDivisionError("division by zero")


GARBAGE = [_returns_none, _returns_text, _returns_nan, _raises]
OURS = sorted(WRONG)


@pytest.mark.parametrize("exercise_id", OURS)
def test_garbage_gets_a_clear_failed_verdict(exercise_id):
    garbage = GARBAGE[OURS.index(exercise_id) % len(GARBAGE)]
    exercise = exercises.get(exercise_id)
    report = grade(exercise, with_references(exercise, garbage))
    assert not report.passed and report.mistake is None
    messages = [c.message for c in report.checks if not c.passed]
    assert messages and all(m.strip() and "Traceback" not in m for m in messages)
