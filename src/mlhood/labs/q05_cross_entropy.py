"""q05 - What is cross-entropy loss? Stable formulas, gradients and convergence, measured."""

from __future__ import annotations

import numpy as np

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed

QUESTION = "What is cross-entropy loss, and why is it used for classification?"

ANSWER = """\
For a classifier that outputs a probability distribution `p_i = softmax(z_i)` over K
classes, the cross-entropy loss on N samples with true classes `y_i` is

`L = -(1/N) sum_i log p_{i, y_i}`

- It is the **negative log-likelihood** of a categorical model: minimising it is maximum
  likelihood. The binary case (sigmoid `s`) is `-(1/N) sum_i [y_i log s(z_i) + (1 - y_i)
  log(1 - s(z_i))]`.
- The name comes from information theory: per sample it is the cross-entropy
  `H(q, p) = -sum_k q_k log p_k` between the label distribution `q` (one-hot) and the
  model's `p`; `H(q, p) = H(q) + KL(q || p)`, so with fixed labels minimising it minimises
  the KL divergence. The `1/N` only **averages** over samples.
- **Compute it from logits**: `log p_{iy} = z_{iy} - logsumexp(z_i)` with the row maximum
  subtracted first; exponentiating first overflows for large logits.
- Its gradient with respect to the logits is `(p - onehot(y)) / N`: proportional to the
  error, so a confident wrong prediction gets a gradient of size ~1. Squared error on
  probabilities multiplies that by `s'(z) = s(1 - s)`, which is ~0 exactly when the model
  is confidently wrong, so learning stalls; logistic regression trained with cross-entropy
  converges much faster (and its loss is convex in the weights).

**Correct**: the `1/N` is averaging over samples, not part of the definition of
cross-entropy; the name refers to `H(p, q)` from information theory.
"""


def formula_check(seed: int) -> dict:
    """Library losses vs direct NLL formulas; naive vs stable for huge logits."""
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((200, 5)) * 3
    y = rng.integers(0, 5, 200)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    nll = -np.mean(np.log(probs[np.arange(200), y]))
    ours = nn.CrossEntropyLoss().forward(logits, y)
    z, t = rng.standard_normal(200) * 3, (rng.random(200) < 0.5).astype(float)
    s = 1 / (1 + np.exp(-z))
    binary_nll = -np.mean(t * np.log(s) + (1 - t) * np.log(1 - s))
    ours_binary = nn.BCEWithLogitsLoss().forward(z, t)
    huge = logits * 400  # logits in the thousands
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive_probs = np.exp(huge) / np.exp(huge).sum(axis=1, keepdims=True)
        naive = -np.mean(np.log(naive_probs[np.arange(200), y]))
    stable = nn.CrossEntropyLoss().forward(huge, y)
    return {
        "multiclass_library": ours,
        "multiclass_nll": float(nll),
        "binary_library": ours_binary,
        "binary_nll": float(binary_nll),
        "huge_logits_naive": float(naive),
        "huge_logits_stable": stable,
    }


def logit_gradients(z_values: np.ndarray) -> list[dict]:
    """dL/dz for a positive example (y = 1) under CE and under MSE on the probability.

    Both through the library: BCEWithLogitsLoss on z, and Sigmoid -> MSELoss backward.
    """
    rows = []
    for z in z_values:
        logit, target = np.array([[z]]), np.array([[1.0]])
        ce = nn.BCEWithLogitsLoss()
        ce.forward(logit, target)
        ce_grad = float(ce.backward()[0, 0])
        sigmoid, mse = nn.Sigmoid(), nn.MSELoss()
        p = sigmoid.forward(logit)
        mse.forward(p, target)
        mse_grad = float(sigmoid.backward(mse.backward())[0, 0])
        rows.append(
            {"logit": float(z), "p(y=1)": float(p[0, 0]), "dCE/dz": ce_grad, "dMSE/dz": mse_grad}
        )
    return rows


