"""What a training run recorded: losses, gradient norms, update ratios, unit health."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mlhood.nn._activations import ReLU, Sigmoid, Tanh
from mlhood.nn._layers import Linear
from mlhood.nn._losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss


@dataclass
class History:
    """Per-epoch record of a :func:`~mlhood.nn.fit` run.

    Attributes
    ----------
    train_loss, val_loss : list of float
        Mean training loss over each epoch's batches; loss on the validation data at the
        end of each epoch (empty without validation data).
    val_accuracy : list of float
        For :class:`CrossEntropyLoss` / :class:`BCEWithLogitsLoss`, validation accuracy.
    batch_loss : list of float
        Every mini-batch loss in order (shows the noise of small batches).
    elapsed : list of float
        Wall-clock seconds since the start of training at the end of each epoch.
    lr : list of float
        Learning rate of the first parameter group in each epoch.
    grad_norm, update_ratio : dict layer name -> list of float
        Per Linear layer and epoch: mean L2 norm of the weight gradient, and mean of
        ``||delta W|| / ||W||`` per step (a healthy rate is around 1e-3).
    dead_fraction : dict layer name -> list of float
        Per ReLU layer and epoch: fraction of units that output 0 for every probe sample.
    saturated_fraction : dict layer name -> list of float
        Per Sigmoid/Tanh layer and epoch: fraction of activations whose derivative is
        below 1 % of its maximum.
    initial_loss : float
        Loss on the probe samples before the first update.
    chance_loss : float
        Loss of the best constant prediction (label entropy for cross-entropy, variance
        for squared error): what a model that learned nothing from X reaches.
    diverged : bool
        The loss became NaN or infinite and training stopped.
    best_epoch, stopped_epoch : int
        Epoch (1-based) with the lowest monitored loss, and the last epoch run.
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)
    elapsed: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: dict[str, list[float]] = field(default_factory=dict)
    update_ratio: dict[str, list[float]] = field(default_factory=dict)
    dead_fraction: dict[str, list[float]] = field(default_factory=dict)
    saturated_fraction: dict[str, list[float]] = field(default_factory=dict)
    initial_loss: float = float("nan")
    chance_loss: float = float("nan")
    loss_name: str = ""
    diverged: bool = False
    best_epoch: int = 0
    stopped_epoch: int = 0

    @property
    def n_epochs(self) -> int:
        return len(self.train_loss)


def layer_names(model) -> list[str]:
    """``"<index>.<LayerType>"`` for each layer of a Sequential."""
    return [f"{i}.{type(layer).__name__}" for i, layer in enumerate(model.layers)]


def chance_loss(loss: Loss, y: np.ndarray) -> float:
    """Loss of the best prediction that ignores X (depends on the labels only)."""
    if isinstance(loss, CrossEntropyLoss):
        freq = np.bincount(y.astype(np.intp)) / y.size
        freq = freq[freq > 0]
        return float(-(freq * np.log(freq)).sum())
    if isinstance(loss, BCEWithLogitsLoss):
        q = float(np.clip(np.mean(y), 1e-12, 1 - 1e-12))
        return float(-(q * np.log(q) + (1 - q) * np.log(1 - q)))
    y2 = y.reshape(y.shape[0], -1)
    return float(np.mean(np.var(y2, axis=0)))


def dead_unit_fraction(relu_output: np.ndarray) -> float:
    """Fraction of ReLU units (columns) that output 0 for *every* sample (row).

    Such a unit passes no gradient for any input, so gradient descent cannot revive it; a
    unit that is 0 for only some inputs is healthy (about half are, for any one input).

    Examples
    --------
    >>> dead_unit_fraction(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]))
    0.3333333333333333
    """
    relu_output = np.asarray(relu_output)
    if relu_output.ndim != 2 or relu_output.shape[0] == 0:
        raise ValueError(
            f"relu_output must be a non-empty 2-D array (samples, units), got shape "
            f"{relu_output.shape}"
        )
    return float(np.mean(np.all(relu_output <= 0, axis=0)))


def unit_health(model, X_probe: np.ndarray, history: History) -> None:
    """Append dead-ReLU and saturated-unit fractions measured on ``X_probe`` (eval mode)."""
    was_training = model.training
    model.eval()
    out = X_probe
    for name, layer in zip(layer_names(model), model.layers):
        out = layer.forward(out)
        if isinstance(layer, ReLU):
            history.dead_fraction.setdefault(name, []).append(dead_unit_fraction(out))
        elif isinstance(layer, (Sigmoid, Tanh)):
            deriv = out * (1 - out) / 0.25 if isinstance(layer, Sigmoid) else 1 - out * out
            saturated = float(np.mean(deriv < 0.01))
            history.saturated_fraction.setdefault(name, []).append(saturated)
    model.train(was_training)


class StepMonitor:
    """Measures weight-gradient norms and update-to-weight ratios on sampled steps."""

    def __init__(self, model) -> None:
        self.layers = [
            (name, layer)
            for name, layer in zip(layer_names(model), model.layers)
            if isinstance(layer, Linear)
        ]
        self._before = {name: np.empty_like(layer.weight.data) for name, layer in self.layers}
        self._sums: dict[str, list[float]] = {}

    def before_step(self) -> None:
        for name, layer in self.layers:
            np.copyto(self._before[name], layer.weight.data)
            g = layer.weight.grad
            self._sums.setdefault(name, [0.0, 0.0, 0])[0] += float(np.sqrt(np.vdot(g, g)))

    def after_step(self) -> None:
        for name, layer in self.layers:
            w = layer.weight.data
            delta = self._before[name]
            np.subtract(w, delta, out=delta)
            w_norm = float(np.sqrt(np.vdot(w, w)))
            delta_norm = float(np.sqrt(np.vdot(delta, delta)))
            ratio = delta_norm / w_norm if w_norm > 0 else (0.0 if delta_norm == 0 else np.inf)
            self._sums[name][1] += ratio
            self._sums[name][2] += 1

    def end_epoch(self, history: History) -> None:
        for name, (grad_sum, ratio_sum, count) in self._sums.items():
            history.grad_norm.setdefault(name, []).append(grad_sum / max(count, 1))
            history.update_ratio.setdefault(name, []).append(ratio_sum / max(count, 1))
        self._sums = {}
