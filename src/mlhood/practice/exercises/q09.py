"""Exercises for q09 (transfer learning): frozen features, a new head, discriminative rates."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    assert_close,
    call,
    numerical_gradient,
    property_holds,
    to_array,
    to_tuple,
)

# ------------------------------------------------------------------------ extract_features


def extract_features(X, weights, biases):
    """Run a pre-trained ReLU network without its head: the frozen feature extractor.

    Layer ``l`` has ``W_l`` of shape ``(out, in)`` and ``b_l`` of shape ``(out,)``::

        h_0 = X,    h_{l+1} = max(0, h_l W_lᵀ + b_l)

    and the features are the last hidden layer ``h_L``. Transfer learning feeds them to a
    new, small head trained on the target task; the extractor's weights do not change.

    Examples
    --------
    >>> W = [np.array([[1.0, -1.0], [0.5, 0.5]])]
    >>> extract_features(np.array([[2.0, 1.0]]), W, [np.array([0.0, -2.0])]).tolist()
    [[1.0, 0.0]]
    """
    h = np.asarray(X, dtype=float)
    for W, b in zip(weights, biases):
        h = np.maximum(h @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float), 0.0)
    return h


def _network(seed, n_samples, widths):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 1.0 / np.sqrt(a), (b, a)) for a, b in zip(widths, widths[1:])]
    biases = [rng.normal(0.0, 0.3, b) for b in widths[1:]]
    return rng.normal(size=(n_samples, widths[0])), weights, biases


_NETWORKS = st.builds(
    _network,
    st.integers(0, 2**32 - 1),
    st.integers(1, 12),
    st.lists(st.integers(1, 8), min_size=2, max_size=5),
)


def _rows_independent(solution, args):
    X, weights, biases = args
    whole = to_array(call(solution, args), "features")
    for i in range(len(X)):
        alone = call(solution, (X[i : i + 1], weights, biases))
        assert_close(alone, whole[i : i + 1], what=f"features of row {i} on its own")
    return None


EXTRACT_FEATURES = Exercise(
    id="extract_features",
    question="q09",
    title="Frozen feature extractor: a pre-trained ReLU network without its head",
    signature="(X, weights, biases)",
    statement="""
Use the hidden layers of a pre-trained network as a fixed feature extractor.

X: (n, d) floats. weights[l]: (out_l, in_l), biases[l]: (out_l,), for the L hidden
layers (the old head is already removed). Each layer computes

    h_{l+1} = max(0, h_l @ weights[l].T + biases[l]),   h_0 = X

Return the last hidden layer h_L, shape (n, out_{L-1}). Do not change the weights.
""",
    hints=(
        "The network is a stack of affine maps, each followed by a ReLU; apply them in order.",
        "With W of shape (out, in), a batch of rows h of shape (n, in) maps to h @ W.T + b.",
        "for W, b in zip(weights, biases): h = np.maximum(h @ W.T + b, 0)",
    ),
    reference=extract_features,
    graders=(
        against_reference(
            "matches the forward pass",
            _NETWORKS,
            extract_features,
            names=("X", "weights", "biases"),
            what="features",
            max_examples=30,
        ),
        property_holds(
            "each row's features depend on that row only",
            _NETWORKS,
            _rows_independent,
            names=("X", "weights", "biases"),
            max_examples=20,
        ),
    ),
)

# ---------------------------------------------------------------------- fine_tune_step


def fine_tune_step(params, grads, base_lr, decay):
    """One SGD step of fine-tuning with discriminative (layer-wise) learning rates.

    With ``L`` parameter arrays ordered from the input layer to the head, array ``i`` gets
    the learning rate ``base_lr * decay**(L - 1 - i)``: the new head learns at
    ``base_lr``, each layer below at ``decay`` times the rate of the one above (Howard &
    Ruder 2018). ``decay = 0`` freezes everything but the head (feature extraction),
    ``decay = 1`` is plain fine-tuning. Returns new arrays ``p_i - lr_i g_i``.

    Examples
    --------
    >>> new = fine_tune_step([np.ones(2), np.ones(1)], [np.ones(2), np.ones(1)], 0.1, 0.5)
    >>> [p.tolist() for p in new]
    [[0.95, 0.95], [0.9]]
    """
    depth = len(params)
    return [
        np.asarray(p, dtype=float) - base_lr * decay ** (depth - 1 - i) * np.asarray(g)
        for i, (p, g) in enumerate(zip(params, grads))
    ]


def _one_rate_for_all(params, grads, base_lr, decay):
    """Wrong: every layer moves at the head's rate base_lr; the layer-wise rates are unused."""
    return [np.asarray(p, dtype=float) - base_lr * np.asarray(g) for p, g in zip(params, grads)]


