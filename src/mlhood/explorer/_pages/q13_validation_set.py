"""q13 page: the number of models compared on one test set against its optimism."""

from __future__ import annotations

import numpy as np

from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider
from mlhood.linear_model import Ridge
from mlhood.metrics import accuracy_score
from mlhood.model_selection import KFold, cross_val_score

D, SUBSET, N_TRAIN, N_FRESH = 30, 5, 200, 2000


class Params(SeededParams):
    n_models: int = slider(20, 1, 60, 1, "Models compared on the same test set.")
    test_size: int = slider(100, 50, 500, 10, "Rows in the test set.")


def sign_accuracy(model, X, y) -> float:
    """Accuracy of a ridge fitted to +-1 labels, predicting the sign (a CV scorer; the
    share of agreeing signs, without a validated metric's overhead on 300 calls)."""
    return float(np.mean((model.predict(X) > 0) == (y > 0)))


def compute(p: Params) -> dict:
    """Every model is a ridge classifier on x_0 (the signal) and 4 random noise features.

    All models are about equally good, so the best test score among many is mostly luck.
    The honest protocol chooses by 5-fold cross-validation on the training rows (the
    validation folds) and reports the winner's test accuracy once.
    """
    rng = np.random.default_rng(p.seed)
    n = N_TRAIN + p.test_size + N_FRESH
    X = rng.standard_normal((n, D))
    y = (0.5 * X[:, 0] + rng.standard_normal(n) > 0).astype(int)
    train, test = slice(0, N_TRAIN), slice(N_TRAIN, N_TRAIN + p.test_size)
    fresh = slice(N_TRAIN + p.test_size, n)
    signs = 2.0 * y[train] - 1
    test_acc, fresh_acc, cv_acc = [], [], []
    for _ in range(p.n_models):
        cols = np.r_[0, 1 + rng.choice(D - 1, SUBSET - 1, replace=False)]
        folds = cross_val_score(
            Ridge(alpha=1.0), X[train][:, cols], signs, scoring=sign_accuracy, cv=KFold(5)
        )
        cv_acc.append(folds.mean())
        model = Ridge(alpha=1.0).fit(X[train][:, cols], signs)
        predict = lambda rows: (model.predict(X[rows][:, cols]) > 0).astype(int)  # noqa: E731, B023
        test_acc.append(accuracy_score(y[test], predict(test)))
        fresh_acc.append(accuracy_score(y[fresh], predict(fresh)))
    test_acc, fresh_acc, cv_acc = np.array(test_acc), np.array(fresh_acc), np.array(cv_acc)
    best_so_far = np.maximum.accumulate(test_acc)
    chosen = np.array([np.argmax(test_acc[: k + 1]) for k in range(p.n_models)])
    by_cv = np.array([np.argmax(cv_acc[: k + 1]) for k in range(p.n_models)])
    k = np.arange(1, p.n_models + 1)
    sources = ["mlhood.linear_model.Ridge.fit", "mlhood.metrics.accuracy_score"]
    cv_sources = [
        *sources,
        "mlhood.model_selection.cross_val_score",
        "mlhood.model_selection.KFold.split",
    ]
    charts = [
        chart(
            "models",
            "Each model: test accuracy against accuracy on fresh data",
            [
                line(test_acc, fresh_acc, "model", mode="markers"),
                line(
                    [test_acc.max()],
                    [fresh_acc[chosen[-1]]],
                    "the winner on the test set",
                    mode="markers",
                    marker={"size": 14, "color": "#d62728"},
                ),
                line([0.4, 0.9], [0.4, 0.9], "equal", line={"dash": "dot", "color": "#999"}),
            ],
            sources,
            x="test-set accuracy",
            y="fresh-data accuracy",
        ),
        chart(
            "optimism",
            "Chosen on the test set: the best test score so far against its fresh-data score",
            [
                line(k, best_so_far, "best test accuracy (what you would report)"),
                line(k, fresh_acc[chosen], "its accuracy on fresh data (the truth)"),
            ],
            sources,
            x="models compared",
            y="accuracy",
        ),
        chart(
            "validation",
            "Chosen by 5-fold cross-validation on the training rows, reported on the test set",
            [
                line(k, np.maximum.accumulate(cv_acc), "best CV accuracy (used to choose)"),
                line(k, test_acc[by_cv], "its test accuracy (what you report)"),
                line(k, fresh_acc[by_cv], "its accuracy on fresh data (the truth)"),
            ],
            cv_sources,
            x="models compared",
            y="accuracy",
        ),
    ]
    numbers = {
        "best test accuracy": best_so_far[-1],
        "its fresh accuracy": fresh_acc[chosen[-1]],
        "optimism": best_so_far[-1] - fresh_acc[chosen[-1]],
        "CV winner's test accuracy": test_acc[by_cv[-1]],
        "CV winner's fresh accuracy": fresh_acc[by_cv[-1]],
        "mean fresh accuracy of all models": fresh_acc.mean(),
    }
    return result(charts, numbers)


PAGE = Page(
    "q13",
    "Choosing on the test set",
    "Compare more and more models on the same test set and report the best: the reported "
    "score climbs while the winner's accuracy on fresh data does not. Choose by "
    "cross-validation on the training rows instead and the test score stays an honest "
    "estimate of the winner's accuracy.",
    Params,
    compute,
)
