"""Exercises for q10 (outliers): the box-plot rule, the modified z-score, Mahalanobis distance."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from mlhood.outliers._univariate import MAD_TO_SD
from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    against_reference,
    assert_close,
    call,
    property_holds,
    to_array,
)

# ---------------------------------------------------------------------------- iqr_outliers


def iqr_outliers(x, k=1.5):
    """Tukey's box-plot rule: ``x_i < Q1 - k IQR`` or ``x_i > Q3 + k IQR``.

    ``Q1, Q3`` are the 25% and 75% quantiles with linear interpolation (NumPy's default,
    as the box plots of matplotlib), ``IQR = Q3 - Q1``. A value exactly on a fence is not an
    outlier. The quartiles ignore the extreme values, so a few outliers cannot widen the
    fences that should catch them. (:class:`mlhood.outliers.IQRDetector` is the estimator
    version, on every feature of a matrix.)

    Examples
    --------
    >>> iqr_outliers(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 30.0])).tolist()
    [False, False, False, False, False, True]
    """
    x = np.asarray(x, dtype=float)
    q1, q3 = np.quantile(x, [0.25, 0.75])
    iqr = q3 - q1
    return (x < q1 - k * iqr) | (x > q3 + k * iqr)


def _fences_from_median(x, k=1.5):
    """Wrong: the fences are k IQR from the median, not from the quartiles."""
    x = np.asarray(x, dtype=float)
    q1, median, q3 = np.quantile(x, [0.25, 0.5, 0.75])
    return np.abs(x - median) > k * (q3 - q1)


_IQR_CASES = st.tuples(
    st.lists(st.integers(-20, 20), min_size=1, max_size=30).map(
        lambda v: np.asarray(v, dtype=float)
    ),
    st.sampled_from([1.5, 1.5, 3.0, 0.5, 1.0]),
)


def _iqr_invariant(solution, args):
    x, k = args
    mask = to_array(call(solution, args), "mask", shape=x.shape)
    order = np.random.default_rng(len(x)).permutation(len(x))
    assert_close(call(solution, (x[order], k)), mask[order], what="mask of the shuffled x")
    assert_close(call(solution, (4.0 * x - 3.0, k)), mask, what="mask of 4x - 3")
    return None


IQR_OUTLIERS = Exercise(
    id="iqr_outliers",
    question="q10",
    title="Box-plot (IQR) outlier rule",
    signature="(x, k=1.5)",
    statement="""
