"""Encode target labels as integers ``0 .. n_classes - 1``."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, column_or_1d

from mlhood.preprocessing._category_codes import encode_column, factorize


class LabelEncoder(TransformerMixin, BaseEstimator):
    """Map class labels to ``0 .. n_classes - 1`` in sorted label order (targets only).

    For features use :class:`OrdinalEncoder` or :class:`OneHotEncoder`: this class works
    on one 1-D array ``y`` and has no unknown-category option -- an unseen label raises a
    ValueError listing it.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted labels; ``classes_[k]`` is encoded as ``k``.

    Examples
    --------
    >>> from mlhood.preprocessing import LabelEncoder
    >>> enc = LabelEncoder().fit(["paris", "tokyo", "paris", "amsterdam"])
    >>> enc.transform(["tokyo", "amsterdam"]).tolist()
    [2, 0]
    >>> enc.inverse_transform([1]).tolist()
    ['paris']
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags

    def fit(self, y):
        """Learn the sorted distinct labels of ``y``."""
        y = self._check(y)
        self.classes_, _ = factorize(y, name="y")
        return self

    def fit_transform(self, y):
        """Fit and return the codes of ``y``."""
        return self.fit(y).transform(y)

    def transform(self, y):
        """Codes of the labels ``y``; unseen labels raise a ValueError naming them."""
        check_is_fitted(self, "classes_")
        y = self._check(y, allow_empty=True)
        codes = encode_column(y, self.classes_)
        if np.any(codes < 0):
            unseen = list(dict.fromkeys(y[codes < 0].tolist()))
            raise ValueError(f"y contains previously unseen labels: {unseen[:10]}")
        return codes.astype(np.int64)

    def inverse_transform(self, y):
        """Labels of the codes ``y``."""
        check_is_fitted(self, "classes_")
        y = column_or_1d(y, warn=True)
        if y.size == 0:
            return self.classes_[:0]
        if y.dtype.kind not in "iu" and not np.all(np.mod(y, 1) == 0):
            raise ValueError("y must hold integer codes")
        y = y.astype(np.intp)
        if y.min() < 0 or y.max() >= self.classes_.size:
            raise ValueError(f"y contains codes outside 0..{self.classes_.size - 1}")
        return self.classes_[y]

    @staticmethod
    def _check(y, allow_empty: bool = False) -> np.ndarray:
        y = column_or_1d(y, warn=True)
        if y.size == 0 and not allow_empty:
            raise ValueError("y is empty; expected at least one label")
        if y.dtype.kind == "f" and np.any(~np.isfinite(y)):
            raise ValueError("y contains NaN or infinity")
        return y
