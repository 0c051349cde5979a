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

from mlhood._params import Interval, Options
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
    target_type : {"auto", "continuous", "binary", "multiclass"}, default="auto"
        "auto" infers it from ``y``. A binary target is encoded as 0/1 (``classes_``);
        a multiclass target with ``K`` classes as ``K`` indicator targets, one output
        column per (feature, class), feature by feature.
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
        Encoding of each category, learned on all the training rows (one per feature,
        or per (feature, class) for a multiclass target).
    target_type_ : str
    target_mean_ : float or ndarray of shape (n_classes,)
    classes_ : ndarray or None
        The labels of a binary (the second one counts as 1) or multiclass target.
    n_features_in_ : int
    feature_names_in_ : ndarray
        Only when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.preprocessing import TargetEncoder
    >>> X = np.array([["a"], ["a"], ["b"], ["b"]], dtype=object)
    >>> y = np.array([1.5, 3.0, 10.0, 12.5])
    >>> enc = TargetEncoder(smooth=0.0).fit(X, y)
    >>> enc.transform(np.array([["a"], ["b"], ["z"]], dtype=object)).ravel().tolist()
    [2.25, 11.25, 6.75]
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

    _parameter_constraints = {
        "categories": [Options(["auto"]), list],
        "target_type": [Options(["auto", "continuous", "binary", "multiclass"])],
        "smooth": [Options(["auto"]), Interval(numbers.Real, 0, np.inf, closed="left")],
        "cv": [Interval(numbers.Integral, 2, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
    }

    def _fit_target(self, X, y) -> tuple[list[np.ndarray], np.ndarray]:
        """Validate, learn the categories and the target type; return codes and numeric y
        (2-D for a multiclass target: one indicator column per class)."""
        self._validate_params()
        codes = self._fit_categories(self._columns(X, reset=True))
        y = column_or_1d(y, warn=True)
        if y.shape[0] != codes[0].shape[0]:
            raise ValueError(f"y has {y.shape[0]} rows but X has {codes[0].shape[0]}")
        inferred = type_of_target(y, input_name="y")
        kind = self.target_type
        if kind == "auto":
            if inferred not in ("binary", "continuous", "multiclass"):
                raise ValueError(f"Unknown label type: cannot target-encode a {inferred} target")
            kind = inferred
        self.target_type_ = kind
        if kind in ("binary", "multiclass"):
            self.classes_, y = np.unique(y, return_inverse=True)
            if kind == "binary" and self.classes_.size != 2:
                raise ValueError(
                    f"a binary target needs 2 classes, got {self.classes_.size} class(es)"
                )
            if kind == "multiclass":
                return codes, (y[:, None] == np.arange(self.classes_.size)).astype(float)
            y = y.astype(float)
        else:
            self.classes_ = None
            y = np.asarray(y, dtype=float)
            if not np.all(np.isfinite(y)):
                raise ValueError("y contains NaN or infinity")
        return codes, y

    def _encodings(self, codes, y) -> list[np.ndarray]:
        """One encoding table per output column: per feature, then per class."""
        targets = y.reshape(y.shape[0], -1).T
        return [
            category_encoding(k, t, cats.size, self.smooth, float(t.mean()), float(t.var()))
            for k, cats in zip(codes, self.categories_)
            for t in targets
        ]

    def _encode_rows(self, codes, tables, rows, fallback) -> np.ndarray:
        """Encoded ``rows`` from per-column ``tables``; unknown codes get ``fallback``."""
        n_targets = len(tables) // len(codes)
        out = np.empty((rows.size, len(tables)))
        for col, table in enumerate(tables):
            k = codes[col // n_targets][rows]
            out[:, col] = np.where(k >= 0, table[np.maximum(k, 0)], fallback[col % n_targets])
        return out

    def fit(self, X, y):
        """Learn the categories and their encodings from every row of ``(X, y)``."""
        codes, y = self._fit_target(X, y)
        self.target_mean_ = y.mean(axis=0) if y.ndim == 2 else float(y.mean())
        self.encodings_ = self._encodings(codes, y)
        return self

    def fit_transform(self, X, y):
        """Fit on all rows, and encode each training row with means from the other folds."""
        self.fit(X, y)
        _, codes = self._encode(X)
        y = column_or_1d(y)
        y_codes = np.searchsorted(self.classes_, y) if self.classes_ is not None else y
        y_num = self._numeric_target(y_codes)
        splitter = (KFold if self.target_type_ == "continuous" else StratifiedKFold)(
            self.cv, shuffle=self.shuffle, random_state=self.random_state
        )
        out = np.empty((y_num.shape[0], len(self.encodings_)))
        for train, held_out in splitter.split(np.zeros((y_num.shape[0], 1)), y_codes):
            fold = self._encodings([k[train] for k in codes], y_num[train])
            prior = np.atleast_1d(y_num[train].mean(axis=0))
            out[held_out] = self._encode_rows(codes, fold, held_out, prior)
        return out

    def _numeric_target(self, y_codes) -> np.ndarray:
        """The target as floats: 0/1 for binary, indicator columns for multiclass."""
        if self.target_type_ == "multiclass":
            return (np.asarray(y_codes)[:, None] == np.arange(self.classes_.size)).astype(float)
        return np.asarray(y_codes, dtype=float)

    def transform(self, X):
        """Encode ``X`` with the encodings learned on all rows (unknown -> ``target_mean_``)."""
        check_is_fitted(self, "encodings_")
        _, codes = self._encode(X)
        rows = np.arange(codes[0].shape[0])
        return self._encode_rows(codes, self.encodings_, rows, np.atleast_1d(self.target_mean_))

    def get_feature_names_out(self, input_features=None):
        """Input feature names; ``<feature>_<class>`` per class for a multiclass target."""
        names = self._input_names(input_features)
        if self.target_type_ != "multiclass":
            return names
        return np.asarray([f"{n}_{c}" for n in names for c in self.classes_], dtype=object)
