"""q11 page: batch size and step decay against loss per epoch, per second, and the path."""

from __future__ import annotations

import time

import numpy as np

from mlhood import nn
from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider

N, EPOCHS, LR, START = 256, 6, 0.05, (-2.0, 3.0)


class Params(SeededParams):
    log2_batch: int = slider(0, 0, 8, 1, "Batch size as a power of two (0: SGD, 8: full batch).")
    decay: float = slider(
        1.0,
        0.1,
        1.0,
        0.05,
        "Step decay: the learning rate is multiplied by this after every epoch (1: constant).",
    )


def _loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((X @ w - y) ** 2))


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p.seed)
    X = rng.standard_normal((N, 2)) @ np.linalg.cholesky([[1.0, 0.8], [0.8, 1.0]]).T
    y = X @ np.array([2.0, -1.0]) + rng.standard_normal(N)
    w_opt = np.linalg.solve(X.T @ X, X.T @ y)
    batch = 2**p.log2_batch
    model = nn.Sequential(nn.Linear(2, 1, bias=False))
    model[0].weight.data[0] = START
    optimizer = nn.SGD(model.parameters(), lr=LR)
    scheduler, mse = nn.StepLR(optimizer, step_size=1, gamma=p.decay), nn.MSELoss()
    path, losses, seconds = [np.array(START)], [_loss(np.array(START), X, y)], [0.0]
    for _ in range(EPOCHS):
        start = time.perf_counter()
        order = rng.permutation(N)
        for first in range(0, N, batch):
            rows = order[first : first + batch]
            mse.forward(model.forward(X[rows]), y[rows, None])
            model.backward(mse.backward(), need_input_grad=False)
            optimizer.step()
            path.append(model[0].weight.data[0].copy())
        seconds.append(seconds[-1] + time.perf_counter() - start)
        scheduler.step()
        losses.append(_loss(path[-1], X, y))
    path = np.array(path)
    a, b = np.linspace(-3, 4, 50), np.linspace(-3, 4, 50)
    surface = [[_loss(np.array([u, v]), X, y) for u in a] for v in b]
    sources = [
        "mlhood.nn.SGD.step",
        "mlhood.nn.StepLR.step",
        "mlhood.nn.MSELoss.backward",
        "mlhood.nn.Linear.backward",
    ]
    excess = np.maximum(np.array(losses) - _loss(w_opt, X, y), 1e-9)
    charts = [
        chart(
            "path",
            f"Weights after each of {len(path) - 1} updates (batch {batch})",
            [
                {
                    "type": "contour",
                    "x": a.tolist(),
                    "y": b.tolist(),
                    "z": surface,
                    "ncontours": 25,
                    "showscale": False,
                    "colorscale": "Greys",
                    "name": "loss",
                },
                line(path[:, 0], path[:, 1], "path", mode="lines", line={"width": 1}),
                line(
                    [w_opt[0]],
                    [w_opt[1]],
                    "minimum",
                    mode="markers",
                    marker={"size": 12, "symbol": "x"},
                ),
            ],
            sources,
            x="w1",
            y="w2",
        ),
        chart(
            "epoch",
            "Excess loss per epoch",
            [line(np.arange(EPOCHS + 1), excess, f"batch {batch}", mode="lines+markers")],
            sources,
            x="epoch",
            y="loss - minimum",
            ylog=True,
        ),
        chart(
            "seconds",
            "Excess loss against wall-clock time",
            [line(seconds, excess, f"batch {batch}", mode="lines+markers")],
            sources,
            x="seconds",
            y="loss - minimum",
            ylog=True,
        ),
    ]
    numbers = {
        "updates": len(path) - 1,
        "final excess loss": excess[-1],
        "seconds per epoch": seconds[-1] / EPOCHS,
        "final learning rate": optimizer.param_groups[0]["lr"],
    }
    return result(charts, numbers)


PAGE = Page(
    "q11",
    "Batch size and the noise of SGD",
    "Shrink the batch to one row and watch the path of the weights turn noisy and never "
    "settle; add step decay and watch it land. Compare progress per epoch with progress per "
    "second.",
    Params,
    compute,
)
