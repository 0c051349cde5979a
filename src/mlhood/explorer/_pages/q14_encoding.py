"""q14 page: cardinality and encoding against how well a linear model fits the categories."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.datasets import make_nominal_effect
from mlhood.explorer._spec import (
    Page,
    SeededParams,
    bars,
    chart,
    line,
    result,
    slider,
    vline,
    worker_cache,
)
from mlhood.linear_model import Ridge
from mlhood.metrics import r2_score
from mlhood.preprocessing import OneHotEncoder, OrdinalEncoder, TargetEncoder
from mlhood.tree import DecisionTreeRegressor

CARDINALITIES = (3, 5, 10, 20, 50, 100)
ENCODINGS = ("one_hot", "label", "target")
N = 1000


class Params(SeededParams):
    n_categories: int = slider(16, 3, 100, 1, "Number of categories (cardinality).")
    encoding: Literal[ENCODINGS] = Field(
        "one_hot",
        description="How categories become numbers: one column per category, the category's "
        "code, or its cross-fitted mean target.",
    )
    model: Literal["linear", "tree"] = Field("linear", description="The model on the encoding.")
    frequencies: Literal["uniform", "zipf"] = Field(
        "uniform",
        description="Category frequencies: all equal, or a few frequent and many rare ones "
        "(rare categories may be missing from the training half).",
    )


def _encoder(encoding: str, seed: int):
    if encoding == "one_hot":
        return OneHotEncoder(handle_unknown="ignore")
    if encoding == "label":
        return OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    return TargetEncoder(random_state=seed)


def fit_score(k: int, encoding: str, model: str, frequencies: str, seed: int):
    """Validation R^2, the categories seen in training, the model's prediction for each and
    their mean target, and how many validation rows hold a category unseen in training."""
    X, y, _ = make_nominal_effect(2 * N, k, frequencies=frequencies, random_state=seed)
    encoder = _encoder(encoding, seed)
    train = encoder.fit_transform(X[:N], y[:N])  # the target encoder cross-fits here
    levels = np.unique(X[:N, 0])
    valid, at_levels = encoder.transform(X[N:]), encoder.transform(levels[:, None])
    fitted = Ridge(alpha=1e-3) if model == "linear" else DecisionTreeRegressor(max_depth=8)
    fitted.fit(train, y[:N])
    return (
        r2_score(y[N:], fitted.predict(valid)),
        levels,
        fitted.predict(at_levels),
        [y[:N][X[:N, 0] == c].mean() for c in levels],
        int((~np.isin(X[N:, 0], levels)).sum()),
    )


@worker_cache(maxsize=32)
def r2_by_cardinality(model: str, frequencies: str, seed: int) -> dict[str, list[float]]:
    """Validation R^2 of every encoding at each of :data:`CARDINALITIES` (kept per worker)."""
    return {
        enc: [fit_score(k, enc, model, frequencies, seed)[0] for k in CARDINALITIES]
        for enc in ENCODINGS
    }


def compute(p: Params) -> dict:
    score, levels, predicted, means, unseen = fit_score(
        p.n_categories, p.encoding, p.model, p.frequencies, p.seed
    )
    curves = r2_by_cardinality(p.model, p.frequencies, p.seed)
    enc_sources = [
        "mlhood.preprocessing.OneHotEncoder.transform",
        "mlhood.preprocessing.OrdinalEncoder.transform",
        "mlhood.preprocessing.TargetEncoder.fit_transform",
        "mlhood.preprocessing.TargetEncoder.transform",
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
        "validation rows of categories unseen in training": unseen,
    }
    return result(charts, numbers)


PAGE = Page(
    "q14",
    "One-hot against label encoding",
    "Raise the number of categories, switch between one-hot and label (ordinal) encoding and "
    "between a linear model and a tree: a linear model on label codes sees a meaningless "
    "order and explains almost nothing; one-hot fits each category, and target encoding "
    "does it in one column. Make the frequencies skewed and see unseen categories arrive.",
    Params,
    compute,
)
