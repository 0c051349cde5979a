"""q05 (cross-entropy): softmax cross-entropy with its gradient, log-softmax, binary CE."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    against_reference,
    assert_close,
    assert_gradient,
    call,
    float_arrays,
    property_holds,
    to_array,
    to_float,
    to_tuple,
)

# ---------------------------------------------------------------- the references


def log_softmax(logits):
    """Row-wise log-softmax, stable for any finite logits.

    ``log softmax(z)_k = z_k - logsumexp(z)`` with
    ``logsumexp(z) = m + log sum_j exp(z_j - m)`` and ``m = max_j z_j``: after the shift
    every exponent is <= 0, so nothing overflows, and the largest term is exactly 1, so
    the log never sees 0 (the log-sum-exp trick; :func:`mlhood.nn._losses.log_softmax`).

    Parameters
    ----------
    logits : ndarray of shape (n_samples, n_classes)

    Returns
    -------
    ndarray of shape (n_samples, n_classes)
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits, y):
    """Mean multiclass cross-entropy from logits, and its gradient.

    With ``p_i = softmax(z_i)`` and integer labels ``y_i``::

        L = -(1/N) sum_i log p_{i, y_i} = (1/N) sum_i [logsumexp(z_i) - z_{i, y_i}]
        dL/dz_ik = (p_ik - [k == y_i]) / N

    The ``1/N`` is the mean over the batch; ``-log p_{i, y_i}`` is the cross-entropy
    ``H(q, p) = -sum_k q_k log p_k`` between the one-hot label ``q`` and ``p``, the
    negative log-likelihood of a categorical model. The log-softmax is computed with the
    row maximum subtracted, so logits of +-1e4 are fine (:class:`mlhood.nn.CrossEntropyLoss`).

    Returns
    -------
    loss : float
    dlogits : ndarray of shape (n_samples, n_classes)
    """
    n = logits.shape[0]
    log_p = log_softmax(logits)
    rows = np.arange(n)
    loss = -log_p[rows, y].mean()
    dlogits = np.exp(log_p)
    dlogits[rows, y] -= 1.0
    return float(loss), dlogits / n


def binary_cross_entropy_with_logits(logits, y):
    """Mean binary cross-entropy of targets ``y`` in [0, 1] given logits, and its gradient.

    With the sigmoid ``s(z) = 1 / (1 + exp(-z))``::

        L = (1/N) sum_i [-y_i log s(z_i) - (1 - y_i) log(1 - s(z_i))]
          = (1/N) sum_i [max(z_i, 0) - z_i y_i + log(1 + exp(-|z_i|))]
        dL/dz_i = (s(z_i) - y_i) / N

    The second form never takes the log of 0 and never overflows, for any finite ``z``
    (:class:`mlhood.nn.BCEWithLogitsLoss`).

    Returns
    -------
    loss : float
    dlogits : ndarray, the shape of ``logits``
    """
    n = logits.size
    loss = np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
    sigmoid = np.exp(-np.logaddexp(0.0, -logits))
    return float(loss.mean()), (sigmoid - y) / n


# ---------------------------------------------------------------- cases


def _classification_case(scale: float):
    """(logits, y): 1-8 rows, 2-5 classes, logits within +-scale, valid labels."""
    return st.tuples(st.integers(1, 8), st.integers(2, 5)).flatmap(
        lambda shape: st.tuples(
            float_arrays(shape, -scale, scale),
            st.lists(st.integers(0, shape[1] - 1), min_size=shape[0], max_size=shape[0]).map(
                np.array
            ),
        )
    )


_moderate = _classification_case(8.0)
_huge = _classification_case(1e4)
_binary = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        float_arrays((n,), -8.0, 8.0),
        st.lists(st.sampled_from([0.0, 1.0, 0.25]), min_size=n, max_size=n).map(np.array),
    )
)
_binary_huge = st.integers(1, 12).flatmap(
    lambda n: st.tuples(
        float_arrays((n,), -1e4, 1e4),
        st.lists(st.sampled_from([0.0, 1.0]), min_size=n, max_size=n).map(np.array),
    )
)


def _loss_and_gradient(solution, args, name: str):
    loss, grad = to_tuple(call(solution, args), 2, f"{name}'s return value (loss, dlogits)")
    return to_float(loss, "loss"), to_array(grad, "dlogits", shape=np.shape(args[0]))


