"""q02 - The training loss does not move: inject six faults, diagnose each, apply the fix."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from threadpoolctl import threadpool_limits

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.nn._diagnose import gradient_check

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

Before any of this, check the backward pass: compare every analytic gradient with central
finite differences on a tiny batch (a wrong bias or ReLU gradient lets training limp along
and looks like a tuning problem). Also overfit a tiny batch (a healthy model drives it to
~0) and check the loss at initialisation (about log K for K balanced classes).

`mlhood.nn.diagnose` reads a training history and names these causes. The lab injects
each fault into its own network and data, lets the diagnosis pick the fix (a wrong
diagnosis would apply the wrong fix), re-trains with it and checks that the loss falls and
that the diagnosis then finds nothing. He initialisation is the fix for several faults
because its variance 2/fan_in keeps the signal's scale through any number of ReLU layers;
the lab measures that on a 10-layer stack.

**Correct**: optimizers such as Adam or RMSProp do **not** tune hyperparameters - the
learning rate is still yours to choose (Adam with lr = 1e-7 is just as stuck). What they do
is adapt each parameter's step size from running moments of its own gradient, so parameters
with tiny and huge gradients move at similar rates.
"""


@dataclass(frozen=True)
class Setup:
    """One training configuration of the lab's MLP; a fault changes one or two fields."""

    lr: float = 0.1
    init: object = "he_normal"
    activation: type = nn.ReLU
    hidden_bias: float = 0.0
    shuffled_labels: bool = False
    optimizer: type = nn.SGD


def _saturating_init(shape, random_state=None):
    return nn.normal(shape, random_state, std=5.0)


FAULTS = {
    "lr_too_small": ("SGD learning rate 1e-6", Setup(lr=1e-6)),
    "lr_too_large": ("SGD learning rate 50", Setup(lr=50.0)),
    "symmetric_init": ("all weights initialised to 0", Setup(init="zeros")),
    "dead_relu": ("hidden biases set to -10 (every ReLU input negative)", Setup(hidden_bias=-10)),
    "vanishing_gradients": (
        "sigmoid units with N(0, 5^2) weights (saturated)",
        Setup(activation=nn.Sigmoid, init=_saturating_init),
    ),
    "no_label_signal": ("training labels shuffled", Setup(shuffled_labels=True)),
}


def remedy(cause: str, setup: Setup, evidence: dict) -> tuple[str, Setup]:
    """The change the diagnosis ``cause`` calls for, applied to the faulty ``setup``.

    The fix is chosen from what :func:`mlhood.nn.diagnose` named, not from the fault that
    was injected: a wrong diagnosis applies the wrong fix, and the loss stays stuck.
    """
    if cause == "lr_too_large":
        return "learning rate / 1000", replace(setup, lr=setup.lr / 1000)
    if cause == "lr_too_small":  # SGD steps scale with lr: aim for update/weight near 1e-2
        # (brisk, for 8 short epochs; 1e-3 is the usual rule of thumb for long runs)
        ratio = evidence.get("median_update_to_weight", float("nan"))
        factor = 1e-2 / ratio if 0 < ratio < 1e-2 else 100.0  # else: the usual 10-100x
        return f"learning rate x {factor:.2g}", replace(setup, lr=setup.lr * factor)
    if cause == "symmetric_init":
        return "He initialisation", replace(setup, init="he_normal")
    if cause == "dead_relu":
        return "He initialisation with bias 0", replace(setup, init="he_normal", hidden_bias=0.0)
    if cause == "vanishing_gradients":
        return "ReLU with He initialisation", replace(setup, activation=nn.ReLU, init="he_normal")
    if cause == "no_label_signal":
        return "the true labels", replace(setup, shuffled_labels=False)
    return "nothing (no diagnosis)", setup


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


def train(setup: Setup, seed: int, n: int, epochs: int):
    """Train the MLP of ``setup`` on blobs drawn with ``seed``; return history and model."""
    X, y = make_data(seed, n)
    if setup.shuffled_labels:
        y = np.random.default_rng(seed + 100).permutation(y)
    model = make_mlp(seed, activation=setup.activation, init=setup.init)
    model[0].bias.data[:] = model[2].bias.data[:] = setup.hidden_bias
    history = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        setup.optimizer(model.parameters(), lr=setup.lr),
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


def backward_check(seed: int) -> dict:
    """Gradient check (:func:`mlhood.nn._diagnose.gradient_check`) of the lab's two MLPs."""
    X, y = make_data(seed, 8)
    errors = {}
    for activation, init in ((nn.ReLU, "he_normal"), (nn.Sigmoid, "xavier_normal")):
        model = make_mlp(seed, activation=activation, init=init, width=6)
        for layer in (model[0], model[2], model[4]):  # non-zero biases, as after training
            layer.bias.data[:] = np.random.default_rng(seed).normal(size=layer.bias.shape)
        for name, error in gradient_check(model, nn.CrossEntropyLoss(), X, y, h=1e-5).items():
            errors[f"{activation.__name__} {name}"] = error
    return errors


