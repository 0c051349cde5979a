"""Randomized truncated SVD (Halko, Martinsson & Tropp 2011, SIAM Review 53:217).

To approximate the top ``k`` singular triplets of ``A`` (m x n):

1. Range finder (their Algorithm 4.4): draw a Gaussian ``Omega`` (n x l), ``l = k + p``
   with ``p`` oversamples; ``Y = A Omega``; repeat ``q`` times ``Y = A (A^T Y)``, with a
   QR (orthonormalisation) after each product so rounding does not wipe out the small
   directions; finally ``Q = qr(Y)``. The power steps sharpen a slowly decaying spectrum:
   the error factor shrinks like ``(s_{k+1} / s_k)^(2q+1)``.
2. Project and solve exactly (their Algorithm 5.1): ``B = Q^T A`` (l x n) is small;
   ``B = U_B S V^T``; then ``U = Q U_B``.
"""

from __future__ import annotations

import numpy as np

from mlhood._random import check_random_state


def randomized_range_finder(A, size: int, n_iter: int, random_state=None) -> np.ndarray:
    """Orthonormal ``Q`` (m x size) whose span approximates the top range of ``A``."""
    rng = check_random_state(random_state)
    omega = rng.standard_normal((A.shape[1], size)).astype(A.dtype, copy=False)
    Q = A @ omega
    for _ in range(n_iter):
        Q, _ = np.linalg.qr(Q)
        Z, _ = np.linalg.qr(A.T @ Q)
        Q = A @ Z
    Q, _ = np.linalg.qr(Q)
    return Q


def randomized_svd(A, n_components: int, *, n_oversamples=10, n_iter=4, random_state=None):
    """Approximate ``U[:, :k], s[:k], Vt[:k]`` of ``A`` with ``k = n_components``."""
    size = min(n_components + n_oversamples, min(A.shape))
    Q = randomized_range_finder(A, size, n_iter, random_state)
    B = Q.T @ A
    U_b, s, Vt = np.linalg.svd(B, full_matrices=False)
    U = Q @ U_b
    return U[:, :n_components], s[:n_components], Vt[:n_components]
