"""Benchmark: robust regression and robust covariance, mlhood vs scikit-learn.

Cases (same data and settings on both sides, fitted from scratch each round):

* ``HuberRegressor`` on 100,000 x 20 with 10% gross outliers (L-BFGS-B on the same
  objective, so both do the same iterations).
* ``RANSACRegressor`` on 100,000 x 10 with 30% outliers (least squares on random
  minimal subsets, ``max_trials=100``).
* FAST-MCD: ``MahalanobisDetector(robust=True)`` vs ``MinCovDet`` on 5,000 x 10 with 20%
  contamination (mlhood uses 500 random starts as in the paper).

Run: .venv/bin/python benchmarks/bench_outliers.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn import linear_model as sk
from sklearn.covariance import MinCovDet

from _harness import compare, print_table
from mlhood.linear_model import HuberRegressor, RANSACRegressor
from mlhood.outliers import MahalanobisDetector


def regression_data(n, p, share, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X @ rng.standard_normal(p) + 0.5 * rng.standard_normal(n)
    bad = rng.choice(n, int(share * n), replace=False)
    y[bad] += rng.uniform(10, 50, bad.size)
    return X, y


def contaminated_cloud(n, p, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    bad = rng.choice(n, n // 5, replace=False)
    X[bad] = 5.0 + 0.5 * rng.standard_normal((bad.size, p))
    return X


def main(quick: bool) -> None:
    scale = 10 if quick else 1
    rounds = 2 if quick else 5
    results = []

    X, y = regression_data(100_000 // scale, 20, 0.1)
    results.append(
        compare(
            f"HuberRegressor {X.shape[0]}x{X.shape[1]}",
            lambda: HuberRegressor().fit(X, y),
            lambda: sk.HuberRegressor().fit(X, y),
            rounds=rounds,
        )
    )

    X2, y2 = regression_data(100_000 // scale, 10, 0.3, seed=1)
    results.append(
        compare(
            f"RANSACRegressor {X2.shape[0]}x{X2.shape[1]}",
            lambda: RANSACRegressor(residual_threshold=2.0, random_state=0).fit(X2, y2),
            lambda: sk.RANSACRegressor(residual_threshold=2.0, random_state=0).fit(X2, y2),
            rounds=rounds,
        )
    )

    X3 = contaminated_cloud(5_000 // scale, 10)
    results.append(
        compare(
            f"FAST-MCD {X3.shape[0]}x{X3.shape[1]}",
            lambda: MahalanobisDetector(random_state=0).fit(X3),
            lambda: MinCovDet(random_state=0).fit(X3),
            rounds=rounds,
        )
    )
    print_table(results, peer_name="sklearn")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    main(parser.parse_args().quick)
