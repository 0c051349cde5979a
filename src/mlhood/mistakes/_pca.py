"""Mistakes in principal component analysis (:class:`mlhood.decomposition.PCA`), lab q15."""

from __future__ import annotations

import numpy as np

from mlhood.decomposition._pca import flip_signs
from mlhood.mistakes._catalogue import mistake


@mistake(
    "pca-no-centering",
    title="PCA decomposes the raw data without subtracting the mean",
    target="mlhood.decomposition._pca:PCA._fit_exact",
    labs=["q15"],
    explanation="""
Principal axes are eigenvectors of the covariance, i.e. of (X - mean)^T (X - mean). Without
the centring, the SVD of X finds the directions of the largest second moment, so the first
"component" points at the mean of the data, and the reported variances are mean^2 +
variance. On data far from the origin (raw measurements, counts, pixels) the components are
wrong. Subtract the column means before the SVD and keep them to centre new data.
""",
)
def fit_exact_uncentred(self, X, solver, k):
    """Wrong: SVD of X itself."""
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    return s**2 / (X.shape[0] - 1), flip_signs(Vt)


@mistake(
    "pca-eigenvectors-as-rows",
    title="PCA takes the rows of eigh's eigenvector matrix as the axes",
    target="mlhood.decomposition._pca:PCA._fit_exact",
    labs=["q15"],
    explanation="""
numpy.linalg.eigh returns the eigenvectors as the columns of its second output. Reading
its rows as the axes (a missing transpose) gives orthonormal directions that are not
eigenvectors of the covariance: the eigenvalues are right, so the explained variances look
fine, but the projection keeps arbitrary mixtures of features. Check C v = lambda v for
each component you return.
""",
)
def fit_exact_rows(self, X, solver, k):
    """Wrong: rows of the eigenvector matrix (columns are the eigenvectors)."""
    centred = X - self.mean_
    eigvals, eigvecs = np.linalg.eigh(centred.T @ centred)
    order = np.argsort(eigvals)[::-1]
    return np.maximum(eigvals[order], 0.0) / (X.shape[0] - 1), flip_signs(eigvecs[order])
