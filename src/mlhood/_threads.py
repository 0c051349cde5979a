"""One BLAS thread while a block runs, shared safely by overlapping callers.

Some library calls run their own parallel threads (the k-NN search) or many tiny matrix
products (the GP of the Bayesian search) and want BLAS held to one thread meanwhile:
BLAS's own threads would fight theirs, or cost more to wake than the product.

BLAS thread limits are **process-wide** (threadpoolctl changes the BLAS library's global
setting; recent OpenBLAS builds may keep it per thread, which only narrows the effect),
so they cannot be reliably scoped to one Python thread. What this module guarantees:

- overlapping users (several threads inside :func:`single_threaded_blas` at once) share
  one limit: the first to enter sets BLAS to one thread, the last to leave restores what
  was there before - never a restore out of order that leaves BLAS at one thread, or
  resets it while another caller still relies on it;
- while any caller is inside, *other* threads' BLAS calls in this process also run on
  one thread. That is the documented cost; a server that cares runs its inference in
  worker processes.

Examples
--------
>>> with single_threaded_blas():
...     pass
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

_lock = threading.Lock()
_users = 0
_limiter = None
_controller: ThreadpoolController | None = None


@contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread for the ``with`` block (see the module docstring)."""
    global _users, _limiter, _controller
    with _lock:
        if _users == 0:
            if _controller is None:
                _controller = ThreadpoolController()
            _limiter = _controller.limit(limits=1, user_api="blas")
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                _limiter.restore_original_limits()
                _limiter = None
