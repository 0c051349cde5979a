"""q02 - The training loss does not move: inject six faults, diagnose each, apply the fix."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed

QUESTION = "The training loss of your neural network does not go down. What do you do?"

ANSWER = """\
Treat it as a diagnosis, not a guessing game: look at the **loss curve**, the **gradient
norm** and **update-to-weight ratio** of each layer, and the **health of the units**, then
change one thing.

- loss NaN / inf, or ends above its start -> **learning rate too large**: lower it 10x,
  clip gradients.
- hidden units all identical -> **symmetric (e.g. zero) initialisation**: random init (He
  for ReLU, Xavier for tanh/sigmoid).
- most ReLUs output 0 for every input -> **dead ReLUs** (large negative bias, too-large
  steps): He init with bias 0, lower learning rate, LeakyReLU.
- sigmoid/tanh outputs pinned at their limits -> **saturation, vanishing gradients**: ReLU
  with He init, smaller initial weights, normalised inputs.
- loss flat and each update changes the weights by ~1e-7 of their size -> **learning rate
  too small**: raise it (a healthy update/weight ratio is about 1e-3).
- loss sits at the chance level (log K for K balanced classes) while the weights move ->
  **labels carry no signal**: check the labels, their alignment with X, the features.

Also overfit a tiny batch first (a healthy model drives it to ~0) and check the loss at
initialisation (about log K for K balanced classes). `mlhood.nn.diagnose` reads a training
history and names these causes; the lab injects each fault into the same network and checks
that the diagnosis names it and that the fix makes the loss fall.

**Correct**: optimizers such as Adam or RMSProp do **not** tune hyperparameters - the
learning rate is still yours to choose (Adam with lr = 1e-6 is just as stuck). What they do
is adapt each parameter's step size from running moments of its own gradient, so parameters
with tiny and huge gradients move at similar rates.
"""

FAULTS = {
    "lr_too_small": "SGD learning rate 1e-6",
    "lr_too_large": "SGD learning rate 50",
    "symmetric_init": "all weights initialised to 0",
    "dead_relu": "hidden biases set to -10 (every ReLU input negative)",
    "vanishing_gradients": "sigmoid units with N(0, 5^2) weights (saturated)",
    "no_label_signal": "training labels shuffled",
}
FIXES = {
    "lr_too_small": "learning rate 0.1",
    "lr_too_large": "learning rate 0.1",
    "symmetric_init": "He initialisation",
    "dead_relu": "He initialisation, bias 0",
    "vanishing_gradients": "ReLU with He initialisation",
    "no_label_signal": "the true labels",
}


def make_data(seed: int, n: int, d: int = 10, k: int = 4):
    """Gaussian blobs: k classes in d dimensions, easy for a small MLP."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((k, d)) * 1.5
    y = rng.integers(0, k, n)
    return centers[y] + rng.standard_normal((n, d)), y


def make_mlp(seed: int, activation=nn.ReLU, init="he_normal", d=10, k=4, width=32):
    return nn.Sequential(
        nn.Linear(d, width, init=init, random_state=seed),
        activation(),
        nn.Linear(width, width, init=init, random_state=seed + 1),
        activation(),
        nn.Linear(width, k, init=init, random_state=seed + 2),
    )


def train(
    fault: str | None, seed: int, n: int, epochs: int, fixed: bool = False, optimizer=nn.SGD
):
    """Train the MLP with ``fault`` injected (or its fix applied); return history, model."""
    X, y = make_data(seed, n)
    lr, model = 0.1, make_mlp(seed)
    if not fixed:
        if fault == "lr_too_small":
            lr = 1e-6
        elif fault == "lr_too_large":
            lr = 50.0
        elif fault == "symmetric_init":
            model = make_mlp(seed, init="zeros")
        elif fault == "dead_relu":
            model[0].bias.data[:] = model[2].bias.data[:] = -10.0
        elif fault == "vanishing_gradients":
            wide = lambda shape, rs: nn.normal(shape, rs, std=5.0)  # noqa: E731
            model = make_mlp(seed, activation=nn.Sigmoid, init=wide)
        elif fault == "no_label_signal":
            y = np.random.default_rng(seed + 100).permutation(y)
    history = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        optimizer(model.parameters(), lr=lr),
        batch_size=32,
        epochs=epochs,
        validation_split=0.25,
        random_state=seed,
    )
    return history, model


def _best_val(history) -> float:
    values = np.asarray(history.val_loss, dtype=float)
    return float(np.nanmin(values)) if np.isfinite(values).any() else float("inf")


def _relative_drop(history) -> float:
    """(initial loss - lowest epoch training loss) / initial loss."""
    return float((history.initial_loss - np.nanmin(history.train_loss)) / history.initial_loss)


