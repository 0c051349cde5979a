"""q03 (dropout): inverted dropout's forward and backward passes, and train/eval modes.

This module is the worked example of the exercise contract (see
:mod:`mlhood.practice._exercise`).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    assert_close,
    call,
    numerical_gradient,
    preview,
    property_holds,
    to_array,
    to_tuple,
)

# ---------------------------------------------------------------- the references


def dropout_forward(x, p, rng):
    """Inverted dropout while training: drop each unit with probability ``p``.

    With ``keep = 1 - p`` and an independent mask ``m_ij ~ Bernoulli(keep)``::

        out = x * m / keep

    Kept units are scaled by ``1 / keep`` so that ``E[out] = x``: nothing needs
    rescaling at inference, where dropout is the identity. ``p`` is the *drop*
    probability, as in PyTorch. The cache holds the scaled mask ``m / keep``, which is
    exactly the local derivative ``d out / d x`` that the backward pass needs
    (:class:`mlhood.nn.Dropout` does the same in reused buffers).

    Parameters
    ----------
    x : ndarray of any shape
    p : float in [0, 1)
    rng : numpy.random.Generator

    Returns
    -------
    out : ndarray, same shape as ``x``
    cache : ndarray, the scaled mask ``m / keep``
    """
    keep = 1.0 - p
    scaled_mask = (rng.random(np.shape(x)) < keep) / keep
    return x * scaled_mask, scaled_mask


def dropout_backward(dout, cache):
    """Backward pass of inverted dropout: ``dL/dx = dL/dout * m / keep``.

    By the chain rule, ``out = x * m / keep`` is linear in ``x`` with the scaled mask as
    its (diagonal) Jacobian: dropped units get zero gradient, kept ones ``1 / keep``
    times the upstream gradient. ``cache`` is the scaled mask saved by
    :func:`dropout_forward`.
    """
    return dout * cache


def dropout_layer(x, p, rng, training):
    """A dropout layer's forward pass in either mode.

    Training: inverted dropout, ``out = x * m / keep`` (see :func:`dropout_forward`).
    Evaluation (``training=False``): the identity, ``out = x``. Because the training pass
    already divides by ``keep``, the expected activation is the same in both modes; no
    randomness and no scaling at inference.
    """
    if not training:
        return x
    return dropout_forward(x, p, rng)[0]


# ---------------------------------------------------------------- graders

_PROBE_P = (0.2, 0.7)  # never 0.5: there "drop" and "keep" probabilities coincide


def _nonzero(shape, seed):
    """Entries of magnitude in [0.5, 2] with random signs: a dropped unit is unambiguous."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


_magnitudes = st.floats(0.5, 2.0)
_dropout_cases = st.tuples(
    st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
        lambda shape: hnp.arrays(
            np.float64, shape, elements=_magnitudes | _magnitudes.map(lambda v: -v)
        )
    ),
    st.sampled_from([0.0, 0.1, 0.25, 0.6, 0.9]),
    st.builds(np.random.default_rng, st.integers(0, 2**16)),
)


def _forward_output(solution, args, what="out"):
    """``out`` from the learner's forward pass (``(out, cache)``), checked for shape."""
    out, _ = to_tuple(call(solution, args), 2, "dropout_forward's return value (out, cache)")
    return to_array(out, what, shape=np.shape(args[0]))


def _kept_units_scaled(forward, args) -> None:
    """Every unit of ``out`` is 0 (dropped) or ``x / (1 - p)`` (kept), and p=0 keeps all."""
    x, p, _ = args
    out = forward(args)
    dropped = out == 0
    expected = np.where(dropped, 0.0, x / (1.0 - p))
    assert_close(out, expected, what="out (each unit must be 0 or x / (1 - p))")
    if p == 0.0 and dropped.any():
        raise Fail("with p = 0 no unit may be dropped")


def _drop_fraction(forward) -> None:
    """On 40 000 units, the dropped fraction is p (within 5 standard errors), and each
    unit is dropped on its own: no row or column shares one mask."""
    for p in (0.1, 0.3, 0.8):
        x = _nonzero((200, 200), 7)
        dropped = forward((x, p, np.random.default_rng(11))) == 0
        fraction = float(np.mean(dropped))
        if abs(fraction - p) > 5 * np.sqrt(p * (1 - p) / x.size) + 1e-3:
            raise Fail(
                f"with p = {p} (the probability to DROP a unit) you dropped "
                f"{fraction:.3f} of 40000 units; expected about {p}"
            )
        for axis, what in ((0, "row"), (1, "column")):
            if np.all(dropped == np.take(dropped, [0], axis=axis)):
                raise Fail(
                    f"with p = {p} every {what} got the same mask: drop each unit independently"
                )


