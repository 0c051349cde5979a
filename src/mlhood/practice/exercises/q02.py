"""q02 (a loss that does not move): a linear layer's backward, ReLU's backward, He init."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    against_reference,
    assert_gradient,
    call,
    float_arrays,
    property_holds,
    to_array,
    to_tuple,
)

# ---------------------------------------------------------------- the references


def linear_backward(dout, x, W):
    """Gradients of a linear layer ``out = x @ W.T + b`` (W of shape (out, in)).

    For a loss ``L`` with upstream gradient ``G = dL/dout`` of shape (n, out)::

        dL/dx = G @ W          (n, in)
        dL/dW = G.T @ x        (out, in)
        dL/db = sum_i G_i      (out,)    summed, not averaged: any 1/n is already in G

    (:class:`mlhood.nn.Linear` computes the same into preallocated buffers.)
    """
    return dout @ W, dout.T @ x, dout.sum(axis=0)


def relu_backward(dout, x):
    """Backward pass of ``relu(x) = max(x, 0)``: ``dL/dx = dout * [x > 0]``.

    The derivative is 1 where the unit was active and 0 where it was not; at ``x = 0``
    any value in [0, 1] is a valid subgradient and 0 is the usual choice (PyTorch's).
    A unit whose input is negative for every example gets no gradient at all: a "dead"
    ReLU, one of the causes of a loss that does not move (:func:`mlhood.nn.diagnose`).
    """
    return dout * (x > 0)


def he_init(fan_in, fan_out, rng):
    """He (Kaiming) normal initialisation for a ReLU layer: ``W ~ N(0, 2 / fan_in)``.

    With ReLU, half of the pre-activations are zeroed, so a weight variance of
    ``2 / fan_in`` keeps the activations' variance constant from layer to layer
    (He et al., 2015); all-zero weights would leave every unit identical (symmetry), and a
    variance too small or too large makes signals and gradients vanish or explode. The
    shape is (fan_out, fan_in), that of :class:`mlhood.nn.Linear`'s weight
    (:func:`mlhood.nn._init.he_normal`).
    """
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


# ---------------------------------------------------------------- graders

_layer_cases = st.tuples(st.integers(1, 6), st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda s: st.tuples(
        float_arrays((s[0], s[2])), float_arrays((s[0], s[1])), float_arrays((s[2], s[1]))
    )
)
_LAYER_NAMES = ("dout", "x", "W")


def _linear_finite_differences(solution, args) -> None:
    """Each gradient against central differences of ``sum(dout * (x @ W.T + b))``."""
    dout, x, W = args
    dx, dW, db = to_tuple(call(solution, args), 3, "linear_backward's return value")
    b = np.zeros(W.shape[0])
    assert_gradient(dx, lambda v: float(np.sum(dout * (v @ W.T + b))), x, "dx")
    assert_gradient(dW, lambda v: float(np.sum(dout * (x @ v.T + b))), W, "dW")
    assert_gradient(db, lambda v: float(np.sum(dout * (x @ W.T + v))), b, "db")


_relu_cases = st.integers(1, 30).flatmap(
    lambda n: st.tuples(
        float_arrays((n,)),
        # no input so tiny that float32 would read it as 0 (both answers are then right)
        float_arrays((n,)).map(lambda x: np.where(np.abs(x) < 1e-6, 0.0, x))
        | st.lists(st.sampled_from([-1.0, 0.0, 2.0]), min_size=n, max_size=n).map(np.array),
    )
)


def _relu_matches(solution, args) -> None:
    """dx = dout where x > 0, 0 where x < 0; at x = 0 either 0 or dout (a subgradient)."""
    dout, x = args
    dx = to_array(call(solution, args), "dx", shape=x.shape)
    for where, allowed, words in (
        (x > 0, [dout], "dout (the unit was active)"),
        (x < 0, [np.zeros_like(dout)], "0 (the unit was inactive)"),
        (x == 0, [np.zeros_like(dout), dout], "0 (or dout: a subgradient)"),
    ):
        ok = np.zeros(x.shape, bool)
        for value in allowed:
            ok |= np.isclose(dx, value, rtol=1e-6, atol=1e-12)
        bad = where & ~ok
        if bad.any():
            i = int(np.argmax(bad))
            raise Fail(
                f"at index {i}, x = {x[i]:g}, dout = {dout[i]:g}: dx should be {words}, "
                f"got {dx[i]:g}"
            )


def _he_statistics(solution) -> None:
    """Mean 0 and variance 2 / fan_in, for a small and a large fan-in; shape (out, in)."""
    for fan_in, fan_out in ((8, 40000), (2000, 160)):
        W = to_array(solution(fan_in, fan_out, np.random.default_rng(3)), "W", (fan_out, fan_in))
        n, target = W.size, 2.0 / fan_in
        std_error = target * np.sqrt(2.0 / n)  # of the sample variance of normal draws
        if abs(W.var() - target) > 6 * std_error:
            raise Fail(
                f"with fan_in = {fan_in} the weights' variance is {W.var():.5g}; He "
                f"initialisation for ReLU needs 2 / fan_in = {target:.5g}"
            )
        if abs(W.mean()) > 6 * np.sqrt(target / n):
            raise Fail(f"with fan_in = {fan_in} the weights' mean is {W.mean():.4g}, not 0")


def _he_uses_rng(solution) -> None:
    first, again, other = (solution(30, 20, np.random.default_rng(s)) for s in (1, 1, 2))
    if not np.array_equal(np.asarray(first), np.asarray(again)):
        raise Fail("the same seed gave different weights: draw them from the `rng` argument")
    if np.array_equal(np.asarray(first), np.asarray(other)):
        raise Fail("different seeds gave the same weights")


# ---------------------------------------------------------------- mistakes


def _linear_bias_averaged(dout, x, W):
    """db is the mean of dout over the batch instead of its sum."""
    dx, dW, _ = linear_backward(dout, x, W)
    return dx, dW, dout.mean(axis=0)


def _relu_passes_negatives(dout, x):
    """Returns dout unchanged: gradient flows through inactive units."""
    return dout


def _layer_probes(solution):
    rng = np.random.default_rng(0)
    return [(rng.normal(size=(5, 3)), rng.normal(size=(5, 4)), rng.normal(size=(3, 4)))]


def _relu_probes(solution):
    rng = np.random.default_rng(1)
    return [(rng.normal(size=20), rng.normal(size=20))]


EXERCISES = (
    Exercise(
        id="linear_backward",
        question="q02",
        title="Backward pass of a linear layer",
        signature="(dout, x, W)",
        statement="""
Backward pass of a linear (fully connected) layer whose forward is ``out = x @ W.T + b``.

dout: ndarray (n, out), the gradient of the loss with respect to out; x: ndarray
(n, in), the layer's input; W: ndarray (out, in). Return ``(dx, dW, db)``, the
gradients of the loss with respect to x (n, in), W (out, in) and b (out,).
""",
        hints=(
            "Write out[i, o] = sum_k x[i, k] W[o, k] + b[o] and differentiate one entry at a "
            "time; then vectorise.",
            "dx has the shape of x and dW the shape of W: the shapes leave one product each.",
            "dx = dout @ W, dW = dout.T @ x, db = dout.sum(axis=0) - summed over the batch, "
            "not averaged.",
        ),
        reference=linear_backward,
        graders=(
            against_reference(
                "matches the reference", _layer_cases, linear_backward, names=_LAYER_NAMES
            ),
            property_holds(
                "gradients match finite differences",
                _layer_cases,
                _linear_finite_differences,
                names=_LAYER_NAMES,
                max_examples=10,
            ),
        ),
        mistakes={"linear-bias-grad-averaged": _linear_bias_averaged},
        probes=_layer_probes,
    ),
    Exercise(
        id="relu_backward",
        question="q02",
        title="Backward pass of ReLU",
        signature="(dout, x)",
        statement="""
Backward pass of ``relu(x) = max(x, 0)``, elementwise.

dout: ndarray, the gradient of the loss with respect to relu(x); x: ndarray of the same
shape, the input of the forward pass. Return dx, same shape. At x = 0 use 0.
""",
        hints=(
            "relu is the identity where x > 0 and the constant 0 where x < 0.",
            "So the local derivative is 1 where x > 0 and 0 elsewhere.",
            "return dout * (x > 0)",
        ),
        reference=relu_backward,
        graders=(
            property_holds(
                "dx = dout where x > 0, else 0",
                _relu_cases,
                _relu_matches,
                names=("dout", "x"),
            ),
        ),
        mistakes={"relu-backward-passes-negatives": _relu_passes_negatives},
        probes=_relu_probes,
    ),
    Exercise(
        id="he_init",
        question="q02",
        title="He initialisation for a ReLU layer",
        signature="(fan_in, fan_out, rng)",
        statement="""
He (Kaiming) normal initialisation of a ReLU layer's weight matrix.

fan_in, fan_out: ints; rng: numpy.random.Generator. Return W of shape
(fan_out, fan_in), the shape of a linear layer's weight, with independent normal
entries of mean 0 and the variance that keeps ReLU activations' scale constant from
layer to layer.
""",
        hints=(
            "All-zero weights make every unit of a layer identical forever (symmetry); the "
            "scale of random weights decides whether signals vanish or explode.",
            "Var(out) = fan_in * Var(W) * E[x^2], and ReLU zeroes half the inputs.",
            "W = rng.normal(0, sqrt(2 / fan_in), size=(fan_out, fan_in))",
        ),
        reference=he_init,
        graders=(
            Grader("mean 0, variance 2 / fan_in, shape (fan_out, fan_in)", _he_statistics),
            Grader("weights drawn from rng", _he_uses_rng),
        ),
    ),
)
