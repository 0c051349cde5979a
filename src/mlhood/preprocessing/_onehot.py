"""One-hot encoding of categorical columns, with rare-category grouping and drop rules."""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_array, check_is_fitted

from mlhood._params import Interval, Options
from mlhood.preprocessing._encoders import DTYPE, CategoricalEncoderBase

INFREQUENT = "infrequent_sklearn"  # sklearn's name for the grouped rare categories


class OneHotEncoder(CategoricalEncoderBase):
    """Encode each categorical column as indicator columns, one per category.

    A column with categories ``c_1 < ... < c_K`` becomes ``K`` columns; row ``i`` has a 1
    in column ``k`` exactly when ``x_i = c_k``. No order is implied, so a linear model
    gets one free coefficient per category (the encoding used for nominal features in
    regression since dummy variables: e.g. Hastie, Tibshirani & Friedman, *The Elements
    of Statistical Learning*, 2nd ed., sec. 2.3 and 4.2).

    Rare categories (fewer than ``min_frequency`` occurrences in ``fit``, or beyond the
    ``max_categories - 1`` most frequent) share one "infrequent" column, placed last.
    ``drop`` removes one column per feature to avoid perfect collinearity with an
    intercept.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        Categories per column; "auto" takes the sorted distinct values seen in ``fit``.
    drop : {"first", "if_binary"} or None, default=None
        "first": drop the first output column of every feature (the first frequent
        category, or the infrequent group if every category is rare); "if_binary": the
        same, only for features with exactly two output columns; None keeps all. A
        dropped category is encoded as all zeros -- like an ignored unknown one.
    sparse_output : bool, default=False
        Return a SciPy CSR matrix. Unlike scikit-learn (default True) the default is a
        dense NumPy array, which is what the labs and small data need.
    dtype : number type, default=np.float64
    handle_unknown : {"error", "ignore", "infrequent_if_exist"}, default="error"
        What to do with a category not seen in ``fit``: "error" raises a ValueError naming
        the column and the value; "ignore" encodes it as all zeros; "infrequent_if_exist"
        puts it in the infrequent column when the feature has one (else all zeros).
    min_frequency : int, float or None, default=None
        Categories seen fewer than ``min_frequency`` times (a float means a fraction of
        the samples) are grouped as infrequent.
    max_categories : int or None, default=None
        At most this many output columns per feature, the infrequent one included.

    Attributes
    ----------
    categories_ : list of ndarray
        Categories of each feature, sorted (or as given).
    drop_idx_ : ndarray of object or None
        Index into ``categories_[j]`` of the dropped category (``None`` if none dropped).
    infrequent_categories_ : list of (ndarray or None)
        The grouped rare categories of each feature.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when fit on a DataFrame with string column names.

    Examples
    --------
    >>> from mlhood.preprocessing import OneHotEncoder
    >>> enc = OneHotEncoder().fit([["red"], ["green"], ["red"]])
    >>> enc.transform([["green"], ["red"]]).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    >>> enc.get_feature_names_out().tolist()
    ['x0_green', 'x0_red']
    """

    _parameter_constraints = {
        "categories": [Options(["auto"]), list],
        "drop": [Options(["first", "if_binary"]), None],
        "sparse_output": ["boolean"],
        "dtype": DTYPE,
        "handle_unknown": [Options(["error", "ignore", "infrequent_if_exist"])],
        "min_frequency": [
            Interval(numbers.Integral, 1, None, closed="left"),
            Interval(numbers.Real, 0, 1, closed="neither"),
            None,
        ],
        "max_categories": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        *,
        categories="auto",
        drop=None,
        sparse_output=False,
        dtype=np.float64,
        handle_unknown="error",
        min_frequency=None,
        max_categories=None,
    ):
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories

    # ----------------------------------------------------------------- fitting
    def fit(self, X, y=None):
        """Learn categories, rare-category groups and dropped columns; ``y`` is ignored."""
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit, then encode ``X`` (reusing the codes computed while fitting)."""
        codes = self._fit(X)
        return self._to_output(codes)

    def _fit(self, X) -> list[np.ndarray]:
        self._validate_params()
        columns = self._columns(X, reset=True)
        codes = self._fit_categories(columns)
        n_samples = columns[0].shape[0]
        infrequent = [self._infrequent_mask(counts, n_samples) for counts in self._category_counts]
        self.infrequent_categories_ = [
            cats[mask] if mask.any() else None for cats, mask in zip(self.categories_, infrequent)
        ]
        self._build_slots(infrequent)
        return codes

    def _infrequent_mask(self, counts: np.ndarray, n_samples: int) -> np.ndarray:
        """Which categories are rare (mirrors scikit-learn's rule exactly)."""
        mask = np.zeros(counts.size, dtype=bool)
        if self.min_frequency is not None:
            limit = self.min_frequency
            if isinstance(limit, float):
                limit = limit * n_samples
            mask = counts < limit
        n_outputs = counts.size - mask.sum() + 1
        if self.max_categories is not None and self.max_categories < n_outputs:
            keep = self.max_categories - 1
            if keep == 0:
                mask[:] = True
            else:
                mask[np.argsort(counts, kind="mergesort")[:-keep]] = True
        return mask

    def _build_slots(self, infrequent: list[np.ndarray]) -> None:
        """Map each category code to an output column (``-1``: no column).

        ``self._slots[j]`` has ``K_j + 1`` entries; the last one is for code ``-1``
        (unknown), so ``self._slots[j][codes]`` maps unknown values too.
        """
        self._slots, self._widths, drop_idx = [], [], []
        for cats, rare in zip(self.categories_, infrequent):
            slot = np.full(cats.size + 1, -1, dtype=np.intp)
            slot[np.flatnonzero(~rare)] = np.arange((~rare).sum())
            width = int((~rare).sum())
            if rare.any():
                slot[np.flatnonzero(rare)] = width
                if self.handle_unknown == "infrequent_if_exist":
                    slot[-1] = width
                width += 1
            drop = self.drop == "first" or (self.drop == "if_binary" and width == 2)
            if drop:  # drop the first output column (scikit-learn: index after grouping)
                drop_idx.append(int(np.flatnonzero(slot[:-1] == 0)[0]))
                slot[slot == 0] = -1
                slot[slot > 0] -= 1
                width -= 1
            else:
                drop_idx.append(None)
            self._slots.append(slot)
            self._widths.append(width)
        self._offsets = np.r_[0, np.cumsum(self._widths)].astype(np.intp)
        self._absolute_slots = [
            np.where(slot >= 0, slot + offset, -1)
            for slot, offset in zip(self._slots, self._offsets)
        ]
        self.drop_idx_ = None if self.drop is None else np.array(drop_idx, dtype=object)

    # ---------------------------------------------------------------- encoding
    def transform(self, X):
        """Indicator matrix of shape ``(n_samples, n_output_columns)``."""
        _, codes = self._encode(X)
        return self._to_output(codes)

    def _to_output(self, codes: list[np.ndarray]):
        n, n_out = codes[0].shape[0], int(self._offsets[-1])
        # output column of every (row, feature); -1 where the row gets no 1
        columns = [self._absolute_slots[j][k] for j, k in enumerate(codes)]
        if self.sparse_output:
            cols = np.column_stack(columns)
            hot = cols >= 0
            indptr = np.r_[0, np.cumsum(hot.sum(axis=1))]
            data = np.ones(int(indptr[-1]), dtype=self.dtype)
            return sparse.csr_matrix((data, cols[hot], indptr), shape=(n, n_out))
        out = np.zeros((n, n_out), dtype=self.dtype)
        if n_out == 0:  # every feature had a single category, then dropped
            return out
        flat_out = out.reshape(-1)
        row_start = np.arange(0, n * n_out, n_out, dtype=np.intp)
        for col in columns:
            if col.size and col.min() >= 0:
                flat_out[row_start + col] = 1
            else:
                hit = col >= 0
                flat_out[row_start[hit] + col[hit]] = 1
        return out

    def inverse_transform(self, X):
        """Categories from an indicator matrix; all-zero blocks give the dropped
        category, or ``None`` (unknown); the infrequent column gives "infrequent_sklearn"."""
        check_is_fitted(self, "categories_")
        X = check_array(X, accept_sparse="csr")
        X = X.toarray() if sparse.issparse(X) else X
        if X.shape[1] != self._offsets[-1]:
            raise ValueError(f"X has {X.shape[1]} columns, expected {self._offsets[-1]}")
        out = np.empty((X.shape[0], len(self.categories_)), dtype=object)
        for j in range(len(self.categories_)):
            block = X[:, self._offsets[j] : self._offsets[j + 1]]
            labels = self._slot_labels(j)
            if block.shape[1] == 0:
                out[:, j] = labels[-1]
                continue
            active = block.sum(axis=1)
            if np.any((active != 0) & (active != 1)):
                raise ValueError(f"feature {j} has rows with several or fractional ones")
            chosen = np.where(active == 1, block.argmax(axis=1), -1)
            out[:, j] = np.asarray(labels, dtype=object)[chosen]
        return out

    def _slot_labels(self, j: int) -> list:
        """Category of each output column of feature ``j``, then the all-zero meaning."""
        cats, slot = self.categories_[j], self._slots[j][:-1]
        labels = [None] * self._widths[j]
        for code in range(cats.size):
            if slot[code] >= 0 and labels[slot[code]] is None:
                rare = self.infrequent_categories_[j]
                labels[slot[code]] = (
                    INFREQUENT if rare is not None and cats[code] in rare else cats[code]
                )
        dropped = None
        if self.drop_idx_ is not None and self.drop_idx_[j] is not None:
            dropped = cats[self.drop_idx_[j]]
        return labels + [dropped]

    def get_feature_names_out(self, input_features=None):
        """Output column names: ``<feature>_<category>``, and for the grouped rare
        categories ``<feature>_infrequent_sklearn``."""
        names = self._input_names(input_features)
        out = []
        for j, feature in enumerate(names):
            out += [f"{feature}_{label}" for label in self._slot_labels(j)[:-1]]
        return np.asarray(out, dtype=object)
