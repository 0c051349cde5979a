"""Exercises for q15 (dimensionality): PCA by SVD, pairwise distances, k-nearest neighbours."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.decomposition import PCA
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    assert_close,
    call,
    outputs_match,
    property_holds,
    to_array,
    to_tuple,
)

# ----------------------------------------------------------------------------------- pca_svd


def pca_svd(X, n_components):
    """Principal components by the SVD of the centred data.

    With ``Xc = X - mean(X)`` and ``Xc = U diag(s) Vᵀ`` (singular values decreasing), the
    components are the first ``n_components`` rows of ``Vᵀ`` (unit vectors, orthogonal)
    and their explained variances ``s² / (n - 1)``, the variances of the data projected on
    them. Without centring the first direction points at the mean, not along the spread.
    Each component's sign is arbitrary. Calls :class:`mlhood.decomposition.PCA`.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 1.0], [2.0, 1.0]])
    >>> components, variance = pca_svd(X, 1)
    >>> np.abs(components).tolist(), variance.round(6).tolist()
    ([[1.0, 0.0]], [1.333333])
    """
    pca = PCA(n_components=n_components, svd_solver="full").fit(np.asarray(X, dtype=float))
    return pca.components_, pca.explained_variance_


def _pca_uncentred(X, n_components):
    """Wrong: the SVD of X itself, not of X - mean(X)."""
    _, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt[:n_components], s[:n_components] ** 2 / (len(X) - 1)


def _pca_eigenvector_rows(X, n_components):
    """Wrong: the rows of eigh's eigenvector matrix taken as the axes (its columns are)."""
    values, vectors = np.linalg.eigh(np.cov(X, rowvar=False).reshape(X.shape[1], -1))
    order = np.argsort(values)[::-1][:n_components]
    return vectors[order], values[order]


def _aligned(got, expected, n_features):
    """The learner's (components, variance), each component's sign flipped to the expected."""
    components, variance = to_tuple(got, 2, "(components, explained_variance)")
    components = to_array(components, "components", shape=expected[0].shape)
    variance = to_array(variance, "explained_variance", shape=expected[1].shape)
    signs = np.sign(np.sum(components * expected[0], axis=1))
    return components * np.where(signs == 0, 1.0, signs)[:, None], variance


def _same_up_to_sign(got, wrong) -> bool:
    try:
        return outputs_match(_aligned(got, wrong, wrong[0].shape[1]), wrong)
    except Fail:
        return False


def _pca_case(seed, n_samples, n_features, n_components, offset):
    rng = np.random.default_rng(seed)
    scales = 3.0 * 0.5 ** np.arange(n_features)  # well separated variances
    rotation = np.linalg.qr(rng.normal(size=(n_features, n_features)))[0]
    X = (rng.normal(size=(n_samples, n_features)) * scales) @ rotation.T + offset
    return X, min(n_components, n_features, n_samples - 1)


_PCA_CASES = st.builds(
    _pca_case,
    st.integers(0, 2**32 - 1),
    st.integers(30, 60),
    st.integers(1, 6),
    st.integers(1, 4),
    st.sampled_from([0.0, 5.0, -20.0]),
)


def _pca_matches(solution, args):
    expected = pca_svd(*args)
    got = _aligned(call(solution, args), expected, args[0].shape[1])
    assert_close(got, expected, rtol=1e-5, what="(components up to sign, explained_variance)")
    return None


def _projections(solution, args):
    X, n_components = args
    components, variance = to_tuple(call(solution, args), 2, "(components, explained_variance)")
    components = to_array(components, "components", shape=(n_components, X.shape[1]))
    gram = components @ components.T
    assert_close(gram, np.eye(n_components), what="components @ components.T (orthonormal)")
    projected = (X - X.mean(axis=0)) @ components.T
    assert_close(
        variance,
        projected.var(axis=0, ddof=1),
        rtol=1e-5,
        what="explained_variance vs the variance of the projections (ddof=1)",
    )
    return None