def _step_case(seed, shapes, base_lr, decay):
    rng = np.random.default_rng(seed)
    params = [rng.normal(size=shape) for shape in shapes]
    return params, [rng.normal(size=shape) for shape in shapes], base_lr, decay


_SHAPES = st.lists(
    st.one_of(st.tuples(st.integers(1, 4)), st.tuples(st.integers(1, 4), st.integers(1, 4))),
    min_size=1,
    max_size=5,
)
_STEP_CASES = st.builds(
    _step_case,
    st.integers(0, 2**32 - 1),
    _SHAPES,
    st.sampled_from([1e-3, 0.1, 1.0]),
    st.sampled_from([0.0, 0.3, 0.5, 1.0]),
)
_STEP_ARGS = ("params", "grads", "base_lr", "decay")


def _frozen_body(solution, args):
    params, grads, base_lr, _ = args
    new = to_tuple(call(solution, (params, grads, base_lr, 0.0)), len(params), "new params")
    for i, (before, after) in enumerate(zip(params[:-1], new[:-1])):
        assert_close(after, before, what=f"params[{i}] with decay = 0 (frozen)")
    assert_close(new[-1], params[-1] - base_lr * grads[-1], what="the head with decay = 0")
    return None


FINE_TUNE_STEP = Exercise(
    id="fine_tune_step",
    question="q09",
    title="Fine-tuning step with discriminative learning rates",
    signature="(params, grads, base_lr, decay)",
    statement="""
One SGD step of fine-tuning a transferred network with layer-wise learning rates.

`params` and `grads` are lists of L float arrays (same shapes), ordered from the first
layer to the new head (the last one). Array i gets the learning rate

    lr_i = base_lr * decay ** (L - 1 - i)

so the head learns at base_lr and every earlier array at `decay` times the rate of the
next one (0 <= decay <= 1; decay = 0 freezes all but the head). Return a list of the L
updated arrays p_i - lr_i * g_i.
""",
    hints=(
        "Layers near the input learned general features on the source task: they should "
        "move less than the freshly initialised head.",
        "Count from the head: it gets exponent 0, the array before it 1, and so on.",
        "[p - base_lr * decay ** (L - 1 - i) * g for i, (p, g) in "
        "enumerate(zip(params, grads))], with L = len(params). Note 0 ** 0 == 1.",
    ),
    reference=fine_tune_step,
    graders=(
        against_reference(
            "matches the layer-wise SGD step",
            _STEP_CASES,
            fine_tune_step,
            names=_STEP_ARGS,
            max_examples=30,
        ),
        property_holds(
            "decay = 0 trains the head only",
            _STEP_CASES,
            _frozen_body,
            names=_STEP_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={"layer-lr-groups-ignored": _one_rate_for_all},
    probes=lambda solution: [_step_case(3, [(3, 2), (3,), (2, 3), (2,)], 0.1, 0.5)],
)

# ---------------------------------------------------------------------- train_linear_head


def train_linear_head(features, y, n_classes, lr, n_epochs):
    """Train a new softmax head on frozen features by full-batch gradient descent.

    Logits ``Z = F Wᵀ + b`` with ``W`` of shape ``(K, d)``; the loss is the mean
    cross-entropy ``L = -(1/n) Σ_i log softmax(Z_i)[y_i]``, whose gradient is::

        dZ = (softmax(Z) - Y) / n      (Y one-hot)
        dW = dZᵀ F,     db = Σ_i dZ_i

    Start from ``W = 0, b = 0``; each of ``n_epochs`` steps does ``W -= lr dW``,
    ``b -= lr db``. Softmax is computed with the row maximum subtracted (stable).

    Examples
    --------
    >>> W, b = train_linear_head(np.array([[1.0], [-1.0]]), np.array([0, 1]), 2, 1.0, 1)
    >>> W.tolist(), b.tolist()
    ([[0.5], [-0.5]], [0.0, 0.0])
    """
    F = np.asarray(features, dtype=float)
    y = np.asarray(y)
    n_samples = F.shape[0]
    onehot = np.eye(n_classes)[y]
    W, b = np.zeros((n_classes, F.shape[1])), np.zeros(n_classes)
    for _ in range(n_epochs):
        logits = F @ W.T + b
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        dlogits = (exp / exp.sum(axis=1, keepdims=True) - onehot) / n_samples
        W -= lr * dlogits.T @ F
        b -= lr * dlogits.sum(axis=0)
    return W, b


def _head_with(dlogits_of):
    """Gradient descent on the head with ``dlogits_of(probabilities, onehot, n)``."""

    def train(features, y, n_classes, lr, n_epochs):
        F = np.asarray(features, dtype=float)
        onehot = np.eye(n_classes)[np.asarray(y)]
        W, b = np.zeros((n_classes, F.shape[1])), np.zeros(n_classes)
        for _ in range(n_epochs):
            logits = F @ W.T + b
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            dlogits = dlogits_of(exp / exp.sum(axis=1, keepdims=True), onehot, len(F))
            W -= lr * dlogits.T @ F
            b -= lr * dlogits.sum(axis=0)
        return W, b

    return train


_head_not_averaged = _head_with(lambda p, onehot, n: p - onehot)
_head_not_averaged.__doc__ = "Wrong: the gradient is summed over the batch, not averaged."
_head_missing_onehot = _head_with(lambda p, onehot, n: p / n)
_head_missing_onehot.__doc__ = "Wrong: the gradient is softmax(Z)/n, the one-hot never subtracted."


def _head_case(seed, n_samples, n_features, n_classes, lr, n_epochs):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_classes, n_samples)
    centres = rng.normal(0.0, 1.5, (n_classes, n_features))
    return centres[y] + rng.normal(size=(n_samples, n_features)), y, n_classes, lr, n_epochs


_HEAD_ARGS = ("features", "y", "n_classes", "lr", "n_epochs")
_HEAD_CASES = st.builds(
    _head_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 30),
    st.integers(1, 5),
    st.integers(2, 4),
    st.sampled_from([0.01, 0.1, 0.5]),
    st.integers(0, 25),
)