Tukey's box-plot rule. x: 1-D float array (length >= 1). With Q1 and Q3 the 25% and 75%
quantiles of x (NumPy's default quantile, linear interpolation) and IQR = Q3 - Q1,
return a bool array, True where x is STRICTLY outside [Q1 - k*IQR, Q3 + k*IQR].
""",
    hints=(
        "The fences are built from the quartiles, which the extreme values barely move.",
        "np.quantile(x, [0.25, 0.75]) gives Q1 and Q3 with NumPy's default interpolation.",
        "A value exactly on a fence is not an outlier: use < and >, not <= and >=.",
    ),
    reference=iqr_outliers,
    graders=(
        against_reference("matches the box-plot rule", _IQR_CASES, iqr_outliers, names=("x", "k")),
        property_holds(
            "same outliers after shuffling or a change of units",
            _IQR_CASES,
            _iqr_invariant,
            names=("x", "k"),
            max_examples=30,
        ),
    ),
    mistakes={"iqr-fences-from-median": _fences_from_median},
    probes=lambda solution: [
        (np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 13.0, -3.0]), 1.5),
        (np.arange(20.0) ** 1.5, 1.0),
    ],
)

# ------------------------------------------------------------------------- modified_zscore


def modified_zscore(x):
    """Iglewicz & Hoaglin's modified z-score: ``M_i = 0.6745 (x_i - median) / MAD``.

    ``MAD = median_i |x_i - median|``. For normal data ``MAD ≈ 0.6745 σ``
    (``Φ⁻¹(0.75) = 0.6745``), so ``M`` is on the scale of an ordinary z-score while median
    and MAD ignore up to half the data being outlying; the usual cut is ``|M| > 3.5``.
    Uses the library's constant (:class:`mlhood.outliers.MADDetector`).

    Examples
    --------
    >>> modified_zscore(np.array([1.0, 2.0, 3.0, 4.0, 100.0])).round(4).tolist()
    [-1.349, -0.6745, 0.0, 0.6745, 65.4265]
    """
    x = np.asarray(x, dtype=float)
    median = np.median(x)
    mad = np.median(np.abs(x - median))
    return MAD_TO_SD * (x - median) / mad


def _zscore_no_constant(x):
    """Wrong: (x - median) / MAD, without the 0.6745 that puts it on the scale of a z-score."""
    x = np.asarray(x, dtype=float)
    median = np.median(x)
    return (x - median) / np.median(np.abs(x - median))


def _contaminated(seed, n_samples, n_outliers, scale):
    rng = np.random.default_rng(seed)
    x = rng.normal(5.0, scale, n_samples)
    x[:n_outliers] += rng.choice([-1.0, 1.0], n_outliers) * rng.uniform(10, 50, n_outliers)
    return (rng.permutation(x),)


_CONTAMINATED = st.builds(
    _contaminated,
    st.integers(0, 2**32 - 1),
    st.integers(3, 40),
    st.integers(0, 3),
    st.sampled_from([0.01, 1.0, 100.0]),
)


def _robust_to_outliers(solution, args):
    (x,) = args
    scores = to_array(call(solution, args), "scores", shape=x.shape)
    moved = x.copy()
    far = np.argmax(np.abs(scores))
    moved[far] = x[far] + 1e6 * np.sign(x[far] - np.median(x) or 1.0)
    rest = np.arange(len(x)) != far
    again = to_array(call(solution, (moved,)), "scores", shape=x.shape)
    assert_close(again[rest], scores[rest], rtol=1e-4, what="scores of the other values")
    return None


MODIFIED_ZSCORE = Exercise(
    id="modified_zscore",
    question="q10",
    title="Modified z-score (median and MAD)",
    signature="(x)",
    statement="""
The modified z-score of Iglewicz and Hoaglin. x: 1-D float array whose MAD is > 0.
With MAD = median(|x - median(x)|), return the float array

    M = 0.6745 * (x - median(x)) / MAD

(0.6745 = the 75% quantile of the standard normal, so that M is on the scale of an
ordinary z-score for normal data; values with |M| > 3.5 are usually flagged).
""",
    hints=(
        "Replace the mean by the median and the standard deviation by a robust spread: "
        "neither moves much when a few values are wild.",
        "MAD is the median of the absolute deviations from the median.",
        "MAD is not the standard deviation: for normal data MAD = 0.6745 sigma, so multiply "
        "by 0.6745 to get z-score units.",
    ),
    reference=modified_zscore,
    graders=(
        against_reference(
            "matches 0.6745 (x - median) / MAD",
            _CONTAMINATED,
            modified_zscore,
            names=("x",),
            rtol=1e-4,
            max_examples=30,
        ),
        property_holds(
            "one wild value does not move the others' scores",
            _CONTAMINATED,
            _robust_to_outliers,
            names=("x",),
            max_examples=30,
        ),
    ),
    mistakes={"mad-no-consistency-constant": _zscore_no_constant},
    probes=lambda solution: [
        (np.array([1.0, 2.0, 3.0, 4.0, 100.0]),),
        _contaminated(1, 20, 2, 1.0),
    ],
)

# --------------------------------------------------------------------- mahalanobis_distances


def mahalanobis_distances(X, location, covariance):
    """Mahalanobis distance of every row: ``d_i = sqrt((x_i - μ)ᵀ Σ⁻¹ (x_i - μ))``.

    The Euclidean distance after whitening: with the Cholesky factor ``Σ = L Lᵀ``,
    ``d_i = ‖L⁻¹ (x_i - μ)‖``. It measures distance in units of the spread along each
    direction, so a point that breaks the correlation between features is far even when
    every single feature looks ordinary. Solving with ``L`` avoids forming ``Σ⁻¹``.

    Examples
    --------
    >>> mahalanobis_distances(np.array([[2.0, 0.0]]), np.zeros(2), np.diag([4.0, 1.0])).tolist()
    [1.0]
    """
    X = np.asarray(X, dtype=float)
    factor = np.linalg.cholesky(np.asarray(covariance, dtype=float))
    whitened = np.linalg.solve(factor, (X - np.asarray(location, dtype=float)).T)
    return np.sqrt(np.sum(whitened**2, axis=0))


def _mahalanobis_case(seed, n_samples, n_features):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(n_features, n_features)) + 2.0 * np.eye(n_features)
    covariance = mixing @ mixing.T
    location = rng.normal(0.0, 3.0, n_features)
    X = location + rng.normal(size=(n_samples, n_features)) @ mixing.T * 1.5
    return X, location, covariance


_MAHALANOBIS_CASES = st.builds(
    _mahalanobis_case, st.integers(0, 2**32 - 1), st.integers(1, 15), st.integers(1, 5)
)
_MAHALANOBIS_ARGS = ("X", "location", "covariance")


def _affine_invariant(solution, args):
    X, location, covariance = args
    distances = to_array(call(solution, args), "distances", shape=(len(X),))
    rng = np.random.default_rng(len(X))
    A = rng.normal(size=covariance.shape) + 3.0 * np.eye(len(covariance))
    shift = rng.normal(size=len(covariance))
    moved = call(solution, (X @ A.T + shift, A @ location + shift, A @ covariance @ A.T))
    assert_close(moved, distances, rtol=1e-5, what="distances after x -> A x + c")
    return None


MAHALANOBIS_DISTANCES = Exercise(
    id="mahalanobis_distances",
    question="q10",
    title="Mahalanobis distance of every row",
    signature="(X, location, covariance)",
    statement="""
Mahalanobis distance of every row of X: (n, p) floats, from `location` (p,), under the
symmetric positive-definite `covariance` (p, p):

    d_i = sqrt((x_i - location)^T covariance^{-1} (x_i - location))

Return the (n,) float array of distances (not squared).
""",
    hints=(
        "It is the Euclidean distance after a change of variables that makes the covariance "
        "the identity.",
        "Centre the rows first; then each squared distance is a quadratic form with the "
        "inverse covariance.",
        "Prefer solving to inverting: np.linalg.solve(covariance, diff.T) gives Σ⁻¹ (x - μ) "
        "for every row at once; sum diff * that over features and take the square root.",
    ),
    reference=mahalanobis_distances,
    graders=(
        against_reference(
            "matches sqrt((x - mu)' S^-1 (x - mu))",
            _MAHALANOBIS_CASES,
            mahalanobis_distances,
            names=_MAHALANOBIS_ARGS,
            rtol=1e-5,
            max_examples=30,
        ),
        property_holds(
            "unchanged by an invertible affine change of variables",
            _MAHALANOBIS_CASES,
            _affine_invariant,
            names=_MAHALANOBIS_ARGS,
            max_examples=30,
        ),
    ),
)

EXERCISES = (IQR_OUTLIERS, MODIFIED_ZSCORE, MAHALANOBIS_DISTANCES)
