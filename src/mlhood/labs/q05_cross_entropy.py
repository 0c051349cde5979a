"""q05 - What is cross-entropy loss? Stable formulas, gradients and convergence, measured."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed

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


def _multiclass_nll(logits: np.ndarray, y: np.ndarray) -> float:
    """-mean log p_{i, y_i} with p = softmax, written out directly (the independent value)."""
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(probs[np.arange(len(y)), y])))


def formula_check(seed: int) -> dict:
    """The library's losses against independent formulas, at moderate and at huge logits.

    Moderate logits (std 3): the negative log-likelihood written out with NumPy. Huge
    logits (std 1200): SciPy's ``logsumexp`` and NumPy's ``logaddexp`` as references,
    and the gradients of the library must stay finite. The exponentiate-first formula is
    reported too, to show what the stable form avoids.
    """
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((200, 5)) * 3
    y = rng.integers(0, 5, 200)
    z = rng.standard_normal(200) * 3
    t = (rng.random(200) < 0.3).astype(float)
    s = 1 / (1 + np.exp(-z))
    rows = np.arange(200)
    huge, huge_z = logits * 400, z * 400
    ce, bce = nn.CrossEntropyLoss(), nn.BCEWithLogitsLoss()
    out = {
        "multiclass_library": ce.forward(logits, y),
        "multiclass_nll": _multiclass_nll(logits, y),
        "binary_library": bce.forward(z, t),
        "binary_nll": float(-np.mean(t * np.log(s) + (1 - t) * np.log(1 - s))),
    }
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out["huge_logits_exp_first"] = _multiclass_nll(huge, y)
        out["huge_logits_library"] = ce.forward(huge, y)
        grads = [ce.backward()]
        out["huge_binary_library"] = bce.forward(huge_z, t)
        grads.append(bce.backward())
    out["huge_logits_reference"] = float(np.mean(logsumexp(huge, axis=1) - huge[rows, y]))
    out["huge_binary_reference"] = float(np.mean(np.logaddexp(0, huge_z) - huge_z * t))
    out["non-finite gradient entries"] = int(sum(np.count_nonzero(~np.isfinite(g)) for g in grads))
    return out


def _relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``||a - b|| / ||b||`` (NaN when either holds a NaN, inf when ``a`` is infinite)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b))


def gradient_check(seed: int, h: float = 1e-6) -> dict:
    """Relative error of the library's gradients against central finite differences.

    Cross-entropy (8 samples, 4 classes), binary cross-entropy and the chain
    sigmoid -> squared error, each differentiated numerically through its own forward.
    """
    rng = np.random.default_rng(seed + 1)
    logits, y = rng.standard_normal((8, 4)) * 2, rng.integers(0, 4, 8)
    z, t = rng.standard_normal((8, 1)) * 2, (rng.random((8, 1)) < 0.4).astype(float)

    def sigmoid_mse(x):
        return nn.MSELoss().forward(nn.Sigmoid().forward(x), t)

    def numeric(f, x):
        grad = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[idx] = h
            grad[idx] = (f(x + step) - f(x - step)) / (2 * h)
        return grad

    ce, bce, sigmoid, mse = (
        nn.CrossEntropyLoss(),
        nn.BCEWithLogitsLoss(),
        nn.Sigmoid(),
        nn.MSELoss(),
    )
    ce.forward(logits, y)
    bce.forward(z, t)
    mse.forward(sigmoid.forward(z), t)
    return {
        "cross-entropy": _relative_error(
            ce.backward(), numeric(lambda x: nn.CrossEntropyLoss().forward(x, y), logits)
        ),
        "binary cross-entropy": _relative_error(
            bce.backward(), numeric(lambda x: nn.BCEWithLogitsLoss().forward(x, t), z)
        ),
        "sigmoid -> squared error": _relative_error(
            sigmoid.backward(mse.backward()), numeric(sigmoid_mse, z)
        ),
    }


def confident_wrong(z: float = -10.0, n: int = 4) -> dict:
    """Per-sample gradient on the true-class logit for ``n`` equally wrong predictions.

    Two classes with logits ``(0, z)`` and true class 1, so ``p(y=1) = sigmoid(z)``:
    through the library's softmax cross-entropy, and through sigmoid -> squared error on
    the same probability. Both gradients are of mean losses, so they are scaled by ``n``.
    """
    logits = np.tile([0.0, z], (n, 1))
    y = np.ones(n, dtype=int)
    ce = nn.CrossEntropyLoss()
    ce.forward(logits, y)
    ce_grad = float(ce.backward()[0, 1]) * n
    sigmoid, mse = nn.Sigmoid(), nn.MSELoss()
    mse.forward(sigmoid.forward(logits[:, 1:]), np.ones((n, 1)))
    mse_grad = float(sigmoid.backward(mse.backward())[0, 0]) * n
    return {"p(y=1)": 1 / (1 + np.exp(-z)), "dCE/dz": ce_grad, "dMSE/dz": mse_grad}


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
        result.claims.append(
            Claim(
                "The library's cross-entropy computed from logits equals the negative "
                "log-likelihood of the categorical (and Bernoulli) model, written out directly.",
                {
                    k: check[k]
                    for k in (
                        "multiclass_library",
                        "multiclass_nll",
                        "binary_library",
                        "binary_nll",
                    )
                },
                checks=[
                    Check(
                        f"|{kind} - NLL|",
                        abs(check[f"{kind}_library"] - check[f"{kind}_nll"]),
                        "<",
                        1e-10,
                    )
                    for kind in ("multiclass", "binary")
                ],
                catches=["log-softmax-wrong-axis"],
            )
        )
        result.claims.append(
            Claim(
                "With logits in the thousands, where exponentiating first overflows, the "
                "library's losses stay finite and equal the log-sum-exp reference (SciPy's "
                "logsumexp, NumPy's logaddexp), and their gradients are finite.",
                {k: v for k, v in check.items() if k.startswith("huge_")},
                checks=[
                    Check(
                        "multiclass relative error",
                        _relative_error(
                            check["huge_logits_library"], check["huge_logits_reference"]
                        ),
                        "<",
                        1e-9,
                    ),
                    Check(
                        "binary relative error",
                        _relative_error(
                            check["huge_binary_library"], check["huge_binary_reference"]
                        ),
                        "<",
                        1e-9,
                    ),
                    Check(
                        "non-finite gradient entries",
                        check["non-finite gradient entries"],
                        "==",
                        0,
                    ),
                ],
                catches=[
                    "logsumexp-no-max-shift",
                    "bce-naive-log-sigmoid",
                    "log-softmax-wrong-axis",
                ],
            )
        )
        errors = gradient_check(seed)
        result.claims.append(
            Claim(
                "The gradients the library back-propagates match central finite differences "
                "of its own losses: softmax cross-entropy (p - onehot(y)) / N, binary "
                "cross-entropy (s - y) / N, and sigmoid followed by squared error.",
                {f"relative error, {k}": v for k, v in errors.items()},
                checks=[Check(f"relative error, {k}", v, "<", 1e-6) for k, v in errors.items()],
                catches=[
                    "ce-gradient-missing-onehot",
                    "ce-gradient-not-averaged",
                    "bce-gradient-sign-flipped",
                    "log-softmax-wrong-axis",
                ],
            )
        )

        wrong = confident_wrong()
        ratio = abs(wrong["dCE/dz"]) / abs(wrong["dMSE/dz"])
        result.claims.append(
            Claim(
                "For a confident wrong prediction (true-class logit 10 below the other, "
                "p = 4.5e-5) the softmax cross-entropy gradient on that logit is -(1 - p), "
                "about -1 per sample, while squared error on the probability gives one over "
                "1,000 times smaller.",
                wrong | {"ratio": ratio},
                checks=[
                    Check(
                        "|dCE/dz + (1 - p)| per sample",
                        abs(wrong["dCE/dz"] + 1 - wrong["p(y=1)"]),
                        "<",
                        1e-9,
                    ),
                    Check("ratio", ratio, ">", 1000.0),
                ],
                catches=[
                    "ce-gradient-missing-onehot",
                    "ce-gradient-not-averaged",
                    "log-softmax-wrong-axis",
                ],
            )
        )
        rows = logit_gradients(np.array([-10.0, -6.0, -3.0, 0.0, 3.0, 6.0]))
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
                best[loss_name] = runs
                curves[(start, loss_name)] = min(runs.values(), key=lambda c: c[-1])
            target = 1.01 * min(c[-1] for r in best.values() for c in r.values())
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
        result.claims.append(
            Claim(
                "Logistic regression trained by gradient descent with cross-entropy gets within "
                "1% of the best final loss in at most half the epochs that squared error on the "
                "probability needs (best of learning rates 0.3, 1, 3; neutral and wrong start).",
                {f"{s} / {t}": v for (s, t), v in by.items()},
                checks=[
                    Check(
                        f"{s}: MSE epochs / CE epochs",
                        by[(s, "squared error")] / by[(s, "cross-entropy")],
                        ">=",
                        2.0,
                    )
                    for s in ("neutral", "confidently wrong")
                ],
                catches=["bce-gradient-sign-flipped"],
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
