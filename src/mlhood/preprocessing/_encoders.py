"""Shared machinery of the categorical encoders, and :class:`OrdinalEncoder`.

An encoder learns, for each input column ``j``, the list of categories ``C_j`` (sorted
distinct values, or the list the user gives) and replaces each value ``v`` by its code,
the position ``k`` with ``C_j[k] = v``. What happens to a value outside ``C_j`` at
transform time is decided by ``handle_unknown``, and under ``"error"`` the message names
the column and the value.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from mlhood._params import Options, ValidatedParamsMixin
from mlhood.preprocessing._category_codes import encode_column, factorize

DTYPE = [type, np.dtype, str]


class CategoricalEncoderBase(ValidatedParamsMixin, TransformerMixin, BaseEstimator):
    """Column handling shared by :class:`OrdinalEncoder` and ``OneHotEncoder``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags

    def _columns(self, X, *, reset: bool) -> list[np.ndarray]:
        """Validate ``X`` and return its columns as 1-D arrays (DataFrame dtypes kept)."""
        if hasattr(X, "iloc") and hasattr(X, "columns"):
            validate_data(self, X, skip_check_array=True, reset=reset)
            cols = [
                check_array(X.iloc[:, [j]], dtype=None, ensure_all_finite=False)[:, 0]
                for j in range(X.shape[1])
            ]
            if not cols:
                raise ValueError("X has 0 columns; at least one is required")
            return cols
        # NaN/None are rejected per column by ``factorize`` / ``encode_column`` (cheaper
        # than an element-wise scan of an object array)
        X = validate_data(self, X, dtype=None, reset=reset, ensure_all_finite=False)
        if X.dtype.kind == "f" and not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinity; impute it first")
        return [X[:, j] for j in range(X.shape[1])]

    def _column_name(self, j: int) -> str:
        names = getattr(self, "feature_names_in_", None)
        return f"{names[j]!r} (index {j})" if names is not None else f"{j}"

    def _fit_categories(self, columns: list[np.ndarray]) -> list[np.ndarray]:
        """Set ``categories_`` and return each column's codes (``-1`` if unknown)."""
        if isinstance(self.categories, str):
            if self.categories != "auto":
                raise ValueError(f"categories must be 'auto' or a list, got {self.categories!r}")
            found = [factorize(c, name=self._column_name(j)) for j, c in enumerate(columns)]
            self.categories_ = [cats for cats, _ in found]
            codes = [k for _, k in found]
        else:
            if len(self.categories) != len(columns):
                raise ValueError(
                    f"categories has {len(self.categories)} lists but X has {len(columns)} columns"
                )
            self.categories_ = [
                self._given_categories(j, c) for j, c in enumerate(self.categories)
            ]
            codes = [encode_column(c, cats) for c, cats in zip(columns, self.categories_)]
            if self.handle_unknown == "error":
                self._raise_unknown(columns, codes, "fit")
        self._category_counts = [
            np.bincount(k[k >= 0], minlength=cats.size) for k, cats in zip(codes, self.categories_)
        ]
        return codes

    def _given_categories(self, j: int, values) -> np.ndarray:
        cats = np.asarray(values)
        if cats.ndim != 1 or cats.size == 0:
            raise ValueError(f"categories[{j}] must be a non-empty 1-D list")
        if cats.dtype.kind in "OUS":
            cats = cats.astype(object)
        elif cats.size > 1 and np.any(cats[1:] <= cats[:-1]):
            raise ValueError(f"categories[{j}] must be sorted and unique for numeric categories")
        if len(set(cats.tolist())) != cats.size:
            raise ValueError(f"categories[{j}] contains duplicates")
        return cats

    def _encode(self, X) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Columns of ``X`` and their codes under the fitted categories."""
        check_is_fitted(self, "categories_")
        columns = self._columns(X, reset=False)
        codes = [encode_column(c, cats) for c, cats in zip(columns, self.categories_)]
        if self.handle_unknown == "error":
            self._raise_unknown(columns, codes, "transform")
        return columns, codes

    def _raise_unknown(self, columns, codes, stage: str) -> None:
        for j, (col, k) in enumerate(zip(columns, codes)):
            unknown = k < 0
            if np.any(unknown):
                values = list(dict.fromkeys(col[unknown].tolist()))
                shown = ", ".join(repr(v) for v in values[:5]) + (
                    " ..." if len(values) > 5 else ""
                )
                raise ValueError(
                    f"Found unknown categories [{shown}] in column {self._column_name(j)} "
                    f"during {stage}; set handle_unknown to accept them"
                )

    def _input_names(self, input_features) -> np.ndarray:
        check_is_fitted(self, "categories_")
        names = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if names is not None:
                return np.asarray(names, dtype=object)
            return np.asarray([f"x{j}" for j in range(self.n_features_in_)], dtype=object)
        input_features = np.asarray(input_features, dtype=object)
        if input_features.shape != (self.n_features_in_,):
            raise ValueError(
                f"input_features should have length {self.n_features_in_}, "
                f"got {input_features.shape}"
            )
        if names is not None and not np.array_equal(input_features, names):
            raise ValueError("input_features is not equal to feature_names_in_")
        return input_features


class OrdinalEncoder(CategoricalEncoderBase):
    """Replace each category by its integer code ``0 .. K_j - 1`` (one output per column).

    The code is the category's position in the sorted list of categories (or in the list
    given in ``categories``). The codes impose an order the data may not have: fine for
    trees, misleading for linear models on nominal data (use one-hot encoding there).

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        Categories per column; "auto" takes the sorted distinct values seen in ``fit``.
    dtype : number type, default=np.float64
        Output dtype.
    handle_unknown : {"error", "use_encoded_value"}, default="error"
        "error" raises a ValueError naming the column and the value; "use_encoded_value"
        outputs ``unknown_value`` for an unseen category.
    unknown_value : int or np.nan, default=None
        Code of unseen categories with ``handle_unknown="use_encoded_value"``; must not be
        one of the codes ``0 .. K_j - 1``.

    Attributes
    ----------
    categories_ : list of ndarray
        Categories of each column, in code order.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fit on a DataFrame with string column names.

    Examples
    --------
    >>> from mlhood.preprocessing import OrdinalEncoder
    >>> enc = OrdinalEncoder().fit([["red"], ["green"], ["blue"]])
    >>> enc.transform([["green"], ["red"]]).ravel().tolist()
    [1.0, 2.0]
    """

    _parameter_constraints = {
        "categories": [Options(["auto"]), list],
        "dtype": DTYPE,
        "handle_unknown": [Options(["error", "use_encoded_value"])],
        "unknown_value": [numbers.Integral, float, None],
    }

    def __init__(
        self, *, categories="auto", dtype=np.float64, handle_unknown="error", unknown_value=None
    ):
        self.categories = categories
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.unknown_value = unknown_value

    def _check_params(self) -> None:
        self._validate_params()
        value = self.unknown_value
        if self.handle_unknown == "error":
            if value is not None:
                raise ValueError(
                    "unknown_value is only used with handle_unknown='use_encoded_value'"
                )
            return
        is_nan = isinstance(value, float) and np.isnan(value)
        if not (is_nan or (isinstance(value, numbers.Integral) and not isinstance(value, bool))):
            raise TypeError(f"unknown_value must be an integer or np.nan, got {value!r}")
        if is_nan and np.dtype(self.dtype).kind != "f":
            raise ValueError("unknown_value=np.nan needs a float dtype")

    def fit(self, X, y=None):
        """Learn the categories of each column of ``X``; ``y`` is ignored."""
        self._check_params()
        self._fit_categories(self._columns(X, reset=True))
        value = self.unknown_value
        if self.handle_unknown == "use_encoded_value" and not np.isnan(value):
            if any(0 <= value < cats.size for cats in self.categories_):
                raise ValueError(
                    f"unknown_value={value} is already the code of a known category; "
                    "choose a negative number, a number >= the number of categories, or np.nan"
                )
        return self

    def transform(self, X):
        """Codes of ``X``, shape ``(n_samples, n_features)``."""
        _, codes = self._encode(X)
        out = np.column_stack(codes).astype(self.dtype)
        if self.handle_unknown == "use_encoded_value":
            out[np.column_stack(codes) < 0] = self.unknown_value
        return out

    def inverse_transform(self, X):
        """Categories of codes ``X``; ``unknown_value`` codes become ``None``."""
        check_is_fitted(self, "categories_")
        X = check_array(X, ensure_all_finite="allow-nan")
        if X.shape[1] != len(self.categories_):
            raise ValueError(f"X has {X.shape[1]} columns, expected {len(self.categories_)}")
        out = np.empty(X.shape, dtype=object)
        for j, cats in enumerate(self.categories_):
            col = X[:, j]
            known = np.isfinite(col) & (col >= 0) & (col < cats.size)
            if self.handle_unknown == "error" and not np.all(known):
                raise ValueError(f"column {j} holds codes outside 0..{cats.size - 1}")
            out[known, j] = cats[col[known].astype(np.intp)]
            out[~known, j] = None
        return out

    def get_feature_names_out(self, input_features=None):
        """Output names: the input names (one output per input column)."""
        return self._input_names(input_features)
