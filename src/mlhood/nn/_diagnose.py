"""diagnose: read a training History and name why the loss does not improve.

The checks, in the order they are tried (the first that fires is the likely cause):

1. ``lr_too_large``: the loss became NaN/inf, or ended above where it started
   (``final > 1.2 * initial``) - steps overshoot the minimum and grow.
2. ``symmetric_init``: within a hidden Linear layer all units (rows of ``W``) are equal,
   e.g. all-zero weights; equal units get equal gradients and never become different.
3. ``dead_relu``: more than half the units of a ReLU layer output 0 for every probe sample;
   they pass no gradient, so they cannot recover.
4. ``vanishing_gradients``: more than half the activations of a Sigmoid/Tanh layer are
   saturated (derivative < 1 % of its maximum), or the first layer's gradient norm is below
   1e-3 of the last layer's.
5. ``lr_too_small``: the loss hardly moved (relative drop < 5 %) and the median
   update-to-weight ratio is below 1e-5 (a healthy value is around 1e-3; Karpathy, CS231n).
6. ``no_label_signal``: the loss never got clearly below the *chance loss* (the loss of
   the best constant prediction, ``log K`` for K balanced classes) although the weights
   were moving normally: the labels do not depend on the inputs (or are shuffled).

Before any of these, check that the backward pass is right: :func:`gradient_check`
compares every analytic gradient with central finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mlhood.nn._history import History
from mlhood.nn._layers import Linear


@dataclass
class Finding:
    """One diagnosis: a short ``cause`` code, a sentence, the numbers, and a fix."""

    cause: str
    message: str
    evidence: dict = field(default_factory=dict)
    fix: str = ""

    def __str__(self) -> str:
        numbers = ", ".join(f"{k}={_fmt(v)}" for k, v in self.evidence.items())
        return f"[{self.cause}] {self.message} ({numbers}). Fix: {self.fix}"


def _fmt(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _last(values: dict[str, list[float]]) -> dict[str, float]:
    return {name: series[-1] for name, series in values.items() if series}


def _monitored(history: History) -> list[float]:
    return history.val_loss if history.val_loss else history.train_loss


def _check_divergence(history: History) -> Finding | None:
    losses = np.asarray(history.train_loss + history.batch_loss[-1:], dtype=float)
    if history.diverged or not np.all(np.isfinite(losses)):
        return Finding(
            "lr_too_large",
            "the loss became NaN or infinite: updates overshoot and blow up",
            {"initial_loss": history.initial_loss, "epochs_run": history.n_epochs},
            "lower the learning rate by 10x (or clip the gradient norm)",
        )
    final = float(history.train_loss[-1])
    if final > 1.2 * history.initial_loss + 1e-12:
        return Finding(
            "lr_too_large",
            "the loss ended higher than it started: steps overshoot the minimum",
            {"initial_loss": history.initial_loss, "final_loss": final},
            "lower the learning rate by 10x (or clip the gradient norm)",
        )
    return None


def _check_symmetry(model) -> Finding | None:
    hidden = [layer for layer in model.layers if isinstance(layer, Linear)][:-1]
    for i, layer in enumerate(hidden):
        w = layer.weight.data
        spread = float(np.max(np.abs(w - w[:1])))
        scale = float(np.max(np.abs(w))) + 1e-12
        if layer.out_features > 1 and spread <= 1e-7 * max(scale, 1.0):
            return Finding(
                "symmetric_init",
                f"all {layer.out_features} units of hidden Linear layer {i} have identical "
                "weights (e.g. zero initialisation), so they stay identical",
                {"layer": i, "max_weight_difference": spread, "max_abs_weight": scale},
                "initialise weights randomly (He for ReLU, Xavier for tanh/sigmoid)",
            )
    return None


def _check_dead(history: History) -> Finding | None:
    dead = _last(history.dead_fraction)
    worst = max(dead, key=dead.get, default=None)
    if worst is not None and dead[worst] > 0.5:
        return Finding(
            "dead_relu",
            f"{dead[worst]:.0%} of the units in {worst} output 0 for every input",
            {"dead_fraction": dead[worst], "layer": worst},
            "re-initialise (He init, bias 0), lower the learning rate, or use LeakyReLU",
        )
    return None


def _check_vanishing(history: History) -> Finding | None:
    saturated = _last(history.saturated_fraction)
    worst = max(saturated, key=saturated.get, default=None)
    if worst is not None and saturated[worst] > 0.5:
        return Finding(
            "vanishing_gradients",
            f"{saturated[worst]:.0%} of the activations in {worst} are saturated, so "
            "their derivative (and the gradient flowing back) is nearly 0",
            {"saturated_fraction": saturated[worst], "layer": worst},
            "use ReLU with He init (or Xavier init and smaller weights), or normalise inputs",
        )
    norms = [series[-1] for series in history.grad_norm.values() if series]
    if len(norms) >= 2 and norms[0] < 1e-3 * norms[-1]:
        return Finding(
            "vanishing_gradients",
            "the first layer's gradient is orders of magnitude smaller than the last one's",
            {"first_layer_grad_norm": norms[0], "last_layer_grad_norm": norms[-1]},
            "use ReLU with He init, or a shallower network",
        )
    return None


def _median_update_ratio(history: History) -> float:
    ratios = [r for series in history.update_ratio.values() for r in series if np.isfinite(r)]
    return float(np.median(ratios)) if ratios else float("nan")


def _check_small_lr(history: History) -> Finding | None:
    initial, best = history.initial_loss, float(np.min(history.train_loss))
    drop = (initial - best) / max(abs(initial), 1e-12)
    ratio = _median_update_ratio(history)
    if drop < 0.05 and ratio < 1e-5:
        return Finding(
            "lr_too_small",
            "the loss barely moved and each step changes the weights by a tiny fraction",
            {"relative_loss_drop": drop, "median_update_to_weight": ratio},
            "raise the learning rate 10-100x (aim for update/weight near 1e-3) or use Adam",
        )
    return None


def _check_no_signal(history: History) -> Finding | None:
    chance = history.chance_loss
    best = float(np.min(_monitored(history)))
    ratio = _median_update_ratio(history)
    if np.isfinite(chance) and chance > 0 and best > 0.95 * chance and ratio >= 1e-5:
        which = "validation" if history.val_loss else "training"
        return Finding(
            "no_label_signal",
            f"the best {which} loss stays at the chance level although the weights move: "
            "the labels carry no information about the inputs",
            {"best_loss": best, "chance_loss": chance, "median_update_to_weight": ratio},
            "check the labels (shuffled? misaligned with X?) and the features",
        )
    return None


def _check_step(h) -> None:
    if isinstance(h, bool) or not isinstance(h, (int, float, np.floating)) or not 0 < h < 1:
        raise ValueError(f"h (finite-difference step) must be a float in (0, 1), got {h!r}")


def numerical_gradient(objective, array: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences ``(f(a + h e_i) - f(a - h e_i)) / 2h`` for every entry ``i``.

    ``array`` is perturbed in place (and restored) one entry at a time, so ``objective``
    (no arguments, returns a float) must read it. The error is ``O(h^2)``.

    Examples
    --------
    >>> a = np.array([1.0, 2.0])
    >>> np.round(numerical_gradient(lambda: float(np.sum(a**3)), a), 6)
    array([ 3., 12.])
    """
    _check_step(h)
    grad = np.zeros(array.shape)
    for idx in np.ndindex(array.shape):
        old = array[idx]
        array[idx] = old + h
        up = objective()
        array[idx] = old - h
        down = objective()
        array[idx] = old
        grad[idx] = (up - down) / (2 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``max |a - b| / max(|a| + |b|)``: 0 for equal arrays, 1 for opposite ones."""
    scale = float(np.max(np.abs(a) + np.abs(b), initial=0.0))
    return float(np.max(np.abs(a - b), initial=0.0)) / scale if scale > 0 else 0.0


def gradient_check(model, loss, X: np.ndarray, y: np.ndarray, h: float = 1e-6) -> dict:
    """Relative error of each analytic gradient against central finite differences.

    One forward and backward pass gives ``dL/dθ`` for every parameter and ``dL/dX``;
    :func:`numerical_gradient` recomputes each from the loss alone. With float64 and
    ``h = 1e-6`` a correct backward pass gives errors around 1e-9; a wrong one gives
    errors of order 1. The model runs in its current mode: put it in ``eval()`` or fix
    its dropout masks first, so that the loss is a deterministic function.

    Parameters
    ----------
    model : Sequential
    loss : Loss
    X : array of shape (n_samples, n_features), float64
    y : array of targets
    h : float, default=1e-6

    Returns
    -------
    dict
        Parameter name (e.g. ``"0.weight"``) or ``"input"`` -> relative error.

    Examples
    --------
    >>> from mlhood.nn import CrossEntropyLoss, Linear, Sequential, Tanh
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential(Linear(3, 4, random_state=0), Tanh(), Linear(4, 2, random_state=1))
    >>> errors = gradient_check(model, CrossEntropyLoss(), rng.normal(size=(5, 3)),
    ...                         rng.integers(0, 2, 5))
    >>> max(errors.values()) < 1e-7
    True
    """
    _check_step(h)
    X = np.array(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got shape {X.shape}")

    def objective() -> float:
        return float(loss.forward(model.forward(X), y))

    objective()
    analytic = {"input": model.backward(loss.backward()).copy()}
    analytic.update({p.name: p.grad.copy() for p in model.parameters()})
    arrays = {"input": X, **{p.name: p.data for p in model.parameters()}}
    return {
        name: relative_error(analytic[name], numerical_gradient(objective, array, h))
        for name, array in arrays.items()
    }


def diagnose(history: History, model) -> list[Finding]:
    """Name the likely causes of a loss that does not improve.

    Parameters
    ----------
    history : History
        From :func:`~mlhood.nn.fit` with ``monitor=True``.
    model : Sequential
        The trained model.

    Returns
    -------
    list of Finding
        Most likely cause first; empty when training looks healthy.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import SGD, CrossEntropyLoss, Linear, ReLU, Sequential, fit, diagnose
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.standard_normal((200, 5)), rng.integers(0, 3, 200)
    >>> model = Sequential(Linear(5, 16, init="zeros"), ReLU(), Linear(16, 3, init="zeros"))
    >>> history = fit(model, X, y, CrossEntropyLoss(), SGD(model.parameters(), lr=0.1),
    ...               epochs=3, random_state=0)
    >>> diagnose(history, model)[0].cause
    'symmetric_init'
    """
    if history.n_epochs == 0:
        raise ValueError("history is empty: run fit first")
    checks = (
        lambda: _check_divergence(history),
        lambda: _check_symmetry(model),
        lambda: _check_dead(history),
        lambda: _check_vanishing(history),
        lambda: _check_small_lr(history),
        lambda: _check_no_signal(history),
    )
    return [finding for check in checks if (finding := check()) is not None]
