"""Mistakes in optimisation: Adam / AdamW updates, the learning-rate schedule and the
mini-batch order (:mod:`mlhood.nn`), caught by lab q11."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


def _moments(state: dict, g: np.ndarray, beta1: float, beta2: float):
    """Adam's running means of g and g^2, updated in ``state`` (shared by the wrong versions)."""
    if "exp_avg" not in state:
        state["exp_avg"], state["exp_avg_sq"] = np.zeros_like(g), np.zeros_like(g)
    m, v = state["exp_avg"], state["exp_avg_sq"]
    m[...] = beta1 * m + (1 - beta1) * g
    v[...] = beta2 * v + (1 - beta2) * g * g
    return m, v


@mistake(
    "adam-no-bias-correction",
    title="Adam without the 1 / (1 - beta^t) bias corrections",
    target="mlhood.nn._optim:Adam._update",
    labs=["q11"],
    explanation="""
Adam's moment estimates start at 0, so early on m_t is about (1 - beta1^t) times the mean
gradient and v_t about (1 - beta2^t) times the mean square. Without dividing by those
factors, the first step is lr (1 - beta1) / sqrt(1 - beta2), about 3.2 lr instead of lr
with the default betas, and the step size drifts for the first few thousand updates.
Divide m by (1 - beta1^t) and v by (1 - beta2^t), t counting steps from 1.
""",
)
def adam_update_uncorrected(self, p, g, state, group):
    """Wrong: m / (sqrt(v) + eps) with the raw, zero-biased moments."""
    if self.decoupled_weight_decay:
        p.data *= 1.0 - group["lr"] * group["weight_decay"]
    else:
        g = self._add_weight_decay(p, g, state, group["weight_decay"])
    m, v = _moments(state, g, *group["betas"])
    p.data -= group["lr"] * m / (np.sqrt(v) + group["eps"])


@mistake(
    "adamw-decay-through-gradient",
    title="AdamW adds the weight decay to the gradient (L2) instead of decaying the weights",
    target="mlhood.nn._optim:Adam._update",
    labs=["q11"],
    explanation="""
AdamW's point is decoupling: the weights shrink by (1 - lr * weight_decay) each step, apart
from the adaptive step. Adding weight_decay * p to the gradient instead is the L2 penalty
of plain Adam: the decay is then divided by sqrt(v) like the gradient, so weights with
large gradients are barely decayed and the decay's strength depends on the gradient's
scale (Loshchilov & Hutter, 2019). Shrink p directly and feed Adam the plain gradient.
""",
)
def adam_update_l2(self, p, g, state, group):
    """Wrong: weight decay always folded into the gradient, AdamW included."""
    g = self._add_weight_decay(p, g, state, group["weight_decay"])
    beta1, beta2 = group["betas"]
    m, v = _moments(state, g, beta1, beta2)
    t = state["step"]
    step = (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + group["eps"])
    p.data -= group["lr"] * step


@mistake(
    "lr-scheduler-updates-a-copy",
    title="The learning-rate scheduler writes the new rate into a copy of each group",
    target="mlhood.nn._schedules:LRScheduler.step",
    labs=["q11"],
    explanation="""
The scheduler computes the decayed rate but stores it in a copied dict (for example
dict(group) or {**group}), so the optimizer's own parameter groups keep the initial rate
and nothing decays. Training then behaves exactly like a constant step: SGD keeps
bouncing around the minimum. Write into optimizer.param_groups themselves and check
get_last_lr() after a few epochs.
""",
)
def scheduler_step_on_copy(self) -> None:
    """Wrong: the new rate goes into a copy of the group."""
    self.last_epoch += 1
    for group, base in zip(self.optimizer.param_groups, self.base_lrs):
        copy = dict(group)
        copy["lr"] = self.lr_at(base, self.last_epoch)


@mistake(
    "minibatch-no-shuffle",
    title="The mini-batch iterator visits the rows in the same order every epoch",
    target="mlhood.nn._train:_Batches.__iter__",
    labs=["q11"],
    explanation="""
The row order is drawn once (or not at all) and reused every epoch, so every epoch applies
the same sequence of updates. SGD with a constant step then converges to a fixed cycle:
the end-of-epoch weights stop moving and sit at a biased point instead of fluctuating
around the minimum, and sorted data (by class or time) give biased batches. Draw a fresh
permutation at the start of every epoch.
""",
)
def batches_same_order(self):
    """Wrong: the permutation of the first epoch is reused for every epoch."""
    n = self.X.shape[0]
    if "fixed_order" not in vars(self):
        self.fixed_order = self.rng.permutation(n) if self.shuffle else np.arange(n)
    for start in range(0, n, self.batch_size):
        rows = self.fixed_order[start : start + self.batch_size]
        yield self.X[rows], self.y[rows]
