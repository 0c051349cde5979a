"""Mistakes in decision trees, bagging and random forests, caught by labs q01 and q14.

The tree grower is compiled with numba; these mistakes change the Python functions around
it: the resolution of the size parameters, the bootstrap draw and the out-of-bag sums.
"""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake
from mlhood.tree._grow import add_tree_values
from mlhood.tree._tree import resolve_count, resolve_max_depth, resolve_max_features


@mistake(
    "bootstrap-without-replacement",
    title="Bagging draws each tree's rows without replacement (a permutation)",
    target="mlhood.ensemble._common:draw_rows",
    labs=["q01"],
    explanation="""
Each tree gets a shuffled copy of the training set instead of n draws with replacement.
A permutation contains every row exactly once, so every tree is grown on the same data:
plain bagging then averages identical trees and removes no variance, and no row is ever
out of bag (the OOB estimate has nothing to average). A bootstrap sample draws n row
indices with replacement, leaving out (1 - 1/n)^n ≈ 36.8% of the rows for each tree.
""",
)
def draw_rows(seed: int, n_samples: int, n_draw: int, bootstrap: bool) -> np.ndarray:
    """Wrong: a permutation of the rows, each drawn once, whatever ``bootstrap`` says."""
    counts = np.zeros(n_samples, dtype=np.int64)
    counts[np.random.default_rng(seed).permutation(n_samples)[:n_draw]] = 1
    return counts


@mistake(
    "oob-uses-every-tree",
    title="The out-of-bag prediction of a row averages every tree, also those that saw it",
    target="mlhood.ensemble._forest:BaseForest._oob_sums",
    labs=["q01"],
    explanation="""
The out-of-bag prediction of row i must average only the trees whose bootstrap sample
left row i out. Averaging every tree includes the ~63% of trees that were fitted on row
i, whose deep leaves reproduce its own target: the "OOB" score becomes a training score
and is far better than the score on held-out data. Keep, per tree, the rows it did not
draw, and add that tree's prediction only to those rows.
""",
)
def _oob_sums(self, X: np.ndarray, n_values: int) -> tuple[np.ndarray, np.ndarray]:
    """Wrong: every tree votes for every row."""
    total = np.zeros((X.shape[0], n_values))
    for est in self.estimators_:
        t = est.tree_
        add_tree_values(
            X, t.children_left, t.children_right, t.feature, t.threshold, t.value, total
        )
    return total, np.full(X.shape[0], len(self.estimators_), dtype=np.int64)


@mistake(
    "forest-no-feature-subsampling",
    title="The random forest ignores max_features and searches every feature at every split",
    target="mlhood.tree._classes:growth_params",
    labs=["q01"],
    explanation="""
max_features is validated but never used: every split looks at all the features, so the
"random forest" is plain bagging. Its trees then keep picking the same strong features
near the root and their errors stay highly correlated; averaging correlated trees leaves
variance ρσ² that no number of trees removes. Drawing a random subset of max_features
candidates at each split is what lowers ρ.
""",
)
def growth_params(est, n_samples: int, n_features: int) -> tuple[int, int, int, int]:
    """Wrong: the number of features tried per split is always ``n_features``."""
    resolve_max_features(est.max_features, n_features)
    return (
        resolve_max_depth(est.max_depth),
        resolve_count("min_samples_split", est.min_samples_split, n_samples, 2),
        resolve_count("min_samples_leaf", est.min_samples_leaf, n_samples, 1),
        n_features,
    )


@mistake(
    "tree-split-leaf-swapped",
    title="min_samples_split and min_samples_leaf are passed in each other's place",
    target="mlhood.tree._classes:growth_params",
    labs=["q01"],
    explanation="""
The two size limits are swapped when they reach the grower: with the defaults
(min_samples_split=2, min_samples_leaf=1) every leaf must now hold 2 rows. A "fully
grown" tree can no longer isolate single rows, so it stops interpolating the training set
and its training error is no longer zero; other settings give limits nobody asked for.
Pass parameters by name, and test that a default tree fits distinct points exactly.
""",
)
def growth_params_swapped(est, n_samples: int, n_features: int) -> tuple[int, int, int, int]:
    """Wrong: the leaf limit gets min_samples_split and the split limit min_samples_leaf."""
    return (
        resolve_max_depth(est.max_depth),
        resolve_count("min_samples_leaf", est.min_samples_leaf, n_samples, 1),
        resolve_count("min_samples_split", est.min_samples_split, n_samples, 2),
        resolve_max_features(est.max_features, n_features),
    )
