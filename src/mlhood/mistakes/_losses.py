"""Mistakes in the losses of :mod:`mlhood.nn` (log-softmax, cross-entropy, MSE)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from mlhood.mistakes._catalogue import mistake


@mistake(
    "logsumexp-no-max-shift",
    title="log-softmax exponentiates the raw logits (no max subtracted)",
    target="mlhood.nn._losses:log_softmax",
    labs=["q05"],
    explanation="""
log sum_j exp(z_j) is computed as written, without first subtracting the row maximum M.
For logits above ~710, exp overflows to inf and the loss becomes inf or NaN (inf - inf);
for very negative logits every exp underflows to 0 and the log is -inf. The identity
log sum exp(z) = M + log sum exp(z - M) costs one subtraction and keeps every exponent
<= 0, so use it (or scipy.special.logsumexp) whenever you normalise in log space.
""",
)
def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Wrong: exp of the raw logits overflows for large values."""
    return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))


@mistake(
    "log-softmax-wrong-axis",
    title="log-softmax normalises over the samples (axis 0), not over the classes",
    target="mlhood.nn._losses:log_softmax",
    labs=["q05"],
    explanation="""
The log-sum-exp is taken down each column (over the samples of the batch) instead of
along each row (over the classes of one sample). Each row's "probabilities" then no
longer sum to 1, and the loss of one sample depends on the other samples in the batch.
The loss is no longer the negative log-likelihood of a categorical model: with logits of
shape (n_samples, n_classes), normalise with axis=1 and check that rows sum to 1.
""",
)
def log_softmax_wrong_axis(logits: np.ndarray) -> np.ndarray:
    """Wrong: normalises each column (class) over the batch."""
    return logits - logsumexp(logits, axis=0, keepdims=True)


@mistake(
    "ce-gradient-missing-onehot",
    title="Softmax cross-entropy gradient returns softmax(z), without subtracting the target",
    target="mlhood.nn._losses:CrossEntropyLoss.backward",
    labs=["q05"],
    explanation="""
The gradient of -log softmax(z)_y with respect to z is softmax(z) - onehot(y): the one-hot
term comes from differentiating -z_y. Forgetting it leaves softmax(z), which is positive
everywhere, so every logit (the true class included) is pushed down and a confidently
wrong prediction gets almost no push towards the right class. Check the gradient against
finite differences of the loss; it must sum to 0 over the classes of each sample.
""",
)
def ce_backward_missing_onehot(self) -> np.ndarray:
    """Wrong: softmax(z) / N, the -onehot(y) term forgotten."""
    grad = self._probs
    grad /= grad.shape[0]
    self._probs = None
    return grad


@mistake(
    "ce-gradient-not-averaged",
    title="Cross-entropy gradient is not divided by the batch size",
    target="mlhood.nn._losses:CrossEntropyLoss.backward",
    labs=["q05"],
    explanation="""
The loss is the mean over N samples, so its gradient carries the same 1/N; returning
softmax(z) - onehot(y) without it gives the gradient of the summed loss, N times too
large. The effective learning rate then grows with the batch size and full-batch training
diverges at a rate that works for mini-batches. Keep forward and backward consistent:
mean in the loss, 1/N in the gradient (finite differences show the factor at once).
""",
)
def ce_backward_not_averaged(self) -> np.ndarray:
    """Wrong: the gradient of the summed loss (no 1/N)."""
    grad = self._probs
    grad[self._rows, self._y] -= 1.0
    self._probs = None
    return grad


@mistake(
    "bce-naive-log-sigmoid",
    title="Binary cross-entropy takes log(sigmoid(z)) literally",
    target="mlhood.nn._losses:BCEWithLogitsLoss.forward",
    labs=["q05"],
    explanation="""
The loss is computed as -y log s(z) - (1 - y) log(1 - s(z)) with s = sigmoid. For a
logit beyond about +-37, s(z) rounds to exactly 0 or 1 in float64, the log is -inf and
the loss is inf or NaN (0 * inf) although the true loss is just about |z|. Rewrite it on
the logit: max(z, 0) - z y + log(1 + exp(-|z|)), which never takes the log of 0 and never
overflows.
""",
)
def bce_forward_naive(self, logits: np.ndarray, y: np.ndarray) -> float:
    """Wrong: log of a sigmoid that has rounded to 0 or 1."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(z.shape)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        s = 1.0 / (1.0 + np.exp(-z))
        loss = -(y * np.log(s) + (1.0 - y) * np.log(1.0 - s))
    self._sigmoid, self._y = s, y
    return float(loss.mean())


@mistake(
    "bce-gradient-sign-flipped",
    title="Binary cross-entropy gradient has the wrong sign: (y - s) / N",
    target="mlhood.nn._losses:BCEWithLogitsLoss.backward",
    labs=["q05"],
    explanation="""
The gradient of the log-likelihood, (y - s(z)) / N, is returned in place of the gradient
of the loss (its negative), (s(z) - y) / N. Gradient descent then climbs the loss: the
model becomes ever more confidently wrong. Write the loss you minimise, differentiate
that, and check the sign with one finite difference.
""",
)
def bce_backward_sign_flipped(self) -> np.ndarray:
    """Wrong: the gradient of the log-likelihood (ascent direction)."""
    return (self._y - self._sigmoid) / self._y.size


@mistake(
    "mse-gradient-summed",
    title="Squared-error gradient is not divided by the number of elements",
    target="mlhood.nn._losses:MSELoss.backward",
    labs=["q11"],
    explanation="""
The loss is the mean (1/N) sum (pred - y)^2, but the gradient returned is 2 (pred - y),
the gradient of the sum. The step then grows with the batch size: full-batch gradient
descent with a learning rate that suits the mean loss takes N times too large a step and
diverges, while single-sample SGD (N = 1) looks fine. Differentiate the same quantity the
forward pass returns: 2 (pred - y) / N.
""",
)
def mse_backward_summed(self) -> np.ndarray:
    """Wrong: the gradient of the summed squared error."""
    return 2.0 * self._diff
