"""The grading toolkit: compare a learner's output with the reference, search for failures.

A grader is a :class:`Grader`: a name and a function ``run(solution) -> None`` that raises
:class:`Fail` with a message a learner can act on. The helpers here build the messages:

- :func:`to_array`, :func:`to_float`, :func:`to_tuple`: accept lists, float32, NumPy
  scalars; reject a wrong type, a wrong shape, NaN or inf with a clear message.
- :func:`assert_close`: compare any output (tuples of arrays and scalars) with the
  expected one; tolerance ``rtol=1e-6`` relative plus a small absolute floor (``1e-4``
  for a float32 answer); :func:`outputs_match` is its boolean, NaN-tolerant form, used
  to match wrong versions.
- :func:`numerical_gradient`, :func:`assert_gradient`: central finite differences of a
  scalar function, and the check of an analytic gradient against them.
- :func:`call`: call a solution on deep copies of its inputs; :func:`preview`: print an
  input or output briefly.
- :func:`float_arrays`, :func:`matrices`, :func:`vectors`: hypothesis strategies.
- :func:`search`: run a property over derandomised hypothesis examples and report the
  smallest failing input (hypothesis shrinks it) with expected and got.
- :func:`against_reference`, :func:`property_holds`: ready-made graders on top of these.

The same file always gets the same verdict: every search is derandomised and keeps no
example database.

Examples
--------
>>> import numpy as np
>>> from mlhood.practice._graders import Fail, assert_close
>>> assert_close((np.ones(2), 3.0), ([1.0, 1.0], 3.0))
>>> try:
...     assert_close(np.ones(2), np.zeros(2), what="dx")
... except Fail as error:
...     print(str(error).splitlines()[0])
dx differs from the expected value at index (0,): expected 0, got 1 (2 of 2 entries differ)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, find, settings
from hypothesis import strategies as st
from hypothesis.errors import Flaky, NoSuchExample
from hypothesis.extra import numpy as hnp

RTOL = 1e-6
ATOL = 1e-9
FLOAT32_RTOL = 1e-4


class Fail(Exception):
    """A grading check failed; the message says why, in the learner's terms."""


@dataclass(frozen=True)
class Grader:
    """One named check of a solution: ``run(solution)`` raises :class:`Fail` when it fails."""

    name: str
    run: Callable[[Any], None]


