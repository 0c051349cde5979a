"""q03 page: the drop probability, the mask it draws, and the train/validation gap."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.explorer._spec import Page, SeededParams, chart, heatmap, line, result, slider

N_TRAIN, N_VAL, D, K = 120, 200, 20, 3


class Params(SeededParams):
    drop_p: float = slider(0.5, 0.0, 0.9, 0.05, "Drop probability p of each hidden unit.")
    epochs: int = slider(20, 5, 40, 5, "Training epochs.")


def _data(seed: int):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((K, D))
    y = rng.integers(0, K, N_TRAIN + N_VAL)
    X = centers[y] * 0.6 + rng.standard_normal((len(y), D))
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def compute(p: Params) -> dict:
    X, y, Xv, yv = _data(p.seed)
    mask_layer = nn.Dropout(p.drop_p, random_state=p.seed)
    mask = mask_layer.forward(np.ones((12, 32)))
    model = nn.Sequential(
        nn.Linear(D, 64, random_state=p.seed),
        nn.ReLU(),
        nn.Dropout(p.drop_p, random_state=p.seed),
        nn.Linear(64, K, random_state=p.seed + 1),
    )
    history = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.Adam(model.parameters(), lr=3e-3),
        batch_size=32,
        epochs=p.epochs,
        validation_data=(Xv, yv),
        monitor=False,
        random_state=p.seed,
    )
    model.eval()
    loss = nn.CrossEntropyLoss()
    train_eval = loss.forward(model.forward(X), y)
    val_eval = loss.forward(model.forward(Xv), yv)
    epochs = np.arange(1, len(history.train_loss) + 1)
    gap = np.asarray(history.val_loss) - np.asarray(history.train_loss)
    sources = ["mlhood.nn.Dropout.forward", "mlhood.nn.Dropout.backward", "mlhood.nn.fit"]
    charts = [
        chart(
            "mask",
            f"One mask: kept units scaled by 1/keep = {1 / (1 - p.drop_p):.2f}",
            [heatmap(mask, "mask value", colorscale="Greys", reversescale=True)],
            ["mlhood.nn.Dropout.forward", "mlhood.nn.Dropout._sample_mask"],
            x="unit",
            y="example in the batch",
        ),
        chart(
            "loss",
            "Training and validation loss per epoch",
            [
                line(epochs, history.train_loss, "training (dropout on)"),
                line(epochs, history.val_loss, "validation"),
            ],
            sources,
            x="epoch",
            y="cross-entropy",
        ),
        chart(
            "gap",
            "Validation minus training loss",
            [line(epochs, gap, "gap")],
            sources,
            x="epoch",
            y="gap",
        ),
    ]
    numbers = {
        "kept fraction in the mask": float((mask > 0).mean()),
        "training loss (eval mode)": train_eval,
        "validation loss": val_eval,
        "gap (eval mode)": val_eval - train_eval,
        "validation accuracy": history.val_accuracy[-1] if history.val_accuracy else None,
    }
    return result(charts, numbers)


PAGE = Page(
    "q03",
    "Dropout, forward and backward",
    "Drag the drop probability: see the mask it draws and how the gap between training and "
    "validation loss closes. Pick the mistake 'backward ignores the mask' and watch training "
    "go wrong.",
    Params,
    compute,
)
