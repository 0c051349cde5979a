"""Show that mlhood.nn's optimizers and schedules follow torch.optim step for step.

For each optimizer configuration, the same float64 parameters receive the same gradient
sequence (gradients of a fixed quadratic-plus-sine objective, computed from each side's
current parameters) for 100 steps in mlhood and in torch.optim; the script prints the
largest absolute difference of the parameters over all steps. Pass means < 1e-6.

Run: .venv/bin/python benchmarks/torch_optim_equivalence.py   (needs the ``bench`` extra)
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import torch

from mlhood import nn

CASES = [
    ("SGD", nn.SGD, torch.optim.SGD, {"lr": 0.05}),
    ("SGD momentum", nn.SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    (
        "SGD nesterov+wd",
        nn.SGD,
        torch.optim.SGD,
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    ),
    ("SGD dampening", nn.SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.5, "dampening": 0.3}),
    ("RMSProp", nn.RMSProp, torch.optim.RMSprop, {"lr": 0.01}),
    (
        "RMSProp centered+momentum+wd",
        nn.RMSProp,
        torch.optim.RMSprop,
        {"lr": 0.01, "centered": True, "momentum": 0.9, "weight_decay": 0.01},
    ),
    ("Adam", nn.Adam, torch.optim.Adam, {"lr": 0.01}),
    (
        "Adam wd+amsgrad",
        nn.Adam,
        torch.optim.Adam,
        {"lr": 0.01, "weight_decay": 0.01, "amsgrad": True, "betas": (0.8, 0.99)},
    ),
    ("AdamW", nn.AdamW, torch.optim.AdamW, {"lr": 0.01}),
    ("AdamW wd=0.1", nn.AdamW, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.1}),
]

SCHEDULES = [
    ("StepLR", nn.StepLR, torch.optim.lr_scheduler.StepLR, {"step_size": 10, "gamma": 0.5}),
    ("ExponentialLR", nn.ExponentialLR, torch.optim.lr_scheduler.ExponentialLR, {"gamma": 0.97}),
    (
        "CosineAnnealingLR",
        nn.CosineAnnealingLR,
        torch.optim.lr_scheduler.CosineAnnealingLR,
        {"T_max": 100, "eta_min": 1e-4},
    ),
]


def _gradient(w: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Gradient of 0.5 ||w - target||^2 + sum sin(3 w): varied, deterministic."""
    return (w - target) + 3 * np.cos(3 * w)


def run_case(ours_cls, torch_cls, kwargs, steps=100, schedule=None, seed=0) -> float:
    rng = np.random.default_rng(seed)
    shapes = [(7, 5), (7,)]
    starts = [rng.standard_normal(s) for s in shapes]
    targets = [rng.standard_normal(s) for s in shapes]
    ours = [nn.Parameter(s.copy()) for s in starts]
    theirs = [torch.tensor(s.copy(), dtype=torch.float64, requires_grad=True) for s in starts]
    opt_ours, opt_theirs = ours_cls(ours, **kwargs), torch_cls(theirs, **kwargs)
    sched_ours = sched_theirs = None
    if schedule is not None:
        sched_ours = schedule[0](opt_ours, **schedule[2])
        sched_theirs = schedule[1](opt_theirs, **schedule[2])
    worst = 0.0
    for _ in range(steps):
        for p, q, target in zip(ours, theirs, targets):
            p.grad[...] = _gradient(p.data, target)
            q.grad = torch.from_numpy(_gradient(q.detach().numpy(), target))
        opt_ours.step()
        opt_theirs.step()
        if schedule is not None:
            sched_ours.step()
            sched_theirs.step()
        for p, q in zip(ours, theirs):
            worst = max(worst, float(np.max(np.abs(p.data - q.detach().numpy()))))
    return worst


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 steps instead of 100")
    args = parser.parse_args(argv)
    steps = 20 if args.quick else 100
    torch.set_default_dtype(torch.float64)
    rows, ok = [], True
    for name, ours, theirs, kwargs in CASES:
        rows.append((name, run_case(ours, theirs, kwargs, steps)))
    for name, ours, theirs, kwargs in SCHEDULES:
        schedule = (ours, theirs, kwargs)
        rows.append(
            (
                f"SGD momentum + {name}",
                run_case(nn.SGD, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}, steps, schedule),
            )
        )
    print(f"torch {torch.__version__}, float64, {steps} steps per case")
    print("| optimizer | max abs parameter difference | within 1e-6 |")
    print("|---|---:|:---:|")
    for name, diff in rows:
        ok &= diff < 1e-6
        print(f"| {name} | {diff:.2e} | {'yes' if diff < 1e-6 else 'NO'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
