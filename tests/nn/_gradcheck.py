"""Central finite differences shared by the nn tests."""

import numpy as np


def numeric_grad(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, perturbing ``x`` in place one entry at a time."""
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        up = f()
        x[i] = old - h
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a| + |b|) (0 when both are 0)."""
    denom = np.max(np.abs(a) + np.abs(b))
    return float(np.max(np.abs(a - b)) / denom) if denom > 0 else 0.0
