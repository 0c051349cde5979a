"""Exercises for q11 (SGD and its variants): Adam, AdamW and momentum steps."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    assert_close,
    call,
    property_holds,
    to_array,
    to_tuple,
)

# -------------------------------------------------------------------------------- adam_step


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update (Kingma & Ba 2015), as ``torch.optim.Adam``; ``t`` counts from 1.

    ::

        m = beta1 m + (1 - beta1) g                 first moment (running mean of g)
        v = beta2 v + (1 - beta2) g²                second moment (running mean of g²)
        m̂ = m / (1 - beta1^t),  v̂ = v / (1 - beta2^t)     bias correction
        param = param - lr m̂ / (sqrt(v̂) + eps)

    ``m`` and ``v`` start at 0, which biases them towards 0 in the first steps; the
    corrections undo that (at ``t = 1``, ``m̂ = g`` and ``v̂ = g²``, so the first step is
    ``lr sign(g)``). :class:`mlhood.nn.Adam` applies the same update to network parameters.

    Examples
    --------
    >>> p, m, v = adam_step(np.array([1.0]), np.array([0.5]), np.zeros(1), np.zeros(1), 1, lr=0.1)
    >>> p.round(6).tolist(), m.round(6).tolist(), v.round(6).tolist()
    ([0.9], [0.05], [0.00025])
    """
    param, grad = np.asarray(param, dtype=float), np.asarray(grad, dtype=float)
    m = beta1 * np.asarray(m, dtype=float) + (1 - beta1) * grad
    v = beta2 * np.asarray(v, dtype=float) + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_no_correction(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Wrong: the moments are used without the bias corrections 1 - beta^t."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    return param - lr * m / (np.sqrt(v) + eps), m, v


_ADAM_ARGS = ("param", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps")


def _adam_case(seed, shape, t, lr, betas, eps):
    rng = np.random.default_rng(seed)
    param, grad = rng.normal(size=shape), rng.normal(0.0, 3.0, size=shape)
    m = rng.normal(0.0, 1.0, size=shape) if t > 1 else np.zeros(shape)
    v = rng.uniform(0.0, 4.0, size=shape) if t > 1 else np.zeros(shape)
    return param, grad, m, v, t, lr, *betas, eps


_ADAM_CASES = st.builds(
    _adam_case,
    st.integers(0, 2**32 - 1),
    st.one_of(st.tuples(st.integers(1, 6)), st.tuples(st.integers(1, 3), st.integers(1, 4))),
    st.sampled_from([1, 2, 3, 10, 1000]),
    st.sampled_from([1e-3, 0.1]),
    st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]),
    st.sampled_from([1e-8, 1e-3]),
)


def _first_step_is_lr(solution, args):
    param, grad, _, _, _, lr, beta1, beta2, _ = args
    zeros = np.zeros_like(param)
    new, _, _ = to_tuple(
        call(solution, (param, grad, zeros, zeros, 1, lr, beta1, beta2, 0.0)), 3, "(param, m, v)"
    )
    assert_close(
        np.asarray(new, dtype=float) - param,
        -lr * np.sign(grad),
        what="the first step (t = 1, eps = 0), which must be -lr * sign(grad)",
    )
    return None