PCA_SVD = Exercise(
    id="pca_svd",
    question="q15",
    title="PCA by the singular value decomposition",
    signature="(X, n_components)",
    statement="""
Principal component analysis of X: (n, p) floats, keeping `n_components` components.
Centre the columns, take the SVD, and return `(components, explained_variance)`:

- components: (n_components, p), the principal directions as ROWS (unit length,
  orthogonal), by decreasing variance;
- explained_variance: (n_components,), the variance of the data along each, with the
  n - 1 denominator.

The sign of each component is arbitrary (either is accepted).
""",
    hints=(
        "PCA finds the directions of largest spread around the mean: subtract the column "
        "means first.",
        "np.linalg.svd(Xc, full_matrices=False) returns U, s, Vt with s decreasing: the "
        "components are the first rows of Vt.",
        "The variance along component k is s[k]**2 / (n - 1).",
    ),
    reference=pca_svd,
    graders=(
        property_holds(
            "the principal components (up to sign)",
            _PCA_CASES,
            _pca_matches,
            names=("X", "n_components"),
            max_examples=25,
        ),
        property_holds(
            "orthonormal, variance of the projections",
            _PCA_CASES,
            _projections,
            names=("X", "n_components"),
            max_examples=20,
        ),
    ),
    mistakes={
        "pca-no-centering": _pca_uncentred,
        "pca-eigenvectors-as-rows": _pca_eigenvector_rows,
    },
    probes=lambda solution: [_pca_case(1, 40, 3, 2, 10.0)],
    same=_same_up_to_sign,
)

# ------------------------------------------------------------------------ pairwise_distances


def pairwise_distances(A, B):
    """Euclidean distances between every row of ``A`` and every row of ``B``.

    ``D_ij = ‖a_i - b_j‖``, computed through ``‖a‖² + ‖b‖² - 2 aᵀb`` (one matrix product,
    no (n_a, n_b, p) intermediate) and clipped at 0 before the square root, since rounding
    can make the expansion slightly negative for (near) identical rows.

    Examples
    --------
    >>> pairwise_distances(np.array([[0.0, 0.0]]), np.array([[3.0, 4.0], [0.0, 0.0]])).tolist()
    [[5.0, 0.0]]
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    squared = (A**2).sum(axis=1)[:, None] + (B**2).sum(axis=1)[None, :] - 2.0 * A @ B.T
    return np.sqrt(np.maximum(squared, 0.0))


def _squared_distances(A, B):
    """Wrong: squared Euclidean distances, the square root never taken."""
    return pairwise_distances(A, B) ** 2


def _distance_case(seed, n_a, n_b, n_features, spread, repeat):
    rng = np.random.default_rng(seed)
    A = rng.normal(0.0, spread, (n_a, n_features))
    B = rng.normal(0.0, spread, (n_b, n_features))
    if repeat:
        B[0] = A[0]  # an exact zero distance
    return A, B


_DISTANCE_CASES = st.builds(
    _distance_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(1, 6),
    st.sampled_from([1e-3, 1.0, 1e3]),
    st.booleans(),
)


def _distances_match(solution, args):
    A, B = args
    got = to_array(call(solution, args), "distances", shape=(len(A), len(B)))
    expected = np.linalg.norm(A[:, None, :] - B[None, :, :], axis=2)
    size = max(np.abs(A).max(), np.abs(B).max())
    assert_close(got, expected, atol=1e-6 * size, what="distances")  # the expansion's rounding
    assert_close(call(solution, (B, A)), got.T, atol=1e-6 * size, what="pairwise_distances(B, A)")
    return None


PAIRWISE_DISTANCES = Exercise(
    id="pairwise_distances",
    question="q15",
    title="Euclidean distance matrix between two sets of points",
    signature="(A, B)",
    statement="""
