"""Trees, forests and k-NN: mlhood against scikit-learn, side by side in one run.

Cases (full run): random forest classifier, 100 trees, n=50k, p=20, ``n_jobs=2`` on both,
fit + predict; one fully grown tree, n=100k, p=20, fit; k-NN classifier predict, 10k
queries against 50k points, p=50, k=5 (scikit-learn with ``algorithm="brute"``,
``n_jobs=2`` on both). ``--quick`` shrinks every case for a smoke run.

Run: ``.venv/bin/python benchmarks/bench_trees.py [--quick]``
"""

from __future__ import annotations

import argparse
import pickle

import numpy as np
from sklearn.ensemble import RandomForestClassifier as SkForest
from sklearn.neighbors import KNeighborsClassifier as SkKNN
from sklearn.tree import DecisionTreeClassifier as SkTree

from _harness import compare, print_table
from mlhood.ensemble import RandomForestClassifier
from mlhood.neighbors import KNeighborsClassifier
from mlhood.tree import DecisionTreeClassifier


def make_data(n_samples: int, n_features: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A non-linear binary problem with label noise (no tree reaches purity early)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    signal = X[:, 0] + X[:, 1] ** 2 - X[:, 2] * X[:, 3] + rng.normal(size=n_samples)
    return X, (signal > 1.0).astype(np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    quick = parser.parse_args().quick
    scale = 20 if quick else 1
    results = []

    X, y = make_data(50_000 // scale, 20, 0)
    n_trees = 100 // (5 if quick else 1)

    def forest(cls):
        return lambda: cls(n_trees, n_jobs=2, random_state=0).fit(X, y).predict(X)

    results.append(
        compare(
            f"random forest {n_trees} trees n={X.shape[0]} p=20 n_jobs=2 fit+predict",
            forest(RandomForestClassifier),
            forest(SkForest),
            rounds=3 if quick else 1,
        )
    )

    sizes = [
        len(pickle.dumps(cls(n_trees, n_jobs=2, random_state=0).fit(X, y))) / 2**20
        for cls in (RandomForestClassifier, SkForest)
    ]
    model_note = (
        f"forest model size (pickled): mlhood {sizes[0]:.1f} MiB, scikit-learn {sizes[1]:.1f} MiB "
        "(tracemalloc sees mlhood's tree arrays, not scikit-learn's C-allocated nodes)"
    )

    X, y = make_data(100_000 // scale, 20, 1)
    results.append(
        compare(
            f"deep tree n={X.shape[0]} p=20 fit",
            lambda: DecisionTreeClassifier(random_state=0).fit(X, y),
            lambda: SkTree(random_state=0).fit(X, y),
            rounds=3,
        )
    )

    rng = np.random.default_rng(2)
    X_fit = rng.normal(size=(50_000 // scale, 50))
    y_fit = rng.integers(0, 3, X_fit.shape[0])
    queries = rng.normal(size=(10_000 // scale, 50))
    ours = KNeighborsClassifier(n_neighbors=5, n_jobs=2).fit(X_fit, y_fit)
    peer = SkKNN(n_neighbors=5, algorithm="brute", n_jobs=2).fit(X_fit, y_fit)
    results.append(
        compare(
            f"kNN predict {queries.shape[0]} queries vs {X_fit.shape[0]} points p=50",
            lambda: ours.predict(queries),
            lambda: peer.predict(queries),
            rounds=3,
        )
    )
    print_table(results, peer_name="scikit-learn")
    print(model_note)


if __name__ == "__main__":
    main()