def _uses_rng(forward) -> None:
    """The mask comes from ``rng``: same seed, same mask; another seed, another mask."""
    x = _nonzero((30, 30), 3)
    first = forward((x, 0.5, np.random.default_rng(5)))
    again = forward((x, 0.5, np.random.default_rng(5)))
    other = forward((x, 0.5, np.random.default_rng(6)))
    if not np.array_equal(first, again):
        raise Fail(
            "two calls with generators of the same seed gave different masks: draw "
            "the mask from the `rng` argument, not from np.random"
        )
    if np.array_equal(first, other):
        raise Fail("generators with different seeds gave the same mask")


def _on_dropout_cases(name: str, check) -> Grader:
    """A grader running ``check(solution, (x, p, rng))`` on generated inputs."""
    return property_holds(name, _dropout_cases, check, names=("x", "p", "rng"), max_examples=30)


def _inverted_dropout_graders(forward_of) -> tuple[Grader, ...]:
    """Scaling and drop rate of a training pass ``forward_of(solution)(args) -> out``."""
    return (
        _on_dropout_cases(
            "kept units scaled by 1/(1-p), dropped ones 0",
            lambda solution, args: _kept_units_scaled(forward_of(solution), args),
        ),
        Grader("drops a fraction p of the units", lambda s: _drop_fraction(forward_of(s))),
    )


def _forward_of(solution):
    return lambda args: _forward_output(solution, args)


FORWARD_GRADERS = (
    *_inverted_dropout_graders(_forward_of),
    Grader("mask drawn from rng", lambda s: _uses_rng(_forward_of(s))),
)


def _backward_matches_mask(solution, args) -> None:
    """dx equals dout times the local derivative out / x of the learner's own forward."""
    x, p, rng = args
    forward = solution.get("dropout_forward")
    out, cache = to_tuple(forward(x.copy(), p, rng), 2, "dropout_forward's return value")
    out = to_array(out, "dropout_forward's out", shape=x.shape)
    dout = _nonzero(x.shape, 1 + x.size)
    dx = to_array(solution(dout.copy(), cache), "dx", shape=x.shape)
    assert_close(dx, dout * out / x, what=f"dx (out = {preview(out)}, dout = {preview(dout)})")


def _backward_finite_differences(solution) -> None:
    """dx against central differences of ``sum(dout * forward(x))`` with the mask fixed."""
    forward = solution.get("dropout_forward")
    x, dout = _nonzero((4, 5), 21), _nonzero((4, 5), 22)
    for p in (0.3, 0.6):

        def loss(v, p=p):
            out, _ = forward(v.copy(), p, np.random.default_rng(9))
            return float(np.sum(dout * to_array(out, "dropout_forward's out")))

        _, cache = forward(x.copy(), p, np.random.default_rng(9))
        dx = to_array(solution(dout.copy(), cache), "dx", shape=x.shape)
        # out is linear in x for a fixed mask: a wide step is exact, and kind to float32
        numerical = numerical_gradient(loss, x, eps=1e-2)
        assert_close(dx, numerical, rtol=1e-4, what=f"dx (p = {p})")


BACKWARD_GRADERS = (
    _on_dropout_cases("dx = dout * mask / (1 - p)", _backward_matches_mask),
    Grader("dx matches finite differences", _backward_finite_differences),
)


def _layer_eval_identity(solution, args) -> None:
    x, p, rng = args
    out = to_array(call(solution, (x, p, rng, False)), "out (training=False)", shape=x.shape)
    assert_close(out, x, what="out at evaluation (training=False) must equal x")


def _layer_forward(solution):
    return lambda args: to_array(
        call(solution, (*args, True)), "out (training=True)", shape=np.shape(args[0])
    )


LAYER_GRADERS = (
    _on_dropout_cases("identity at evaluation", _layer_eval_identity),
    *_inverted_dropout_graders(_layer_forward),
)

# ---------------------------------------------------------------- mistakes and probes


def _forward_no_rescale(x, p, rng):
    """Drops units but does not divide the kept ones by 1 - p."""
    mask = rng.random(np.shape(x)) < 1.0 - p
    return x * mask, mask


def _forward_p_as_keep(x, p, rng):
    """Uses p as the probability to KEEP a unit."""
    scaled_mask = (rng.random(np.shape(x)) < p) / p
    return x * scaled_mask, scaled_mask


def _backward_no_mask(dout, cache):
    """Returns dout unchanged: gradient flows through dropped units."""
    return dout


def _layer_active_at_eval(x, p, rng, training):
    """Drops units at evaluation too."""
    return dropout_forward(x, p, rng)[0]


def _layer_no_rescale(x, p, rng, training):
    """Drops units in training without dividing the kept ones by 1 - p."""
    return x if not training else _forward_no_rescale(x, p, rng)[0]


