"""q09 - What is transfer learning? Digits 0-4 -> 5-9 with few labels, measured honestly."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.datasets import load_digits
from mlhood.labs._result import Claim, LabResult, timed
from mlhood.report._figures import new_figure

QUESTION = "What is transfer learning, and when does it help?"

ANSWER = """\
**Transfer learning** reuses what a model learned on a *source* task for a *target* task
with little labelled data: copy the trained layers into a new network, replace the output
layer (the *head*) by a fresh one for the new classes, then either

- **freeze** the copied layers and train only the head (the copied layers are a fixed
  feature extractor), or
- **fine-tune** everything, giving the copied layers a smaller learning rate than the new
  head so that the head settles before the features move.

It pays off when the source task is large and varied enough to learn features that the
target task needs but cannot learn from its few labels (ImageNet features for a small
medical-image task; a language model for a small text classifier). The advantage is
largest with the fewest target labels and shrinks as labels grow; frozen features plateau,
fine-tuning keeps improving.

This lab does it offline on scikit-learn's bundled 8x8 digits: pre-train on digits 0-4,
transfer to digits 5-9 with 1 to 40 labels per class. The measured outcome is the honest
nuance: here the source set is small (about 900 images of 5 classes) and raw pixels are
already good features, so a network trained **from scratch is as good or better** even
with a handful of labels. The transferred features do carry information about the unseen
digits (a head on frozen features is far above chance), and fine-tuning beats frozen
features once labels are plentiful. Transfer is a bet that the source features fit the
target better than what the target data alone can teach; measure it, do not assume it.

**Correct**: nothing is downloaded; "pre-trained" here means trained by us on the source
classes.
"""


def _mlp(seed: int, n_out: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(64, 128, random_state=seed),
        nn.ReLU(),
        nn.Linear(128, 64, random_state=seed + 1),
        nn.ReLU(),
        nn.Linear(64, n_out, init="xavier_uniform", random_state=seed + 2),
    )


def accuracy(model: nn.Sequential, X: np.ndarray, y: np.ndarray) -> float:
    model.eval()
    value = float(np.mean(model.forward(X).argmax(axis=1) == y))
    model.train()
    return value


def split_tasks(seed: int):
    """Source: digits 0-4 (80% train, 20% test). Target: digits 5-9 relabelled 0-4, half a
    pool to draw labelled examples from, half a test set."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(seed)
    src = np.flatnonzero(y < 5)[rng.permutation(int((y < 5).sum()))]
    tgt = np.flatnonzero(y >= 5)[rng.permutation(int((y >= 5).sum()))]
    cut_s, cut_t = int(0.8 * len(src)), len(tgt) // 2
    return {
        "source_train": (X[src[:cut_s]], y[src[:cut_s]]),
        "source_test": (X[src[cut_s:]], y[src[cut_s:]]),
        "target_pool": (X[tgt[:cut_t]], y[tgt[:cut_t]] - 5),
        "target_test": (X[tgt[cut_t:]], y[tgt[cut_t:]] - 5),
    }


def pretrain(data: dict, seed: int, epochs: int) -> nn.Sequential:
    X, y = data["source_train"]
    model = _mlp(seed, 5)
    nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.Adam(model.parameters(), lr=1e-3),
        batch_size=32,
        epochs=epochs,
        monitor=False,
        random_state=seed,
    )
    return model


def _train_target(model, optimizer, X, y, seed: int, steps: int) -> None:
    batch = min(32, len(y))
    epochs = max(1, steps * batch // len(y))
    nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        optimizer,
        batch_size=batch,
        epochs=epochs,
        monitor=False,
        random_state=seed,
    )