def _logistic_data(seed: int, n: int = 400, d: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    w_true *= 3 / np.linalg.norm(w_true)
    y = (rng.random(n) < 1 / (1 + np.exp(-X @ w_true))).astype(float)
    return X, y, w_true


def train_logistic(seed: int, loss_name: str, lr: float, epochs: int, start: float) -> dict:
    """Full-batch gradient descent on logistic regression with CE or MSE-on-probability.

    ``start`` scales the initial weights along ``-w_true``: 0 is a neutral start, a large
    value a confidently wrong one. Returns the cross-entropy (the common yardstick) per
    epoch.
    """
    X, y, w_true = _logistic_data(seed)
    linear = nn.Linear(X.shape[1], 1, random_state=seed)
    linear.weight.data[0] = -start * w_true
    opt = nn.SGD(linear.parameters(), lr=lr)
    sigmoid = nn.Sigmoid()
    target = y.reshape(-1, 1)
    yardstick, curve = nn.BCEWithLogitsLoss(), []
    for _ in range(epochs):
        z = linear.forward(X)
        curve.append(yardstick.forward(z, target))
        if loss_name == "cross-entropy":
            loss = nn.BCEWithLogitsLoss()
            loss.forward(z, target)
            grad = loss.backward()
        else:
            loss = nn.MSELoss()
            loss.forward(sigmoid.forward(z), target)
            grad = sigmoid.backward(loss.backward())
        linear.backward(grad, need_input_grad=False)
        opt.step()
    return {"curve": np.array(curve)}


def epochs_to_reach(curve: np.ndarray, target: float) -> int:
    """First epoch whose loss is <= target (len(curve) + 1 if never)."""
    hits = np.flatnonzero(curve <= target)
    return int(hits[0]) + 1 if hits.size else len(curve) + 1


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q05", "Cross-entropy loss", QUESTION, ANSWER)
    with timed(result):
        epochs = 300 if quick else 1500
        check = formula_check(seed)
        same = (
            abs(check["multiclass_library"] - check["multiclass_nll"]) < 1e-10
            and abs(check["binary_library"] - check["binary_nll"]) < 1e-10
        )
        result.claims.append(
            Claim(
                "Cross-entropy computed from logits equals the negative log-likelihood of the "
                "categorical (and Bernoulli) model, to 1e-10.",
                {
                    k: check[k]
                    for k in (
                        "multiclass_library",
                        "multiclass_nll",
                        "binary_library",
                        "binary_nll",
                    )
                },
                same,
            )
        )
        result.claims.append(
            Claim(
                "With logits in the thousands, exponentiating first overflows (NaN or inf); the "
                "log-sum-exp form stays finite.",
                {k: check[k] for k in ("huge_logits_naive", "huge_logits_stable")},
                (not np.isfinite(check["huge_logits_naive"]))
                and np.isfinite(check["huge_logits_stable"]),
            )
        )

        rows = logit_gradients(np.array([-10.0, -6.0, -3.0, 0.0, 3.0, 6.0]))
        wrong = rows[0]
        ratio = abs(wrong["dCE/dz"]) / abs(wrong["dMSE/dz"])
        result.claims.append(
            Claim(
                "For a confident wrong prediction (z = -10 for a positive, p = 4.5e-5) the "
                "cross-entropy gradient stays near -1 while squared error on the probability "
                "gives a gradient over 1,000 times smaller.",
                {"dCE/dz": wrong["dCE/dz"], "dMSE/dz": wrong["dMSE/dz"], "ratio": ratio},
                abs(wrong["dCE/dz"]) > 0.99 and ratio > 1000,
            )
        )
        result.tables["gradient_wrt_logit"] = [
            {k: float(f"{v:.4g}") for k, v in row.items()} for row in rows
        ]

        lrs = (0.3, 1.0, 3.0)
        conv_rows, curves = [], {}
        for start in (0.0, 1.0):
            best = {}
            for loss_name in ("cross-entropy", "squared error"):
                runs = {
                    lr: train_logistic(seed, loss_name, lr, epochs, start)["curve"] for lr in lrs
                }
                final_ce = min(c[-1] for c in runs.values())
                best[loss_name] = runs
                curves[(start, loss_name)] = min(runs.values(), key=lambda c: c[-1])
            target = 1.1 * min(c[-1] for r in best.values() for c in r.values())
            for loss_name, runs in best.items():
                reach = min(epochs_to_reach(c, target) for c in runs.values())
                final_ce = min(c[-1] for c in runs.values())
                conv_rows.append(
                    {
                        "start": "neutral" if start == 0 else "confidently wrong",
                        "trained with": loss_name,
                        "epochs to target": reach,
                        "target CE": round(target, 4),
                        "final CE": round(float(final_ce), 4),
                    }
                )
        result.tables["convergence"] = conv_rows
        by = {(r["start"], r["trained with"]): r["epochs to target"] for r in conv_rows}
        faster = all(
            2 * by[(s, "cross-entropy")] <= by[(s, "squared error")]
            for s in ("neutral", "confidently wrong")
        )
        result.claims.append(
            Claim(
                "Logistic regression trained by gradient descent with cross-entropy reaches a "
                "common loss target in at most half the epochs that squared error on the "
                "probability needs (best of learning rates 0.3, 1, 3; neutral and wrong start).",
                {f"{s} / {t}": v for (s, t), v in by.items()},
                faster,
            )
        )

        fig, ax = new_figure()
        zs = np.linspace(-10, 10, 201)
        dense = logit_gradients(zs)
        ax.plot(zs, [abs(r["dCE/dz"]) for r in dense], label="|dCE/dz| = 1 - p")
        ax.plot(zs, [abs(r["dMSE/dz"]) for r in dense], label="|dMSE/dz| = 2(1-p)p(1-p)")
        ax.set_yscale("log")
        ax.set_xlabel("logit z for a positive example (y = 1)")
        ax.set_ylabel("gradient magnitude")
        ax.set_title("Wrong and confident (z << 0): CE keeps its gradient")
        ax.legend()
        result.figures["gradient_vs_logit"] = fig

        fig, axes = new_figure(ncols=2)
        for ax, start in zip(axes, (0.0, 1.0)):
            for loss_name in ("cross-entropy", "squared error"):
                ax.plot(curves[(start, loss_name)], label=f"trained with {loss_name}")
            ax.set_xscale("log")
            ax.set_xlabel("epoch (full batch)")
            ax.set_ylabel("cross-entropy on training data")
            ax.set_title("neutral start" if start == 0 else "confidently wrong start")
            ax.legend()
        result.figures["logistic_regression_convergence"] = fig
    return result
