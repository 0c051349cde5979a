"""mlhood vs scikit-learn: linear models, timed side by side in one run.

Run: ``.venv/bin/python benchmarks/bench_linear.py`` (``--quick`` for a small smoke run).
Cases (issue 2): Ridge n=200k p=100; Lasso and ElasticNet n=10k p=1000 with 50 true
non-zeros; LogisticRegression l2 and l1, n=50k p=50. Goal: every ratio <= 1.0. One extra
case, a lasso path on a tiny p > n problem (thousands of sweeps over 50 coordinates),
is the measurement behind the numba-compiled sweep loops in ``_cd_kernel.py``.
Both sides solve the same objective with the same tolerance; scikit-learn uses its default
solver except for L1 logistic regression, where ``saga`` is its only solver of the same
objective (``liblinear`` also penalises the intercept; shown as an extra row). Lasso and
ElasticNet are also timed against skglm (Anderson-accelerated working-set coordinate
descent, the strongest CPU peer for these objectives), same ``alpha``, each side with
its default tolerance, in a second table.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import sklearn.linear_model as skl
from sklearn.exceptions import ConvergenceWarning

import mlhood.linear_model as mll
from _harness import compare, print_table


def sparse_regression(rng, n, p, n_nonzero, noise=1.0):
    """Gaussian design, ``n_nonzero`` true coefficients, Gaussian noise."""
    X = rng.normal(size=(n, p))
    coef = np.zeros(p)
    coef[rng.choice(p, n_nonzero, replace=False)] = rng.normal(scale=3.0, size=n_nonzero)
    return X, X @ coef + noise * rng.normal(size=n)


def skglm_peer(name: str):
    """skglm's estimator for the case ``name`` (same objective), or None without skglm."""
    try:
        import skglm
    except ImportError:
        return None
    if name.startswith("Lasso"):
        return skglm.Lasso(alpha=0.1)
    return skglm.ElasticNet(alpha=0.1, l1_ratio=0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, 2 rounds")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    rounds = 2 if args.quick else 5
    rng = np.random.default_rng(0)
    warnings.simplefilter("ignore", ConvergenceWarning)  # saga at default max_iter
    results = []

    n, p = 200_000 // scale, 100
    X = rng.normal(size=(n, p)) + rng.normal(size=p)
    y = X @ rng.normal(size=p) + rng.normal(size=n)
    results.append(
        compare(
            f"Ridge n={n:,} p={p}",
            lambda: mll.Ridge(alpha=1.0).fit(X, y),
            lambda: skl.Ridge(alpha=1.0).fit(X, y),
            rounds=rounds,
        )
    )

    n, p = 10_000 // scale, 1000 // scale
    X, y = sparse_regression(rng, n, p, 50 // scale)
    versus_skglm = []
    for name, ours, peer in [
        ("Lasso alpha=0.1", mll.Lasso(alpha=0.1), skl.Lasso(alpha=0.1)),
        (
            "ElasticNet alpha=0.1 l1_ratio=0.5",
            mll.ElasticNet(alpha=0.1, l1_ratio=0.5),
            skl.ElasticNet(alpha=0.1, l1_ratio=0.5),
        ),
    ]:
        results.append(
            compare(
                f"{name} n={n:,} p={p}",
                lambda ours=ours: ours.fit(X, y),
                lambda peer=peer: peer.fit(X, y),
                rounds=rounds,
            )
        )
        strongest = skglm_peer(name)
        if strongest is not None:
            versus_skglm.append(
                compare(
                    f"{name} n={n:,} p={p}",
                    lambda ours=ours: ours.fit(X, y),
                    lambda strongest=strongest: strongest.fit(X, y),
                    rounds=rounds,
                )
            )

    # many sweeps over few coordinates: interpreter overhead per coordinate would dominate
    n, p = 42, 50
    X, y = sparse_regression(rng, n, p, 3)
    X, y = X - X.mean(axis=0), y - y.mean()
    results.append(
        compare(
            f"lasso_path 40 alphas n={n} p={p} tol=1e-6",
            lambda: mll.lasso_path(X, y, n_alphas=40, tol=1e-6),
            lambda: skl.lasso_path(X, y, alphas=40, tol=1e-6),
            rounds=rounds,
        )
    )

    n, p = 50_000 // scale, 50
    X = rng.normal(size=(n, p))
    w = rng.normal(size=p) * (rng.random(p) < 0.3)
    labels = (X @ w + 0.5 * rng.normal(size=n) > 0).astype(int)
    cases = [
        ("LogisticRegression l2 C=1", dict(C=1.0), dict(C=1.0)),
        (
            "LogisticRegression l1 C=0.1 (saga)",
            dict(penalty="l1", C=0.1),
            dict(C=0.1, l1_ratio=1.0, solver="saga"),
        ),
        (
            "LogisticRegression l1 C=0.1 (liblinear*)",
            dict(penalty="l1", C=0.1),
            dict(C=0.1, l1_ratio=1.0, solver="liblinear"),
        ),
    ]
    for name, ours_kw, peer_kw in cases:
        results.append(
            compare(
                f"{name} n={n:,} p={p}",
                lambda kw=ours_kw: mll.LogisticRegression(**kw).fit(X, labels),
                lambda kw=peer_kw: skl.LogisticRegression(**kw).fit(X, labels),
                rounds=rounds,
            )
        )
    print_table(results, peer_name="sklearn")
    print("* liblinear also penalises the intercept: a different objective, for reference.")
    if versus_skglm:
        print()
        print_table(versus_skglm, peer_name="skglm")
    else:
        print("skglm is not installed (pip install -e '.[bench]'): no skglm rows")


if __name__ == "__main__":
    main()
