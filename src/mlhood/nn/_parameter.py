"""A trainable array and its gradient, plus the small helpers the layers share."""

from __future__ import annotations

import threading

import numpy as np


class Parameter:
    """A trainable array ``data`` with its gradient ``grad`` (same shape and dtype).

    Parameters
    ----------
    data : ndarray
        The values. Updated in place by the optimizers.
    name : str
        A readable name such as ``"0.weight"`` (set by :class:`~mlhood.nn.Sequential`).

    Attributes
    ----------
    grad : ndarray
        Gradient of the loss with respect to ``data``, written by the owning layer's
        ``backward`` (overwritten, not accumulated).
    requires_grad : bool
        ``False`` freezes the parameter: its layer skips the gradient and optimizers skip
        the update.
    """

    def __init__(self, data: np.ndarray, name: str = "") -> None:
        self.data = data
        self.grad = np.zeros_like(data)
        self.requires_grad = True
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def __repr__(self) -> str:
        frozen = "" if self.requires_grad else ", frozen"
        return f"Parameter({self.name or '?'}, shape={self.shape}{frozen})"


class BufferPool:
    """Reusable output arrays keyed by name, so the hot loop does not allocate.

    ``get(name, shape, dtype)`` returns the same array as last time when shape and dtype
    agree, else a fresh one. An array returned by a layer is therefore only valid until
    that layer runs again *in the same thread*: copy it to keep it.

    Each thread has its own arrays, so a fitted network can serve ``forward`` calls from
    several threads at once (a web server does this) without one call overwriting
    another's output. Copying or pickling a pool gives an empty pool.

    Examples
    --------
    >>> import numpy as np
    >>> pool = BufferPool()
    >>> a = pool.get("out", (2, 3), np.float64)
    >>> pool.get("out", (2, 3), np.float64) is a
    True
    """

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, name: str, shape: tuple[int, ...], dtype) -> np.ndarray:
        arrays = self._local.__dict__.setdefault("arrays", {})
        arr = arrays.get(name)
        if arr is None or arr.shape != shape or arr.dtype != dtype:
            arr = np.empty(shape, dtype=dtype)
            arrays[name] = arr
        return arr

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
