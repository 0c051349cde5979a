"""Learning-rate schedules: step decay, exponential decay and cosine annealing.

Each wraps an optimizer and, on every ``step()`` (usually once per epoch), sets each
parameter group's ``lr`` from that group's starting rate ``lr_0`` and the count ``t`` of
``step()`` calls so far, with the closed forms PyTorch's ``torch.optim.lr_scheduler``
follows.
"""

from __future__ import annotations

import math

from mlhood.nn._optim import Optimizer, _check_positive


class LRScheduler:
    """Base class: ``step()`` advances ``t`` and writes ``lr_t`` into the optimizer."""

    def __init__(self, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an mlhood.nn optimizer, got {optimizer!r}")
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0

    def lr_at(self, base_lr: float, t: int) -> float:
        raise NotImplementedError

    def step(self) -> None:
        self.last_epoch += 1
        for group, base in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self.lr_at(base, self.last_epoch)

    def get_last_lr(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


class StepLR(LRScheduler):
    """``lr_t = lr_0 * gamma ** floor(t / step_size)`` (divide by 1/gamma every step_size)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1) -> None:
        if not isinstance(step_size, int) or step_size < 1:
            raise ValueError(f"step_size must be a positive integer, got {step_size!r}")
        self.step_size, self.gamma = step_size, _check_positive("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, t: int) -> float:
        return base_lr * self.gamma ** (t // self.step_size)


class ExponentialLR(LRScheduler):
    """``lr_t = lr_0 * gamma ** t``."""

    def __init__(self, optimizer: Optimizer, gamma: float) -> None:
        self.gamma = _check_positive("gamma", gamma)
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, t: int) -> float:
        return base_lr * self.gamma**t


class CosineAnnealingLR(LRScheduler):
    """``lr_t = eta_min + (lr_0 - eta_min) * (1 + cos(pi * t / T_max)) / 2``
    (Loshchilov & Hutter, 2017, SGDR, without restarts)."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0) -> None:
        if not isinstance(T_max, int) or T_max < 1:
            raise ValueError(f"T_max must be a positive integer, got {T_max!r}")
        self.T_max, self.eta_min = T_max, _check_positive("eta_min", eta_min, allow_zero=True)
        super().__init__(optimizer)

    def lr_at(self, base_lr: float, t: int) -> float:
        t = min(t, self.T_max)
        cosine = (1 + math.cos(math.pi * t / self.T_max)) / 2
        return self.eta_min + (base_lr - self.eta_min) * cosine
