"""The training loop: mini-batch gradient descent with validation and early stopping."""

from __future__ import annotations

import time

import numpy as np

from mlhood._random import as_generator
from mlhood.nn._history import History, StepMonitor, chance_loss, unit_health
from mlhood.nn._losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss
from mlhood.nn._optim import Optimizer, clip_grad_norm


def _as_data(X, y, dtype, what: str) -> tuple[np.ndarray, np.ndarray]:
    X = np.ascontiguousarray(X, dtype=dtype)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"{what} X must be 2-D (n_samples, n_features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError(f"{what} X is empty")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{what} X has {X.shape[0]} rows but y has {y.shape[0]}")
    if not np.isfinite(X).all():
        raise ValueError(f"{what} X contains NaN or infinity")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError(f"{what} y contains NaN or infinity")
        y = y.astype(dtype, copy=False)
    return X, y


def _evaluate(model, loss: Loss, X, y, history: History) -> float:
    model.eval()
    logits = model.forward(X)
    value = loss.forward(logits, y)
    history.val_loss.append(value)
    if isinstance(loss, CrossEntropyLoss):
        history.val_accuracy.append(float(np.mean(logits.argmax(axis=1) == y)))
    elif isinstance(loss, BCEWithLogitsLoss):
        history.val_accuracy.append(float(np.mean((logits.reshape(y.shape) > 0) == (y > 0.5))))
    model.train()
    return value


def fit(
    model,
    X,
    y,
    loss: Loss,
    optimizer: Optimizer,
    batch_size: int | None = 32,
    epochs: int = 10,
    *,
    shuffle: bool = True,
    validation_split: float = 0.0,
    validation_data: tuple | None = None,
    early_stopping: bool = False,
    patience: int = 5,
    min_delta: float = 0.0,
    restore_best: bool = True,
    scheduler=None,
    clip_norm: float | None = None,
    monitor: bool = True,
    progress: bool = False,
    random_state=None,
) -> History:
    """Train ``model`` by mini-batch gradient descent and return its :class:`History`.

    Each epoch visits the training rows once, in a fresh random order when ``shuffle``,
    in batches of ``batch_size``: ``batch_size = n`` is (full-)batch gradient descent,
    ``1`` is stochastic gradient descent, anything between is mini-batch. Per batch::

        logits = model.forward(X_b);  L = loss.forward(logits, y_b)
        model.backward(loss.backward());  [clip];  optimizer.step()

    Parameters
    ----------
    model : Sequential
    X : array of shape (n_samples, n_features)
    y : array of shape (n_samples,) or (n_samples, n_outputs)
    loss : Loss
    optimizer : Optimizer
        Built on ``model.parameters()``.
    batch_size : int or None, default=32
        ``None`` means the whole training set.
    epochs : int, default=10
    shuffle : bool, default=True
    validation_split : float in [0, 1), default=0
        Fraction of rows (randomly chosen) held out for validation.
    validation_data : (X_val, y_val), optional
        Explicit validation data (overrides ``validation_split``).
    early_stopping : bool, default=False
        Stop when the validation loss (training loss without validation data) has not
        improved by ``min_delta`` for ``patience`` epochs; with ``restore_best`` the best
        weights are put back.
    scheduler : LRScheduler, optional
        ``scheduler.step()`` is called after every epoch.
    clip_norm : float, optional
        Clip the joint gradient norm to this value before every step.
    monitor : bool, default=True
        Record gradient norms, update ratios (on about ten steps per epoch) and unit
        health (on up to 512 training rows), which :func:`diagnose` reads.
    progress : bool, default=False
        Show a rich progress bar.
    random_state : None, int, RandomState or Generator
        Seeds shuffling and the validation split (an int seeds its ``"batches"`` stream).

    Returns
    -------
    History
    """
    if not isinstance(loss, Loss):
        raise TypeError(f"loss must be an mlhood.nn loss, got {loss!r}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an mlhood.nn optimizer, got {optimizer!r}")
    if not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split!r}")
    rng = as_generator(random_state, "batches")
    X, y = _as_data(X, y, model.dtype, "training")
    X_val = y_val = None
    if validation_data is not None:
        X_val, y_val = _as_data(*validation_data, model.dtype, "validation")
    elif validation_split > 0:
        order = rng.permutation(X.shape[0])
        n_val = max(1, int(round(validation_split * X.shape[0])))
        X_val, y_val, X, y = X[order[:n_val]], y[order[:n_val]], X[order[n_val:]], y[order[n_val:]]
    n = X.shape[0]
    if batch_size is None:
        batch_size = n
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer or None, got {batch_size!r}")
    batch_size = min(int(batch_size), n)

    history = History(loss_name=type(loss).__name__, chance_loss=chance_loss(loss, y))
    probe = X[: min(n, 512)]
    model.eval()
    history.initial_loss = loss.forward(model.forward(probe), y[: probe.shape[0]])
    model.train()
    batches = _Batches(X, y, batch_size, shuffle, rng)
    step_monitor = StepMonitor(model) if monitor else None
    stopper = _EarlyStopping(early_stopping, patience, min_delta, restore_best)
    bar = _progress_bar(epochs) if progress else None
    start = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is recorded instead
        for epoch in range(1, epochs + 1):
            _train_epoch(model, batches, loss, optimizer, clip_norm, step_monitor, history)
            history.lr.append(optimizer.param_groups[0]["lr"])
            history.stopped_epoch = epoch
            if step_monitor is not None:
                step_monitor.end_epoch(history)
                unit_health(model, probe, history)
            if X_val is not None:
                _evaluate(model, loss, X_val, y_val, history)
            history.elapsed.append(time.perf_counter() - start)
            if history.diverged:
                break
            if scheduler is not None:
                scheduler.step()
            current = stopper.monitored(history)
            if bar is not None:
                bar[0].update(bar[1], advance=1, description=f"loss {current:.4f}")
            if stopper.update(current, epoch, model, history):
                break
    if bar is not None:
        bar[0].stop()
    stopper.restore(model)
    model.train()
    return history


