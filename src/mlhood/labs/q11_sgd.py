"""q11 - A disadvantage of stochastic gradient descent? Batch vs mini-batch vs SGD, measured."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed

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

- **Adaptive steps** (Adam, AdamW) divide each weight's step by a running root-mean-square
  of its gradient; the bias corrections `1/(1 - beta^t)` undo the zero start of those
  running means, so the first step has size `lr` whatever the gradient's scale. AdamW
  shrinks the weights directly (`w <- w (1 - lr * lambda)`) instead of adding `lambda w`
  to the gradient, where Adam would rescale it.

**Correct**: these are measured, not asserted. The claims count what does not depend on
the machine (updates, epochs, row-gradients, losses); seconds per epoch and per update
are in the table and the loss-vs-time figure, and depend on the machine and its load.
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


class EpochEnds:
    """Given to :func:`mlhood.nn.fit` as its ``scheduler``: fit calls ``step()`` after each
    epoch, which records the weights and then steps the real schedule, if any."""

    def __init__(self, model: nn.Sequential, schedule=None) -> None:
        self.model, self.schedule = model, schedule
        self.weights = [model[0].weight.data[0].copy()]

    def step(self) -> None:
        self.weights.append(self.model[0].weight.data[0].copy())
        if self.schedule is not None:
            self.schedule.step()


def train(X, y, batch_size, epochs, seed, optimizer=nn.SGD, schedule=None, **hyper) -> dict:
    """One call of :func:`mlhood.nn.fit`; the weights after every epoch and the timings.

    ``schedule="step"`` halves the learning rate after every epoch (StepLR, gamma 0.5).
    Returns ``weights`` (epochs + 1 rows, the start first; NaN rows after a divergence),
    ``seconds`` (cumulative per epoch), ``updates`` (optimizer steps taken) and ``lrs``
    (the learning rate used in each epoch).
    """
    model = _model(np.array(START))
    opt = optimizer(model.parameters(), **hyper)
    recorder = EpochEnds(model, nn.StepLR(opt, step_size=1, gamma=0.5) if schedule else None)
    options = {
        "scheduler": recorder,
        "monitor": False,
        "random_state": np.random.default_rng(seed),
    }
    history = nn.fit(model, X, y[:, None], nn.MSELoss(), opt, batch_size, epochs, **options)
    weights = np.full((epochs + 1, 2), np.nan)
    weights[: len(recorder.weights)] = recorder.weights
    return {
        "weights": weights,
        "seconds": np.array(history.elapsed),
        "updates": len(history.batch_loss),
        "lrs": np.array(history.lr),
    }


def excess_losses(weights: np.ndarray, X, y, loss_opt: float) -> np.ndarray:
    """Full-data loss minus the optimum for each row of ``weights`` (NaN stays NaN)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.mean((X @ weights.T - y[:, None]) ** 2, axis=0) - loss_opt


def one_epoch_excess(X, y, loss_opt, batch_size, lr, seed, repeats: int) -> float:
    """Mean excess loss after one epoch over ``repeats`` shuffles (seeds ``(seed, r)``).

    A single end point of a noisy run has a heavy, roughly exponential, upper tail; a
    mini-batch epoch is cheap, so averaging a few makes the measurement stable."""
    ends = [train(X, y, batch_size, 1, (seed, r), lr=lr)["weights"][1] for r in range(repeats)]
    return float(np.mean(excess_losses(np.array(ends), X, y, loss_opt)))


def gradient_descent_closed_form(X, y, w_opt, lr: float, steps: int) -> np.ndarray:
    """Full-batch gradient descent on the mean squared error, solved exactly.

    The gradient is ``H (w - w*)`` with ``H = 2 X^T X / n``, so
    ``w_t - w* = (I - lr H)^t (w_0 - w*)``: rows ``t = 0..steps``.
    """
    contraction = np.eye(2) - lr * 2 * X.T @ X / len(y)
    error, rows = np.array(START) - w_opt, []
    for _ in range(steps + 1):
        rows.append(w_opt + error)
        error = contraction @ error
    return np.array(rows)


