"""Losses computed from raw scores (logits), numerically stable, each with its gradient.

Usage: ``loss = loss_fn.forward(logits, y)`` then ``grad = loss_fn.backward()``, the
gradient of the (mean) loss with respect to ``logits``.
"""

from __future__ import annotations

import numpy as np


class Loss:
    """Base class: ``forward(pred, y) -> float`` and ``backward() -> dL/dpred``."""

    def __call__(self, pred: np.ndarray, y: np.ndarray) -> float:
        return self.forward(pred, y)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _check_same_length(pred: np.ndarray, y: np.ndarray) -> None:
    if pred.shape[0] != y.shape[0]:
        raise ValueError(
            f"predictions have {pred.shape[0]} rows (shape {pred.shape}) but y has "
            f"{y.shape[0]} (shape {y.shape})"
        )


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log softmax(z)_k = z_k - log sum_j exp(z_j)``, stable for any logits.

    The row maximum ``M`` is subtracted first (log-sum-exp trick):
    ``log sum_j exp(z_j) = M + log sum_j exp(z_j - M)``, so every exponent is <= 0 and
    nothing overflows, and the largest term is ``exp(0) = 1``, so the log never sees 0.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import log_softmax
    >>> log_softmax(np.array([[1000.0, 0.0]])).round(4)
    array([[    0., -1000.]])
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class CrossEntropyLoss(Loss):
    """Multiclass cross-entropy from logits: the mean negative log-likelihood.

    With ``p_ik = softmax(z_i)_k`` and integer labels ``y_i``::

        L = -(1/N) sum_i log p_{i, y_i}
          = (1/N) sum_i [ logsumexp(z_i) - z_{i, y_i} ]
        dL/dz_ik = (p_ik - [k == y_i]) / N

    The ``1/N`` averages over samples. Per sample this is the cross-entropy
    ``H(q, p) = -sum_k q_k log p_k`` between the one-hot label ``q`` and the model's
    distribution ``p``. ``logsumexp`` subtracts the row maximum first, so large logits do
    not overflow (Goodfellow, Bengio & Courville, *Deep Learning*, 2016, sec. 6.2.2).

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import CrossEntropyLoss
    >>> loss_fn = CrossEntropyLoss()
    >>> round(loss_fn.forward(np.zeros((2, 4)), np.array([0, 3])), 4)  # log 4
    1.3863
    """

    def forward(self, logits: np.ndarray, y: np.ndarray) -> float:
        logits = np.asarray(logits)
        y = np.asarray(y)
        if logits.ndim != 2:
            raise ValueError(f"logits must be 2-D (n_samples, n_classes), got {logits.shape}")
        _check_same_length(logits, y)
        n, n_classes = logits.shape
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D integer class labels, got shape {y.shape}")
        if y.dtype.kind not in "iu":
            if y.dtype.kind != "f" or not np.all(np.mod(y, 1) == 0):
                raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
            y = y.astype(np.intp)
        if n and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(
                f"labels must lie in [0, {n_classes - 1}] for {n_classes} logits columns, "
                f"got range [{y.min()}, {y.max()}]"
            )
        log_probs = log_softmax(logits)
        rows = np.arange(n)
        nll = -log_probs[rows, y]
        self._probs, self._y, self._rows = np.exp(log_probs, out=log_probs), y, rows
        return float(nll.mean())

    def backward(self) -> np.ndarray:
        grad = self._probs
        grad[self._rows, self._y] -= 1.0
        grad /= grad.shape[0]
        self._probs = None
        return grad


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits ``z`` with targets ``y`` in [0, 1].

    ``L = (1/N) sum_i [ -y_i log s(z_i) - (1 - y_i) log(1 - s(z_i)) ]`` with ``s`` the
    sigmoid, rewritten as ``max(z, 0) - z y + log(1 + exp(-|z|))`` so it never takes the
    log of 0 or overflows; ``dL/dz_i = (s(z_i) - y_i) / N``. ``N`` counts all elements.
    """

    def forward(self, logits: np.ndarray, y: np.ndarray) -> float:
        z = np.asarray(logits)
        y = np.asarray(y, dtype=z.dtype if z.dtype.kind == "f" else np.float64)
        if y.shape != z.shape:
            if y.size == z.size and z.ndim == 2 and z.shape[1] == 1:
                y = y.reshape(z.shape)
            else:
                raise ValueError(f"logits shape {z.shape} and y shape {y.shape} differ")
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"targets must lie in [0, 1], got range [{y.min()}, {y.max()}]")
        e = np.exp(-np.abs(z))
        loss = np.maximum(z, 0) - z * y + np.log1p(e)
        self._sigmoid = np.where(z >= 0, 1.0, e) / (1.0 + e)
        self._y = y
        return float(loss.mean())

    def backward(self) -> np.ndarray:
        return ((self._sigmoid - self._y) / self._y.size).astype(self._y.dtype, copy=False)


class MSELoss(Loss):
    """Mean squared error ``L = (1/N) sum (pred - y)^2`` over all N elements.

    ``dL/dpred = 2 (pred - y) / N``.
    """

    def forward(self, pred: np.ndarray, y: np.ndarray) -> float:
        pred = np.asarray(pred)
        y = np.asarray(y, dtype=pred.dtype)
        if y.shape != pred.shape:
            if y.size == pred.size and pred.ndim == 2 and pred.shape[1] == 1:
                y = y.reshape(pred.shape)
            else:
                raise ValueError(f"pred shape {pred.shape} and y shape {y.shape} differ")
        self._diff = pred - y
        return float(np.mean(self._diff * self._diff))

    def backward(self) -> np.ndarray:
        return self._diff * (2.0 / self._diff.size)
