"""Exact brute-force k-nearest-neighbour search, tiled so memory stays bounded.

Euclidean: ``||q - x||^2 = ||q||^2 - 2 q.x + ||x||^2``. For a block of queries and a tile
of training points the cross term is one BLAS matrix product into a fixed buffer; since
``||q||^2`` is the same for every candidate of a query, ranking uses
``||x||^2 - 2 q.x`` and ``||q||^2`` is added only to the ``k`` winners. Both sides are
centred on the training mean first (distances do not change), which keeps the
cancellation in ``a - 2b + c`` small. Manhattan: ``sum_j |q_j - x_j|``, computed in the
compiled loop directly.

Selection: each query keeps its ``k`` best candidates in a sorted array; a candidate
enters only if strictly closer than the current ``k``-th, so among equal distances the
lower training index wins (ties are resolved by training-set order). Peak extra memory is
one ``block x tile`` buffer per thread (512 x 256: 1 MiB in float64, 0.5 MiB in float32,
within a core's L2 cache), whatever the query count, plus the ``n_queries x k`` result.

The selection loop is compiled with numba and queries are split over joblib threads. A
NumPy version (256-query chunks, ``||x||^2 - 2 Q X^T`` then ``argpartition``) was measured
first on the benchmark case (10k queries, 50k points, p=50): 22.7 s, of which 7.4 s is
``argpartition`` alone, against scikit-learn's 9.7 s on the same busy machine.
"""

from __future__ import annotations

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from numba import njit

from mlhood._threads import single_threaded_blas

QUERY_BLOCK = 512
TRAIN_TILE = 256


@njit(cache=True, nogil=True)
def _insert(scores, indices, s, index):
    """Put candidate ``(s, index)`` into the ascending list ``scores``, dropping the last;
    it goes after any equal scores, so earlier indices win ties."""
    pos = scores.shape[0] - 1
    while pos > 0 and scores[pos - 1] > s:
        scores[pos] = scores[pos - 1]
        indices[pos] = indices[pos - 1]
        pos -= 1
    scores[pos] = s
    indices[pos] = index


@njit(cache=True, nogil=True)
def _score(sq_norm, cross):
    """Ranking score ``||x||^2 - 2 q.x``, in the data's own precision (doubling by an
    addition is exact and keeps float32 in float32)."""
    return sq_norm - (cross + cross)


@njit(cache=True, nogil=True)
def _merge_tile(cross, sq_norms, offset, best_score, best_index):
    """Insert the candidates ``_score(sq_norms[j], cross[i, j])`` (training index
    ``offset + j``) into each query's sorted top-k list; ties keep the earlier index.

    Two passes per query row. The first only asks whether any score in the row beats the
    current ``k``-th: an OR over comparisons, with no branch, which the compiler turns into
    SIMD code. Past the first few tiles almost no row has such a score, so the second,
    scalar pass (which inserts, and so updates the ``k``-th as it goes) runs on few rows.
    Both passes compute the score identically, so the first never misses a candidate.
    """
    k = best_score.shape[1]
    for i in range(cross.shape[0]):
        row, worst = cross[i], best_score[i, k - 1]
        beaten = False
        for j in range(row.shape[0]):
            beaten |= _score(sq_norms[j], row[j]) < worst
        if not beaten:
            continue
        for j in range(row.shape[0]):
            s = _score(sq_norms[j], row[j])
            if s < worst:
                _insert(best_score[i], best_index[i], s, offset + j)
                worst = best_score[i, k - 1]


@njit(cache=True, nogil=True)
def _manhattan_search(Q, X, best_score, best_index):
    """Top-k by ``sum_j |q_j - x_j|`` for every query row of ``Q``."""
    k = best_score.shape[1]
    for i in range(Q.shape[0]):
        for n in range(X.shape[0]):
            s = 0.0
            for j in range(X.shape[1]):
                s += abs(Q[i, j] - X[n, j])
            if s < best_score[i, k - 1]:
                _insert(best_score[i], best_index[i], s, n)


def _search_block(Q, center, X, sq_norms, best_score, best_index, metric: str) -> None:
    """Fill ``best_score`` / ``best_index`` for the queries ``Q`` (one worker's share).

    Query blocks are centred into a small buffer here, so the caller's ``Q`` is never
    copied whole.
    """
    n_queries, n_train = Q.shape[0], X.shape[0]
    tile = min(TRAIN_TILE, n_train)
    buffer = np.empty(min(QUERY_BLOCK, n_queries) * tile, dtype=X.dtype)  # flat: C views
    for q0 in range(0, n_queries, QUERY_BLOCK):
        q1 = min(q0 + QUERY_BLOCK, n_queries)
        block = np.subtract(Q[q0:q1], center)
        top_score, top_index = best_score[q0:q1], best_index[q0:q1]
        if metric == "manhattan":
            _manhattan_search(block, X, top_score, top_index)
            continue
        for x0 in range(0, n_train, tile):
            x1 = min(x0 + tile, n_train)
            cross = buffer[: (q1 - q0) * (x1 - x0)].reshape(q1 - q0, x1 - x0)
            np.matmul(block, X[x0:x1].T, out=cross)
            _merge_tile(cross, sq_norms[x0:x1], x0, top_score, top_index)
        top_score += np.einsum("ij,ij->i", block, block)[:, None]


def nearest(Q, center, X, sq_norms, k: int, metric: str, n_jobs=None):
    """Distances (ascending) and training indices of the ``k`` nearest rows of ``X``.

    ``X`` is the training matrix minus ``center``, ``sq_norms`` its squared row norms and
    ``Q`` the raw queries (C-ordered), all of one dtype: float32 data is searched in float32
    (single-precision BLAS, half the memory traffic), float64 in float64. Queries are split
    into ``n_jobs`` contiguous parts searched in parallel threads (the compiled loops release
    the GIL); BLAS is held to one thread meanwhile, as its own threads would fight ours (a
    process-wide limit, shared safely by overlapping calls: :mod:`mlhood._threads`).
    """
    n_queries = Q.shape[0]
    best_score = np.full((n_queries, k), np.inf, dtype=X.dtype)
    best_index = np.zeros((n_queries, k), dtype=np.int64)
    n_parts = max(1, min(effective_n_jobs(n_jobs), n_queries))
    bounds = np.linspace(0, n_queries, n_parts + 1).astype(np.int64)
    with single_threaded_blas():
        Parallel(n_jobs=n_parts, prefer="threads")(
            delayed(_search_block)(
                Q[a:b], center, X, sq_norms, best_score[a:b], best_index[a:b], metric
            )
            for a, b in zip(bounds[:-1], bounds[1:])
        )
    if metric == "manhattan":
        return best_score, best_index
    return np.sqrt(np.maximum(best_score, 0.0, out=best_score), out=best_score), best_index
