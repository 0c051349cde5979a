"""Trees, forests and k-NN: mlhood against scikit-learn, side by side in one run.

Cases (full run): random forest classifier, 100 trees, n=50k, p=20, ``n_jobs=2`` on both,
fit + predict; one fully grown tree, n=100k, p=20, fit; k-NN classifier predict, 10k
queries against 50k points, p=50, k=5 (scikit-learn with ``algorithm="brute"``,
``n_jobs=2`` on both). ``--quick`` shrinks every case for a smoke run.

The strongest peers, when the ``bench`` extra is installed, in a second table: the forest
against XGBoost's ``XGBRFClassifier`` and LightGBM's ``rf`` boosting, both histogram
methods as mlhood is (it bins every feature into <= 255 quantile bins; scikit-learn's
CART splits on exact values), with held-out accuracy beside the time, for fully grown
trees and with every side capped at depth 12; exact k-NN search
(``kneighbors``, float32, 2 threads each) against faiss-cpu's ``IndexFlatL2``, and our
float32 search against our float64 one.

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
    strongest_peers(scale)


def strongest_peers(scale: int) -> None:
    """Forest vs XGBoost / LightGBM random forests (with accuracy), k-NN vs faiss."""
    try:
        import faiss
        import lightgbm
        import xgboost
    except ImportError:
        print("xgboost, lightgbm or faiss-cpu missing (pip install -e '.[bench]'): skipped")
        return
    results, notes = [], []
    X, y = make_data(60_000 // scale, 20, 3)
    X_train, y_train, X_test, y_test = (
        X[: len(y) * 5 // 6],
        y[: len(y) * 5 // 6],
        X[len(y) * 5 // 6 :],
        y[len(y) * 5 // 6 :],
    )
    n_trees, share = 100 // (5 if scale > 1 else 1), np.sqrt(20) / 20
    # Two settings: fully grown trees (the random-forest default), and every side capped
    # at depth 12 (where the histogram peers are at their fastest for the same accuracy).
    for depth in (None, 12):
        ours = lambda depth=depth: RandomForestClassifier(  # noqa: E731
            n_trees, max_depth=depth, n_jobs=2, random_state=0
        )
        peers = {
            "XGBoost XGBRFClassifier (hist)": lambda depth=depth: xgboost.XGBRFClassifier(
                n_estimators=n_trees,
                max_depth=depth or 0,
                max_leaves=0,
                grow_policy="lossguide" if depth is None else "depthwise",
                subsample=0.632,
                colsample_bynode=share,
                tree_method="hist",
                n_jobs=2,
                random_state=0,
            ),
            "LightGBM rf": lambda depth=depth: lightgbm.LGBMClassifier(
                boosting_type="rf",
                n_estimators=n_trees,
                max_depth=depth or -1,
                num_leaves=2**15 if depth is None else 2**depth,
                min_child_samples=1,
                bagging_freq=1,
                bagging_fraction=0.632,
                feature_fraction_bynode=share,
                n_jobs=2,
                random_state=0,
                verbose=-1,
            ),
        }
        grown = "fully grown" if depth is None else f"max_depth={depth}"
        accuracy = {"mlhood": np.mean(ours().fit(X_train, y_train).predict(X_test) == y_test)}
        for name, make_peer in peers.items():
            accuracy[name] = np.mean(make_peer().fit(X_train, y_train).predict(X_test) == y_test)
            results.append(
                compare(
                    f"forest {n_trees} trees {grown} n={len(y_train)} p=20 fit+predict vs {name}",
                    lambda ours=ours: ours().fit(X_train, y_train).predict(X_test),
                    lambda make_peer=make_peer: make_peer().fit(X_train, y_train).predict(X_test),
                    rounds=1 if scale == 1 else 3,
                    memory=False,  # tracemalloc cannot see C++ allocations, slows XGBoost badly
                    warmup=scale > 1,  # the accuracy fits above were the warm-up
                )
            )
        notes.append(
            f"held-out accuracy, {grown}: "
            + ", ".join(f"{k} {v:.4f}" for k, v in accuracy.items())
        )

    rng = np.random.default_rng(2)
    X_fit = rng.normal(size=(50_000 // scale, 50)).astype(np.float32)
    queries = rng.normal(size=(10_000 // scale, 50)).astype(np.float32)
    y_fit = rng.integers(0, 3, X_fit.shape[0])
    faiss.omp_set_num_threads(2)
    index = faiss.IndexFlatL2(X_fit.shape[1])
    index.add(X_fit)
    single = KNeighborsClassifier(n_neighbors=5, n_jobs=2).fit(X_fit, y_fit)
    double = KNeighborsClassifier(n_neighbors=5, n_jobs=2).fit(X_fit.astype(np.float64), y_fit)
    queries64 = queries.astype(np.float64)
    results.append(
        compare(
            f"kneighbors k=5 float32 {len(queries)} queries, {len(X_fit)} points, p=50"
            " vs faiss IndexFlatL2",
            lambda: single.kneighbors(queries),
            lambda: index.search(queries, 5),
            rounds=3,
            memory=False,
        )
    )
    results.append(
        compare(
            "kneighbors float32 vs mlhood's own float64 (same case)",
            lambda: single.kneighbors(queries),
            lambda: double.kneighbors(queries64),
            rounds=3,
        )
    )
    agree = np.mean(single.kneighbors(queries[:500])[1] == index.search(queries[:500], 5)[1])
    notes.append(f"k-NN: neighbour indices equal to faiss's on {agree:.4f} of 500 queries x 5")
    print()
    print_table(results, peer_name="peer")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
