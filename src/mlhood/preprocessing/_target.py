"""Target encoding: replace each category by a shrunk mean of the target, cross-fitted.

For a category ``c`` with ``n_c`` training rows, target mean ``ȳ_c`` and overall mean ``ȳ``
(Micci-Barreca, 2001, "A preprocessing scheme for high-cardinality categorical
attributes"; scikit-learn's ``TargetEncoder``)::

    smooth = m (a number):  enc(c) = (n_c ȳ_c + m ȳ) / (n_c + m)
    smooth = "auto":        enc(c) = λ_c ȳ_c + (1 - λ_c) ȳ,
                            λ_c = n_c σ² / (n_c σ² + s²_c)

where ``σ²`` is the variance of the target and ``s²_c`` the variance of the target inside
category ``c`` (an empirical-Bayes shrinkage). A category with no rows gets ``ȳ``.

Encoding a training row with a mean that includes its own target leaks the label into the
feature: rare categories then predict their own rows perfectly. So ``fit_transform``
*cross-fits*: the rows are split into ``cv`` folds, and each fold is encoded with means
computed on the other folds only. ``fit`` followed by ``transform`` uses every row and is
meant for new data; on the training data it differs from ``fit_transform`` on purpose.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d

from mlhood.model_selection._split import KFold, StratifiedKFold
from mlhood.preprocessing._encoders import CategoricalEncoderBase


def category_encoding(codes, y, n_categories, smooth, y_mean, y_variance):
    """Encoding of each of ``n_categories`` categories from rows with ``codes`` and ``y``.

    ``smooth`` is ``"auto"`` (empirical-Bayes λ) or a number ``m >= 0`` (see the module
    docstring); categories without rows get ``y_mean``. Rows with code ``-1`` (a value
    outside given ``categories``) are left out.
    """
    known = codes >= 0
    codes, y = codes[known], y[known]
    counts = np.bincount(codes, minlength=n_categories).astype(float)
    sums = np.bincount(codes, weights=y, minlength=n_categories)
    seen = counts > 0
    means = np.divide(sums, counts, out=np.zeros(n_categories), where=seen)
    if smooth == "auto":
        spread = np.bincount(codes, weights=(y - means[codes]) ** 2, minlength=n_categories)
        within = np.divide(spread, counts, out=np.zeros(n_categories), where=seen)
        with np.errstate(invalid="ignore", divide="ignore"):
            lam = y_variance * counts / (y_variance * counts + within)
        encoding = lam * means + (1.0 - lam) * y_mean
        return np.where(seen & np.isfinite(lam), encoding, y_mean)
    encoding = (sums + smooth * y_mean) / np.where(seen, counts + smooth, 1.0)
    return np.where(seen, encoding, y_mean)


class TargetEncoder(CategoricalEncoderBase):
    """Encode each category by a shrunk mean of the target, cross-fitted on the training set.

    See the module docstring for the formulas. Unknown categories at ``transform`` time
    get the overall target mean ``target_mean_``.

    Parameters
    ----------
    categories : "auto" or list of array-like, default="auto"
        Categories per column (sorted distinct values when "auto").
    target_type : {"auto", "continuous", "binary"}, default="auto"
        "auto" infers it from ``y``; a binary target is encoded as 0/1 (``classes_``).
    smooth : "auto" or float, default="auto"
        Shrinkage towards the overall mean: "auto" (empirical Bayes) or ``m >= 0``.
    cv : int, default=5
        Folds of the cross-fitting in :meth:`fit_transform` (>= 2). Stratified for a
        binary target, as in scikit-learn.
    shuffle : bool, default=True
        Shuffle the rows before splitting them into folds.
    random_state : int, RandomState or None, default=None
        Seed of the shuffle.

    Attributes
    ----------
    categories_ : list of ndarray
    encodings_ : list of ndarray
        Encoding of each category, learned on all the training rows.
    target_type_ : str
    target_mean_ : float
    classes_ : ndarray or None
        The two labels of a binary target (the second one counts as 1).
    n_features_in_ : int
    feature_names_in_ : ndarray
        Only when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.preprocessing import TargetEncoder
    >>> X = np.array([["a"], ["a"], ["b"], ["b"]], dtype=object)
    >>> y = np.array([1.0, 3.0, 10.0, 12.0])
    >>> enc = TargetEncoder(smooth=0.0).fit(X, y)
    >>> enc.transform(np.array([["a"], ["b"], ["z"]], dtype=object)).ravel().tolist()
    [2.0, 11.0, 6.5]
    """

    handle_unknown = "ignore"  # unknown categories get the target mean

    def __init__(
        self,
        categories="auto",
        target_type="auto",
        smooth="auto",
        cv=5,
        shuffle=True,
        random_state=None,
    ):
        self.categories = categories
        self.target_type = target_type
        self.smooth = smooth
        self.cv = cv
        self.shuffle = shuffle
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    def _check_params(self) -> None:
        if self.target_type not in ("auto", "continuous", "binary"):
            raise ValueError(
                f"target_type must be 'auto', 'continuous' or 'binary', got {self.target_type!r}"
            )
        if isinstance(self.smooth, str):
            smooth_ok = self.smooth == "auto"
        else:
            smooth_ok = isinstance(self.smooth, numbers.Real) and 0 <= self.smooth < np.inf
        if not smooth_ok:
            raise ValueError(f"smooth must be 'auto' or a number >= 0, got {self.smooth!r}")
        if not isinstance(self.cv, numbers.Integral) or isinstance(self.cv, bool) or self.cv < 2:
            raise ValueError(f"cv must be an integer >= 2, got {self.cv!r}")

    def _fit_target(self, X, y) -> tuple[list[np.ndarray], np.ndarray]:
        """Validate, learn the categories and the target type; return codes and numeric y."""
        self._check_params()
        codes = self._fit_categories(self._columns(X, reset=True))
        y = column_or_1d(y, warn=True)
        if y.shape[0] != codes[0].shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {codes[0].shape[0]}")
        inferred = type_of_target(y, input_name="y")
        kind = self.target_type
        if kind == "auto":
            if inferred not in ("binary", "continuous", "multiclass"):
                raise ValueError(f"cannot target-encode a {inferred} target")
            kind = "binary" if inferred == "binary" else "continuous"
            if inferred == "multiclass":
                raise ValueError(
                    "a multiclass target is not supported; pass target_type='continuous' "
                    "if its values are numbers on a scale"
                )
        self.target_type_ = kind
        if kind == "binary":
            self.classes_, y = np.unique(y, return_inverse=True)
            if self.classes_.size != 2:
                raise ValueError(f"a binary target needs 2 classes, got {self.classes_.size}")
            y = y.astype(float)
        else:
            self.classes_ = None
            y = np.asarray(y, dtype=float)
            if not np.all(np.isfinite(y)):
                raise ValueError("y contains NaN or infinity")
        return codes, y

    def _encodings(self, codes, y) -> list[np.ndarray]:
        y_mean, y_variance = float(y.mean()), float(y.var())
        return [
            category_encoding(k, y, cats.size, self.smooth, y_mean, y_variance)
            for k, cats in zip(codes, self.categories_)
        ]

    def fit(self, X, y):
        """Learn the categories and their encodings from every row of ``(X, y)``."""
        codes, y = self._fit_target(X, y)
        self.target_mean_ = float(y.mean())
        self.encodings_ = self._encodings(codes, y)
        return self

    def fit_transform(self, X, y):
        """Fit on all rows, and encode each training row with means from the other folds."""
        codes, y = self._fit_target(X, y)
        self.target_mean_ = float(y.mean())
        self.encodings_ = self._encodings(codes, y)
        splitter = (StratifiedKFold if self.target_type_ == "binary" else KFold)(
            self.cv, shuffle=self.shuffle, random_state=self.random_state
        )
        out = np.empty((y.size, len(codes)))
        for train, held_out in splitter.split(np.zeros((y.size, 1)), y):
            fold = self._encodings([k[train] for k in codes], y[train])
            for j, (k, table) in enumerate(zip(codes, fold)):
                rows = k[held_out]
                out[held_out, j] = np.where(rows >= 0, table[np.maximum(rows, 0)], y[train].mean())
        return out

    def transform(self, X):
        """Encode ``X`` with the encodings learned on all rows (unknown -> ``target_mean_``)."""
        check_is_fitted(self, "encodings_")
        _, codes = self._encode(X)
        out = np.empty((codes[0].shape[0], len(codes)))
        for j, (k, table) in enumerate(zip(codes, self.encodings_)):
            out[:, j] = np.where(k >= 0, table[np.maximum(k, 0)], self.target_mean_)
        return out

    def get_feature_names_out(self, input_features=None):
        """The input feature names: one output column per input column."""
        return self._input_names(input_features)