Euclidean distances between the rows of A: (n_a, p) and the rows of B: (n_b, p).
Return D of shape (n_a, n_b) with D[i, j] = ||A[i] - B[j]||. Vectorise it (no Python
loop over pairs); D must contain no NaN, even for identical rows.
""",
    hints=(
        "Expand the square: ||a - b||^2 = ||a||^2 + ||b||^2 - 2 a.b, and a.b for all pairs is "
        "one matrix product.",
        "Broadcast the squared norms: (A**2).sum(1)[:, None] + (B**2).sum(1)[None, :] - "
        "2 * A @ B.T.",
        "Rounding can make that slightly negative for identical rows: clip at 0 with "
        "np.maximum before np.sqrt.",
    ),
    reference=pairwise_distances,
    graders=(
        property_holds(
            "matches ||a_i - b_j||, symmetric",
            _DISTANCE_CASES,
            _distances_match,
            names=("A", "B"),
            max_examples=30,
        ),
    ),
    mistakes={"knn-distance-no-sqrt": _squared_distances},
    probes=lambda solution: [_distance_case(2, 4, 3, 2, 1.0, True)],
)

# ------------------------------------------------------------------------------ knn_predict


def knn_predict(X_train, y_train, X_test, k):
    """k-nearest-neighbour classification by majority vote (Euclidean distance).

    For each test row take the ``k`` training rows at the smallest distances (ties in
    distance: the lower training index first, a stable sort) and predict the most common
    label among them (ties in the vote: the smallest label, as ``argmax`` of the counts).
    In high dimensions every distance becomes alike, which is why PCA or feature selection
    helps k-NN.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [5.0], [6.0]])
    >>> knn_predict(X, np.array([0, 0, 1, 1]), np.array([[0.4], [5.2]]), k=3).tolist()
    [0, 1]
    """
    y_train = np.asarray(y_train)
    distances = pairwise_distances(X_train, X_test).T
    nearest = np.argsort(distances, axis=1, kind="stable")[:, :k]
    votes = [np.bincount(y_train[row], minlength=y_train.max() + 1) for row in nearest]
    return np.array([np.argmax(v) for v in votes])


def _knn_vote_of_everyone(X_train, y_train, X_test, k):
    """Wrong: the vote counts every training label, not the k neighbours' labels."""
    majority = np.argmax(np.bincount(np.asarray(y_train)))
    return np.full(len(X_test), majority)


def _knn_case(seed, n_train, n_test, n_features, n_classes, k, grid):
    rng = np.random.default_rng(seed)
    y_train = rng.integers(0, n_classes, n_train)
    X_train = rng.normal(size=(n_train, n_features)) + y_train[:, None]
    X_test = rng.normal(size=(n_test, n_features)) + rng.integers(0, n_classes, (n_test, 1))
    if grid:  # integer coordinates: many tied distances
        X_train, X_test = np.round(X_train), np.round(X_test)
    return X_train, y_train, X_test, min(k, n_train)


_KNN_ARGS = ("X_train", "y_train", "X_test", "k")
_KNN_CASES = st.builds(
    _knn_case,
    st.integers(0, 2**32 - 1),
    st.integers(1, 30),
    st.integers(1, 10),
    st.integers(1, 4),
    st.integers(2, 4),
    st.sampled_from([1, 2, 3, 4, 7]),
    st.booleans(),
)


def _labels_match(solution, args):
    expected = knn_predict(*args)
    got = to_array(call(solution, args), "labels", shape=expected.shape)
    if not np.array_equal(got, expected):
        i = int(np.flatnonzero(got != expected)[0])
        return f"test row {i}: expected label {expected[i]}, got {got[i]:g}"
    return None


def _one_neighbour_memorises(solution, args):
    X_train, y_train, _, _ = args
    _, first = np.unique(X_train, axis=0, return_index=True)
    got = to_array(call(solution, (X_train, y_train, X_train[first], 1)), "labels")
    if not np.array_equal(got, y_train[first]):
        return "with k = 1 a training row must be predicted with its own label"
    return None


KNN_PREDICT = Exercise(
    id="knn_predict",
    question="q15",
    title="k-nearest-neighbour classifier (majority vote)",
    signature="(X_train, y_train, X_test, k)",
    statement="""
Predict a label for every row of X_test: (m, p) by majority vote of its k nearest
training rows in X_train: (n, p) (Euclidean distance; 1 <= k <= n). y_train: (n,)
non-negative integer labels. Ties are broken deterministically:

- equal distances: the training row with the lower index is nearer;
- equal votes: the smallest label wins.

Return an int array of shape (m,).
""",
    hints=(
        "Compute all test-to-train distances at once, then sort each test row's distances.",
        "np.argsort(distances, axis=1, kind='stable')[:, :k] gives the k nearest training "
        "indices with ties broken by index.",
        "np.bincount(y_train[nearest_row]).argmax() returns the most common label, the "
        "smallest one in a tie.",
    ),
    reference=knn_predict,
    graders=(
        property_holds(
            "the majority label of the k nearest",
            _KNN_CASES,
            _labels_match,
            names=_KNN_ARGS,
            max_examples=30,
        ),
        property_holds(
            "k = 1 recalls the training labels",
            _KNN_CASES,
            _one_neighbour_memorises,
            names=_KNN_ARGS,
            max_examples=30,
        ),
    ),
    mistakes={"knn-majority-ignores-k": _knn_vote_of_everyone},
    probes=lambda solution: [_knn_case(1, 30, 12, 2, 3, 3, False)],
)

EXERCISES = (PCA_SVD, PAIRWISE_DISTANCES, KNN_PREDICT)