class _EarlyStopping:
    """Which loss early stopping watches, when it stops, and which weights it keeps.

    The monitored loss is the epoch's validation loss, or its training loss when there is
    no validation data. An epoch *improves* when the monitored loss ``L_e`` satisfies
    ``L_e < best - min_delta``; then ``best = L_e`` and ``history.best_epoch = e`` (also
    without early stopping). With ``enabled``, training stops after ``patience`` epochs in
    a row without improvement, and with ``restore_best`` the weights of the best epoch are
    put back at the end.

    Examples
    --------
    >>> from mlhood.nn._history import History
    >>> stopper, history = _EarlyStopping(True, 2, 0.0, False), History()
    >>> [stopper.update(value, e, None, history) for e, value in enumerate([3, 1, 2, 2], 1)]
    [False, False, False, True]
    >>> history.best_epoch
    2
    """

    def __init__(self, enabled: bool, patience: int, min_delta: float, restore_best: bool):
        self.enabled, self.patience, self.min_delta = enabled, patience, min_delta
        self.restore_best = restore_best
        self.best, self.best_state, self.waited = np.inf, None, 0

    def monitored(self, history: History) -> float:
        """The latest validation loss, or the training loss without validation data."""
        return history.val_loss[-1] if history.val_loss else history.train_loss[-1]

    def update(self, current: float, epoch: int, model, history: History) -> bool:
        """Record epoch ``epoch`` with monitored loss ``current``; True means stop now."""
        if current < self.best - self.min_delta:
            self.best, self.waited, history.best_epoch = current, 0, epoch
            if self.enabled and self.restore_best:
                self.best_state = model.state_dict()
            return False
        self.waited += 1
        return self.enabled and self.waited >= self.patience

    def restore(self, model) -> None:
        """Put back the best epoch's weights when they were kept."""
        if self.best_state is not None:
            model.load_state_dict(self.best_state)


class _Batches:
    """Mini-batches of one epoch, gathered into two reused buffers (no per-batch allocation)."""

    def __init__(self, X, y, batch_size: int, shuffle: bool, rng) -> None:
        self.X, self.y, self.batch_size, self.shuffle, self.rng = X, y, batch_size, shuffle, rng
        self.n_batches = -(-X.shape[0] // batch_size)
        self._X = np.empty((batch_size, *X.shape[1:]), X.dtype)
        self._y = np.empty((batch_size, *y.shape[1:]), y.dtype)

    def __iter__(self):
        n = self.X.shape[0]
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, n, self.batch_size):
            rows = order[start : start + self.batch_size]
            yield (
                np.take(self.X, rows, axis=0, out=self._X[: rows.size]),
                np.take(self.y, rows, axis=0, out=self._y[: rows.size]),
            )


def _train_epoch(model, batches, loss, optimizer, clip_norm, step_monitor, history) -> None:
    """One pass over the batches; appends the epoch's mean loss (NaN once it diverges)."""
    stride = max(1, batches.n_batches // 10)  # the monitor samples ~10 steps per epoch
    total, count = 0.0, 0
    for b, (X_b, y_b) in enumerate(batches):
        value = loss.forward(model.forward(X_b), y_b)
        history.batch_loss.append(value)
        if not np.isfinite(value):
            history.diverged = True
            break
        total, count = total + value * X_b.shape[0], count + X_b.shape[0]
        model.backward(loss.backward(), need_input_grad=False)
        if clip_norm is not None:
            clip_grad_norm(model.parameters(), clip_norm)
        sampled = step_monitor is not None and b % stride == 0
        if sampled:
            step_monitor.before_step()
        optimizer.step()
        if sampled:
            step_monitor.after_step()
    history.train_loss.append(float("nan") if history.diverged else total / count)


def _progress_bar(epochs: int):
    from rich.progress import Progress

    progress = Progress(transient=True)
    progress.start()
    return progress, progress.add_task("training", total=epochs)
