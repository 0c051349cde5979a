"""Search spaces: ``Real``, ``Integer``, ``Categorical`` and the ``Space`` that holds them.

Every dimension maps its values to and from the unit interval, so the optimizers work in
the unit cube ``[0, 1]^D``:

- ``Real(low, high)``: ``u = (v - low) / (high - low)``; with ``log=True`` the same in
  ``log v`` (a log-uniform prior).
- ``Integer(low, high)``: ``u`` is cut into ``high - low + 1`` equal bins, one per integer
  (in log space, bins between ``log(low - 1/2)`` and ``log(high + 1/2)``); a value encodes
  to the centre of its bin.
- ``Categorical(categories)``: one-hot, one unit coordinate per category; decoding takes
  the arg-max, so a uniform point in the block picks every category equally often.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np


def _plain(value):
    """NumPy scalars -> Python scalars (for JSON and for clean ``params``)."""
    return value.item() if isinstance(value, np.generic) else value


class Dimension:
    """One coordinate of a search space (see subclasses)."""

    n_unit = 1

    def sample(self, rng: np.random.Generator):
        return self.decode(rng.random(self.n_unit))

    def signature(self) -> list:
        raise NotImplementedError

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.signature() == other.signature()

    def __hash__(self) -> int:
        return hash(repr(self.signature()))


def _check_bounds(low, high, kind: str, log: bool):
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{kind} {name} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{kind} {name} must be finite, got {value!r}")
    if not low < high:
        raise ValueError(f"{kind} needs low < high, got low={low!r}, high={high!r}")
    if log and low <= 0:
        raise ValueError(f"{kind} with log=True needs low > 0, got low={low!r}")


class Real(Dimension):
    """A real-valued dimension on ``[low, high]``, uniform or log-uniform.

    Examples
    --------
    >>> round(Real(1e-3, 1e1, log=True).decode([0.75]), 12)
    1.0
    """

    def __init__(self, low: float, high: float, *, log: bool = False, name: str | None = None):
        _check_bounds(low, high, "Real", log)
        self.low, self.high, self.log, self.name = float(low), float(high), bool(log), name
        self._lo, self._hi = (math.log(low), math.log(high)) if log else (self.low, self.high)

    def encode(self, value) -> np.ndarray:
        v = math.log(value) if self.log else float(value)
        return np.array([(v - self._lo) / (self._hi - self._lo)])

    def decode(self, u) -> float:
        v = self._lo + float(np.clip(u[0], 0.0, 1.0)) * (self._hi - self._lo)
        return float(min(max(math.exp(v) if self.log else v, self.low), self.high))

    def grid(self, n: int) -> list:
        """``n`` values at the cell centres ``(i + 1/2) / n`` of the unit interval."""
        return [self.decode([(i + 0.5) / n]) for i in range(n)]

    def contains(self, value) -> bool:
        return isinstance(value, numbers.Real) and self.low <= value <= self.high

    def signature(self) -> list:
        return ["real", self.low, self.high, self.log]

    def __repr__(self) -> str:
        return f"Real({self.low!r}, {self.high!r}, log={self.log})"


class Integer(Dimension):
    """An integer dimension ``low, low + 1, ..., high``, uniform or log-uniform.

    Examples
    --------
    >>> Integer(1, 4).decode([0.99]), Integer(1, 4).encode(2).tolist()
    (4, [0.375])
    """

    def __init__(self, low: int, high: int, *, log: bool = False, name: str | None = None):
        for key, value in (("low", low), ("high", high)):
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"Integer {key} must be an int, got {value!r}")
        _check_bounds(low, high, "Integer", log)
        self.low, self.high, self.log, self.name = int(low), int(high), bool(log), name
        if log:
            self._lo, self._hi = math.log(low - 0.5), math.log(high + 0.5)
        else:
            self._lo, self._hi = low - 0.5, high + 0.5

    @property
    def size(self) -> int:
        return self.high - self.low + 1

    def encode(self, value) -> np.ndarray:
        v = math.log(value) if self.log else float(value)
        return np.array([(v - self._lo) / (self._hi - self._lo)])

    def decode(self, u) -> int:
        v = self._lo + float(np.clip(u[0], 0.0, 1.0)) * (self._hi - self._lo)
        return int(min(max(round(math.exp(v) if self.log else v), self.low), self.high))

    def grid(self, n: int) -> list:
        if n >= self.size and not self.log:
            return list(range(self.low, self.high + 1))
        points = [self.decode([(i + 0.5) / n]) for i in range(n)]
        return list(dict.fromkeys(points))

    def contains(self, value) -> bool:
        return isinstance(value, numbers.Integral) and self.low <= value <= self.high

    def signature(self) -> list:
        return ["integer", self.low, self.high, self.log]

    def __repr__(self) -> str:
        return f"Integer({self.low!r}, {self.high!r}, log={self.log})"


class Categorical(Dimension):
    """A dimension taking one of a list of values (any objects), one-hot encoded.

    Examples
    --------
    >>> Categorical(["a", "b", "c"]).decode([0.1, 0.9, 0.2])
    'b'
    """

    def __init__(self, categories: Sequence, *, name: str | None = None):
        categories = list(categories)
        if not categories:
            raise ValueError("Categorical needs at least one category, got an empty list")
        self.categories, self.name = categories, name
        self.n_unit = len(categories)

    def index(self, value) -> int:
        for i, c in enumerate(self.categories):
            if c is value or (type(c) is type(value) and c == value):
                return i
        raise ValueError(f"{value!r} is not one of the categories {self.categories!r}")

    def encode(self, value) -> np.ndarray:
        out = np.zeros(self.n_unit)
        out[self.index(value)] = 1.0
        return out

    def decode(self, u):
        return self.categories[int(np.argmax(u))]

    def sample(self, rng: np.random.Generator):
        return self.categories[int(rng.integers(self.n_unit))]

    def grid(self, n: int) -> list:
        return list(self.categories)

    def contains(self, value) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    def signature(self) -> list:
        return ["categorical", [repr(c) for c in self.categories]]

    def __repr__(self) -> str:
        return f"Categorical({self.categories!r})"


class Distribution(Dimension):
    """Wrap a frozen ``scipy.stats`` distribution (random search only)."""

    def __init__(self, dist, *, name: str | None = None):
        if not hasattr(dist, "rvs"):
            raise TypeError(f"expected an object with an rvs method, got {dist!r}")
        self.dist, self.name = dist, name

    def sample(self, rng):
        return _plain(self.dist.rvs(random_state=rng))

    def signature(self) -> list:
        dist = getattr(self.dist, "dist", self.dist)
        args = [repr(a) for a in getattr(self.dist, "args", ())]
        kwds = sorted((k, repr(v)) for k, v in getattr(self.dist, "kwds", {}).items())
        return ["distribution", getattr(dist, "name", repr(dist)), args, kwds]

    def __repr__(self) -> str:
        return f"Distribution({self.signature()[1]})"


def as_dimension(spec, name=None) -> Dimension:
    """A Dimension from a Dimension, a list of values or a scipy.stats distribution."""
    if isinstance(spec, Dimension):
        return spec
    if hasattr(spec, "rvs"):
        return Distribution(spec, name=name)
    if isinstance(spec, (list, tuple, np.ndarray, range)):
        return Categorical(list(spec), name=name)
    raise TypeError(
        f"dimension {name!r}: expected Real, Integer, Categorical, a list of values or a "
        f"scipy.stats distribution, got {spec!r}"
    )


class Space:
    """An ordered list of dimensions; points are lists of values, one per dimension.

    Parameters
    ----------
    dimensions : sequence of Dimension (or lists/distributions) or a mapping name -> one
        A mapping gives named dimensions (used by the ``*SearchCV`` estimators).
    """

    def __init__(self, dimensions):
        if isinstance(dimensions, Space):
            dimensions = dimensions.dimensions
        if isinstance(dimensions, Mapping):
            names = list(dimensions)
            dims = [as_dimension(dimensions[n], n) for n in names]
        else:
            dims = [as_dimension(d) for d in dimensions]
            names = [d.name if d.name is not None else f"x{i}" for i, d in enumerate(dims)]
        if not dims:
            raise ValueError("the search space is empty: give at least one dimension")
        self.dimensions, self.names = dims, names
        self.unit_slices = []
        start = 0
        for d in dims:
            self.unit_slices.append(slice(start, start + d.n_unit))
            start += d.n_unit
        self.n_unit = start

    def __len__(self) -> int:
        return len(self.dimensions)

    @property
    def encodable(self) -> bool:
        return not any(isinstance(d, Distribution) for d in self.dimensions)

    def sample(self, rng: np.random.Generator) -> list:
        return [_plain(d.sample(rng)) for d in self.dimensions]

    def encode(self, point) -> np.ndarray:
        return np.concatenate([d.encode(v) for d, v in zip(self.dimensions, point)])

    def decode(self, u) -> list:
        return [_plain(d.decode(u[s])) for d, s in zip(self.dimensions, self.unit_slices)]

    def grid(self, n_points: int) -> list[list]:
        """A full-factorial grid of at most ``n_points`` points (last dimension fastest).

        Real and Integer axes get ``k`` values at the centres of ``k`` equal cells of the
        unit interval (no budget spent on the bounds); categorical axes get every value.
        """
        if any(isinstance(d, Distribution) for d in self.dimensions):
            raise ValueError("a grid needs Real, Integer or Categorical dimensions")
        fixed = [isinstance(d, Categorical) for d in self.dimensions]
        n_fixed = math.prod(d.n_unit for d, f in zip(self.dimensions, fixed) if f)
        counts = [d.n_unit if f else 1 for d, f in zip(self.dimensions, fixed)]
        grown = True
        while grown:
            grown = False
            for i, d in enumerate(self.dimensions):
                if fixed[i] or (isinstance(d, Integer) and counts[i] >= d.size):
                    continue
                trial = counts.copy()
                trial[i] += 1
                if math.prod(trial) <= max(n_points, n_fixed):
                    counts, grown = trial, True
        axes = [d.grid(c) for d, c in zip(self.dimensions, counts)]
        return [list(p) for p in itertools.product(*axes)]

    def to_json(self, point) -> list:
        """JSON-safe form of a point: categorical values become their index."""
        return [
            d.index(v) if isinstance(d, Categorical) else _plain(v)
            for d, v in zip(self.dimensions, point)
        ]

    def from_json(self, stored) -> list:
        return [
            d.categories[v] if isinstance(d, Categorical) else v
            for d, v in zip(self.dimensions, stored)
        ]

    def signature(self) -> list:
        return [[n, *d.signature()] for n, d in zip(self.names, self.dimensions)]

    def __repr__(self) -> str:
        return f"Space({dict(zip(self.names, self.dimensions))!r})"
