"""q03 - How is dropout implemented in the forward and backward pass? Measured, not recited."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from mlhood import nn
from mlhood.datasets import load_digits
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.nn._diagnose import numerical_gradient, relative_error

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

The lab uses `p = 0.3` (at `p = 0.5` keeping and dropping are equally likely, so mixing
them up would go unseen). It checks the backward pass against finite differences with the
mask the forward pass drew; counts the zeros (the drop rate is `p`, not `keep`) and the
factor on kept units (exactly `1/keep`); shows that the mean activation during training
matches inference; checks that after `eval()` the network is the same maths without
dropout; and trains a large network on few noisy samples, where dropout shrinks the gap
between training and validation loss and the full network at inference beats the average
thinned network it stands for.

**Correct**: in the common snippet `mask = np.random.binomial(1, p, size=x.shape) / p`, `p`
is the **keep** probability - the opposite of the `p` of PyTorch's `nn.Dropout(p)`
(and of `mlhood.nn.Dropout(p)`), which is the *drop* probability. `Dropout(p=0.2)` keeps
80% of units and scales them by 1/0.8.
"""


P_DROP = 0.3  # not 0.5, where keeping and dropping with probability p coincide


def gradient_check(seed: int, p: float = P_DROP, h: float = 1e-6) -> dict:
    """Analytic vs central-difference gradients through Linear-ReLU-Dropout-Linear-CE.

    The forward pass draws a random mask and the backward pass computes every gradient
    (including :meth:`mlhood.nn.Dropout.backward`); the finite differences then re-run the
    loss with that same mask fixed (``Dropout.fix_mask``), so the loss is a deterministic,
    smooth function of each weight, bias and input.
    """
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((6, 5)), rng.integers(0, 3, 6)
    model = nn.Sequential(
        nn.Linear(5, 8, init="xavier_normal", random_state=seed),
        nn.ReLU(),
        nn.Dropout(p, random_state=seed),
        nn.Linear(8, 3, init="xavier_normal", random_state=seed + 1),
    )
    for layer in (model[0], model[3]):  # non-zero biases, so their gradients matter
        layer.bias.data[:] = rng.normal(scale=0.5, size=layer.bias.shape)
    loss = nn.CrossEntropyLoss()
    loss.forward(model.forward(X), y)
    analytic = {"input": model.backward(loss.backward()).copy()}
    analytic.update({q.name: q.grad.copy() for q in model.parameters()})
    drawn = model[2].mask  # None would mean the forward pass kept no mask to reuse
    model[2].fix_mask(np.ones((6, 8)) if drawn is None else (drawn != 0).astype(float))

    def objective() -> float:
        return loss.forward(model.forward(X), y)

    arrays = {"input": X, **{q.name: q.data for q in model.parameters()}}
    errors = {
        f"rel_error_{name}": relative_error(analytic[name], numerical_gradient(objective, a, h))
        for name, a in arrays.items()
    }
    return {**errors, "dropped_units": int((model[2].fixed_mask == 0).sum())}


