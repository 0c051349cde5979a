"""Plausible wrong solutions for q01-q05 beyond the catalogue: each fails, none is misnamed."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mlhood.practice._exercise import grade
from mlhood.practice.exercises import all_exercises, q01, q03, q05, with_references


def ridge_no_intercept(X, y, alpha):
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y), 0.0


def ridge_alpha_over_n(X, y, alpha):
    return q01.ridge_closed_form(X, y, alpha / len(y))


def gini_threshold_at_left_value(x, y):
    threshold, decrease = q01.gini_best_split(x, y)
    return (None, 0.0) if threshold is None else (x[x < threshold].max(), decrease)


def gini_counts_not_proportions(x, y):
    threshold, decrease = q01.gini_best_split(x, y)
    return threshold, decrease * len(x)


def bootstrap_oob_inverted(n_samples, rng):
    indices, oob = q01.bootstrap_sample(n_samples, rng)
    return indices, ~oob


def linear_dw_transposed(dout, x, W):
    return dout @ W, x.T @ dout, dout.sum(axis=0)


def relu_times_x(dout, x):
    return dout * np.maximum(x, 0)


def he_lecun_variance(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(1 / fan_in), (fan_out, fan_in))


def he_fan_out(fan_in, fan_out, rng):
    return rng.normal(0, np.sqrt(2 / fan_out), (fan_out, fan_in))


def dropout_scaled_by_p(x, p, rng):
    mask = (rng.random(x.shape) < 1 - p) / max(p, 1e-12)
    return x * mask, mask


def dropout_shared_across_rows(x, p, rng):
    mask = (rng.random(x.shape[-1]) < 1 - p) / (1 - p)
    return x * mask, mask


def dropout_backward_double_scale(dout, cache):
    return dout * cache / (cache.max() or 1.0)


def dropout_layer_scales_at_eval(x, p, rng, training):
    return q03.dropout_forward(x, p, rng)[0] if training else x * (1 - p)


def ei_no_xi(mu, sigma, best, xi=0.0):
    from mlhood.practice.exercises.q04 import expected_improvement

    return expected_improvement(mu, sigma, best, 0.0)


def ei_positive_part_at_zero_sigma(mu, sigma, best, xi=0.0):
    from mlhood.practice.exercises.q04 import expected_improvement

    ei = expected_improvement(mu, sigma, best, xi)
    return np.where(np.asarray(sigma) == 0, np.maximum(best - np.asarray(mu) - xi, 0), ei)


def random_search_grid(objective, bounds, n_trials, rng):
    k = int(np.ceil(n_trials ** (1 / len(bounds))))
    points = list(itertools.product(*[np.linspace(lo, hi, k) for lo, hi in bounds]))
    values = [objective(np.array(p)) for p in points[:n_trials]]
    best = int(np.argmin(values))
    return np.array(points[best]), values[best]


def random_search_keeps_max(objective, bounds, n_trials, rng):
    points = rng.uniform(bounds[:, 0], bounds[:, 1], (n_trials, len(bounds)))
    values = [objective(p) for p in points]
    return points[int(np.argmax(values))], max(values)


def log_uniform_plain_uniform(low, high, size, rng):
    return rng.uniform(low, high, size)


def ce_summed_loss(logits, y):
    loss, grad = q05.softmax_cross_entropy(logits, y)
    return loss * len(y), grad


def ce_log_of_softmax(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    grad = p.copy()
    grad[np.arange(len(y)), y] -= 1
    return float(-np.log(p[np.arange(len(y)), y]).mean()), grad / len(y)


def log_softmax_min_shift(logits):
    shifted = logits - logits.min(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def bce_naive_logs(logits, y):
    s = 1 / (1 + np.exp(-logits))
    loss = -(y * np.log(s) + (1 - y) * np.log(1 - s)).mean()
    return float(loss), (s - y) / len(y)


WRONG = {
    "ridge_closed_form": [ridge_no_intercept, ridge_alpha_over_n],
    "gini_best_split": [gini_threshold_at_left_value, gini_counts_not_proportions],
    "bootstrap_sample": [bootstrap_oob_inverted],
    "linear_backward": [linear_dw_transposed],
    "relu_backward": [relu_times_x],
    "he_init": [he_lecun_variance, he_fan_out],
    "dropout_forward": [dropout_scaled_by_p, dropout_shared_across_rows],
    "dropout_backward": [dropout_backward_double_scale],
    "dropout_layer": [dropout_layer_scales_at_eval],
    "expected_improvement": [ei_no_xi, ei_positive_part_at_zero_sigma],
    "random_search": [random_search_grid, random_search_keeps_max],
    "log_uniform": [log_uniform_plain_uniform],
    "softmax_cross_entropy": [ce_summed_loss, ce_log_of_softmax],
    "log_softmax": [log_softmax_min_shift],
    "binary_cross_entropy_with_logits": [bce_naive_logs],
}
CASES = [(exercise_id, wrong) for exercise_id, wrongs in WRONG.items() for wrong in wrongs]


@pytest.mark.parametrize(("exercise_id", "wrong"), CASES, ids=[w.__name__ for _, w in CASES])
def test_wrong_solution_fails_and_is_not_misnamed(exercise_id, wrong):
    exercise = all_exercises()[exercise_id]
    with np.errstate(all="ignore"):
        report = grade(exercise, with_references(exercise, wrong))
    assert not report.passed
    assert report.mistake is None
