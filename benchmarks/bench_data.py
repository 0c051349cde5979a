"""mlhood vs scikit-learn: roc_auc_score, PCA and OneHotEncoder, timed side by side.

Run: ``.venv/bin/python benchmarks/bench_data.py`` (``--quick`` for a small smoke run).
Goals: roc_auc_score at n=1e6 ratio <= 0.5; PCA 20k x 500 <= 1.0; OneHotEncoder
1e6 x 5 <= 1.0 (dense output on both sides).
"""

from __future__ import annotations

import argparse

import numpy as np
import sklearn.decomposition as skd
import sklearn.metrics as skm
import sklearn.preprocessing as skp

import mlhood.decomposition as mld
import mlhood.metrics as mlm
import mlhood.preprocessing as mlp
from _harness import compare, print_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds")
    args = parser.parse_args()
    scale = 20 if args.quick else 1
    rounds = 2 if args.quick else 5
    rng = np.random.default_rng(0)
    results = []

    n = 1_000_000 // scale
    y = rng.integers(0, 2, n)
    scores = np.round(rng.normal(size=n) + y, 3)  # rounding adds realistic ties
    results.append(
        compare(
            f"roc_auc_score n={n:,}",
            lambda: mlm.roc_auc_score(y, scores),
            lambda: skm.roc_auc_score(y, scores),
            rounds=rounds,
        )
    )

    n, p = 20_000 // scale, 500 // (5 if args.quick else 1)
    X = rng.normal(size=(n, p)) @ rng.normal(size=(p, p)) * 0.1 + 5.0
    results.append(
        compare(
            f"PCA fit {n:,}x{p}",
            lambda: mld.PCA().fit(X),
            lambda: skd.PCA().fit(X),
            rounds=rounds,
        )
    )

    n = 1_000_000 // scale
    levels = np.array([f"level_{i}" for i in range(8)], dtype=object)
    cats = np.empty((n, 5), dtype=object)
    for j in range(5):
        cats[:, j] = levels[rng.integers(0, 8, n)]
    results.append(
        compare(
            f"OneHotEncoder fit_transform {n:,}x5 strings",
            lambda: mlp.OneHotEncoder().fit_transform(cats),
            lambda: skp.OneHotEncoder(sparse_output=False).fit_transform(cats),
            rounds=rounds,
        )
    )
    ints = rng.integers(0, 8, (n, 5))
    results.append(
        compare(
            f"OneHotEncoder fit_transform {n:,}x5 ints",
            lambda: mlp.OneHotEncoder().fit_transform(ints),
            lambda: skp.OneHotEncoder(sparse_output=False).fit_transform(ints),
            rounds=rounds,
        )
    )
    print_table(results, peer_name="sklearn")


if __name__ == "__main__":
    main()
