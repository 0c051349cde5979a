"""Polynomial and interaction features, in scikit-learn's column order.

For degree ``d`` the output holds, in order: the bias ``1`` (if ``include_bias``), then the
monomials of degree 1, 2, ..., each degree's monomials ``x_{i1}·x_{i2}···x_{ik}`` with
``i1 <= i2 <= ... <= ik`` in lexicographic order (strictly increasing indices when
``interaction_only``). Degree ``k`` is built from degree ``k - 1`` with one multiplication
per column: the degree-``k`` monomials whose first index is ``j`` are ``x_j`` times the
degree-``(k-1)`` monomials whose first index is ``>= j`` (``> j`` for interactions), which
form a contiguous tail of the previous block because that block is sorted.
"""

from __future__ import annotations

import numbers
from itertools import combinations, combinations_with_replacement

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted, validate_data

from mlhood._params import Interval, ValidatedParamsMixin


def _degree_range(degree):
    """``(min_degree, max_degree)`` from an int or a pair, validated."""
    if isinstance(degree, numbers.Integral) and not isinstance(degree, bool):
        low, high = 0, int(degree)
    elif isinstance(degree, tuple) and len(degree) == 2:
        low, high = degree
    else:
        raise ValueError(f"degree must be an int or a (min, max) pair, got {degree!r}.")
    ok = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in (low, high))
    if not ok or low < 0 or high < low:
        raise ValueError(f"degree must be an int >= 0 or a pair 0 <= min <= max, got {degree!r}.")
    return int(low), int(high)


class PolynomialFeatures(ValidatedParamsMixin, TransformerMixin, BaseEstimator):
    """Generate all monomials of the input features up to a given degree.

    For ``X = [a, b]`` and ``degree=2`` the output is ``[1, a, b, a², ab, b²]``.

    Parameters
    ----------
    degree : int or tuple (min_degree, max_degree), default=2
    interaction_only : bool, default=False
        Only products of distinct features (no ``a²``).
    include_bias : bool, default=True
        Include the constant column.

    Attributes
    ----------
    powers_ : ndarray of shape (n_output_features_, n_features_in_)
        Exponent of each input feature in each output column.
    n_output_features_ : int
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.preprocessing import PolynomialFeatures
    >>> PolynomialFeatures(2).fit_transform(np.array([[2.0, 3.0]])).tolist()
    [[1.0, 2.0, 3.0, 4.0, 6.0, 9.0]]
    """

    _parameter_constraints = {
        "degree": [Interval(numbers.Integral, 0, None, closed="left"), tuple],
        "interaction_only": ["boolean"],
        "include_bias": ["boolean"],
    }

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias

    def _combinations(self, n_features):
        low, high = _degree_range(self.degree)
        pick = combinations if self.interaction_only else combinations_with_replacement
        start = max(low, 1)
        combos = [()] if self.include_bias else []
        for k in range(start, high + 1):
            combos.extend(pick(range(n_features), k))
        return combos

    def fit(self, X, y=None):
        """Compute the output columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self
        """
        self._validate_params()
        _, high = _degree_range(self.degree)
        if high == 0 and not self.include_bias:
            raise ValueError(
                "degree=0 with include_bias=False would produce no columns; "
                "raise degree or set include_bias=True."
            )
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        combos = self._combinations(X.shape[1])
        powers = np.zeros((len(combos), X.shape[1]), dtype=int)
        for row, combo in enumerate(combos):
            for j in combo:
                powers[row, j] += 1
        self.powers_ = powers
        self.n_output_features_ = len(combos)
        return self

    def transform(self, X):
        """Compute the monomials of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        XP : ndarray of shape (n_samples, n_output_features_)
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        n_samples, n_features = X.shape
        low, high = _degree_range(self.degree)
        blocks = [np.ones((n_samples, 1), dtype=X.dtype)] if self.include_bias else []
        # first[k][j]: position of the first column of the degree-k block with first index j
        block = X
        first = np.arange(n_features + 1)
        if low <= 1 <= high:
            blocks.append(X)
        for k in range(2, high + 1):
            shift = 1 if self.interaction_only else 0
            pieces, new_first = [], [0]
            for j in range(n_features):
                tail = block[:, first[min(j + shift, n_features)] :]
                pieces.append(X[:, j : j + 1] * tail)
                new_first.append(new_first[-1] + tail.shape[1])
            block = np.hstack(pieces) if pieces else np.empty((n_samples, 0), X.dtype)
            first = np.array(new_first)
            if k >= low:
                blocks.append(block)
        if not blocks:
            return np.empty((n_samples, 0), dtype=X.dtype)
        return np.hstack(blocks)

    def get_feature_names_out(self, input_features=None):
        """Names such as ``"1"``, ``"x0"``, ``"x0^2"``, ``"x0 x1"``.

        Parameters
        ----------
        input_features : array-like of str, optional

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        out = []
        for row in self.powers_:
            terms = [names[j] if p == 1 else f"{names[j]}^{p}" for j, p in enumerate(row) if p > 0]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)
