"""BLAS held to one thread by overlapping callers: limits set by the first, restored once by
the last (and after an error)."""

import threading

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from mlhood import _threads


def _blas_threads():
    np.ones((2, 2)) @ np.ones((2, 2))  # BLAS is loaded with NumPy; make sure it is in use
    return {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"}


class _Recorder:
    """Stands in for threadpoolctl's controller: records limit and restore calls."""

    def __init__(self):
        self.calls = []

    def limit(self, limits, user_api):
        self.calls.append(("limit", limits, user_api))
        recorder = self

        class _Limiter:
            def restore_original_limits(self):
                recorder.calls.append(("restore",))

        return _Limiter()


def test_overlapping_callers_share_one_limit_restored_by_the_last(monkeypatch):
    recorder = _Recorder()
    monkeypatch.setattr(_threads, "_controller", recorder)
    a_inside, b_inside, a_left = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with _threads.single_threaded_blas():
            a_inside.set()
            b_inside.wait(5)
        a_left.set()  # leaves first, while the second is still inside

    def second():
        a_inside.wait(5)
        with _threads.single_threaded_blas():
            b_inside.set()
            a_left.wait(5)
            seen["after_first_left"] = list(recorder.calls)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen["after_first_left"] == [("limit", 1, "blas")]  # not restored under B
    assert recorder.calls == [("limit", 1, "blas"), ("restore",)]  # once, by the last


def test_real_blas_limit_restored_after_an_error():
    with threadpool_limits(limits=2, user_api="blas"):
        try:
            with _threads.single_threaded_blas():
                assert _blas_threads() == {1}
                raise RuntimeError
        except RuntimeError:
            pass
        assert _blas_threads() == {2}
