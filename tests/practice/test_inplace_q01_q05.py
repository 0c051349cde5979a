"""Correct solutions that overwrite their inputs in place still pass: graders pass copies."""

from __future__ import annotations

import numpy as np

from mlhood.practice._exercise import Solution, grade
from mlhood.practice.exercises import all_exercises


def dropout_forward(x, p, rng):
    mask = (rng.random(x.shape) < 1 - p) / (1 - p)
    x *= mask
    return x, mask


def dropout_backward(dout, cache):
    dout *= cache
    return dout


def softmax_cross_entropy(logits, y):
    n = len(y)
    logits -= logits.max(axis=1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=1, keepdims=True))  # log-softmax, in place
    loss = -logits[np.arange(n), y].mean()
    np.exp(logits, out=logits)
    logits[np.arange(n), y] -= 1
    logits /= n
    return loss, logits


def ridge_closed_form(X, y, alpha):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    X -= x_mean
    y -= y_mean
    coef = np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)
    return coef, y_mean - x_mean @ coef


def test_in_place_solutions_pass():
    functions = {f.__name__: f for f in (dropout_forward, dropout_backward, ridge_closed_form)}
    functions["softmax_cross_entropy"] = softmax_cross_entropy
    for name, function in functions.items():
        report = grade(all_exercises()[name], Solution(function, functions))
        assert report.passed, (name, [c.message for c in report.checks if not c.passed])