def adam_step_sizes(seed: int, n: int) -> dict:
    """One Adam step on one batch: spread of gradient sizes vs spread of step sizes."""
    X, y = make_data(seed, n)
    model = make_mlp(seed)
    loss = nn.CrossEntropyLoss()
    loss.forward(model.forward(X[:64]), y[:64])
    model.backward(loss.backward())
    before = [p.data.copy() for p in model.parameters()]
    grads = np.concatenate([np.abs(p.grad).ravel() for p in model.parameters()])
    nn.Adam(model.parameters(), lr=1e-3).step()
    steps = np.concatenate(
        [np.abs(p.data - b).ravel() for p, b in zip(model.parameters(), before)]
    )
    live = grads > 1e-5  # parameters whose gradient is not (numerically) zero
    g_lo, g_hi = np.percentile(grads[live], [5, 95])
    s_lo, s_hi = np.percentile(steps[live], [5, 95])
    return {
        "gradient_p95_over_p5": float(g_hi / g_lo),
        "step_p95_over_p5": float(s_hi / s_lo),
        "median_step": float(np.median(steps[live])),
        "lr": 1e-3,
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q02", "A loss that will not move", QUESTION, ANSWER)
    with timed(result):
        n, epochs = (600, 8) if quick else (3000, 20)
        rows, curves = [], {}
        for fault in FAULTS:
            faulty_history, faulty_model = train(fault, seed, n, epochs)
            findings = nn.diagnose(faulty_history, faulty_model)
            fixed_history, fixed_model = train(fault, seed, n, epochs, fixed=True)
            named = findings[0].cause if findings else "none"
            chance = faulty_history.chance_loss
            faulty_best, fixed_best = _best_val(faulty_history), _best_val(fixed_history)
            curves[fault] = (faulty_history.val_loss, fixed_history.val_loss, chance)
            rows.append(
                {
                    "injected fault": FAULTS[fault],
                    "diagnosis": named,
                    "evidence": ", ".join(
                        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                        for k, v in findings[0].evidence.items()
                    )
                    if findings
                    else "",
                    "suggested fix": findings[0].fix if findings else "",
                    "fix applied": FIXES[fault],
                    "faulty best val loss": round(faulty_best, 3),
                    "fixed best val loss": round(fixed_best, 3),
                    "chance loss": round(chance, 3),
                }
            )
            result.claims.append(
                Claim(
                    f"Fault '{FAULTS[fault]}': diagnose names it as {fault}, and after the fix "
                    f"({FIXES[fault]}) the validation loss falls below half the chance level and "
                    "below a quarter of the faulty run's.",
                    {
                        "diagnosis": named,
                        "faulty_best_val_loss": faulty_best,
                        "fixed_best_val_loss": fixed_best,
                        "chance_loss": chance,
                        **{k: v for k, v in (findings[0].evidence if findings else {}).items()},
                    },
                    named == fault
                    and fixed_best < 0.5 * chance
                    and fixed_best < 0.25 * faulty_best,
                )
            )
        result.tables["faults"] = rows

        adam_history, _ = train("lr_too_small", seed, n, epochs, optimizer=nn.Adam)
        drop, healthy_drop = _relative_drop(adam_history), _relative_drop(fixed_history)
        result.claims.append(
            Claim(
                "Adam does not choose the learning rate: with lr = 1e-6 its training loss "
                "drops by less than a fifth of what the same network achieves with a working "
                "learning rate (SGD, 0.1).",
                {"adam_lr_1e-6_relative_drop": drop, "sgd_lr_0.1_relative_drop": healthy_drop},
                drop < 0.2 * healthy_drop,
            )
        )
        steps = adam_step_sizes(seed, n)
        result.claims.append(
            Claim(
                "Adam adapts each parameter's step: on its first step gradient sizes spread over "
                "more than 100x (5th to 95th percentile) but step sizes stay within 2x of lr.",
                steps,
                steps["gradient_p95_over_p5"] > 100
                and steps["step_p95_over_p5"] < 2
                and 0.5 * steps["lr"] < steps["median_step"] < 2 * steps["lr"],
            )
        )
        result.tables["adam_first_step"] = [{k: float(f"{v:.4g}") for k, v in steps.items()}]

        fig, axes = new_figure(ncols=3, nrows=2, width=4.0, height=3.0)
        for ax, (fault, (faulty, fixed, chance)) in zip(np.ravel(axes), curves.items()):
            epochs_axis = np.arange(1, len(faulty) + 1)
            ax.plot(epochs_axis, np.clip(faulty, 0, 4 * chance), "C3o-", ms=3, label="fault")
            ax.plot(np.arange(1, len(fixed) + 1), fixed, "C2o-", ms=3, label="fixed")
            ax.axhline(chance, color="0.5", ls="--", label="chance (log K)")
            ax.set_title(fault, fontsize=10)
            ax.set_xlabel("epoch")
            ax.set_ylabel("validation loss")
            ax.set_ylim(0, 4 * chance)
        np.ravel(axes)[0].legend(fontsize=7)
        result.figures["faults_and_fixes"] = fig
    return result
