"""The centred Gram matrix, shared by PCA (covariance) and Ridge (normal equations).

``centered_gram`` forms ``XcᵀXc`` (and ``XcᵀYc`` when targets are given) for the centred,
optionally row-weighted data ``Xc = diag(√s) (X - x̄)`` without a centred copy of ``X``:
rows are centred one block at a time and each block is added with one symmetric rank-k
update (BLAS ``syrk``, which computes one triangle: half the flops of a general product).
Centring before multiplying keeps the result exact when a column's mean is large against
its spread, where the shortcut ``XᵀX - n x̄x̄ᵀ`` would cancel most of its digits.

Examples
--------
>>> import numpy as np
>>> X = np.array([[1.0, 2.0], [3.0, 5.0], [5.0, 11.0]])
>>> gram, _ = centered_gram(X, X.mean(axis=0))
>>> bool(np.allclose(gram, (X - X.mean(0)).T @ (X - X.mean(0))))
True
"""

from __future__ import annotations

import numpy as np
from scipy.linalg.blas import get_blas_funcs

_BLOCK_ROWS = 4096


def centered_gram(X, X_offset, Y=None, Y_offset=None, sample_weight=None):
    """Return ``(XcᵀXc, XcᵀYc)`` of the centred, row-weighted data, computed in blocks.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    X_offset : ndarray of shape (n_features,)
        The column centres ``x̄`` subtracted from every row.
    Y, Y_offset : ndarray of shape (n_samples, n_targets) and (n_targets,), optional
        Targets and their centres; without them the second result is None.
    sample_weight : ndarray of shape (n_samples,), optional
        Rows are scaled by ``√sample_weight`` after centring.

    Returns
    -------
    gram : ndarray of shape (n_features, n_features)
    xty : ndarray of shape (n_features, n_targets) or None
    """
    n_samples, n_features = X.shape
    syrk = get_blas_funcs("syrk", (X,))
    gram = np.zeros((n_features, n_features), dtype=X.dtype, order="F")
    xty = None if Y is None else np.zeros((n_features, Y.shape[1]), dtype=X.dtype)
    for start in range(0, n_samples, _BLOCK_ROWS):
        rows = slice(start, start + _BLOCK_ROWS)
        block = np.subtract(X[rows], X_offset, dtype=X.dtype)
        root = None if sample_weight is None else np.sqrt(sample_weight[rows])[:, None]
        if root is not None:
            block *= root
        # block is C-ordered (b, p), so block.T is Fortran (p, b): syrk(A) = A Aᵀ = blockᵀ block
        gram = syrk(1.0, block.T, beta=1.0, c=gram, trans=0, lower=0, overwrite_c=True)
        if Y is not None:
            targets = Y[rows] - Y_offset
            xty += block.T @ (targets if root is None else targets * root)
    upper = np.triu(gram)
    return upper + np.triu(gram, 1).T, xty
