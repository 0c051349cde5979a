"""q11 - A disadvantage of stochastic gradient descent? Batch vs mini-batch vs SGD, measured."""

from __future__ import annotations

import time

import numpy as np

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed

QUESTION = "What is a disadvantage of stochastic gradient descent compared with batch methods?"

ANSWER = """\
All three variants follow `w <- w - lr * g`, where `g` is the gradient of the loss on a
batch of `b` training rows: **batch** gradient descent uses all `n` rows (`b = n`),
**stochastic** gradient descent (SGD) one row, **mini-batch** something in between (32 here).

- **Per update**, SGD is the cheapest: it touches one row. So it makes many updates per
  pass over the data and often gets close to the minimum after a single epoch.
- **Per epoch**, SGD is the slowest in vectorised code: `n` tiny updates each pay the full
  Python/NumPy overhead instead of one matrix product over all rows. Mini-batches get most
  of both: few enough calls to be fast, many enough updates to make progress.
- **Noise**: a one-row gradient is an unbiased but noisy estimate of the full gradient.
  With a constant step size SGD never settles: it keeps bouncing around the minimum at a
  distance that scales with the step size and the gradient variance. A **decaying** step
  size (step decay, `1/t`) shrinks the bounce and lets it converge (Robbins-Monro
  conditions; Bottou, Curtis & Nocedal 2018).

**Correct**: the lab measures these instead of asserting them - time per update, time per
epoch, loss against epochs and against wall-clock time, and the path on a 2-D loss surface.
"""


def make_problem(seed: int, n: int):
    """Least squares in two weights with correlated features (elongated contours)."""
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, 0.8], [0.8, 1.0]])
    X = rng.standard_normal((n, 2)) @ np.linalg.cholesky(cov).T
    w_true = np.array([2.0, -1.0])
    y = X @ w_true + rng.standard_normal(n) * 1.0
    w_opt = np.linalg.solve(X.T @ X, X.T @ y)
    loss_opt = float(np.mean((X @ w_opt - y) ** 2))
    return X, y, w_opt, loss_opt


def full_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((X @ w - y) ** 2))


START = (-2.0, 3.0)


def _model(w0: np.ndarray) -> nn.Sequential:
    model = nn.Sequential(nn.Linear(2, 1, bias=False))
    model[0].weight.data[0] = w0
    return model


def path(X, y, batch_size, lr, n_updates, seed) -> np.ndarray:
    """Weights after each of ``n_updates`` updates (forward, backward, SGD step)."""
    model = _model(np.array(START))
    opt, loss = nn.SGD(model.parameters(), lr=lr), nn.MSELoss()
    rng, points = np.random.default_rng(seed), [np.array(START)]
    while len(points) <= n_updates:
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            rows = order[start : start + batch_size]
            loss.forward(model.forward(X[rows]), y[rows, None])
            model.backward(loss.backward(), need_input_grad=False)
            opt.step()
            points.append(model[0].weight.data[0].copy())
            if len(points) > n_updates:
                break
    return np.array(points)


