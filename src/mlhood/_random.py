"""Random streams from any ``random_state``: None, an int, a RandomState or a Generator.

Every public ``random_state`` of mlhood accepts the four alike. Two helpers turn one into a
stream of random numbers:

- :func:`check_random_state` gives a legacy :class:`numpy.random.RandomState` (the API
  of scikit-learn's helper of the same name, so an int seed draws the same numbers as
  scikit-learn's splitters). A Generator is wrapped, not copied: the RandomState reads
  the Generator's own bit generator, so drawing from it advances the Generator.
- :func:`as_generator` gives a :class:`numpy.random.Generator`. With a ``purpose`` (say
  ``"weights"`` or ``"dropout"``), an int seed gives the stream
  ``SeedSequence(seed, spawn_key=(crc32(purpose),))``: one independent child of the seed
  per purpose, so a layer's weights and its dropout masks never read the same numbers
  even when both were built with ``random_state=0``. A Generator or RandomState is a
  stream already and is used as it is (its draws follow one another, never repeat).

Same seed, same numbers: both helpers are deterministic for an int.

Examples
--------
>>> import numpy as np
>>> as_generator(0, "weights").random() == as_generator(0, "weights").random()
True
>>> as_generator(0, "weights").random() == as_generator(0, "dropout").random()
False
>>> rng = np.random.default_rng(0)
>>> check_random_state(rng).randint(10) in range(10)
True
"""

from __future__ import annotations

import zlib
from numbers import Integral

import numpy as np


def _seed_sequence(seed: int, purpose: str | None) -> np.random.SeedSequence:
    if purpose is None:
        return np.random.SeedSequence(int(seed))
    return np.random.SeedSequence(int(seed), spawn_key=(zlib.crc32(purpose.encode()),))


def _check_kind(random_state) -> None:
    if random_state is None or isinstance(
        random_state, (np.random.Generator, np.random.RandomState)
    ):
        return
    if isinstance(random_state, bool) or not isinstance(random_state, Integral):
        raise TypeError(
            "random_state must be None, an int, a RandomState or a Generator, "
            f"got {random_state!r}"
        )


def as_generator(random_state=None, purpose: str | None = None) -> np.random.Generator:
    """A :class:`numpy.random.Generator` for ``random_state``.

    Parameters
    ----------
    random_state : None, int, RandomState or Generator
        None draws fresh entropy; an int seeds a new stream; a Generator is returned as
        it is; a RandomState seeds a new Generator with one draw (advancing it).
    purpose : str or None
        For an int seed, the name of an independent child stream of that seed.

    Returns
    -------
    numpy.random.Generator
    """
    _check_kind(random_state)
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    if random_state is None:
        return np.random.default_rng()
    return np.random.default_rng(_seed_sequence(random_state, purpose))


def check_random_state(random_state=None) -> np.random.RandomState:
    """A :class:`numpy.random.RandomState` for ``random_state``.

    None gives a freshly seeded RandomState; an int seeds one (as ``RandomState(seed)``);
    a RandomState is returned as it is; a Generator is wrapped so that draws advance it.

    Examples
    --------
    >>> check_random_state(3).randint(100) == np.random.RandomState(3).randint(100)
    True
    """
    _check_kind(random_state)
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(random_state.bit_generator)
    return np.random.RandomState(random_state)
