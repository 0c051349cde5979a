"""One way to validate parameters: declare their types and ranges, check them in one place.

Every estimator declares ``_parameter_constraints``: parameter name -> list of accepted
constraints (the value is valid when it satisfies any of them). Every public function
declares the same with :func:`validate_params`. :func:`check_params` does the checking
and writes every error message, so messages read the same everywhere::

    The 'alpha' parameter of Ridge must be a float in the range [0, inf); got -1.0.

A constraint is one of

- :class:`Interval` - an int or real number in a range (``Interval(Real, 0, None,
  closed="left")`` is ``[0, inf)``); bools are never numbers here. With the kind
  :class:`RealNotInt` only floats qualify: :data:`FRACTION` is how a parameter that is
  a count when an int says "or a share when a float" (``1`` is one row, ``1.0`` all);
- :class:`Options` - one of a fixed set of values (``Options({"l1", "l2", None})``);
- :class:`Elements` - a non-empty 1-D array-like whose every entry is in an Interval
  (one alpha per target, a grid of alphas);
- a type (``Generator``, ``callable`` as the builtin, ``None``), or one of the names
  ``"boolean"``, ``"random_state"`` (None, an int >= 0, a ``RandomState`` or a
  ``Generator``), ``"array-like"``, ``"estimator"`` (has ``fit``), ``"cv_object"`` (a
  splitter or an iterable of splits), ``"no_validation"``.

The error is an :class:`InvalidParameterError`, a subclass of both ``ValueError`` and
``TypeError``, so callers catching either keep working.

Examples
--------
>>> from numbers import Real
>>> constraints = {"alpha": [Interval(Real, 0, None, closed="left")]}
>>> check_params(constraints, {"alpha": 0.5}, "Ridge")
>>> try:
...     check_params(constraints, {"alpha": -1.0}, "Ridge")
... except ValueError as error:
...     print(error)
The 'alpha' parameter of Ridge must be a float in the range [0, inf); got -1.0.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np


class InvalidParameterError(ValueError, TypeError):
    """A parameter of the wrong type or outside its allowed range."""


class RealNotInt(Real):
    """Real numbers that are not of an integer type: Python and NumPy floats."""


RealNotInt.register(float)
RealNotInt.register(np.floating)


class Interval:
    """Numbers of ``kind`` (``Integral`` or ``Real``) between ``left`` and ``right``.

    ``None`` for a bound means unbounded; ``closed`` is ``"both"``, ``"left"``,
    ``"right"`` or ``"neither"``. ``Interval(Real, ...)`` accepts ints too; NaN and bools
    are never accepted.
    """

    def __init__(self, kind: type, left: float | None, right: float | None, *, closed: str):
        if kind not in (Integral, Real, RealNotInt):
            raise TypeError(f"kind must be numbers.Integral, numbers.Real or RealNotInt: {kind!r}")
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"closed must be both, left, right or neither, got {closed!r}")
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, self.kind):
            return False
        if isinstance(value, Real) and math.isnan(value):
            return False
        left_closed = self.closed in ("both", "left")
        right_closed = self.closed in ("both", "right")
        if self.left is not None and not (
            value >= self.left if left_closed else value > self.left
        ):
            return False
        return self.right is None or (value <= self.right if right_closed else value < self.right)

    def __str__(self) -> str:
        kind = "an int" if self.kind is Integral else "a float"
        low = "-inf" if self.left is None else f"{self.left:g}"
        high = "inf" if self.right is None else f"{self.right:g}"
        left = "[" if self.closed in ("both", "left") and self.left is not None else "("
        right = "]" if self.closed in ("both", "right") and self.right is not None else ")"
        return f"{kind} in the range {left}{low}, {high}{right}"


# A share of the rows or features, for parameters that are a count when given an int.
FRACTION = Interval(RealNotInt, 0, 1, closed="right")


class Options:
    """One of a fixed set of values (compared with ``==``, so ``1.0`` matches ``1``)."""

    def __init__(self, options: Iterable[Any]):
        self.options = list(options)

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, (list, dict, set, np.ndarray)):
            return False
        return any(
            value is option or (option is not None and value == option) for option in self.options
        )

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


class Elements:
    """A non-empty 1-D array-like (not a scalar) whose every entry satisfies ``interval``."""

    def __init__(self, interval: Interval):
        self.interval = interval

    def is_satisfied_by(self, value: Any) -> bool:
        if isinstance(value, (str, bytes, dict)):
            return False
        try:
            array = np.asarray(value)
        except (TypeError, ValueError):  # ragged nesting
            return False
        entries = array.tolist() if array.ndim == 1 else []
        return len(entries) > 0 and all(self.interval.is_satisfied_by(v) for v in entries)

    def __str__(self) -> str:
        return f"a 1-D array-like of entries each {self.interval}"


class _Named:
    """A constraint from a name or a type (see the module docstring)."""

    def __init__(self, spec: Any):
        self.spec = spec

    def is_satisfied_by(self, value: Any) -> bool:
        spec = self.spec
        if spec is None:
            return value is None
        if spec is callable:
            return callable(value)
        if isinstance(spec, type):
            return isinstance(value, spec)
        if spec == "boolean":
            return isinstance(value, (bool, np.bool_))
        if spec == "random_state":
            return (
                value is None
                or isinstance(value, (np.random.RandomState, np.random.Generator))
                or (
                    isinstance(value, Integral)
                    and not isinstance(value, bool)
                    and 0 <= value < 2**32
                )
            )
        if spec == "array-like":
            return hasattr(value, "__len__") or hasattr(value, "__array__")
        if spec == "estimator":
            return hasattr(value, "fit")
        if spec == "cv_object":
            return hasattr(value, "split") or (
                isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict))
            )
        if spec == "no_validation":
            return True
        raise ValueError(f"unknown constraint {spec!r}")

    def __str__(self) -> str:
        spec = self.spec
        if spec is None:
            return "None"
        if spec is callable:
            return "a callable"
        if isinstance(spec, type):
            return f"an instance of {spec.__name__}"
        return {
            "boolean": "a bool",
            "random_state": "None, an int in [0, 2**32), a RandomState or a Generator",
            "array-like": "an array-like",
            "estimator": "an estimator with fit",
            "cv_object": "a splitter (with split) or an iterable of (train, test) pairs",
            "no_validation": "anything",
        }[spec]


def _as_constraint(spec: Any):
    return spec if isinstance(spec, (Interval, Options, Elements)) else _Named(spec)


def describe(constraints: list) -> str:
    """The constraints in words: ``"a float in the range [0, inf) or None"``."""
    words = [str(_as_constraint(c)) for c in constraints if c != "no_validation"]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def check_params(constraints: dict[str, list], values: dict[str, Any], caller: str) -> None:
    """Raise :class:`InvalidParameterError` for the first value breaking its constraints.

    Names missing from ``constraints`` are not checked; names missing from ``values``
    are skipped.
    """
    for name, accepted in constraints.items():
        if name not in values:
            continue
        value = values[name]
        if not any(_as_constraint(c).is_satisfied_by(value) for c in accepted):
            raise InvalidParameterError(
                f"The {name!r} parameter of {caller} must be {describe(accepted)}; got {value!r}."
            )


class ValidatedParamsMixin:
    """Adds :meth:`_validate_params`: checks ``get_params(deep=False)`` against the class's
    ``_parameter_constraints``. Call it at the start of ``fit``."""

    _parameter_constraints: dict[str, list] = {}

    def _validate_params(self) -> None:
        check_params(self._parameter_constraints, self.get_params(deep=False), type(self).__name__)


def validate_params(constraints: dict[str, list]) -> Callable[[Callable], Callable]:
    """Decorate a public function so its arguments are checked against ``constraints``.

    Examples
    --------
    >>> from numbers import Real
    >>> @validate_params({"alpha": [Interval(Real, 0, 1, closed="neither")]})
    ... def f(alpha):
    ...     return alpha
    >>> f(0.05)
    0.05
    """

    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise ValueError(f"constraints name no parameter of {func.__name__}: {unknown}")

        @functools.wraps(func)
        def checked(*args, **kwargs):
            bound = signature.bind(*args, **kwargs)
            check_params(constraints, bound.arguments, f"{func.__name__}()")
            return func(*args, **kwargs)

        checked.__wrapped_constraints__ = constraints
        return checked

    return decorate