def compare_methods(source, data, per_class: int, seed: int, steps: int = 100) -> dict:
    """Target test accuracy of scratch / frozen + head / fine-tune with ``per_class`` labels."""
    X_pool, y_pool = data["target_pool"]
    X_test, y_test = data["target_test"]
    rng = np.random.default_rng(seed)
    picked = np.concatenate(
        [rng.choice(np.flatnonzero(y_pool == c), per_class, replace=False) for c in range(5)]
    )
    X, y = X_pool[picked], y_pool[picked]

    scratch = _mlp(seed + 100, 5)
    _train_target(scratch, nn.Adam(scratch.parameters(), lr=1e-3), X, y, seed, steps)

    frozen = nn.freeze(nn.replace_head(source, 5, random_state=seed), [0, 2])
    _train_target(frozen, nn.Adam(frozen.parameters(), lr=1e-2), X, y, seed, steps)

    tuned = nn.replace_head(source, 5, random_state=seed)
    groups = nn.layer_param_groups(tuned, 1e-2, {0: 1e-3, 2: 1e-3})
    _train_target(tuned, nn.Adam(groups), X, y, seed, steps)
    return {
        name: accuracy(model, X_test, y_test)
        for name, model in (
            ("scratch", scratch),
            ("frozen + new head", frozen),
            ("fine-tune", tuned),
        )
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q09", "Transfer learning", QUESTION, ANSWER)
    with timed(result):
        grid, reps, epochs = (
            ([1, 3, 10, 40], 2, 20) if quick else ([1, 2, 3, 5, 10, 20, 40, 80], 5, 40)
        )
        data = split_tasks(seed)
        source = pretrain(data, seed, epochs)
        source_acc = accuracy(source, *data["source_test"])
        curve = {}
        for per_class in grid:
            runs = [
                compare_methods(source, data, per_class, seed * 1000 + 10 * per_class + r)
                for r in range(reps)
            ]
            curve[per_class] = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
        result.tables["target_accuracy"] = [
            {"labels per class": k, **{m: round(v, 3) for m, v in row.items()}}
            for k, row in curve.items()
        ]
        methods = list(curve[grid[0]])
        small, large = curve[grid[0]], curve[grid[-1]]
        third = curve[grid[1]]

        result.claims.append(
            Claim(
                "Pre-training works: the source network classifies held-out digits 0-4 with "
                "at least 95% accuracy.",
                {"source_test_accuracy": source_acc},
                source_acc >= 0.95,
            )
        )
        result.claims.append(
            Claim(
                f"Features learned on digits 0-4 carry information about 5-9: a new head on the "
                f"frozen features reaches at least twice chance (40%) with {grid[1]} labels per "
                "class.",
                {"frozen_accuracy": third["frozen + new head"], "chance": 0.2},
                third["frozen + new head"] >= 0.4,
            )
        )
        result.claims.append(
            Claim(
                f"Frozen features plateau: with {grid[-1]} labels per class fine-tuning beats "
                "frozen features + new head by at least 3 points.",
                {"fine_tune": large["fine-tune"], "frozen": large["frozen + new head"]},
                large["fine-tune"] >= large["frozen + new head"] + 0.03,
            )
        )
        result.claims.append(
            Claim(
                "Every method improves with more target labels (at least 20 points from the "
                f"smallest to the largest of {grid} labels per class).",
                {m: [small[m], large[m]] for m in methods},
                all(large[m] >= small[m] + 0.2 for m in methods),
            )
        )
        gains = {
            m: [row[m] - row["scratch"] for row in curve.values()]
            for m in ("frozen + new head", "fine-tune")
        }
        result.claims.append(
            Claim(
                "On 8x8 digits transfer brings no clear gain over training from scratch: "
                "averaged over the label counts fine-tuning is less than 5 points above scratch, "
                "and frozen features are never more than 5 points above it.",
                {
                    "mean_fine_tune_gain": float(np.mean(gains["fine-tune"])),
                    "max_frozen_gain": float(np.max(gains["frozen + new head"])),
                },
                np.mean(gains["fine-tune"]) < 0.05 and np.max(gains["frozen + new head"]) < 0.05,
            )
        )

        fig, ax = new_figure()
        for method in methods:
            ax.plot(grid, [curve[k][method] for k in grid], marker="o", label=method)
        ax.axhline(0.2, color="0.6", ls="--", label="chance")
        ax.set_xscale("log")
        ax.set_xlabel("labelled target examples per class (digits 5-9)")
        ax.set_ylabel("target test accuracy")
        ax.set_title("Learning curves: scratch vs transfer from digits 0-4")
        ax.legend()
        result.figures["learning_curve"] = fig
    return result
