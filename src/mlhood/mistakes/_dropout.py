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


@mistake(
    "dropout-no-rescale",
    title="Dropout keeps units but forgets the 1/keep scaling",
    target="mlhood.nn._layers:Dropout._sample_mask",
    labs=["q03"],
    explanation="""
The mask is the plain 0/1 Bernoulli draw, without the 1/keep factor of inverted dropout.
During training the next layer then sees activations that are on average keep times
smaller than at inference, where dropout is the identity: the network is evaluated on a
scale it never trained on. Either scale the kept units by 1/keep while training (inverted
dropout) or multiply by keep at inference (the original formulation) - never neither.
""",
)
def sample_mask_unscaled(self, shape: tuple[int, ...], dtype) -> np.ndarray:
    """Wrong: a 0/1 keep-mask, not divided by the keep probability."""
    if self.fixed_mask is not None:
        return self.fixed_mask.astype(dtype)
    return (self._rng.random(shape) < self.keep_prob).astype(dtype)


@mistake(
    "dropout-p-as-keep",
    title="Dropout uses p as the keep probability",
    target="mlhood.nn._layers:Dropout._sample_mask",
    labs=["q03"],
    explanation="""
The mask is drawn as binomial(1, p) / p, the snippet in which p is the probability of
KEEPING a unit, while Dropout(p) means the probability of DROPPING it (as in PyTorch).
With p = 0.2 the layer now drops 80% of the units instead of 20%. The mean activation is
still preserved (1/p rescales what is kept), so only the drop rate itself shows the bug:
count the zeros. Name the variable keep_prob and compute keep_prob = 1 - p once.
""",
)
def sample_mask_p_as_keep(self, shape: tuple[int, ...], dtype) -> np.ndarray:
    """Wrong: keeps each unit with probability p and scales kept units by 1/p."""
    if self.fixed_mask is not None:
        return (self.fixed_mask / self.p).astype(dtype)
    return ((self._rng.random(shape) < self.p) / self.p).astype(dtype)


@mistake(
    "dropout-active-at-eval",
    title="Dropout still drops units at inference",
    target="mlhood.nn._layers:Dropout.forward",
    labs=["q03"],
    explanation="""
The forward pass samples a mask (and rescales by 1/keep) whatever the mode, so a model in
eval() mode still drops units: its predictions are random, two calls on the same input
disagree and the accuracy is that of a random thinned network. Inverted dropout is the
identity at inference, which is exactly why the 1/keep factor is applied while training.
Check self.training in forward, and call model.eval() before evaluating.
""",
)
def forward_always_drops(self, X: np.ndarray) -> np.ndarray:
    """Wrong: samples and applies a mask in eval mode too."""
    if self.p == 0.0:
        self.mask = None
        return X
    self.mask = self._sample_mask(X.shape, X.dtype)
    return X * self.mask
