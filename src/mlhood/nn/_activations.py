"""Element-wise activations with their derivatives: ReLU, LeakyReLU, Sigmoid, Tanh.

For an element-wise ``y = f(x)`` the backward pass is ``dL/dx = dL/dy * f'(x)``; each
layer keeps what it needs from the forward pass (its input or its output) to compute
``f'`` without recomputing ``f``.
"""

from __future__ import annotations

import numpy as np

from mlhood.nn._layers import Layer


class ReLU(Layer):
    """Rectified linear unit ``y = max(x, 0)``; ``f'(x) = 1 if x > 0 else 0``.

    A unit whose input is negative for every sample outputs 0 and passes no gradient:
    it is *dead* and cannot recover by gradient descent.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import ReLU
    >>> ReLU().forward(np.array([[-1.0, 2.0]]))
    array([[0., 2.]])
    """

    def forward(self, X: np.ndarray) -> np.ndarray:
        out = self._buffers.get("out", X.shape, X.dtype)
        self.output = np.maximum(X, 0, out=out)
        return out

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        if not need_input_grad:
            return None
        active = self._buffers.get("active", grad.shape, np.bool_)
        np.greater(self.output, 0, out=active)
        out = self._buffers.get("grad_input", grad.shape, grad.dtype)
        return np.multiply(grad, active, out=out)


class LeakyReLU(Layer):
    """``y = x if x > 0 else negative_slope * x``; ``f'(x) = 1`` or ``negative_slope``.

    Parameters
    ----------
    negative_slope : float, default=0.01
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        if not np.isfinite(negative_slope) or negative_slope < 0:
            raise ValueError(f"negative_slope must be >= 0, got {negative_slope!r}")
        self.negative_slope = float(negative_slope)

    def forward(self, X: np.ndarray) -> np.ndarray:
        self._input = X
        self.output = np.where(X > 0, X, self.negative_slope * X)
        return self.output

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        if not need_input_grad:
            return None
        slope = np.where(self._input > 0, 1.0, self.negative_slope).astype(grad.dtype)
        return grad * slope

    def __repr__(self) -> str:
        return f"LeakyReLU({self.negative_slope})"


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))`` without overflow: uses ``e = exp(-|x|) <= 1``.

    For x >= 0: ``1 / (1 + e)``; for x < 0: ``e / (1 + e)`` (the same value, rewritten).
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


class Sigmoid(Layer):
    """Logistic sigmoid ``y = 1 / (1 + exp(-x))``, computed stably; ``f' = y (1 - y)``.

    ``f'`` is at most 0.25 and near 0 when ``|x|`` is large (a *saturated* unit), which
    is how stacked sigmoids make gradients vanish.
    """

    def forward(self, X: np.ndarray) -> np.ndarray:
        self.output = stable_sigmoid(X).astype(X.dtype, copy=False)
        return self.output

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        if not need_input_grad:
            return None
        y = self.output
        return grad * y * (1.0 - y)


class Tanh(Layer):
    """Hyperbolic tangent ``y = tanh(x)``; ``f' = 1 - y^2`` (saturates for large ``|x|``)."""

    def forward(self, X: np.ndarray) -> np.ndarray:
        self.output = np.tanh(X)
        return self.output

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        if not need_input_grad:
            return None
        y = self.output
        return grad * (1.0 - y * y)
