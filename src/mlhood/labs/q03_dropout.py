"""q03 - How is dropout implemented in the forward and backward pass? Measured, not recited."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.datasets import load_digits
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed

QUESTION = "How is dropout implemented in the forward pass and in the backward pass?"

ANSWER = """\
Modern libraries use **inverted dropout**. With drop probability `p` and keep probability
`keep = 1 - p`:

- **Forward, training**: draw a mask `m` with `m_ij ~ Bernoulli(keep)` and output
  `y = x * m / keep`. Dropped units become 0; kept units are scaled *up* by `1/keep`, so
  `E[y] = x` and the next layer sees activations of the same expected size as at test time.
- **Forward, inference** (`eval()`): the identity, `y = x`. No mask, no rescaling.
- **Backward**: dropout is a multiplication by the constant `m / keep`, so
  `dL/dx = dL/dy * m / keep` - the *same* scaled mask that was used in the forward pass
  (dropped units get no gradient). Store the mask; do not draw a new one.

The lab checks the backward pass numerically with a fixed mask, shows that the mean
activation during training matches inference (and is off by the factor `keep` if the
`1/keep` is forgotten), and shows that dropout shrinks the gap between training and
validation loss of a large network trained on few samples.

**Correct**: in the common snippet `mask = np.random.binomial(1, p, size=x.shape) / p`, `p`
is the **keep** probability - the opposite of the `p` of PyTorch's `nn.Dropout(p)`
(and of `mlhood.nn.Dropout(p)`), which is the *drop* probability. `Dropout(p=0.2)` keeps
80% of units and scales them by 1/0.8.
"""


def _rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a) + np.abs(b)), 1e-300))


def gradient_check(seed: int, p: float = 0.4, h: float = 1e-6) -> dict:
    """Analytic vs central-difference gradients through Linear-Tanh-Dropout-Linear-CE.

    The dropout mask is fixed (``Dropout.fix_mask``) so the loss is a deterministic,
    smooth function of the weights; the analytic gradient comes from the layers'
    ``backward`` (including ``mlhood.nn.Dropout.backward``).
    """
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    model = nn.Sequential(
        nn.Linear(5, 8, init="xavier_normal", random_state=seed),
        nn.Tanh(),
        nn.Dropout(p, random_state=seed),
        nn.Linear(8, 3, init="xavier_normal", random_state=seed + 1),
    )
    model[2].fix_mask((rng.random((6, 8)) >= p).astype(float))
    loss = nn.CrossEntropyLoss()

    def objective() -> float:
        return loss.forward(model.forward(X), y)

    objective()
    grad_input = model.backward(loss.backward()).copy()
    weight = model[0].weight
    analytic_w = weight.grad.copy()
    numeric_w = np.zeros_like(weight.data)
    for idx in np.ndindex(weight.shape):
        old = weight.data[idx]
        weight.data[idx] = old + h
        up = objective()
        weight.data[idx] = old - h
        down = objective()
        weight.data[idx] = old
        numeric_w[idx] = (up - down) / (2 * h)
    numeric_x = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        old = X[idx]
        X[idx] = old + h
        up = objective()
        X[idx] = old - h
        down = objective()
        X[idx] = old
        numeric_x[idx] = (up - down) / (2 * h)
    return {
        "rel_error_first_layer_weight": _rel_error(analytic_w, numeric_w),
        "rel_error_input": _rel_error(grad_input, numeric_x),
        "dropped_units": int((model[2].fixed_mask == 0).sum()),
    }


def mean_activation(seed: int, n_masks: int, p: float = 0.5) -> dict:
    """Mean of a ReLU layer's output under many dropout masks vs at inference."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((256, 20))
    hidden = nn.Sequential(nn.Linear(20, 64, random_state=seed), nn.ReLU())
    H = hidden.forward(X)
    drop = nn.Dropout(p, random_state=seed)
    inference = float(drop.eval().forward(H).mean())
    drop.train()
    per_mask = np.array([drop.forward(H).mean() for _ in range(n_masks)])
    unscaled = per_mask * drop.keep_prob  # what a forgotten 1/keep would give
    return {
        "inference_mean": inference,
        "train_mean": float(per_mask.mean()),
        "standard_error": float(per_mask.std(ddof=1) / np.sqrt(n_masks)),
        "train_mean_without_rescaling": float(unscaled.mean()),
        "keep_prob": drop.keep_prob,
    }


def small_noisy_digits(seed: int, n_train: int, label_noise: float = 0.3):
    """``n_train`` digits whose labels are replaced at random with probability
    ``label_noise`` (easy to memorise, hard to generalise from), and 600 clean validation
    digits."""
    X, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    X = X / 16.0
    train, val = order[:n_train], order[n_train : n_train + 600]
    y_train = y[train].copy()
    noisy = rng.random(n_train) < label_noise
    y_train[noisy] = rng.integers(0, 10, int(noisy.sum()))
    return X[train], y_train, X[val], y[val]


