"""Print a fitted tree's rules as indented text, one line per node."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from mlhood.tree._tree import TREE_LEAF


def export_text(tree, *, feature_names=None, decimals: int = 2) -> str:
    """The decision rules of a fitted tree as text.

    Each internal node prints two lines, ``name <= t`` for its left subtree and
    ``name >  t`` for its right one; each leaf prints ``class: c`` (classifier) or
    ``value: v`` (regressor). Depth is shown by ``|   `` indentation.

    Parameters
    ----------
    tree : DecisionTreeClassifier or DecisionTreeRegressor
        A fitted tree.
    feature_names : sequence of str, optional
        One name per feature; defaults to ``feature_names_in_`` or ``feature_0, ...``.
    decimals : int, default=2
        Digits printed for thresholds and values.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from mlhood.tree import DecisionTreeClassifier, export_text
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    >>> print(export_text(tree,
    ...                   feature_names=["sl", "sw", "pl", "pw"]))  # pl and pw tie here
    |--- pl <= 2.45
    |   |--- class: 0
    |--- pl >  2.45
    |   |--- class: 1
    """
    check_is_fitted(tree, "tree_")
    n_features = tree.n_features_in_
    if feature_names is None:
        feature_names = getattr(tree, "feature_names_in_", None)
    if feature_names is None:
        feature_names = [f"feature_{j}" for j in range(n_features)]
    feature_names = [str(name) for name in feature_names]
    if len(feature_names) != n_features:
        raise ValueError(f"feature_names must have {n_features} entries, got {len(feature_names)}")
    t = tree.tree_
    classes = getattr(tree, "classes_", None)

    def leaf_text(node: int) -> str:
        if classes is not None:
            return f"class: {classes[int(np.argmax(t.value[node]))]}"
        return f"value: [{t.value[node, 0]:.{decimals}f}]"

    lines: list[str] = []
    stack: list[tuple[int, int] | str] = [(0, 0)]  # nodes to print, or ready-made lines
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            lines.append(item)
            continue
        node, depth = item
        indent = "|   " * depth + "|--- "
        if t.children_left[node] == TREE_LEAF:
            lines.append(indent + leaf_text(node))
            continue
        name, thr = feature_names[t.feature[node]], t.threshold[node]
        lines.append(f"{indent}{name} <= {thr:.{decimals}f}")
        stack.append((int(t.children_right[node]), depth + 1))
        stack.append(f"{indent}{name} >  {thr:.{decimals}f}")
        stack.append((int(t.children_left[node]), depth + 1))
    return "\n".join(lines)
