"""q09 page: labels per class and frozen / fine-tuned / scratch training on digits.

The source network (digits 0-4) is trained once per seed and kept in the worker process
(:func:`~mlhood.explorer._spec.worker_cache`); each request trains only on the few target labels.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood import nn
from mlhood.datasets import load_digits
from mlhood.explorer._spec import (
    Page,
    SeededParams,
    bars,
    chart,
    line,
    result,
    slider,
    worker_cache,
)

F32, STEPS, METHODS = np.float32, 40, ("scratch", "frozen", "fine_tuned")


class Params(SeededParams):
    method: Literal[METHODS] = Field("frozen", description="How the target net is trained.")
    labels_per_class: int = slider(5, 1, 50, 1, "Labelled target examples per class.")


def _mlp(seed: int, n_out: int = 5) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(64, 64, dtype=F32, random_state=seed),
        nn.ReLU(),
        nn.Linear(64, 64, dtype=F32, random_state=seed + 1),
        nn.ReLU(),
        nn.Linear(64, n_out, init="xavier_uniform", dtype=F32, random_state=seed + 2),
    )


@worker_cache(maxsize=4)
def tasks_and_source(seed: int):
    """Source task digits 0-4 (a net trained on it), target task digits 5-9 (pool, test)."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(F32)
    order = np.random.default_rng(seed).permutation(len(y))
    X, y = X[order], y[order]
    source = _mlp(seed)
    nn.fit(
        source,
        X[y < 5],
        y[y < 5],
        nn.CrossEntropyLoss(),
        nn.Adam(source.parameters(), lr=3e-3),
        batch_size=128,
        epochs=15,
        monitor=False,
        random_state=seed,
    )
    target_X, target_y = X[y >= 5], y[y >= 5] - 5
    half = len(target_y) // 2
    return source, (target_X[:half], target_y[:half]), (target_X[half:], target_y[half:])


def _accuracy(model, X, y) -> float:
    model.eval()
    value = float(np.mean(model.forward(X).argmax(axis=1) == y))
    model.train()
    return value


def train(method: str, source, X, y, Xt, yt, seed: int) -> list[float]:
    """Train one method on the few labels; test accuracy after every step."""
    if method == "scratch":
        model = _mlp(seed + 100)
        optimizer = nn.Adam(model.parameters(), lr=3e-3)
    elif method == "frozen":
        model = nn.freeze(nn.replace_head(source, 5, random_state=seed), [0, 2])
        optimizer = nn.Adam(model.parameters(), lr=1e-2)
    else:
        model = nn.replace_head(source, 5, random_state=seed)
        optimizer = nn.Adam(nn.layer_param_groups(model, 1e-2, {0: 1e-3, 2: 1e-3}))
    curve = []
    for _ in range(STEPS // 5):
        nn.fit(
            model,
            X,
            y,
            nn.CrossEntropyLoss(),
            optimizer,
            batch_size=None,
            epochs=5,
            monitor=False,
            random_state=seed,
        )
        curve.append(_accuracy(model, Xt, yt))
    return curve


def compute(p: Params) -> dict:
    source, (X_pool, y_pool), (X_test, y_test) = tasks_and_source(p.seed)
    rng = np.random.default_rng(p.seed)
    picked = np.concatenate(
        [
            rng.choice(np.flatnonzero(y_pool == c), p.labels_per_class, replace=False)
            for c in range(5)
        ]
    )
    curves = {
        m: train(m, source, X_pool[picked], y_pool[picked], X_test, y_test, p.seed)
        for m in METHODS
    }
    steps = np.arange(5, STEPS + 1, 5)
    sources = [
        "mlhood.nn.replace_head",
        "mlhood.nn.freeze",
        "mlhood.nn.layer_param_groups",
        "mlhood.nn.fit",
    ]
    charts = [
        chart(
            "curve",
            f"Target test accuracy while training ({p.method} in bold)",
            [
                line(
                    steps,
                    curves[m],
                    m,
                    mode="lines+markers",
                    line={"width": 4 if m == p.method else 1.5},
                )
                for m in METHODS
            ],
            sources,
            x="full-batch steps",
            y="test accuracy",
        ),
        chart(
            "final",
            f"After {STEPS} steps with {p.labels_per_class} labels per class",
            [
                bars(
                    list(METHODS),
                    [curves[m][-1] for m in METHODS],
                    "test accuracy",
                    marker={"color": ["#d62728" if m == p.method else "#1f77b4" for m in METHODS]},
                )
            ],
            sources,
            y="test accuracy",
            yaxis={"range": [0, 1]},
        ),
    ]
    numbers = {f"{m} accuracy": curves[m][-1] for m in METHODS}
    numbers["labelled examples"] = len(picked)
    return result(charts, numbers)


PAGE = Page(
    "q09",
    "Transfer learning with few labels",
    "A net trained on digits 0-4 is reused for digits 5-9. Slide the number of labels per "
    "class and compare a frozen feature extractor, fine-tuning and training from scratch.",
    Params,
    compute,
)
