"""q08 page: window, gap and validation scheme against the true future error."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.datasets import make_trending_series
from mlhood.explorer._spec import Page, SeededParams, bars, chart, line, result, slider
from mlhood.metrics import mean_squared_error
from mlhood.model_selection import BlockedKFold, KFold, TimeSeriesSplit
from mlhood.tree import DecisionTreeRegressor

N, FOLDS, PAST = 300, 5, 0.75
SCHEMES = ("kfold_shuffled", "kfold", "blocked", "time_series")


class Params(SeededParams):
    scheme: Literal[SCHEMES] = Field("kfold_shuffled", description="Validation scheme.")
    window: int = slider(5, 1, 20, 1, "Lagged values used as features.")
    gap: int = slider(0, 0, 20, 1, "Points skipped between training and validation data.")


def splitter(scheme: str, gap: int, seed: int):
    """The cross-validation splitter of one scheme (K-fold has no gap)."""
    if scheme == "kfold_shuffled":
        return KFold(FOLDS, shuffle=True, random_state=seed)
    if scheme == "kfold":
        return KFold(FOLDS)
    if scheme == "blocked":
        return BlockedKFold(FOLDS, gap=gap)
    return TimeSeriesSplit(FOLDS, gap=gap)


def lagged(series: np.ndarray, window: int):
    """Rows ``[y_{t-window}, ..., y_{t-1}]`` with target ``y_t``."""
    X = np.column_stack([series[k : len(series) - window + k] for k in range(window)])
    return X, series[window:]


def compute(p: Params) -> dict:
    _, series = make_trending_series(N, random_state=p.seed)
    X, y = lagged(series, p.window)
    cut = int(PAST * len(y))
    model = lambda: DecisionTreeRegressor(max_depth=6)  # noqa: E731
    future = model().fit(X[: cut - p.gap], y[: cut - p.gap])
    true_error = mean_squared_error(y[cut:], future.predict(X[cut:]))
    estimates, fold_errors, fold_sets = {}, [], []
    for scheme in SCHEMES:
        errors = []
        for train, test in splitter(scheme, p.gap, p.seed).split(X[:cut]):
            fit = model().fit(X[train], y[train])
            errors.append(mean_squared_error(y[test], fit.predict(X[test])))
            if scheme == p.scheme:
                fold_sets.append(test)
        estimates[scheme] = float(np.mean(errors))
        if scheme == p.scheme:
            fold_errors = errors
    t = np.arange(N)
    traces = [line(t, series, "series", line={"color": "#999"})]
    traces += [
        line(
            test + p.window,
            y[test],
            f"fold {i + 1} validation",
            mode="markers",
            marker={"size": 4},
        )
        for i, test in enumerate(fold_sets)
    ]
    traces.append(
        line(
            t[cut + p.window :],
            y[cut:],
            "the future (true error)",
            mode="markers",
            marker={"size": 4, "color": "black"},
        )
    )
    split_sources = [
        "mlhood.model_selection.KFold.split",
        "mlhood.model_selection.BlockedKFold.split",
        "mlhood.model_selection.TimeSeriesSplit.split",
    ]
    charts = [
        chart(
            "series",
            f"Where {p.scheme} validates",
            traces,
            ["mlhood.datasets.make_trending_series", *split_sources],
            x="t",
            y="y",
        ),
        chart(
            "estimates",
            "Cross-validation estimate against the true future error",
            [
                bars(list(SCHEMES), list(estimates.values()), "CV estimate"),
                line(
                    list(SCHEMES),
                    [true_error] * len(SCHEMES),
                    "true future error",
                    mode="lines",
                    line={"dash": "dash", "color": "red"},
                ),
            ],
            [*split_sources, "mlhood.tree.DecisionTreeRegressor.fit"],
            y="mean squared error",
        ),
        chart(
            "folds",
            f"Error per fold ({p.scheme})",
            [bars([f"fold {i + 1}" for i in range(len(fold_errors))], fold_errors, "fold MSE")],
            ["mlhood.metrics.mean_squared_error"],
            y="mean squared error",
        ),
    ]
    numbers = {
        "true future error": true_error,
        f"{p.scheme} estimate": estimates[p.scheme],
        "estimate / truth": estimates[p.scheme] / true_error,
    }
    return result(charts, numbers)


PAGE = Page(
    "q08",
    "Cross-validation on a time series",
    "Switch between shuffled K-fold, K-fold, blocked K-fold and forward (time-series) "
    "validation, change the lag window and the gap, and compare each scheme's estimate with "
    "the error the model really makes on the future.",
    Params,
    compute,
)