def adam_reference(X, y, lr, steps, weight_decay=0.0, decoupled=False, betas=(0.9, 0.999)):
    """Adam / AdamW written out from Kingma & Ba (2015) and Loshchilov & Hutter (2019),
    with the exact full-batch gradient ``2 X^T (X w - y) / n``: weights after each step."""
    w, m, v, rows = np.array(START), np.zeros(2), np.zeros(2), [np.array(START)]
    for t in range(1, steps + 1):
        g = 2 * X.T @ (X @ w - y) / len(y)
        if decoupled:
            w = w * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * w
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g**2
        m_hat, v_hat = m / (1 - betas[0] ** t), v / (1 - betas[1] ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        rows.append(w)
    return np.array(rows)


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult(
        "q11", "Batch, mini-batch and stochastic gradient descent", QUESTION, ANSWER
    )
    with timed(result):
        n, epochs = (1024, 8) if quick else (4096, 12)  # whole batches of 32
        X, y, w_opt, loss_opt = make_problem(seed, n)
        setups = {
            "batch (b = n)": (None, 0.3, 25 * epochs),
            "mini-batch (b = 32)": (32, 0.2, epochs),
            "SGD (b = 1)": (1, 0.01, epochs),
        }
        runs = {
            name: train(X, y, b, n_epochs, seed, lr=lr)
            for name, (b, lr, n_epochs) in setups.items()
        }
        decayed = train(X, y, 1, epochs, seed, lr=0.01, schedule="step")
        excess = {name: excess_losses(r["weights"], X, y, loss_opt) for name, r in runs.items()}
        excess_decayed = excess_losses(decayed["weights"], X, y, loss_opt)

        rows = []
        for name, (_, lr, n_epochs) in setups.items():
            seconds, updates = runs[name]["seconds"], runs[name]["updates"]
            rows.append(
                {
                    "method": name,
                    "lr": lr,
                    "updates per epoch": updates // max(1, len(seconds)),
                    "epochs": n_epochs,
                    "seconds per epoch": float(f"{seconds[-1] / len(seconds):.3g}"),
                    "microseconds per update": float(f"{1e6 * seconds[-1] / updates:.3g}"),
                    "excess loss after 1 epoch": float(f"{excess[name][1]:.3g}"),
                    "final excess loss": float(f"{excess[name][-1]:.3g}"),
                }
            )
        rows.append(
            {
                "method": "SGD, lr halved every epoch",
                "lr": 0.01,
                "epochs": epochs,
                "final excess loss": float(f"{excess_decayed[-1]:.3g}"),
            }
        )
        result.tables["methods"] = rows

        batch_lr, batch_steps = setups["batch (b = n)"][1], setups["batch (b = n)"][2]
        exact = gradient_descent_closed_form(X, y, w_opt, batch_lr, batch_steps)
        scale = np.linalg.norm(np.array(START) - w_opt)
        with np.errstate(invalid="ignore"):
            gd_error = float(np.max(np.abs(runs["batch (b = n)"]["weights"] - exact)) / scale)
        result.claims.append(
            Claim(
                "Full-batch gradient descent run by mlhood.nn.fit (forward, MSE gradient, "
                "SGD step) follows its closed form w_t - w* = (I - lr H)^t (w_0 - w*), "
                f"H = 2 X^T X / n, for all {batch_steps} steps.",
                {"steps": batch_steps},
                checks=[Check("max |w - closed form| / |w_0 - w*|", gd_error, "<", 1e-9)],
                catches=["mse-gradient-summed"],
            )
        )

        start_excess = excess["SGD (b = 1)"][0]
        after_one = {name: float(e[1] / start_excess) for name, e in excess.items()}
        mini_b, mini_lr, _ = setups["mini-batch (b = 32)"]
        after_one["mini-batch (b = 32)"] = (
            one_epoch_excess(X, y, loss_opt, mini_b, mini_lr, seed, repeats=10) / start_excess
        )
        per_epoch = {name: r["updates"] / len(r["seconds"]) for name, r in runs.items()}
        result.claims.append(
            Claim(
                "For the same n row-gradients (one epoch), many cheap updates win: SGD "
                f"({n} updates) and mini-batches ({n // 32} updates, mean of 10 shuffles) are "
                "within 5% of the starting excess loss, while the single full-batch update "
                "leaves over 30% of it.",
                {f"{name}: excess after 1 epoch / at start": v for name, v in after_one.items()},
                checks=[
                    Check(
                        "SGD: excess after 1 epoch / at start", after_one["SGD (b = 1)"], "<", 0.05
                    ),
                    Check(
                        "mini-batch: excess after 1 epoch / at start",
                        after_one["mini-batch (b = 32)"],
                        "<",
                        0.05,
                    ),
                    Check(
                        "batch: excess after 1 epoch / at start",
                        after_one["batch (b = n)"],
                        ">",
                        0.3,
                    ),
                    Check("SGD updates per epoch", per_epoch["SGD (b = 1)"], "==", n),
                    Check(
                        "mini-batch updates per epoch",
                        per_epoch["mini-batch (b = 32)"],
                        "==",
                        -(-n // 32),
                    ),
                ],
                catches=["mse-gradient-summed"],
            )
        )

        sgd_weights = runs["SGD (b = 1)"]["weights"][2:]  # after the first epoch's descent
        jumps = np.linalg.norm(np.diff(sgd_weights, axis=0), axis=1)
        distances = np.linalg.norm(sgd_weights - w_opt, axis=1)
        bounce = float(jumps.mean() / distances.mean())
        result.claims.append(
            Claim(
                "With a constant step SGD never settles: from epoch 2 on, its end-of-epoch "
                "weights jump between epochs by about as much as they sit away from the "
                "optimum (reshuffled rows give a fresh noise every epoch).",
                {"mean jump": float(jumps.mean()), "mean distance to w*": float(distances.mean())},
                checks=[Check("mean jump / mean distance", bounce, ">", 0.5)],
                catches=["minibatch-no-shuffle"],
            )
        )

        tail = slice(epochs - 2, epochs + 1)  # the last three epochs
        constant_tail = float(np.mean(excess["SGD (b = 1)"][tail]))
        decayed_tail = float(np.mean(excess_decayed[tail]))
        scheduled = 0.01 * 0.5 ** np.arange(epochs)  # the rate StepLR must set in epoch e
        result.claims.append(
            Claim(
                "Halving SGD's step every epoch (StepLR: epoch e runs at 0.01 * 0.5^e) lets it "
                "settle: over the last three epochs its excess loss is at least 5 times below "
                "constant-step SGD's.",
                {"constant step": constant_tail, "step decay": decayed_tail},
                checks=[
                    Check("constant / decayed excess", constant_tail / decayed_tail, ">=", 5.0),
                    Check(
                        "max |lr_e / (0.01 * 0.5^e) - 1|",
                        float(np.max(np.abs(decayed["lrs"] / scheduled - 1))),
                        "<",
                        1e-12,
                    ),
                ],
                catches=["lr-scheduler-updates-a-copy"],
            )
        )

        adam_steps, adam_lr, decay = 30, 0.05, 0.1
        adam_errors = {}
        for name, optimizer, decoupled in (("Adam", nn.Adam, False), ("AdamW", nn.AdamW, True)):
            ours = train(
                X, y, None, adam_steps, seed, optimizer=optimizer, lr=adam_lr, weight_decay=decay
            )["weights"]
            ref = adam_reference(X, y, adam_lr, adam_steps, decay, decoupled)
            with np.errstate(invalid="ignore"):
                adam_errors[name] = float(np.max(np.abs(ours - ref)))
        first_step = np.abs(
            adam_reference(X, y, adam_lr, 1, decay, True)[1]
            - np.array(START) * (1 - adam_lr * decay)
        )
        result.claims.append(
            Claim(
                "mlhood's Adam (L2 weight decay) and AdamW (decoupled decay) follow the "
                f"update equations written out independently, step by step for {adam_steps} "
                "full-batch steps; thanks to the bias corrections the first step moves each "
                "weight by exactly lr, whatever the gradient's scale.",
                {
                    "first AdamW step per weight, besides the decay": first_step.tolist(),
                    "lr": adam_lr,
                },
                checks=[
                    Check(f"max |{name} - reference|", err, "<", 1e-10)
                    for name, err in adam_errors.items()
                ],
                catches=[
                    "adam-no-bias-correction",
                    "adamw-decay-through-gradient",
                    "mse-gradient-summed",
                ],
            )
        )
        result.figures["loss_curves"] = _loss_figure(runs, excess, excess_decayed, epochs)
        result.figures["paths_on_contours"] = _path_figure(X, y, w_opt, setups, seed)
    return result


def _loss_figure(runs, excess, excess_decayed, epochs):
    fig, axes = new_figure(ncols=2)
    floor, ceiling = 1e-12, 1e12  # excess loss can round to 0, or diverge, on a log axis
    for name, r in runs.items():
        curve = np.clip(excess[name], floor, ceiling)
        times = np.concatenate([[0.0], r["seconds"]])  # shorter than curve after a divergence
        axes[0].plot(np.arange(len(curve)), curve, marker=".", label=name)
        axes[1].plot(times, curve[: len(times)], marker=".", label=name)
    axes[0].plot(
        np.arange(epochs + 1),
        np.clip(excess_decayed, floor, ceiling),
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
    axes[1].set_title("Loss vs wall-clock time (machine-dependent)")
    return fig


def _path_figure(X, y, w_opt, setups, seed):
    fig, ax = new_figure(width=5.5, height=4.5)
    g0, g1 = np.meshgrid(np.linspace(-3, 4, 120), np.linspace(-3, 4, 120))
    grid = np.stack([g0.ravel(), g1.ravel()], axis=1)
    # mean (X w - y)^2 = w^T A w - 2 b^T w + c, evaluated on the grid without n x grid work
    A, b, c = X.T @ X / len(y), X.T @ y / len(y), y @ y / len(y)
    surface = (np.einsum("ij,jk,ik->i", grid, A, grid) - 2 * grid @ b + c).reshape(g0.shape)
    ax.contour(
        g0, g1, surface, levels=np.geomspace(surface.min() + 0.01, surface.max(), 15), colors="0.7"
    )
    n = len(y)
    for name, (b, lr, _) in setups.items():
        b = n if b is None else b
        points = path(X, y, b, lr, 40 if b == n else -(-n // b), seed)
        ax.plot(points[:, 0], points[:, 1], lw=0.8, marker=".", ms=2, label=name)
    ax.plot(*w_opt, "k*", ms=12, label="minimum")
    ax.set_xlabel("w1")
    ax.set_ylabel("w2")
    ax.set_title("Paths on the loss contours (1 epoch; batch: 40 epochs)")
    ax.legend(fontsize=8)
    return fig