def _gradient_matches_own_loss(name: str):
    """dlogits against finite differences of the solution's own loss."""

    def check(solution, args) -> None:
        logits, y = args
        _loss_and_gradient(solution, args, name)  # shapes, NaN
        grad = to_tuple(call(solution, args), 2, "return value")[1]  # its own dtype

        def loss(z):
            return to_float(to_tuple(solution(z.copy(), y.copy()), 2, "return value")[0], "loss")

        assert_gradient(grad, loss, logits, "dlogits")

    return check


def _shift_invariance(solution, args) -> None:
    """Adding a constant to every logit of a row changes neither loss nor gradient."""
    logits, y = args
    shift = np.linspace(-50.0, 50.0, logits.shape[0])[:, None]
    before = _loss_and_gradient(solution, args, "softmax_cross_entropy")
    shifted = (logits + shift, y)
    _loss_and_gradient(solution, shifted, "softmax_cross_entropy")  # shapes, NaN
    after = call(solution, shifted)  # in its own dtype: float32 is judged as float32
    loss_after = np.asarray(after[0])
    assert_close(
        (loss_after, after[1]), before, what="(loss, dlogits) after adding a per-row constant"
    )


def _log_softmax_properties(solution, args) -> None:
    logits = args[0]
    out = to_array(call(solution, args), "log_softmax(logits)", shape=logits.shape)
    if np.any(out > 1e-12):
        raise Fail("log-probabilities must be <= 0")
    assert_close(np.exp(out).sum(axis=1), np.ones(logits.shape[0]), what="rows of exp(output)")


# ---------------------------------------------------------------- mistakes


def _ce_no_max_shift(logits, y):
    """log-sum-exp without subtracting the row maximum: exp overflows for large logits."""
    n = logits.shape[0]
    exp = np.exp(logits)
    p = exp / exp.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    grad = p.copy()
    grad[rows, y] -= 1.0
    return float(np.mean(np.log(exp.sum(axis=1)) - logits[rows, y])), grad / n


def _ce_missing_onehot(logits, y):
    """Gradient softmax / N: forgets to subtract the one-hot label."""
    loss, _ = softmax_cross_entropy(logits, y)
    return loss, np.exp(log_softmax(logits)) / logits.shape[0]


def _ce_not_averaged(logits, y):
    """Gradient (p - onehot) without the 1/N of the mean loss."""
    loss, grad = softmax_cross_entropy(logits, y)
    return loss, grad * logits.shape[0]


def _log_softmax_no_max_shift(logits):
    """log(exp(z) / sum exp(z)) without the max shift: overflow for large logits."""
    exp = np.exp(logits)
    return np.log(exp / exp.sum(axis=1, keepdims=True))


def _bce_not_averaged(logits, y):
    """Gradient s(z) - y without the 1/N of the mean loss."""
    loss, grad = binary_cross_entropy_with_logits(logits, y)
    return loss, grad * logits.size


def _multiclass_probes(solution):
    rng = np.random.default_rng(0)
    moderate = rng.normal(0, 3, (6, 4))
    huge = rng.normal(0, 1, (5, 3)) * 2000.0
    return [(moderate, rng.integers(0, 4, 6)), (huge, np.array([0, 1, 2, 0, 1]))]


def _binary_probes(solution):
    rng = np.random.default_rng(1)
    return [(rng.normal(0, 3, 9), (rng.random(9) < 0.5).astype(float))]


_NAMES = ("logits", "y")

