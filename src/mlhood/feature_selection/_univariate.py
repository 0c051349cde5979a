"""The one-way ANOVA F-test, applied to every feature separately (``f_classif``)."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import fdtrc
from sklearn.utils.validation import check_X_y


def anova_sums_of_squares(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """``(SS_between, SS_within, K)`` of every column of ``X`` grouped by the labels ``y``.

    ``SS_between = sum_c n_c (m_c - m)^2`` and ``SS_within = sum_c sum_{i in c} (x_i - m_c)^2``
    (see :func:`f_classif`); ``X`` is a validated float array, ``K`` the number of classes.

    Examples
    --------
    >>> import numpy as np
    >>> between, within, k = anova_sums_of_squares(np.array([[0.0], [2.0], [5.0]]), [0, 0, 1])
    >>> between, within, k
    (array([10.66666667]), array([2.]), 2)
    """
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    if classes.size < 2:
        raise ValueError(f"y must hold at least 2 classes for an F-test, got {classes.size} class")
    membership = (codes == np.arange(classes.size)[:, None]).astype(np.float64)  # K x N
    class_means = (membership @ X) / counts[:, None]
    between = counts @ (class_means - X.mean(axis=0)) ** 2
    within = ((X - class_means[codes]) ** 2).sum(axis=0)
    return between, within, classes.size


def f_classif(X, y) -> tuple[np.ndarray, np.ndarray]:
    """ANOVA F-statistic and p-value of each feature against the class labels ``y``.

    For one feature with values ``x_i``, classes ``c = 1..K`` of sizes ``n_c`` and means
    ``m_c``, overall mean ``m`` and ``N`` samples::

        SS_between = sum_c n_c (m_c - m)^2                  (K - 1 degrees of freedom)
        SS_within  = sum_c sum_{i in c} (x_i - m_c)^2       (N - K degrees of freedom)
        F = [SS_between / (K - 1)] / [SS_within / (N - K)]

    Under the null hypothesis that every class has the same mean (normal values, equal
    variances) ``F`` follows Fisher's F(K - 1, N - K) distribution; the p-value is its
    upper tail ``P(F(K - 1, N - K) >= F)``. A large ``F`` means the class means differ a
    lot relative to the spread inside the classes. A feature constant within every class
    gets ``F = inf`` (``nan`` when it is constant overall, with a warning), as in
    scikit-learn.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels; at least 2 classes and more samples than classes.

    Returns
    -------
    F : ndarray of shape (n_features,)
    pvalue : ndarray of shape (n_features,)

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.feature_selection import f_classif
    >>> X = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0], [7.0, 6.0], [8.0, 3.0], [9.0, 5.0]])
    >>> F, p = f_classif(X, [0, 0, 0, 1, 1, 1])
    >>> F.round(2), p.round(4)
    (array([54. ,  0.4]), array([0.0018, 0.5614]))
    """
    X, y = check_X_y(X, y, dtype=np.float64)
    between, within, n_classes = anova_sums_of_squares(X, y)
    n = X.shape[0]
    if n <= n_classes:
        raise ValueError(
            f"f_classif needs more samples than classes, got {n} samples and {n_classes} classes"
        )
    df_between, df_within = n_classes - 1, n - n_classes
    constant = (within == 0) & (between == 0)
    if constant.any():
        warnings.warn(
            f"Features {np.flatnonzero(constant)} are constant.", UserWarning, stacklevel=2
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        F = (between / df_between) / (within / df_within)
    return F, fdtrc(df_between, df_within, F)
