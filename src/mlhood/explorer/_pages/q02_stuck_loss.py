"""q02 page: inject a fault, set the learning rate, read the loss, gradients and verdict."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood import nn
from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider

D, K, WIDTH, N = 10, 4, 32, 400
FAULTS = {
    "none": "no fault",
    "zero_init": "all weights initialised to 0 (symmetric units)",
    "dead_relu": "hidden biases set to -10 (every ReLU input negative)",
    "saturated_sigmoid": "sigmoid units with N(0, 5^2) weights (saturated)",
    "shuffled_labels": "training labels shuffled (no signal)",
}


class Params(SeededParams):
    fault: Literal[tuple(FAULTS)] = Field("none", description="The fault injected into the net.")
    log10_lr: float = slider(-1.0, -7.0, 2.0, 0.5, "SGD learning rate, as log10.")
    epochs: int = slider(10, 3, 20, 1, "Training epochs.")


def _net(p: Params) -> nn.Sequential:
    activation, init = nn.ReLU, "he_normal"
    if p.fault == "zero_init":
        init = "zeros"
    if p.fault == "saturated_sigmoid":
        activation = nn.Sigmoid
        init = lambda shape, rs: nn.normal(shape, rs, std=5.0)  # noqa: E731
    model = nn.Sequential(
        nn.Linear(D, WIDTH, init=init, random_state=p.seed),
        activation(),
        nn.Linear(WIDTH, WIDTH, init=init, random_state=p.seed + 1),
        activation(),
        nn.Linear(WIDTH, K, init=init, random_state=p.seed + 2),
    )
    if p.fault == "dead_relu":
        model[0].bias.data[:] = model[2].bias.data[:] = -10.0
    return model


def compute(p: Params) -> dict:
    rng = np.random.default_rng(p.seed)
    centers = rng.standard_normal((K, D)) * 1.5
    y = rng.integers(0, K, N)
    X = centers[y] + rng.standard_normal((N, D))
    if p.fault == "shuffled_labels":
        y = rng.permutation(y)
    model = _net(p)
    history = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.SGD(model.parameters(), lr=10.0**p.log10_lr),
        batch_size=32,
        epochs=p.epochs,
        validation_split=0.25,
        random_state=p.seed,
    )
    epochs = np.arange(1, len(history.train_loss) + 1)
    loss = np.clip(np.nan_to_num(np.asarray(history.train_loss, float), nan=1e6), 0, 1e6)
    findings = nn.diagnose(history, model)
    sources = ["mlhood.nn.fit", "mlhood.nn.SGD.step"]
    layers = list(history.grad_norm)
    charts = [
        chart(
            "loss",
            "Loss per epoch",
            [
                line(epochs, loss, "training loss"),
                line(
                    epochs,
                    np.nan_to_num(np.asarray(history.val_loss, float), nan=1e6),
                    "validation loss",
                ),
                line(
                    epochs,
                    [history.chance_loss] * len(epochs),
                    "chance (log K)",
                    line={"dash": "dot"},
                ),
            ],
            sources,
            x="epoch",
            y="cross-entropy",
            ylog=True,
        ),
        chart(
            "grad",
            "Gradient norm per layer",
            [
                line(epochs, np.nan_to_num(history.grad_norm[name], nan=0) + 1e-12, name)
                for name in layers
            ],
            sources,
            x="epoch",
            y="‖gradient‖",
            ylog=True,
        ),
        chart(
            "ratio",
            "Update / weight ratio per layer (healthy ≈ 1e-3)",
            [
                line(epochs, np.nan_to_num(history.update_ratio[name], nan=0) + 1e-12, name)
                for name in layers
            ],
            ["mlhood.nn.fit", "mlhood.nn.diagnose"],
            x="epoch",
            y="‖Δw‖ / ‖w‖",
            ylog=True,
        ),
    ]
    verdict = findings[0].cause if findings else "healthy"
    notes = [f"{f.cause}: {f.message}. Fix: {f.fix}" for f in findings] or [
        "diagnose found nothing wrong: the loss falls."
    ]
    numbers = {
        "fault injected": FAULTS[p.fault],
        "diagnose's verdict": verdict,
        "initial loss": history.initial_loss,
        "final training loss": history.train_loss[-1],
        "diverged": history.diverged,
    }
    return result(charts, numbers, notes)


PAGE = Page(
    "q02",
    "A training loss that will not move",
    "Inject a fault (zero init, dead ReLUs, saturated sigmoids, shuffled labels) or push the "
    "learning rate too far either way; watch the loss, the gradient norms and the "
    "update/weight ratios, and read what mlhood.nn.diagnose concludes.",
    Params,
    compute,
)
