"""Mistakes in inverted dropout (:class:`mlhood.nn.Dropout`), caught by lab q03."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


@mistake(
    "dropout-backward-no-mask",
    title="Dropout's backward pass ignores the mask",
    target="mlhood.nn._layers:Dropout.backward",
    labs=["q03"],
    explanation="""
The backward pass returns the upstream gradient unchanged, as if no unit had been dropped.
But dropout multiplied the input by the scaled mask m/keep, so by the chain rule the
gradient must be multiplied by that same mask: dropped units get zero gradient and kept
units get 1/keep times the upstream gradient. Store the mask in the forward pass and reuse
it; a finite-difference check with a fixed mask shows the error at once.
""",
)
def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
    """Wrong: the gradient passes through dropped units and misses the 1/keep scale."""
    return grad if need_input_grad else None