def preview(value: Any) -> str:
    """A short, readable rendering of an input or output value."""
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=40, edgeitems=3, separator=", ")
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], np.ndarray):
        inner = ", ".join(preview(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, np.random.Generator):
        return "rng (numpy.random.Generator)"
    text = repr(value)
    return text if len(text) < 400 else text[:400] + " ..."


def describe_args(names: Sequence[str], args: Sequence[Any]) -> str:
    """``name = value`` lines for a failing input."""
    return "\n".join(f"    {n} = {preview(a)}" for n, a in zip(names, args))


def to_array(value: Any, what: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``value`` as a float array, or :class:`Fail` naming ``what`` (shape, NaN, type).

    A float32 value stays float32, so that later comparisons judge it at its precision.
    """
    if callable(value) or value is None:
        raise Fail(f"{what} should be an array, got {type(value).__name__}")
    try:
        array = np.asarray(value, dtype=np.float32 if single_precision(value) else float)
    except (TypeError, ValueError) as error:
        raise Fail(
            f"{what} should be a numeric array, got {type(value).__name__}: {error}"
        ) from None
    if shape is not None and array.shape != tuple(shape):
        raise Fail(f"{what} should have shape {tuple(shape)}, got shape {array.shape}")
    finite = np.isfinite(array)
    if not finite.all():
        bad = "NaN" if np.isnan(array).any() else "inf"
        shown = preview(array) if array.size <= 12 else f"at index {np.argwhere(~finite)[0]}"
        raise Fail(f"{what} contains {bad} ({int((~finite).sum())} of {array.size}): {shown}")
    return array


def to_float(value: Any, what: str) -> float:
    """``value`` as a Python float (a 0-d or one-element array is fine), or :class:`Fail`."""
    array = to_array(value, what)
    if array.size != 1:
        raise Fail(f"{what} should be a single number, got shape {array.shape}")
    return float(array.reshape(()))


def to_tuple(value: Any, length: int, what: str) -> tuple:
    """``value`` as a tuple of ``length`` items (a list or array is fine), or :class:`Fail`."""
    if not isinstance(value, (tuple, list, np.ndarray)) or len(value) != length:
        kind = f"{type(value).__name__}" + (
            f" of length {len(value)}" if isinstance(value, (tuple, list)) else ""
        )
        raise Fail(f"{what} should be a tuple of {length} values, got {kind}")
    return tuple(value)


def _is_structure(expected: Any) -> bool:
    """A tuple, or a list holding tuples/lists/arrays: compared item by item."""
    if isinstance(expected, tuple):
        return True
    return isinstance(expected, list) and any(np.ndim(item) > 0 for item in expected)


def single_precision(value: Any) -> bool:
    """True for float32 (or float16) numbers or arrays, lists of them included."""
    try:
        dtype = np.asarray(value).dtype
    except (TypeError, ValueError):
        return False
    return dtype.kind == "f" and dtype.itemsize < 8


def assert_close(
    got: Any, expected: Any, *, rtol: float = RTOL, atol: float = ATOL, what: str = "output"
) -> None:
    """Raise :class:`Fail` unless ``got`` matches ``expected`` (same structure, close values).

    The structure is read from ``expected``: a tuple (or a list of tuples or arrays) must
    come back as a tuple, list or array of the same length, an array as an array-like of
    the same shape, a number as a number.
    Values match when ``|got - expected| <= atol + rtol * max(|expected|, scale)``, with
    ``scale`` the largest magnitude in ``expected`` times ``1e-3``, so entries that are zero
    up to rounding are not held to a relative tolerance. A float32 answer is judged at
    float32's precision (``rtol >= 1e-4``).
    """
    if _is_structure(expected):
        items = to_tuple(got, len(expected), what)
        for i, (g, e) in enumerate(zip(items, expected)):
            assert_close(g, e, rtol=rtol, atol=atol, what=f"{what}[{i}]")
        return
    exp = np.asarray(expected, dtype=float)
    if single_precision(got):  # judged at float32's precision
        rtol, atol = max(rtol, FLOAT32_RTOL), max(atol, FLOAT32_RTOL * 1e-3)
    if exp.ndim == 0:
        g = np.asarray(to_float(got, what))
    else:
        g = to_array(got, what, shape=exp.shape)
    scale = 1e-3 * (float(np.max(np.abs(exp))) if exp.size else 0.0)
    tolerance = atol + rtol * np.maximum(np.abs(exp), scale)
    wrong = ~(np.abs(g - exp) <= tolerance)
    if wrong.any():
        if exp.ndim == 0:
            raise Fail(
                f"{what} differs from the expected value: expected {exp:.10g}, got {g:.10g}"
            )
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise Fail(
            f"{what} differs from the expected value at index {index}: expected "
            f"{exp[index]:.10g}, got {g[index]:.10g} ({int(wrong.sum())} of {exp.size} "
            f"entries differ)\n  expected: {preview(exp)}\n  got:      {preview(g)}"
        )


def outputs_match(got: Any, expected: Any, rtol: float = 1e-6) -> bool:
    """True when ``got`` has the structure of ``expected`` and close values.

    Used to match a learner's output with a wrong version's: unlike :func:`assert_close`,
    a non-finite value (NaN, inf: what an overflow gives) matches any non-finite value.
    """
    if _is_structure(expected):
        if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != len(expected):
            return False
        return all(outputs_match(g, e, rtol) for g, e in zip(got, expected))
    try:
        g, e = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    if g.size != e.size or (g.shape != e.shape and e.ndim > 0):
        return False
    g, e = g.reshape(e.shape), e
    bad_g, bad_e = ~np.isfinite(g), ~np.isfinite(e)
    if not np.array_equal(bad_g, bad_e):
        return False
    scale = 1e-3 * (float(np.max(np.abs(e[~bad_e]))) if (~bad_e).any() else 0.0)
    close = np.abs(g - e) <= ATOL + rtol * np.maximum(np.abs(e), scale)
    return bool(np.all(close | bad_e))


def assert_gradient(
    analytic: Any, f: Callable[[np.ndarray], float], x: np.ndarray, what: str, eps: float = 1e-6
) -> None:
    """:class:`Fail` unless ``analytic`` matches central differences of ``f`` at ``x``.

    The tolerance (``1e-5`` relative to the gradient's largest entry) absorbs the
    ``O(eps^2)`` truncation and rounding of finite differences.
    """
    single = single_precision(analytic)
    if single:  # a float32 function: a wider step, a looser tolerance
        eps = max(eps, 1e-2)
    numerical = numerical_gradient(f, x, eps)
    got = to_array(analytic, what, shape=np.shape(x))
    scale = max(float(np.max(np.abs(numerical))), 1e-3) if numerical.size else 1.0
    atol = (2e-2 if single else 1e-5) * scale
    assert_close(
        got.astype(np.float64),
        numerical,
        rtol=0.0,
        atol=atol,
        what=f"{what} (vs finite differences)",
    )


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6):
    """Central differences ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)`` for every entry.

    >>> import numpy as np
    >>> numerical_gradient(lambda v: float((v**2).sum()), np.array([1.0, -2.0])).round(6)
    array([ 2., -4.])
    """
    x = np.array(x, dtype=float)
    grad = np.empty_like(x)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = f(x)
        flat[i] = old - eps
        down = f(x)
        flat[i] = old
        out[i] = (up - down) / (2 * eps)
    return grad


def finite_values(min_value: float = -10.0, max_value: float = 10.0) -> st.SearchStrategy:
    """Floats in ``[min_value, max_value]``, never NaN, inf or subnormal."""
    return st.floats(min_value, max_value, allow_nan=False, allow_subnormal=False, width=64)


def float_arrays(shape, min_value: float = -10.0, max_value: float = 10.0):
    """Arrays of the given shape (a tuple or a strategy of tuples) with finite floats."""
    return hnp.arrays(np.float64, shape, elements=finite_values(min_value, max_value))


def vectors(min_size: int = 1, max_size: int = 20, **bounds) -> st.SearchStrategy:
    """1-D float arrays of length ``min_size..max_size``."""
    return st.integers(min_size, max_size).flatmap(lambda n: float_arrays((n,), **bounds))


def matrices(rows=(1, 12), cols=(1, 6), **bounds) -> st.SearchStrategy:
    """2-D float arrays with ``rows`` and ``cols`` in the given inclusive ranges."""
    return st.tuples(st.integers(*rows), st.integers(*cols)).flatmap(
        lambda shape: float_arrays(shape, **bounds)
    )


def search_settings(max_examples: int) -> settings:
    """Derandomised, database-free hypothesis settings: the same file, the same verdict."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        verbosity=Verbosity.quiet,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def search(
    cases: st.SearchStrategy,
    failure: Callable[[tuple], str | None],
    names: Sequence[str],
    max_examples: int = 40,
) -> None:
    """Raise :class:`Fail` for the smallest case (a tuple of arguments) that ``failure`` flags.

    ``failure(args)`` returns None when the case passes and a message otherwise (an
    exception it raises counts as a failure too). Hypothesis shrinks the first failing case
    to a smallest one; the message shows that input under the argument ``names``.
    """
    last: list[str] = []

    def fails(args: tuple) -> bool:
        try:
            message = failure(args)
        except Fail as error:
            message = str(error)
        except NotImplementedError:
            raise  # not written yet: no input to shrink
        except Exception as error:  # the learner's code raised
            message = f"your code raised {type(error).__name__}: {error}"
        if message is not None:
            last[:] = [message]
        return message is not None

    try:
        smallest = find(cases, fails, settings=search_settings(max_examples))
    except NoSuchExample:
        return
    except Flaky:
        raise Fail(
            "your function gave different results for the same input (does it depend on the "
            "time, or on state kept between calls?); last failure: " + (last[0] if last else "")
        ) from None
    fails(smallest)  # the message of the smallest case itself
    raise Fail(f"{last[0]}\n  smallest failing input:\n{describe_args(names, smallest)}")


def call(function: Callable, args: Sequence[Any]) -> Any:
    """``function(*args)`` on deep copies, so a solution that edits its inputs harms no one."""
    return function(*copy.deepcopy(tuple(args)))


def against_reference(
    name: str,
    cases: st.SearchStrategy,
    reference: Callable,
    *,
    names: Sequence[str],
    rtol: float = RTOL,
    max_examples: int = 40,
    what: str = "output",
) -> Grader:
    """A grader: on every case, the solution's output matches ``reference`` (see search)."""

    def failure(solution, args: tuple) -> str | None:
        expected = call(reference, args)
        assert_close(call(solution, args), expected, rtol=rtol, what=what)
        return None

    return Grader(
        name, lambda solution: search(cases, lambda a: failure(solution, a), names, max_examples)
    )


def property_holds(
    name: str,
    cases: st.SearchStrategy,
    check: Callable[[Any, tuple], str | None],
    *,
    names: Sequence[str],
    max_examples: int = 40,
) -> Grader:
    """A grader: ``check(solution, args)`` returns None (or raises nothing) on every case."""
    return Grader(
        name, lambda solution: search(cases, lambda a: check(solution, a), names, max_examples)
    )