def _mask_summary(out):
    """``(fraction kept, sorted distinct kept values)`` of an output on an all-ones input."""
    out = np.asarray(out[0] if isinstance(out, (tuple, list)) else out, dtype=float)
    kept = out[out != 0]
    return round(kept.size / max(out.size, 1), 2), np.unique(np.round(kept, 6)).tolist()


def _same_mask_statistics(got, wrong) -> bool:
    """Random masks differ between implementations; their kept fraction and scale do not."""
    try:
        (got_kept, got_values), (wrong_kept, wrong_values) = map(_mask_summary, (got, wrong))
    except (TypeError, ValueError):
        return False
    return abs(got_kept - wrong_kept) <= 0.03 and got_values == wrong_values


def _forward_probes(solution):
    return [(np.ones((100, 100)), p, np.random.default_rng(i)) for i, p in enumerate(_PROBE_P)]


def _backward_probes(solution):
    forward = solution.get("dropout_forward")
    probes = []
    for i, p in enumerate(_PROBE_P):
        x = _nonzero((20, 20), i)
        _, cache = forward(x, p, np.random.default_rng(i))
        probes.append((_nonzero((20, 20), 10 + i), cache))
    return probes


def _layer_probes(solution):
    return [
        (np.ones((100, 100)), p, np.random.default_rng(i), training)
        for i, p in enumerate(_PROBE_P)
        for training in (True, False)
    ]


_STATEMENT_FORWARD = """
Inverted dropout, training-time forward pass.

Drop each entry of ``x`` independently with probability ``p`` (the DROP probability)
and scale the kept entries so that the expected output equals ``x``. Draw the random
mask from ``rng`` (a ``numpy.random.Generator``), never from ``np.random``.

Parameters: x (ndarray, any shape), p (float in [0, 1)), rng (Generator).
Returns ``(out, cache)``: out has the shape of x; cache is whatever your
``dropout_backward`` needs.
"""

EXERCISES = (
    Exercise(
        id="dropout_forward",
        question="q03",
        title="Inverted dropout: the training forward pass",
        signature="(x, p, rng)",
        statement=_STATEMENT_FORWARD,
        hints=(
            "A unit is kept with probability keep = 1 - p; `rng.random(x.shape) < keep` is a "
            "boolean keep-mask.",
            "Inverted dropout rescales at training time: kept units are divided by keep, so "
            "E[out] = x and evaluation needs no change.",
            "mask = (rng.random(x.shape) < 1 - p) / (1 - p); return x * mask, mask.",
        ),
        reference=dropout_forward,
        graders=FORWARD_GRADERS,
        mistakes={
            "dropout-no-rescale": _forward_no_rescale,
            "dropout-p-as-keep": _forward_p_as_keep,
        },
        probes=_forward_probes,
        same=_same_mask_statistics,
    ),
    Exercise(
        id="dropout_backward",
        question="q03",
        title="Inverted dropout: the backward pass",
        signature="(dout, cache)",
        statement="""
Backward pass of inverted dropout.

Given the upstream gradient ``dout`` (same shape as the forward input) and the
``cache`` that YOUR ``dropout_forward`` (in the same file) returned, return
``dx = dL/dx``, same shape as ``dout``. Your file must define both functions.
""",
        hints=(
            "The forward pass is out = x * m / keep with a fixed mask: it is linear in x.",
            "The derivative of out with respect to x is the scaled mask itself, so dropped "
            "units must get zero gradient.",
            "Store the scaled mask m / keep in the cache; the backward pass is dout * cache.",
        ),
        reference=dropout_backward,
        graders=BACKWARD_GRADERS,
        mistakes={"dropout-backward-no-mask": _backward_no_mask},
        probes=_backward_probes,
        requires=("dropout_forward",),
    ),
    Exercise(
        id="dropout_layer",
        question="q03",
        title="A dropout layer in training and evaluation mode",
        signature="(x, p, rng, training)",
        statement="""
A dropout layer's forward pass in both modes.

When ``training`` is True, apply inverted dropout with DROP probability ``p`` (mask
from ``rng``, kept units scaled so that the expected output equals ``x``). When
``training`` is False (evaluation, inference), return the output the network should
see at test time. Returns ``out``, same shape as ``x``.
""",
        hints=(
            "Inverted dropout already rescales during training.",
            "So at evaluation, nothing is dropped and nothing is rescaled.",
            "if not training: return x; otherwise mask = (rng.random(x.shape) < 1 - p) / "
            "(1 - p) and return x * mask.",
        ),
        reference=dropout_layer,
        graders=LAYER_GRADERS,
        mistakes={
            "dropout-active-at-eval": _layer_active_at_eval,
            "dropout-no-rescale": _layer_no_rescale,
        },
        probes=_layer_probes,
        same=_same_mask_statistics,
    ),
)