def he_depth_scale(seed: int, depth: int = 10, width: int = 512, n: int = 256) -> dict:
    """Mean squared pre-activation of each layer of a deep He-initialised ReLU stack.

    ``per_layer_factor`` is the geometric mean of the layer-to-layer ratios,
    ``(last / first) ** (1 / (depth - 1))``: 1 in expectation for He initialisation,
    1/2 for variance ``1 / fan_in``.
    """
    rng = np.random.default_rng(seed)
    out = rng.standard_normal((n, width))
    scale = []
    for _ in range(depth):
        out = nn.Linear(width, width, init="he_normal", random_state=rng).forward(out)
        scale.append(float(np.mean(out**2)))
        out = nn.ReLU().forward(out)
    return {
        "mean_square_by_layer": scale,
        "per_layer_factor": (scale[-1] / scale[0]) ** (1 / (depth - 1)),
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q02", "A loss that will not move", QUESTION, ANSWER)
    # small matrices: BLAS threads only add overhead (and stall on a busy machine)
    with timed(result), threadpool_limits(limits=1, user_api="blas"):
        n, epochs = (600, 12) if quick else (3000, 20)
        rows, curves = [], {}
        for i, (fault, (described, setup)) in enumerate(FAULTS.items()):
            run_seed = 1000 * seed + 10 * i  # each fault on its own network and data
            faulty_history, faulty_model = train(setup, run_seed, n, epochs)
            findings = nn.diagnose(faulty_history, faulty_model)
            top = findings[0] if findings else nn.Finding("none", "")
            fix, fixed_setup = remedy(top.cause, setup, top.evidence)
            fixed_history, fixed_model = train(fixed_setup, run_seed, n, epochs)
            after = nn.diagnose(fixed_history, fixed_model)
            chance = faulty_history.chance_loss
            faulty_best, fixed_best = _best_val(faulty_history), _best_val(fixed_history)
            curves[fault] = (faulty_history.val_loss, fixed_history.val_loss, chance)
            rows.append(
                {
                    "injected fault": described,
                    "diagnosis": top.cause,
                    "evidence": ", ".join(
                        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                        for k, v in top.evidence.items()
                    ),
                    "suggested fix": top.fix,
                    "fix applied": fix,
                    "faulty best val loss": round(faulty_best, 3),
                    "fixed best val loss": round(fixed_best, 3),
                    "chance loss": round(chance, 3),
                    "findings after the fix": len(after),
                }
            )
            result.claims.append(
                Claim(
                    f"Fault '{described}': diagnose names it as {fault}; the fix chosen from "
                    "that diagnosis, run on the same network and data, brings the validation "
                    "loss below half the chance level and below a quarter of the faulty "
                    "run's, and diagnose finds nothing wrong with the fixed run.",
                    {"fix_applied": fix, "chance_loss": chance, **top.evidence},
                    checks=[
                        Check("diagnosis", top.cause, "==", fault),
                        Check("fixed best val loss / chance", fixed_best / chance, "<", 0.5),
                        Check(
                            "fixed / faulty best val loss",
                            fixed_best / max(faulty_best, 1e-12),
                            "<",
                            0.25,
                        ),
                        Check("findings after the fix", len(after), "==", 0),
                    ],
                    catches=["dead-relu-any-sample"],
                )
            )
        result.tables["faults"] = rows

        slow, slow_model = train(Setup(lr=1e-7, optimizer=nn.Adam), seed, n, epochs)
        tuned, _ = train(Setup(lr=1e-2, optimizer=nn.Adam), seed, n, epochs)
        named = (nn.diagnose(slow, slow_model) or [nn.Finding("none", "")])[0].cause
        drop, healthy_drop = _relative_drop(slow), max(_relative_drop(tuned), 1e-12)
        result.claims.append(
            Claim(
                "Adam does not choose the learning rate: with lr = 1e-7 diagnose names "
                "lr_too_small for Adam too, and its training loss drops by less than a tenth "
                "of what the same network achieves with Adam at lr = 1e-2.",
                {"adam_lr_1e-7_relative_drop": drop, "adam_lr_1e-2_relative_drop": healthy_drop},
                checks=[
                    Check("diagnosis", named, "==", "lr_too_small"),
                    Check("drop at 1e-7 / drop at 1e-2", drop / healthy_drop, "<", 0.1),
                ],
                catches=["dead-relu-any-sample"],
            )
        )

        errors = backward_check(seed)
        result.claims.append(
            Claim(
                "Before tuning anything, check the backward pass: for the lab's ReLU and "
                "sigmoid MLPs every analytic gradient (weights, biases, input) matches "
                "central finite differences (relative error < 1e-6).",
                errors,
                checks=[Check("worst relative error", max(errors.values()), "<", 1e-6)],
                catches=["linear-bias-grad-averaged", "relu-backward-passes-negatives"],
            )
        )

        depth = he_depth_scale(seed)
        factor = depth["per_layer_factor"]
        result.claims.append(
            Claim(
                "He initialisation (variance 2/fan_in) keeps the signal's scale through a "
                "deep ReLU stack: over 10 layers of width 512 the mean squared pre-activation "
                "changes by a factor between 0.9 and 1.1 per layer (variance 1/fan_in would "
                "halve it at every layer, 2^-9 overall).",
                {"mean_square_by_layer": [round(v, 4) for v in depth["mean_square_by_layer"]]},
                checks=[
                    Check("per-layer factor", factor, ">", 0.9),
                    Check("per-layer factor (upper)", factor, "<", 1.1),
                ],
                catches=["he-init-as-xavier"],
            )
        )

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