def training_forward(seed: int, n_masks: int, p: float = P_DROP) -> dict:
    """A ReLU layer's output under ``n_masks`` training masks, against inference.

    Returns the observed drop rate (zeros among units whose input is non-zero) with its
    binomial standard error, the largest deviation of a kept unit's factor ``y / x`` from
    ``1 / keep``, and the mean activation per mask against the inference mean.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((256, 20))
    H = nn.Sequential(nn.Linear(20, 64, random_state=seed), nn.ReLU()).forward(X)
    drop = nn.Dropout(p, random_state=seed)
    inference = float(drop.eval().forward(H).mean())
    drop.train()
    live = H != 0
    dropped, factor_error, per_mask = 0, 0.0, np.empty(n_masks)
    for i in range(n_masks):
        out = drop.forward(H)
        per_mask[i] = out.mean()
        kept = live & (out != 0)
        dropped += int(live.sum() - kept.sum())
        factor_error = max(factor_error, float(np.max(np.abs(out[kept] / H[kept] - 1 / (1 - p)))))
    n_units = int(live.sum()) * n_masks
    return {
        "p": p,
        "drop_rate": dropped / n_units,
        "drop_rate_standard_error": float(np.sqrt(p * (1 - p) / n_units)),
        "max_kept_factor_error": factor_error,
        "inference_mean": inference,
        "train_mean": float(per_mask.mean()),
        "train_mean_standard_error": float(per_mask.std(ddof=1) / np.sqrt(n_masks)),
    }


def inference_check(seed: int, p: float = P_DROP) -> dict:
    """A network with dropout in ``eval()`` mode against the same maths written in NumPy.

    Returns the largest difference between ``model.eval().forward(X)`` and
    ``relu(X W1^T + b1) W2^T + b2`` (dropout as the identity), and between two eval calls.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((64, 10))
    model = nn.Sequential(
        nn.Linear(10, 32, random_state=seed),
        nn.ReLU(),
        nn.Dropout(p, random_state=seed),
        nn.Linear(32, 3, random_state=seed + 1),
    )
    model.forward(X)  # one training pass first: eval() must switch dropout off afterwards
    model.eval()
    first, second = model.forward(X), model.forward(X)
    W1, b1, W2, b2 = (q.data for q in model.parameters())
    by_hand = np.maximum(X @ W1.T + b1, 0) @ W2.T + b2
    return {
        "max_difference_from_numpy": float(np.max(np.abs(first - by_hand))),
        "max_difference_between_calls": float(np.max(np.abs(first - second))),
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


def train_gap(
    seed: int, p: float, n_train: int, epochs: int, width: int = 128, n_thinned: int = 20
) -> dict:
    """Train a wide MLP on few noisy digits with dropout ``p``; train and validation loss.

    With ``p > 0`` also the mean validation loss of ``n_thinned`` single thinned networks
    (training-mode passes, one random mask each), which the full network used at
    inference stands in for.
    """
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
    model.train()
    thinned = [loss.forward(model.forward(X_val), y_val) for _ in range(n_thinned if p else 0)]
    return {
        "p": p,
        "thinned_val_loss": float(np.mean(thinned)) if thinned else float("nan"),
        "train_loss": train_loss,
        "val_loss": history.val_loss[-1],
        "gap": history.val_loss[-1] - train_loss,
        "val_accuracy": history.val_accuracy[-1],
        "val_curve": history.val_loss,
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q03", "Dropout, forward and backward", QUESTION, ANSWER)
    # small matrices: BLAS threads only add overhead (and stall on a busy machine)
    with timed(result), threadpool_limits(limits=1, user_api="blas"):
        n_masks, n_train, epochs = (200, 150, 60) if quick else (2000, 150, 120)
        check = gradient_check(seed)
        worst = max(v for k, v in check.items() if k.startswith("rel_error"))
        result.claims.append(
            Claim(
                "Backward: the analytic gradients (upstream gradient times the same scaled "
                "mask that the forward pass drew, then back through ReLU and Linear) match "
                "central finite differences with that mask fixed, for every weight, bias and "
                "input: relative error < 1e-7.",
                check,
                checks=[Check("worst relative error", worst, "<", 1e-7)],
                catches=[
                    "dropout-backward-no-mask",
                    "linear-bias-grad-averaged",
                    "relu-backward-passes-negatives",
                ],
            )
        )

        fwd = training_forward(seed, n_masks)
        drop_z = abs(fwd["drop_rate"] - fwd["p"]) / fwd["drop_rate_standard_error"]
        result.claims.append(
            Claim(
                f"Forward, training: with p = {P_DROP} each unit is dropped with probability p "
                "(the observed drop rate is within 5 binomial standard errors of p) and every "
                f"kept unit is multiplied by exactly 1/keep = {1 / (1 - P_DROP):.4g}.",
                {k: fwd[k] for k in ("p", "drop_rate", "drop_rate_standard_error")},
                checks=[
                    Check("drop rate minus p, in standard errors", drop_z, "<", 5.0),
                    Check("max |kept factor - 1/keep|", fwd["max_kept_factor_error"], "<", 1e-9),
                ],
                catches=["dropout-p-as-keep", "dropout-no-rescale"],
            )
        )
        mean_z = abs(fwd["train_mean"] - fwd["inference_mean"]) / fwd["train_mean_standard_error"]
        result.claims.append(
            Claim(
                f"Forward, expectation: averaged over {n_masks} masks, the training-time mean "
                "activation equals the inference mean within sampling error (|difference| < 5 "
                "standard errors), because E[m / keep] = 1.",
                {k: fwd[k] for k in ("inference_mean", "train_mean", "train_mean_standard_error")},
                checks=[Check("difference in standard errors", mean_z, "<", 5.0)],
                catches=["dropout-no-rescale"],
            )
        )
        inference = inference_check(seed)
        result.claims.append(
            Claim(
                "Forward, inference: after eval() a network with dropout computes exactly "
                "relu(X W1^T + b1) W2^T + b2 written in NumPy (dropout is the identity), and "
                "two calls on the same input agree.",
                {},
                checks=[
                    Check(
                        "max difference from NumPy",
                        inference["max_difference_from_numpy"],
                        "<",
                        1e-12,
                    ),
                    Check(
                        "max difference between calls",
                        inference["max_difference_between_calls"],
                        "==",
                        0.0,
                    ),
                ],
                catches=["dropout-active-at-eval"],
            )
        )

        runs = [train_gap(seed, p, n_train, epochs) for p in (0.0, P_DROP)]
        plain, dropped = runs
        gap_ratio = dropped["gap"] / max(plain["gap"], 1e-12)
        result.claims.append(
            Claim(
                f"On {n_train} training digits with 30% random labels, a 64-128-128-10 network "
                f"memorises the noise; dropout {P_DROP} narrows the gap between validation and "
                "training loss (by at least 10%) and lowers the validation loss. At inference "
                "the full network (no mask) stands for the average of the thinned networks "
                "and is better than a typical one: validation loss below 0.9 of theirs.",
                {
                    "gap_without_dropout": plain["gap"],
                    "gap_with_dropout": dropped["gap"],
                    "val_loss_without": plain["val_loss"],
                    "val_loss_with": dropped["val_loss"],
                    "mean_val_loss_of_thinned_networks": dropped["thinned_val_loss"],
                },
                checks=[
                    Check("gap with / gap without", gap_ratio, "<", 0.9),
                    Check(
                        "inference / thinned val loss",
                        dropped["val_loss"] / dropped["thinned_val_loss"],
                        "<",
                        0.9,
                    ),
                    Check(
                        "validation loss with - without",
                        dropped["val_loss"] - plain["val_loss"],
                        "<",
                        0.0,
                    ),
                ],
                catches=["dropout-active-at-eval"],
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
        result.tables["training_forward"] = [{k: float(f"{v:.5g}") for k, v in fwd.items()}]

        fig, ax = new_figure()
        for r in runs:
            ax.plot(np.arange(1, epochs + 1), r["val_curve"], label=f"validation, p={r['p']}")
        ax.set_xlabel("epoch")
        ax.set_ylabel("validation cross-entropy")
        ax.set_title(f"Validation loss, {n_train} noisy training digits")
        ax.legend()
        result.figures["validation_loss"] = fig

        fig, ax = new_figure()
        keep = 1 - P_DROP
        labels = ["inference", "train (x m/keep)", "keep x inference\n(no 1/keep)"]
        values = [fwd["inference_mean"], fwd["train_mean"], keep * fwd["inference_mean"]]
        ax.bar(labels, values, yerr=[0, 2 * fwd["train_mean_standard_error"], 0], color="C0")
        ax.set_ylabel("mean ReLU activation")
        ax.set_title(f"Inverted dropout keeps the mean (p={P_DROP})")
        result.figures["mean_activation"] = fig
    return result