def _first_step_is_the_gradient(solution, args):
    """One epoch from zero equals -lr times the finite-difference gradient at zero."""
    features, y, n_classes, lr, _ = args
    W, b = to_tuple(call(solution, (features, y, n_classes, lr, 1)), 2, "(W, b)")
    d = features.shape[1]

    def loss(theta):
        logits = features @ theta[: n_classes * d].reshape(n_classes, d).T + theta[-n_classes:]
        top = logits.max(axis=1, keepdims=True)
        log_z = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
        return float(np.mean(log_z - logits[np.arange(len(y)), y]))

    grad = numerical_gradient(loss, np.zeros(n_classes * (d + 1)))
    expected = (-lr * grad[: n_classes * d].reshape(n_classes, d), -lr * grad[-n_classes:])
    assert_close((W, b), expected, rtol=1e-5, what="(W, b) after one step from zero")
    return None


TRAIN_LINEAR_HEAD = Exercise(
    id="train_linear_head",
    question="q09",
    title="Train a new softmax head on frozen features (gradient descent)",
    signature="(features, y, n_classes, lr, n_epochs)",
    statement="""
Train a new classification head on frozen features by full-batch gradient descent.

features: (n, d) floats; y: (n,) integer labels in 0..n_classes-1. The head computes
logits Z = features @ W.T + b with W of shape (n_classes, d) and b of shape (n_classes,),
and the loss is the mean cross-entropy of softmax(Z) over the n rows. Start from W = 0
and b = 0 and take `n_epochs` steps W -= lr * dL/dW, b -= lr * dL/db. Return `(W, b)`.
""",
    hints=(
        "The gradient of softmax cross-entropy with respect to the logits is the predicted "
        "probabilities minus the one-hot targets.",
        "The loss is a mean over n rows, so that gradient is divided by n; then "
        "dW = dZ.T @ features and db = dZ.sum(axis=0).",
        "Subtract each row's maximum logit before np.exp, so large features do not overflow.",
    ),
    reference=train_linear_head,
    graders=(
        against_reference(
            "matches gradient descent on the mean cross-entropy",
            _HEAD_CASES,
            train_linear_head,
            names=_HEAD_ARGS,
            max_examples=40,
        ),
        property_holds(
            "first step = -lr x finite-difference gradient",
            _HEAD_CASES,
            _first_step_is_the_gradient,
            names=_HEAD_ARGS,
            max_examples=15,
        ),
    ),
    mistakes={
        "ce-gradient-not-averaged": _head_not_averaged,
        "ce-gradient-missing-onehot": _head_missing_onehot,
    },
    probes=lambda solution: [_head_case(5, 12, 3, 3, 0.1, 4), _head_case(6, 7, 2, 2, 0.5, 2)],
)

EXERCISES = (EXTRACT_FEATURES, FINE_TUNE_STEP, TRAIN_LINEAR_HEAD)
