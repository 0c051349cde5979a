"""Mistakes in the building blocks of a network: Linear, ReLU and He initialisation.

Caught by the gradient checks of labs q02 and q03 (finite differences see any wrong
backward pass) and by q02's depth test of He initialisation.
"""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


@mistake(
    "linear-bias-grad-averaged",
    title="Linear's backward averages the bias gradient over the batch",
    target="mlhood.nn._layers:Linear.backward",
    labs=["q02", "q03"],
    explanation="""
The bias gradient is computed as the mean of the upstream gradient over the batch instead
of its sum. The loss already carries the 1/n of the batch mean, so dL/db = sum_i dL/dy_i;
dividing again makes the bias learn n times slower than the weights (the weight gradient
G^T X is a sum too). Training still runs, so nothing looks broken - only a finite-difference
check of the bias gradient exposes the factor n.
""",
)
def linear_backward_bias_mean(
    self, grad: np.ndarray, need_input_grad: bool = True
) -> np.ndarray | None:
    """Wrong: ``dL/db = mean_i G_i`` instead of ``sum_i G_i``."""
    X = self._input
    if self.weight.requires_grad:
        np.matmul(grad.T, X, out=self.weight.grad)
    if self.bias is not None and self.bias.requires_grad:
        np.mean(grad, axis=0, out=self.bias.grad)
    return grad @ self.weight.data if need_input_grad else None


@mistake(
    "relu-backward-passes-negatives",
    title="ReLU's backward lets the gradient through where the input was negative",
    target="mlhood.nn._activations:ReLU.backward",
    labs=["q02", "q03"],
    explanation="""
The derivative mask is computed as output >= 0, which is true everywhere because the output
max(x, 0) is never negative, so the gradient flows back through units that were switched
off. The derivative of max(x, 0) is 0 for x < 0: keep the mask of the forward pass
(x > 0, or output > 0) and multiply by it. Training may still limp along, which is why a
finite-difference gradient check belongs before any tuning.
""",
)
def relu_backward_all(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
    """Wrong: ``output >= 0`` is always true, so nothing is masked."""
    if not need_input_grad:
        return None
    return grad * (self.output >= 0)


@mistake(
    "he-init-as-xavier",
    title="He initialisation uses variance 1/fan_in",
    target="mlhood.nn._init:he_variance",
    labs=["q02"],
    explanation="""
He initialisation is implemented with variance 1/fan_in (the LeCun/Xavier-style value)
instead of 2/fan_in. A ReLU discards half of a symmetric input, so each ReLU layer then
halves the second moment of the signal: after 10 layers it is about 2^-9 of where it
started, and gradients shrink the same way. The factor 2 is the whole point of He's
correction; measure the pre-activation scale layer by layer to see it.
""",
)
def he_variance_one(fan_in: int) -> float:
    """Wrong: ``1 / fan_in``, without the ReLU factor 2."""
    return 1.0 / fan_in
