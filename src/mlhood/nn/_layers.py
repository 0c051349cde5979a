"""Layers with explicit forward and backward passes: the base class, Linear and Dropout.

Every layer maps a batch ``X`` of shape ``(n_samples, n_features)`` to an output and, given
the gradient of the loss with respect to that output, returns the gradient with respect to
``X`` (the chain rule, one layer at a time) and stores the gradients of its own parameters.
Outputs live in reused buffers (see :class:`~mlhood.nn._parameter.BufferPool`).
"""

from __future__ import annotations

import numpy as np

from mlhood._random import as_generator
from mlhood.nn._init import get_initialiser
from mlhood.nn._parameter import BufferPool, Parameter


class Layer:
    """Base class: ``forward``, ``backward``, ``parameters`` and train/eval mode."""

    training: bool = True

    def __init__(self) -> None:
        self.training = True
        self._buffers = BufferPool()

    def forward(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        raise NotImplementedError

    def parameters(self) -> list[Parameter]:
        return []

    def train(self, mode: bool = True) -> Layer:
        self.training = bool(mode)
        return self

    def eval(self) -> Layer:
        return self.train(False)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Layer):
    """Fully connected layer ``Y = X W^T + b``.

    Backward, with upstream gradient ``G = dL/dY`` of shape ``(n, out)``::

        dL/dW = G^T X        (out, in)
        dL/db = sum_i G_i    (out,)
        dL/dX = G W          (n, in)

    Parameters
    ----------
    in_features, out_features : int
        Input and output widths.
    bias : bool, default=True
    init : str or callable, default="he_normal"
        Weight initialiser (see :mod:`mlhood.nn._init`); the bias starts at 0.
    dtype : numpy dtype, default=float64
    random_state : None, int, RandomState or Generator
        Seeds the weights (an int seeds the ``"weights"`` stream of that seed).

    Attributes
    ----------
    weight : Parameter
        Shape ``(out_features, in_features)``; ``weight.grad`` holds ``dL/dW``.
    bias : Parameter or None
        Shape ``(out_features,)``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import Linear
    >>> layer = Linear(3, 2, random_state=0)
    >>> layer.forward(np.ones((4, 3))).shape
    (4, 2)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init="he_normal",
        dtype=np.float64,
        random_state=None,
    ) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.dtype = np.dtype(dtype)
        weight = get_initialiser(init)((self.out_features, self.in_features), random_state)
        self.weight = Parameter(np.ascontiguousarray(weight, dtype=self.dtype), "weight")
        self.bias = Parameter(np.zeros(self.out_features, self.dtype), "bias") if bias else None
        self._input: np.ndarray | None = None

    def parameters(self) -> list[Parameter]:
        return [self.weight] if self.bias is None else [self.weight, self.bias]

    def forward(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim != 2 or X.shape[1] != self.in_features:
            raise ValueError(
                f"{self!r} expects input of shape (n_samples, {self.in_features}), "
                f"got shape {X.shape}"
            )
        self._input = X
        out = self._buffers.get("out", (X.shape[0], self.out_features), self.dtype)
        np.matmul(X, self.weight.data.T, out=out)
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        X = self._input
        if X is None:
            raise RuntimeError("Linear.backward called before forward")
        if grad.shape != (X.shape[0], self.out_features):
            raise ValueError(
                f"{self!r}.backward expects grad of shape {(X.shape[0], self.out_features)}, "
                f"got {grad.shape}"
            )
        if self.weight.requires_grad:
            np.matmul(grad.T, X, out=self.weight.grad)
        if self.bias is not None and self.bias.requires_grad:
            np.sum(grad, axis=0, out=self.bias.grad)
        if not need_input_grad:
            return None
        grad_input = self._buffers.get("grad_input", X.shape, self.dtype)
        return np.matmul(grad, self.weight.data, out=grad_input)

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features})"


class Dropout(Layer):
    """Inverted dropout: drop each unit with probability ``p`` while training.

    With ``keep = 1 - p`` and a fresh Bernoulli mask ``m_ij ~ Bernoulli(keep)``::

        forward  (train):  Y = X * m / keep        (kept units are scaled up by 1/keep)
        forward  (eval):   Y = X                   (identity: nothing to rescale)
        backward (train):  dL/dX = dL/dY * m / keep   (the same scaled mask)

    Because ``E[m / keep] = 1`` the expected activation is the same in training and at
    inference (Srivastava et al., 2014, JMLR 15; the "inverted" scaling at training time
    is what the common implementations use). Note that ``p`` is the *drop* probability,
    as in PyTorch; an expression like ``binomial(1, q) / q`` uses the *keep* probability q.

    Parameters
    ----------
    p : float in [0, 1), default=0.5
        Probability of dropping a unit.
    random_state : None, int, RandomState or Generator
        Seeds the masks (an int seeds the ``"dropout"`` stream of that seed, independent
        of the weights drawn from the same int).

    Attributes
    ----------
    mask : ndarray or None
        The scaled mask ``m / keep`` of the last training forward pass.
    fixed_mask : ndarray or None
        When set (see :meth:`fix_mask`), this 0/1 keep-mask is used instead of sampling,
        so a finite-difference gradient check sees a deterministic function.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import Dropout
    >>> drop = Dropout(p=0.5, random_state=0)
    >>> sorted(set(drop.forward(np.ones((2, 4))).ravel().tolist()))
    [0.0, 2.0]
    >>> drop.eval().forward(np.ones((1, 2)))
    array([[1., 1.]])
    """

    def __init__(self, p: float = 0.5, random_state=None) -> None:
        super().__init__()
        if (
            isinstance(p, bool)
            or not isinstance(p, (int, float, np.floating))
            or not (0.0 <= p < 1.0)
        ):
            raise ValueError(f"p (drop probability) must be a float in [0, 1), got {p!r}")
        self.p = float(p)
        self.keep_prob = 1.0 - self.p
        self._threshold = np.uint32(min(round(self.keep_prob * 2.0**32), 2**32 - 1))
        self._rng = as_generator(random_state, "dropout")
        self.mask: np.ndarray | None = None
        self.fixed_mask: np.ndarray | None = None

    def fix_mask(self, keep_mask: np.ndarray | None) -> Dropout:
        """Use this 0/1 keep-mask on every training forward pass (``None`` to resample)."""
        if keep_mask is not None:
            keep_mask = np.asarray(keep_mask)
            if not np.isin(keep_mask, (0, 1)).all():
                raise ValueError("keep_mask must contain only 0 and 1")
        self.fixed_mask = keep_mask
        return self

    def _sample_mask(self, shape: tuple[int, ...], dtype) -> np.ndarray:
        mask = self._buffers.get("mask", shape, dtype)
        if self.fixed_mask is not None:
            if self.fixed_mask.shape != shape:
                raise ValueError(f"fixed_mask has shape {self.fixed_mask.shape}, input {shape}")
            np.multiply(self.fixed_mask, 1.0 / self.keep_prob, out=mask, casting="unsafe")
            return mask
        # Keep a unit when 32 random bits, read as an integer u, satisfy u < keep * 2^32:
        # P(keep) = keep (to 2^-32). Raw bits are several times cheaper than uniform floats.
        size = int(np.prod(shape))
        bits = self._rng.bit_generator.random_raw((size + 1) // 2).view(np.uint32)[:size]
        kept = self._buffers.get("kept", shape, np.bool_)
        np.less(bits.reshape(shape), self._threshold, out=kept)
        np.multiply(kept, dtype.type(1.0 / self.keep_prob), out=mask)
        return mask

    def forward(self, X: np.ndarray) -> np.ndarray:
        if not self.training or self.p == 0.0:
            self.mask = None
            return X
        self.mask = self._sample_mask(X.shape, X.dtype)
        out = self._buffers.get("out", X.shape, X.dtype)
        return np.multiply(X, self.mask, out=out)

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        if not need_input_grad:
            return None
        if self.mask is None:  # eval mode or p == 0: the identity
            return grad
        out = self._buffers.get("grad_input", grad.shape, grad.dtype)
        return np.multiply(grad, self.mask, out=out)

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
