"""Weight initialisers: zeros, normal, Xavier/Glorot and He/Kaiming.

Each takes the shape ``(fan_out, fan_in)`` of a :class:`~mlhood.nn.Linear` weight and a
``random_state`` and returns a new array.

- ``zeros``: every weight 0. All hidden units then compute the same function and receive
  the same gradient, so they never become different (the symmetry problem).
- ``normal``: ``N(0, std^2)`` with a fixed ``std``.
- ``xavier_uniform`` / ``xavier_normal`` (Glorot & Bengio, 2010): variance
  ``2 / (fan_in + fan_out)``, keeps activation and gradient variance roughly constant for
  tanh/sigmoid layers. Uniform version: ``U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))``.
- ``he_normal`` / ``he_uniform`` (He et al., 2015, "Delving deep into rectifiers"):
  variance ``2 / fan_in``, the ReLU correction (a ReLU zeroes half its inputs).
"""

from __future__ import annotations

import numpy as np

from mlhood._random import as_generator


def _fans(shape: tuple[int, int]) -> tuple[int, int]:
    fan_out, fan_in = shape
    return fan_in, fan_out


def he_variance(fan_in: int) -> float:
    """The He/Kaiming weight variance ``2 / fan_in`` shared by :func:`he_normal` and
    :func:`he_uniform`.

    A ReLU zeroes half of a symmetric input, so ``E[relu(z)^2] = Var(z) / 2``; with
    ``Var(w) = 2 / fan_in`` the next pre-activation has
    ``Var = fan_in * Var(w) * E[relu(z)^2] = Var(z)``: the scale survives any depth.

    Examples
    --------
    >>> he_variance(50)
    0.04
    """
    if isinstance(fan_in, bool) or not isinstance(fan_in, (int, np.integer)) or fan_in < 1:
        raise ValueError(f"fan_in must be a positive integer, got {fan_in!r}")
    return 2.0 / fan_in


def zeros(shape, random_state=None, dtype=np.float64) -> np.ndarray:
    """All-zero weights (symmetric: every hidden unit stays identical)."""
    return np.zeros(shape, dtype=dtype)


def normal(shape, random_state=None, dtype=np.float64, std: float = 0.01) -> np.ndarray:
    """Weights drawn from ``N(0, std^2)``."""
    rng = as_generator(random_state, "weights")
    return (rng.standard_normal(shape) * std).astype(dtype)


def xavier_uniform(shape, random_state=None, dtype=np.float64) -> np.ndarray:
    """Glorot uniform: ``U(-a, a)``, ``a = sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(shape)
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return as_generator(random_state, "weights").uniform(-bound, bound, shape).astype(dtype)


def xavier_normal(shape, random_state=None, dtype=np.float64) -> np.ndarray:
    """Glorot normal: ``N(0, 2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(shape)
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return (as_generator(random_state, "weights").standard_normal(shape) * std).astype(dtype)


def he_normal(shape, random_state=None, dtype=np.float64) -> np.ndarray:
    """He/Kaiming normal: ``N(0, 2 / fan_in)`` (for ReLU layers)."""
    fan_in, _ = _fans(shape)
    std = np.sqrt(he_variance(fan_in))
    return (as_generator(random_state, "weights").standard_normal(shape) * std).astype(dtype)


def he_uniform(shape, random_state=None, dtype=np.float64) -> np.ndarray:
    """He/Kaiming uniform: ``U(-a, a)``, ``a = sqrt(6 / fan_in)`` (variance ``2 / fan_in``)."""
    fan_in, _ = _fans(shape)
    bound = np.sqrt(3.0 * he_variance(fan_in))
    return as_generator(random_state, "weights").uniform(-bound, bound, shape).astype(dtype)


INITIALISERS = {
    "zeros": zeros,
    "normal": normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "glorot_uniform": xavier_uniform,
    "glorot_normal": xavier_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
    "kaiming_normal": he_normal,
    "kaiming_uniform": he_uniform,
}


def get_initialiser(init):
    """Return the initialiser named ``init`` (or ``init`` itself when callable)."""
    if callable(init):
        return init
    if init not in INITIALISERS:
        raise ValueError(f"init must be one of {sorted(INITIALISERS)} or a callable, got {init!r}")
    return INITIALISERS[init]