ADAM_STEP = Exercise(
    id="adam_step",
    question="q11",
    title="One Adam update, as torch.optim.Adam",
    signature="(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)",
    statement="""
One step of Adam, exactly as torch.optim.Adam (no weight decay).

param, grad, m, v: float arrays of one shape; m and v are the first and second moment
estimates before this step (zeros before the first step); t is the number of this step,
starting at 1. Update m and v with the gradient, correct their bias towards zero, and
step. Return `(param, m, v)`, all new arrays of the same shape.

    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    param = param - lr * m_hat / (sqrt(v_hat) + eps)

with m_hat and v_hat the bias-corrected moments.
""",
    hints=(
        "m and v start at zero, so after a few steps they are too small: Adam divides them "
        "by a factor that grows to 1 as t grows.",
        "m_hat = m / (1 - beta1**t) and v_hat = v / (1 - beta2**t), with t starting at 1.",
        "eps is added to sqrt(v_hat), not to v_hat; return the updated (uncorrected) m and v "
        "so that the next step can continue from them.",
    ),
    reference=adam_step,
    graders=(
        against_reference("matches torch's Adam step", _ADAM_CASES, adam_step, names=_ADAM_ARGS),
        property_holds(
            "first step moves every entry by lr",
            _ADAM_CASES,
            _first_step_is_lr,
            names=_ADAM_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={"adam-no-bias-correction": _adam_no_correction},
    probes=lambda solution: [_adam_case(1, (4,), 1, 0.1, (0.9, 0.999), 1e-8)[:5]],
)

# ------------------------------------------------------------------------------- adamw_step


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    """One AdamW update (Loshchilov & Hutter 2019), as ``torch.optim.AdamW``.

    Decoupled weight decay: the parameter shrinks directly,
    ``param <- param (1 - lr weight_decay)``, and then takes the Adam step of
    :func:`adam_step` with the plain gradient. Adding ``weight_decay * param`` to the
    gradient instead (L2 regularisation) would pass the decay through Adam's division by
    ``sqrt(v̂)``, so parameters with large gradients would hardly be decayed.

    Examples
    --------
    >>> p, m, v = adamw_step(np.array([1.0]), np.array([0.5]), np.zeros(1), np.zeros(1), 1,
    ...                      lr=0.1, weight_decay=0.5)
    >>> p.round(6).tolist()
    [0.85]
    """
    decayed = np.asarray(param, dtype=float) * (1 - lr * weight_decay)
    return adam_step(decayed, grad, m, v, t, lr, beta1, beta2, eps)


def _adamw_through_gradient(
    param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2
):
    """Wrong: the decay is added to the gradient (L2), so Adam rescales it."""
    return adam_step(param, grad + weight_decay * param, m, v, t, lr, beta1, beta2, eps)


_ADAMW_CASES = st.builds(
    lambda case, decay: (*case, decay), _ADAM_CASES, st.sampled_from([0.0, 1e-2, 0.5])
)

ADAMW_STEP = Exercise(
    id="adamw_step",
    question="q11",
    title="One AdamW update (decoupled weight decay)",
    signature=(
        "(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2)"
    ),
    statement="""
One step of AdamW, exactly as torch.optim.AdamW. The arguments are those of Adam (param,
grad, m, v as float arrays, t the step number from 1) plus `weight_decay`. AdamW
decouples the weight decay from the gradient: first shrink the parameter,

    param = param * (1 - lr * weight_decay)

then take an ordinary Adam step (bias-corrected moments) with the unchanged gradient.
Return `(param, m, v)`.
""",
    hints=(
        "Weight decay in AdamW is not part of the gradient: it never enters m or v.",
        "Shrink the parameter by the factor (1 - lr * weight_decay), then do the Adam "
        "update you would do without any decay.",
        "Adding weight_decay * param to grad is L2 regularisation, not AdamW: Adam would "
        "divide the decay by sqrt(v_hat) as well.",
    ),
    reference=adamw_step,
    graders=(
        against_reference(
            "matches torch's AdamW step",
            _ADAMW_CASES,
            adamw_step,
            names=(*_ADAM_ARGS, "weight_decay"),
            max_examples=30,
        ),
    ),
    mistakes={"adamw-decay-through-gradient": _adamw_through_gradient},
    probes=lambda solution: [(*_adam_case(2, (5,), 3, 0.1, (0.9, 0.999), 1e-8), 0.5)],
)

# ------------------------------------------------------------------------ sgd_momentum_step


def sgd_momentum_step(param, grad, velocity, lr=0.01, momentum=0.9):
    """SGD with (heavy-ball) momentum, as ``torch.optim.SGD(momentum=...)``.

    ::

        velocity = momentum * velocity + grad
        param = param - lr * velocity

    The velocity is a running sum of past gradients, decaying by ``momentum`` per step:
    directions the gradient keeps pointing in build up speed, oscillating directions
    cancel. Start from ``velocity = 0`` (torch's first step, ``velocity = grad``, is the
    same thing).

    Examples
    --------
    >>> p, vel = sgd_momentum_step(np.array([1.0]), np.array([2.0]), np.array([1.0]), 0.1, 0.5)
    >>> p.tolist(), vel.tolist()
    ([0.75], [2.5])
    """
    velocity = momentum * np.asarray(velocity, dtype=float) + np.asarray(grad, dtype=float)
    return np.asarray(param, dtype=float) - lr * velocity, velocity


def _momentum_case(seed, size, lr, momentum):
    rng = np.random.default_rng(seed)
    return rng.normal(size=size), rng.normal(size=size), rng.normal(size=size), lr, momentum


_MOMENTUM_ARGS = ("param", "grad", "velocity", "lr", "momentum")
_MOMENTUM_CASES = st.builds(
    _momentum_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 8),
    st.sampled_from([0.01, 0.1, 1.0]),
    st.sampled_from([0.0, 0.5, 0.9, 0.99]),
)


def _constant_gradient_speed(solution, args):
    """A constant gradient g from rest: v_k = g (1 - mu^k) / (1 - mu), p moves by -lr v_k."""
    start, grad, _, lr, momentum = args
    param, velocity, travelled = start, np.zeros_like(start), np.zeros_like(start)
    for _ in range(30):
        param, velocity = to_tuple(
            call(solution, (param, grad, velocity, lr, momentum)), 2, "(param, velocity)"
        )
        velocity = to_array(velocity, "velocity", shape=grad.shape)
        travelled += lr * velocity
    expected = grad * (1 - momentum**30) / (1 - momentum)
    assert_close(velocity, expected, what="velocity after 30 steps of one constant gradient")
    assert_close(
        param, start - travelled, what="param after 30 steps (each moves by -lr * velocity)"
    )
    return None


SGD_MOMENTUM_STEP = Exercise(
    id="sgd_momentum_step",
    question="q11",
    title="SGD with momentum, as torch.optim.SGD",
    signature="(param, grad, velocity, lr=0.01, momentum=0.9)",
    statement="""
One step of SGD with momentum, with torch.optim.SGD's convention (no dampening, not
Nesterov): the velocity accumulates gradients and the parameter moves against it.

    velocity = momentum * velocity + grad
    param = param - lr * velocity

param, grad, velocity: float arrays of one shape (velocity is zeros before the first
step). Return `(param, velocity)`, new arrays.
""",
    hints=(
        "The velocity is a decaying sum of past gradients; update it first, then move.",
        "In this convention the learning rate multiplies the velocity when the parameter "
        "moves; it is not inside the velocity.",
        "velocity = momentum * velocity + grad; param = param - lr * velocity.",
    ),
    reference=sgd_momentum_step,
    graders=(
        against_reference(
            "matches torch's SGD with momentum",
            _MOMENTUM_CASES,
            sgd_momentum_step,
            names=_MOMENTUM_ARGS,
            max_examples=30,
        ),
        property_holds(
            "a constant gradient builds speed g (1 - mu^k) / (1 - mu)",
            _MOMENTUM_CASES,
            _constant_gradient_speed,
            names=_MOMENTUM_ARGS,
            max_examples=10,
        ),
    ),
)


EXERCISES = (ADAM_STEP, ADAMW_STEP, SGD_MOMENTUM_STEP)
