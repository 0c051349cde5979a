"""q05 page: the predicted probability of the true class against CE and MSE loss."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.explorer._spec import Page, PageParams, chart, line, result, slider, vline

GRID = np.round(np.linspace(0.01, 0.99, 99), 2)


class Params(PageParams):
    p_true: float = slider(0.3, 0.01, 0.99, 0.01, "Predicted probability of the true class.")
    n_classes: int = slider(3, 2, 10, 1, "Number of classes (the rest share 1 - p evenly).")


def _logits(p: float, k: int) -> np.ndarray:
    probs = np.full(k, (1 - p) / (k - 1))
    probs[0] = p
    return np.log(probs)[None, :]


def losses_and_gradients(p: float, k: int) -> tuple[float, float, float, float]:
    """CE and MSE (on the softmax) losses and their gradients on the true class's logit."""
    logits = _logits(p, k)
    ce = nn.CrossEntropyLoss()
    ce_loss = ce.forward(logits, np.array([0]))
    ce_grad = ce.backward()[0, 0]
    probs = np.exp(nn.log_softmax(logits))
    mse = nn.MSELoss()
    mse_loss = mse.forward(probs, np.eye(k)[[0]]) * k  # summed over the k outputs
    d_probs = mse.backward()[0] * k
    mse_grad = float(d_probs @ (probs[0] * ((np.arange(k) == 0) - probs[0, 0])))
    return float(ce_loss), float(ce_grad), float(mse_loss), mse_grad


def compute(p: Params) -> dict:
    table = np.array([losses_and_gradients(q, p.n_classes) for q in GRID])
    at = losses_and_gradients(p.p_true, p.n_classes)
    sources = [
        "mlhood.nn.CrossEntropyLoss.forward",
        "mlhood.nn.CrossEntropyLoss.backward",
        "mlhood.nn.MSELoss.forward",
        "mlhood.nn.MSELoss.backward",
        "mlhood.nn.log_softmax",
    ]
    marker = {"size": 12}
    charts = [
        chart(
            "loss",
            "Loss against the probability of the true class",
            [
                line(GRID, table[:, 0], "cross-entropy"),
                line(GRID, table[:, 2], "MSE on softmax"),
                line(
                    [p.p_true, p.p_true],
                    [at[0], at[2]],
                    "this prediction",
                    mode="markers",
                    marker=marker,
                ),
            ],
            sources,
            x="p(true class)",
            y="loss",
            shapes=[vline(p.p_true)],
        ),
        chart(
            "gradient",
            "Gradient on the true class's logit",
            [
                line(GRID, table[:, 1], "cross-entropy: p - 1"),
                line(GRID, table[:, 3], "MSE on softmax"),
                line(
                    [p.p_true, p.p_true],
                    [at[1], at[3]],
                    "this prediction",
                    mode="markers",
                    marker=marker,
                ),
            ],
            sources,
            x="p(true class)",
            y="dL / dz_true",
            shapes=[vline(p.p_true)],
        ),
    ]
    numbers = {
        "cross-entropy": at[0],
        "CE gradient": at[1],
        "MSE": at[2],
        "MSE gradient": at[3],
        "CE gradient / MSE gradient": at[1] / at[3] if at[3] else None,
    }
    notes = [
        "A confident wrong prediction (p near 0) gets a cross-entropy gradient near -1 but an "
        "MSE gradient near 0: MSE through a softmax learns slowest when it is most wrong."
    ]
    return result(charts, numbers, notes)


PAGE = Page(
    "q05",
    "Cross-entropy against squared error",
    "Slide the probability given to the true class and read both losses and their gradients: "
    "cross-entropy keeps pushing when the model is confidently wrong, MSE goes quiet.",
    Params,
    compute,
)
