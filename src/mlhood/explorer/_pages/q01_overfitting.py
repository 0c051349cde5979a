"""q01 page: polynomial degree and ridge lambda; tree depth and number of trees."""

from __future__ import annotations

import numpy as np

from mlhood.ensemble import RandomForestRegressor
from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider, vline
from mlhood.linear_model import Ridge
from mlhood.metrics import mean_squared_error
from mlhood.preprocessing import PolynomialFeatures
from mlhood.tree import DecisionTreeRegressor

N_TRAIN, N_VAL = 30, 200
GRID = np.linspace(-1, 1, 121)[:, None]


class Params(SeededParams):
    degree: int = slider(9, 1, 15, 1, "Degree of the polynomial features.")
    log10_lambda: float = slider(-6.0, -8.0, 2.0, 0.5, "Ridge penalty lambda, as log10.")
    max_depth: int = slider(6, 1, 12, 1, "Depth of each tree.")
    n_trees: int = slider(20, 1, 50, 1, "Trees in the random forest (1: a single tree).")


def _truth(x: np.ndarray) -> np.ndarray:
    return np.sin(3 * x) + 0.5 * x


def _data(seed: int):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (N_TRAIN + N_VAL, 1))
    y = _truth(X[:, 0]) + rng.normal(0, 0.3, len(X))
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def _poly_ridge(degree: int, alpha: float, X, y):
    expand = PolynomialFeatures(degree, include_bias=False)
    model = Ridge(alpha=alpha).fit(expand.fit_transform(X), y)
    return lambda Z: model.predict(expand.transform(Z))


def compute(p: Params) -> dict:
    X, y, Xv, yv = _data(p.seed)
    alpha = 10.0**p.log10_lambda
    train_err, val_err = [], []
    for degree in range(1, 16):
        predict = _poly_ridge(degree, alpha, X, y)
        train_err.append(mean_squared_error(y, predict(X)))
        val_err.append(mean_squared_error(yv, predict(Xv)))
    predict = _poly_ridge(p.degree, alpha, X, y)
    tree = DecisionTreeRegressor(max_depth=p.max_depth).fit(X, y)
    forest = RandomForestRegressor(
        n_estimators=p.n_trees, max_depth=p.max_depth, random_state=p.seed
    ).fit(X, y)
    points = line(X[:, 0], y, "training points", mode="markers")
    truth = line(GRID[:, 0], _truth(GRID[:, 0]), "true function", line={"dash": "dot"})
    poly_sources = [
        "mlhood.preprocessing.PolynomialFeatures.transform",
        "mlhood.linear_model.Ridge.fit",
    ]
    tree_sources = [
        "mlhood.tree.DecisionTreeRegressor.fit",
        "mlhood.ensemble.RandomForestRegressor.fit",
    ]
    degrees = np.arange(1, 16)
    charts = [
        chart(
            "poly",
            f"Ridge on degree-{p.degree} polynomial features",
            [points, truth, line(GRID[:, 0], np.clip(predict(GRID), -4, 4), "fitted curve")],
            poly_sources,
            x="x",
            y="y",
        ),
        chart(
            "degree",
            "Training and validation error against the degree",
            [
                line(degrees, train_err, "training MSE", mode="lines+markers"),
                line(degrees, val_err, "validation MSE", mode="lines+markers"),
            ],
            [*poly_sources, "mlhood.metrics.mean_squared_error"],
            x="degree",
            y="mean squared error",
            ylog=True,
            shapes=[vline(p.degree)],
        ),
        chart(
            "trees",
            f"One tree against a forest of {p.n_trees} (depth {p.max_depth})",
            [
                points,
                truth,
                line(GRID[:, 0], tree.predict(GRID), "one tree"),
                line(GRID[:, 0], forest.predict(GRID), "random forest"),
            ],
            tree_sources,
            x="x",
            y="y",
        ),
    ]
    numbers = {
        "polynomial validation MSE": val_err[p.degree - 1],
        "polynomial training MSE": train_err[p.degree - 1],
        "tree validation MSE": mean_squared_error(yv, tree.predict(Xv)),
        "forest validation MSE": mean_squared_error(yv, forest.predict(Xv)),
    }
    return result(charts, numbers)


PAGE = Page(
    "q01",
    "Variance: a high degree, a small lambda, one deep tree",
    "Raise the polynomial degree and watch the fit chase the noise; raise lambda to tame it. "
    "Grow a tree deeper, then average many trees and watch the forest smooth it out.",
    Params,
    compute,
)
