"""q14 page: cardinality and encoding against how well a linear model fits the categories."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.datasets import make_nominal_effect
from mlhood.explorer._spec import Page, SeededParams, bars, chart, line, result, slider, vline
from mlhood.linear_model import Ridge
from mlhood.metrics import r2_score
from mlhood.preprocessing import OneHotEncoder, OrdinalEncoder
from mlhood.tree import DecisionTreeRegressor

CARDINALITIES = (3, 5, 10, 20, 50, 100)
N = 1000


class Params(SeededParams):
    n_categories: int = slider(16, 3, 100, 1, "Number of categories (cardinality).")
    encoding: Literal["one_hot", "label"] = Field(
        "one_hot", description="How categories become numbers."
    )
    model: Literal["linear", "tree"] = Field("linear", description="The model on the encoding.")


def fit_score(k: int, encoding: str, model: str, seed: int):
    """Validation R^2 and the per-category predictions of one encoding and model."""
    X, y, _ = make_nominal_effect(2 * N, k, random_state=seed)
    encoder = OneHotEncoder(handle_unknown="ignore") if encoding == "one_hot" else OrdinalEncoder()
    Z = np.asarray(encoder.fit(X[:N]).transform(X))
    Z = Z.toarray() if hasattr(Z, "toarray") else Z
    fitted = Ridge(alpha=1e-3) if model == "linear" else DecisionTreeRegressor(max_depth=8)
    fitted.fit(Z[:N], y[:N])
    levels = np.unique(X[:N, 0])
    level_rows = [np.flatnonzero(X[:N, 0] == c)[0] for c in levels]
    return (
        r2_score(y[N:], fitted.predict(Z[N:])),
        levels,
        fitted.predict(Z[level_rows]),
        [y[:N][X[:N, 0] == c].mean() for c in levels],
    )


@lru_cache(maxsize=32)
def r2_by_cardinality(model: str, seed: int) -> dict[str, list[float]]:
    """Validation R^2 of both encodings at each of :data:`CARDINALITIES` (kept per worker)."""
    return {
        enc: [fit_score(k, enc, model, seed)[0] for k in CARDINALITIES]
        for enc in ("one_hot", "label")
    }


def compute(p: Params) -> dict:
    score, levels, predicted, means = fit_score(p.n_categories, p.encoding, p.model, p.seed)
    curves = r2_by_cardinality(p.model, p.seed)
    enc_sources = [
        "mlhood.preprocessing.OneHotEncoder.transform",
        "mlhood.preprocessing.OrdinalEncoder.transform",
    ]
    model_source = (
        "mlhood.linear_model.Ridge.fit"
        if p.model == "linear"
        else "mlhood.tree.DecisionTreeRegressor.fit"
    )
    index = np.arange(len(levels))
    charts = [
        chart(
            "levels",
            f"Each category: mean target and the {p.model} model on {p.encoding}",
            [
                bars(index, means, "mean target in training data"),
                line(index, predicted, "model's prediction", mode="lines+markers"),
            ],
            ["mlhood.datasets.make_nominal_effect", *enc_sources, model_source],
            x="category code",
            y="target",
        ),
        chart(
            "cardinality",
            f"Validation R² against cardinality ({p.model} model)",
            [line(CARDINALITIES, curves[enc], enc, mode="lines+markers") for enc in curves],
            [*enc_sources, model_source, "mlhood.metrics.r2_score"],
            x="categories",
            y="R²",
            xlog=True,
            shapes=[vline(p.n_categories)],
        ),
    ]
    numbers = {
        "validation R²": score,
        "features after encoding": len(levels) if p.encoding == "one_hot" else 1,
    }
    return result(charts, numbers)


PAGE = Page(
    "q14",
    "One-hot against label encoding",
    "Raise the number of categories, switch between one-hot and label (ordinal) encoding and "
    "between a linear model and a tree: a linear model on label codes sees a meaningless "
    "order and explains almost nothing; one-hot fits each category.",
    Params,
    compute,
)