EXERCISES = (
    Exercise(
        id="softmax_cross_entropy",
        question="q05",
        title="Softmax cross-entropy loss and its gradient",
        signature="(logits, y)",
        statement="""
Mean softmax cross-entropy over a batch, and its gradient.

logits: ndarray (n_samples, n_classes) of raw scores; y: int ndarray (n_samples,) of
class indices. Return ``(loss, dlogits)``: the mean over the batch of
``-log softmax(logits_i)[y_i]`` (a float) and dL/dlogits (same shape as logits).
Must stay finite and exact for logits as large as +-1e4.
""",
        hints=(
            "softmax(z) = exp(z) / sum exp(z) is unchanged if you subtract max(z) from the row: "
            "do it before exp, or exp(1e4) overflows.",
            "log softmax(z)_k = z_k - logsumexp(z); the loss is minus its value at the label, "
            "averaged over rows.",
            "dL/dz = (softmax(z) - onehot(y)) / n: subtract 1 at each row's label, divide by "
            "the batch size.",
        ),
        reference=softmax_cross_entropy,
        graders=(
            against_reference(
                "matches the reference",
                _moderate,
                softmax_cross_entropy,
                names=_NAMES,
                max_examples=50,
            ),
            against_reference(
                "stable for logits of +-1e4",
                _huge,
                softmax_cross_entropy,
                names=_NAMES,
                max_examples=30,
            ),
            property_holds(
                "dlogits matches finite differences of your loss",
                _moderate,
                _gradient_matches_own_loss("softmax_cross_entropy"),
                names=_NAMES,
                max_examples=15,
            ),
            property_holds(
                "invariant to a per-row shift",
                _moderate,
                _shift_invariance,
                names=_NAMES,
                max_examples=20,
            ),
        ),
        mistakes={
            "logsumexp-no-max-shift": _ce_no_max_shift,
            "ce-gradient-missing-onehot": _ce_missing_onehot,
            "ce-gradient-not-averaged": _ce_not_averaged,
        },
        probes=_multiclass_probes,
    ),
    Exercise(
        id="log_softmax",
        question="q05",
        title="Log-softmax with the log-sum-exp trick",
        signature="(logits)",
        statement="""
Row-wise log-softmax: ``log(exp(z_k) / sum_j exp(z_j))`` for each row ``z`` of
``logits`` (ndarray (n_samples, n_classes)). Return an ndarray of the same shape,
finite and accurate for logits as large as +-1e4.
""",
        hints=(
            "log softmax(z)_k = z_k - log sum_j exp(z_j).",
            "log sum_j exp(z_j) = m + log sum_j exp(z_j - m) for any m.",
            "Take m = the row maximum: every exponent is then <= 0 and one of them is 0.",
        ),
        reference=log_softmax,
        graders=(
            against_reference(
                "matches the reference",
                _moderate.map(lambda case: case[:1]),
                log_softmax,
                names=_NAMES[:1],
            ),
            against_reference(
                "stable for logits of +-1e4",
                _huge.map(lambda case: case[:1]),
                log_softmax,
                names=_NAMES[:1],
                max_examples=30,
            ),
            property_holds(
                "rows are log-probabilities",
                _huge.map(lambda case: case[:1]),
                _log_softmax_properties,
                names=_NAMES[:1],
                max_examples=30,
            ),
        ),
        mistakes={"logsumexp-no-max-shift": _log_softmax_no_max_shift},
        probes=lambda solution: [(args[0],) for args in _multiclass_probes(solution)],
    ),
    Exercise(
        id="binary_cross_entropy_with_logits",
        question="q05",
        title="Binary cross-entropy from logits, stable, with its gradient",
        signature="(logits, y)",
        statement="""
Mean binary cross-entropy from logits, and its gradient.

logits: float ndarray (n,); y: float ndarray (n,) of targets in [0, 1]. Return
``(loss, dlogits)``: the mean of ``-y log s(z) - (1 - y) log(1 - s(z))`` with
``s`` the sigmoid (a float), and dL/dlogits (shape (n,)). Must stay finite and exact
for logits as large as +-1e4.
""",
        hints=(
            "log s(z) = -log(1 + exp(-z)) and log(1 - s(z)) = -z - log(1 + exp(-z)).",
            "Combine them: the per-sample loss is max(z, 0) - z*y + log(1 + exp(-|z|)), which "
            "never overflows (np.log1p helps).",
            "The gradient of the mean is (s(z) - y) / n; compute s(z) without overflow, e.g. "
            "via np.exp(-np.logaddexp(0, -z)).",
        ),
        reference=binary_cross_entropy_with_logits,
        graders=(
            against_reference(
                "matches the reference",
                _binary,
                binary_cross_entropy_with_logits,
                names=_NAMES,
            ),
            against_reference(
                "stable for logits of +-1e4",
                _binary_huge,
                binary_cross_entropy_with_logits,
                names=_NAMES,
                max_examples=30,
            ),
            property_holds(
                "dlogits matches finite differences of your loss",
                _binary,
                _gradient_matches_own_loss("binary_cross_entropy_with_logits"),
                names=_NAMES,
                max_examples=15,
            ),
        ),
        mistakes={"ce-gradient-not-averaged": _bce_not_averaged},
        probes=_binary_probes,
    ),
)