def train(X, y, batch_size, lr, epochs, seed, schedule=None):
    """mlhood.nn.fit, one epoch at a time; full-data loss and cumulative seconds per epoch.

    ``schedule="step"`` halves the learning rate after every epoch (StepLR, gamma 0.5).
    """
    model = _model(np.array(START))
    opt = nn.SGD(model.parameters(), lr=lr)
    scheduler = nn.StepLR(opt, step_size=1, gamma=0.5) if schedule == "step" else None
    losses, seconds = [full_loss(np.array(START), X, y)], [0.0]
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        t0 = time.perf_counter()
        nn.fit(
            model,
            X,
            y[:, None],
            nn.MSELoss(),
            opt,
            batch_size=batch_size,
            epochs=1,
            monitor=False,
            random_state=rng,
        )
        seconds.append(seconds[-1] + time.perf_counter() - t0)
        if scheduler is not None:
            scheduler.step()
        losses.append(full_loss(model[0].weight.data[0], X, y))
    return np.array(losses), np.array(seconds)


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult(
        "q11", "Batch, mini-batch and stochastic gradient descent", QUESTION, ANSWER
    )
    with timed(result):
        n, epochs = (1000, 6) if quick else (4000, 10)
        X, y, w_opt, loss_opt = make_problem(seed, n)
        setups = {
            "batch (b = n)": (n, 0.3),
            "mini-batch (b = 32)": (32, 0.05),
            "SGD (b = 1)": (1, 0.01),
        }
        runs = {
            name: train(X, y, b, lr, epochs * (25 if b == n else 1), seed)
            for name, (b, lr) in setups.items()
        }
        decayed = train(X, y, 1, 0.01, epochs, seed, schedule="step")[0]

        rows = []
        for name, (b, lr) in setups.items():
            losses, seconds = runs[name]
            updates, n_epochs = -(-n // b), len(losses) - 1
            rows.append(
                {
                    "method": name,
                    "lr": lr,
                    "updates per epoch": updates,
                    "epochs": n_epochs,
                    "seconds per epoch": float(f"{seconds[-1] / n_epochs:.3g}"),
                    "microseconds per update": float(
                        f"{1e6 * seconds[-1] / n_epochs / updates:.3g}"
                    ),
                    "excess loss after 1 epoch": float(f"{losses[1] - loss_opt:.3g}"),
                    "final excess loss": float(f"{losses[-1] - loss_opt:.3g}"),
                }
            )
        rows.append(
            {
                "method": "SGD, lr halved every epoch",
                "lr": 0.01,
                "epochs": epochs,
                "final excess loss": float(f"{decayed[-1] - loss_opt:.3g}"),
            }
        )
        result.tables["methods"] = rows
        by = {r["method"]: r for r in rows}
        batch, mini, sgd = (by[k] for k in setups)

        result.claims.append(
            Claim(
                "Per update SGD is the cheapest: one update costs less time than one full-batch "
                "update.",
                {
                    "SGD us/update": sgd["microseconds per update"],
                    "batch us/update": batch["microseconds per update"],
                },
                sgd["microseconds per update"] < batch["microseconds per update"],
            )
        )
        result.claims.append(
            Claim(
                "Per epoch SGD is the slowest in vectorised code: an epoch of SGD takes over 10x "
                "the time of a mini-batch epoch, which takes longer than a full-batch epoch.",
                {k: by[k]["seconds per epoch"] for k in setups},
                sgd["seconds per epoch"] > 10 * mini["seconds per epoch"]
                and mini["seconds per epoch"] > batch["seconds per epoch"],
            )
        )
        result.claims.append(
            Claim(
                "Per epoch SGD makes the most progress: after one epoch its excess loss is below "
                "the full-batch method's.",
                {k: by[k]["excess loss after 1 epoch"] for k in setups},
                sgd["excess loss after 1 epoch"] < batch["excess loss after 1 epoch"],
            )
        )
        sgd_losses = runs["SGD (b = 1)"][0]
        result.claims.append(
            Claim(
                "With a constant step SGD does not settle: its loss stays above the full-batch "
                "method's final loss; halving the step every epoch cuts SGD's final excess loss "
                "at least 5-fold.",
                {
                    "SGD constant final excess": sgd["final excess loss"],
                    "SGD step-decay final excess": by["SGD, lr halved every epoch"][
                        "final excess loss"
                    ],
                    "batch final excess": batch["final excess loss"],
                },
                sgd_losses[-1] - loss_opt > batch["final excess loss"]
                and 5 * (decayed[-1] - loss_opt) < sgd_losses[-1] - loss_opt,
            )
        )

        fig, axes = new_figure(ncols=2)
        floor = 1e-12  # excess loss can round to 0 on a log axis
        for name in setups:
            losses, seconds = runs[name]
            excess = np.maximum(losses - loss_opt, floor)
            axes[0].plot(np.arange(len(losses)), excess, marker=".", label=name)
            axes[1].plot(seconds, excess, marker=".", label=name)
        axes[0].plot(
            np.arange(epochs + 1),
            np.maximum(decayed - loss_opt, floor),
            ls="--",
            label="SGD, step decay",
        )
        for ax, xlabel in zip(axes, ("epoch", "wall-clock seconds")):
            ax.set_yscale("log")
            ax.set_xscale("symlog", linthresh=1 if xlabel == "epoch" else 1e-3)
            ax.set_xlabel(xlabel)
            ax.set_ylabel("training loss - optimum")
            ax.legend(fontsize=8)
        axes[0].set_title("Loss vs epochs")
        axes[1].set_title("Loss vs wall-clock time")
        result.figures["loss_curves"] = fig

        fig, ax = new_figure(width=5.5, height=4.5)
        g0, g1 = np.meshgrid(np.linspace(-3, 4, 120), np.linspace(-3, 4, 120))
        grid = np.stack([g0.ravel(), g1.ravel()], axis=1)
        surface = np.mean((X @ grid.T - y[:, None]) ** 2, axis=0).reshape(g0.shape)
        ax.contour(
            g0,
            g1,
            surface,
            levels=np.geomspace(surface.min() + 0.01, surface.max(), 15),
            colors="0.7",
        )
        for name, (b, lr) in setups.items():
            points = path(X, y, b, lr, 40 if b == n else -(-n // b), seed)
            ax.plot(points[:, 0], points[:, 1], lw=0.8, marker=".", ms=2, label=name)
        ax.plot(*w_opt, "k*", ms=12, label="minimum")
        ax.set_xlabel("w1")
        ax.set_ylabel("w2")
        ax.set_title("Paths on the loss contours (1 epoch; batch: 40 epochs)")
        ax.legend(fontsize=8)
        result.figures["paths_on_contours"] = fig
    return result
