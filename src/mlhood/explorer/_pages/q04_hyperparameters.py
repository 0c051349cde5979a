"""q04 page: grid, random and Bayesian search spending the same budget on one objective."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider
from mlhood.model_selection import Real, Space, minimize

SPACE = Space([Real(-5.0, 0.0, name="log10_lr"), Real(0.0, 1.0, name="momentum")])


class Params(SeededParams):
    method: Literal["grid", "random", "bayes"] = Field("bayes", description="Search method.")
    budget: int = slider(10, 4, 16, 1, "Trials each method may evaluate.")


def surface(log_lr, momentum):
    """A validation-loss surface where the learning rate matters and momentum barely does.

    ``loss = 1 - 0.8 exp(-(log10 lr + 2.3)^2 / 0.6) + 0.05 (momentum - 0.6)^2`` plus a
    gentle ripple in the learning rate: one important and one unimportant
    hyperparameter, the setting where random search beats a grid (Bergstra & Bengio 2012).
    Works on arrays (broadcast) for the contour.
    """
    bump = 0.8 * np.exp(-((log_lr + 2.3) ** 2) / 0.6)
    return 1.0 - bump + 0.05 * (momentum - 0.6) ** 2 + 0.03 * np.sin(4 * log_lr)


def validation_loss(point) -> float:
    """The objective the searches minimise: :func:`surface` at one point."""
    return float(surface(point[0], point[1]))


def compute(p: Params) -> dict:
    lr_axis, m_axis = np.linspace(-5, 0, 60), np.linspace(0, 1, 30)
    losses = surface(lr_axis[None, :], m_axis[:, None])
    best_so_far, chosen = {}, None
    for method in ("grid", "random", "bayes"):
        if method == "bayes" and p.method != "bayes":
            continue
        found = minimize(validation_loss, SPACE, p.budget, method=method, random_state=p.seed)
        values = [t.value for t in found.trials]
        best_so_far[method] = np.minimum.accumulate(values)
        if method == p.method:
            chosen = found
    points = np.array([t.params for t in chosen.trials])
    sources = [
        "mlhood.model_selection.minimize",
        "mlhood.model_selection.Space.sample",
        "mlhood.model_selection.parameter_grid",
    ]
    if p.method == "bayes":
        sources.append("mlhood.model_selection._acquisition.log_expected_improvement")
    charts = [
        chart(
            "surface",
            f"{p.method} search: {p.budget} trials over the validation loss",
            [
                {
                    "type": "contour",
                    "x": lr_axis.tolist(),
                    "y": m_axis.tolist(),
                    "z": losses.tolist(),
                    "colorscale": "Viridis",
                    "name": "validation loss",
                    "contours": {"coloring": "heatmap"},
                },
                line(
                    points[:, 0],
                    points[:, 1],
                    "trials",
                    mode="markers+text",
                    text=[str(i + 1) for i in range(len(points))],
                    textposition="top center",
                    marker={"color": "white", "size": 9, "line": {"color": "black", "width": 1}},
                ),
            ],
            sources,
            x="log10 learning rate",
            y="momentum",
        ),
        chart(
            "progress",
            "Best validation loss so far",
            [
                line(np.arange(1, p.budget + 1), best, method, mode="lines+markers")
                for method, best in best_so_far.items()
            ],
            ["mlhood.model_selection.minimize"],
            x="trial",
            y="best loss",
        ),
    ]
    distinct_lr = len(np.unique(np.round(points[:, 0], 6)))
    numbers = {
        "best loss found": chosen.fun,
        "best log10 lr": chosen.x[0],
        "best momentum": chosen.x[1],
        "distinct learning rates tried": distinct_lr,
        "true minimum": float(losses.min()),
    }
    return result(charts, numbers)


PAGE = Page(
    "q04",
    "Grid, random and Bayesian search",
    "Pick a search method and a budget: see where each trial lands on the validation-loss "
    "surface, how few distinct learning rates a grid tries, and how fast each method finds "
    "the valley.",
    Params,
    compute,
)