def train_gap(seed: int, p: float, n_train: int, epochs: int, width: int = 128) -> dict:
    """Train a wide MLP on few noisy digits with dropout ``p``; train and validation loss."""
    X, y, X_val, y_val = small_noisy_digits(seed, n_train)
    layers = [nn.Linear(64, width, random_state=seed), nn.ReLU()]
    layers += [nn.Dropout(p, random_state=seed)] if p else []
    layers += [nn.Linear(width, width, random_state=seed + 1), nn.ReLU()]
    layers += [nn.Dropout(p, random_state=seed + 1)] if p else []
    model = nn.Sequential(*layers, nn.Linear(width, 10, random_state=seed + 2))
    loss = nn.CrossEntropyLoss()
    history = nn.fit(
        model,
        X,
        y,
        loss,
        nn.Adam(model.parameters(), lr=3e-3),
        batch_size=50,
        epochs=epochs,
        validation_data=(X_val, y_val),
        monitor=False,
        random_state=seed,
    )
    model.eval()
    train_loss = loss.forward(model.forward(X), y)
    return {
        "p": p,
        "train_loss": train_loss,
        "val_loss": history.val_loss[-1],
        "gap": history.val_loss[-1] - train_loss,
        "val_accuracy": history.val_accuracy[-1],
        "val_curve": history.val_loss,
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q03", "Dropout, forward and backward", QUESTION, ANSWER)
    with timed(result):
        n_masks, n_train, epochs = (400, 150, 60) if quick else (4000, 150, 120)
        check = gradient_check(seed)
        worst = max(check["rel_error_first_layer_weight"], check["rel_error_input"])
        result.claims.append(
            Claim(
                "With a fixed mask, the backward pass (upstream gradient times the same scaled "
                "mask) matches central finite differences: relative error < 1e-7.",
                check,
                checks=[Check("worst relative error", worst, "<", 1e-7)],
                catches=["dropout-backward-no-mask"],
            )
        )

        means = mean_activation(seed, n_masks)
        z = abs(means["train_mean"] - means["inference_mean"]) / means["standard_error"]
        result.claims.append(
            Claim(
                "The mean activation during training (scaled by 1/keep) matches the inference "
                "mean within sampling error (|difference| < 4 standard errors).",
                {**means, "difference_in_standard_errors": z},
                z < 4,
            )
        )
        shrink = means["train_mean_without_rescaling"] / means["inference_mean"]
        result.claims.append(
            Claim(
                "Without the 1/keep scaling, the training-time mean would be keep times the "
                "inference mean (ratio within 2% of keep).",
                {"ratio": shrink, "keep_prob": means["keep_prob"]},
                abs(shrink - means["keep_prob"]) < 0.02 * means["keep_prob"],
            )
        )

        runs = [train_gap(seed, p, n_train, epochs) for p in (0.0, 0.5)]
        plain, dropped = runs
        result.claims.append(
            Claim(
                f"On {n_train} training digits with 30% random labels, a 64-128-128-10 network "
                "memorises the noise; dropout 0.5 cuts the gap between validation and training "
                "loss by more than a third and lowers the validation loss.",
                {
                    "gap_without_dropout": plain["gap"],
                    "gap_with_dropout": dropped["gap"],
                    "val_loss_without": plain["val_loss"],
                    "val_loss_with": dropped["val_loss"],
                },
                dropped["gap"] < (2 / 3) * plain["gap"]
                and dropped["val_loss"] < plain["val_loss"],
            )
        )
        result.tables["train_validation_gap"] = [
            {
                k: round(v, 4) if isinstance(v, float) else v
                for k, v in r.items()
                if k != "val_curve"
            }
            for r in runs
        ]
        result.tables["mean_activation"] = [{k: round(v, 5) for k, v in means.items()}]

        fig, ax = new_figure()
        for r in runs:
            ax.plot(np.arange(1, epochs + 1), r["val_curve"], label=f"validation, p={r['p']}")
        ax.set_xlabel("epoch")
        ax.set_ylabel("validation cross-entropy")
        ax.set_title(f"Validation loss, {n_train} noisy training digits")
        ax.legend()
        result.figures["validation_loss"] = fig

        fig, ax = new_figure()
        labels = ["inference", "train (x m/keep)", "train (x m, no 1/keep)"]
        values = [
            means["inference_mean"],
            means["train_mean"],
            means["train_mean_without_rescaling"],
        ]
        ax.bar(labels, values, yerr=[0, 2 * means["standard_error"], 0], color="C0")
        ax.set_ylabel("mean ReLU activation")
        ax.set_title(f"Inverted dropout keeps the mean (p={1 - means['keep_prob']:.1f})")
        result.figures["mean_activation"] = fig
    return result
