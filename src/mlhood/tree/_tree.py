"""A fitted tree as flat arrays, and the one function that grows it from binned data."""

from __future__ import annotations

import numbers

import numpy as np

from mlhood.tree._grow import apply_tree, grow_tree

TREE_LEAF = -1  # children_left / children_right of a leaf
TREE_UNDEFINED = -2  # feature / threshold of a leaf


class Tree:
    """A binary tree stored as parallel arrays indexed by node id (the root is node 0).

    Attributes
    ----------
    children_left, children_right : ndarray of int64
        Child node ids, ``-1`` for a leaf.
    feature : ndarray of int64
        Feature tested at each internal node, ``-2`` at leaves.
    threshold : ndarray of float64
        Rows with ``x[feature] <= threshold`` go left; ``-2`` at leaves.
    value : ndarray of shape (node_count, n_values)
        Class probabilities (classification) or the mean target (regression) of each node.
    impurity : ndarray of float64
        Gini / entropy (bits) / variance of each node's training rows.
    n_node_samples : ndarray of int64
        Number of distinct training rows reaching each node.
    weighted_n_node_samples : ndarray of float64
        Their total sample weight.
    max_depth : int
        Depth of the deepest leaf (the root has depth 0).
    """

    def __init__(
        self,
        children_left,
        children_right,
        feature,
        threshold,
        value,
        impurity,
        n_node_samples,
        weighted_n_node_samples,
        max_depth,
    ):
        self.children_left = children_left
        self.children_right = children_right
        self.feature = feature
        self.threshold = threshold
        self.value = value
        self.impurity = impurity
        self.n_node_samples = n_node_samples
        self.weighted_n_node_samples = weighted_n_node_samples
        self.max_depth = int(max_depth)

    @property
    def node_count(self) -> int:
        return int(self.children_left.shape[0])

    @property
    def n_leaves(self) -> int:
        return int(np.sum(self.children_left == TREE_LEAF))

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Leaf id of every row of a C-ordered float64 ``X``."""
        return apply_tree(X, self.children_left, self.children_right, self.feature, self.threshold)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Value (probabilities or mean) of the leaf every row falls into."""
        return self.value[self.apply(X)]

    def feature_importances(self, n_features: int) -> np.ndarray:
        """Mean decrease in impurity: ``sum over splits on j of W*H - W_L*H_L - W_R*H_R``,
        normalised to sum to one (all zeros for a single-leaf tree)."""
        inner = np.flatnonzero(self.children_left != TREE_LEAF)
        w, h = self.weighted_n_node_samples, self.impurity
        lft, rgt = self.children_left[inner], self.children_right[inner]
        gain = w[inner] * h[inner] - w[lft] * h[lft] - w[rgt] * h[rgt]
        importances = np.bincount(self.feature[inner], weights=gain, minlength=n_features)
        total = importances.sum()
        return importances / total if total > 0 else importances


def resolve_max_features(max_features, n_features: int) -> int:
    """Number of features tried per split from ``max_features`` (None, 'sqrt', 'log2', int,
    float)."""
    if max_features is None:
        return n_features
    if isinstance(max_features, str):
        if max_features == "sqrt":
            return max(1, int(np.sqrt(n_features)))
        if max_features == "log2":
            return max(1, int(np.log2(n_features)))
    elif isinstance(max_features, numbers.Integral) and not isinstance(max_features, bool):
        if 1 <= max_features <= n_features:
            return int(max_features)
    elif isinstance(max_features, numbers.Real) and 0.0 < max_features <= 1.0:
        return max(1, int(max_features * n_features))
    raise ValueError(
        f"max_features must be None, 'sqrt', 'log2', an int in [1, n_features={n_features}] "
        f"or a float in (0, 1]; got {max_features!r}"
    )


def resolve_count(name: str, value, n_samples: int, minimum: int) -> int:
    """``min_samples_split`` / ``min_samples_leaf``: an int >= minimum or a fraction of n."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value >= minimum:
            return int(value)
    elif isinstance(value, numbers.Real) and 0.0 < value <= 1.0:
        return max(minimum, int(np.ceil(value * n_samples)))
    raise ValueError(f"{name} must be an int >= {minimum} or a float in (0, 1]; got {value!r}")


def resolve_max_depth(max_depth) -> int:
    """``max_depth``: None (grow until pure) or an int >= 1."""
    if max_depth is None:
        return 2**31 - 1
    if isinstance(max_depth, numbers.Integral) and not isinstance(max_depth, bool):
        if max_depth >= 1:
            return int(max_depth)
    raise ValueError(f"max_depth must be None or an int >= 1; got {max_depth!r}")


def grow(X_binned, thresholds, y, weight, rows, *, n_classes, criterion, params, seed) -> Tree:
    """Grow one tree on the positive-weight ``rows`` of binned data and return it.

    ``params`` is ``(max_depth, min_samples_split, min_samples_leaf, max_features)``, already
    resolved to ints; ``thresholds`` maps ``(feature, bin)`` back to a float threshold.
    """
    n_bins = np.sum(np.isfinite(thresholds), axis=1).astype(np.int64) + 1
    max_depth, min_split, min_leaf, max_features = params
    left, right, feature, split_bin, value, impurity, n_node, w_node, depth = grow_tree(
        X_binned,
        y,
        weight,
        rows,
        n_bins,
        n_classes,
        criterion,
        max_depth,
        min_split,
        min_leaf,
        max_features,
        seed,
    )
    inner = left != TREE_LEAF
    threshold = np.full(left.shape[0], float(TREE_UNDEFINED))
    threshold[inner] = thresholds[feature[inner], split_bin[inner]]
    return Tree(left, right, feature, threshold, value, impurity, n_node, w_node, depth)
