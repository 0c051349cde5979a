"""Benchmark: one training epoch of a 100-256-256-10 ReLU MLP, mlhood vs PyTorch and sklearn.

Setting (issue 4): n = 20,000 rows, 100 features, 10 classes, float32, batch 128, Adam
(lr 1e-3), cross-entropy. Against PyTorch (CPU, ``torch.set_num_threads(2)``, NumPy's BLAS
also limited to 2 threads) both networks use dropout 0.5 after each hidden ReLU. Against
scikit-learn's ``MLPClassifier`` (which has no dropout) both sides are estimators without
dropout fitted for one epoch (``max_iter=1``).

Run: .venv/bin/python benchmarks/bench_nn.py [--quick] [--threads N]

On a busy machine (load well above the core count) two-thread BLAS calls on these small
matrices wait for each other's cores and the wall-clock ratios swing widely; compare with
``--threads 1`` then.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLP
from threadpoolctl import threadpool_limits

from _harness import compare, print_table
from mlhood import nn

THREADS = 2


def make_data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 100)).astype(np.float32)
    w = rng.standard_normal((100, 10)).astype(np.float32)
    y = np.argmax(X @ w + rng.standard_normal((n, 10)).astype(np.float32), axis=1)
    return X, y


def mlhood_epoch(X, y, dropout: float):
    layers = [nn.Linear(100, 256, random_state=0), nn.ReLU()]
    layers += [nn.Dropout(dropout, random_state=1)] if dropout else []
    layers += [nn.Linear(256, 256, random_state=2), nn.ReLU()]
    layers += [nn.Dropout(dropout, random_state=3)] if dropout else []
    model = nn.Sequential(*layers, nn.Linear(256, 10, random_state=4)).astype(np.float32)
    optimizer = nn.Adam(model.parameters(), lr=1e-3)
    loss = nn.CrossEntropyLoss()

    def run():
        return nn.fit(model, X, y, loss, optimizer, batch_size=128, epochs=1, random_state=0)

    return run


def torch_epoch(X, y, dropout: float):
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(100, 256),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(256, 256),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(256, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))

    def run():
        model.train()
        order = torch.randperm(X_t.shape[0])
        for start in range(0, X_t.shape[0], 128):
            idx = order[start : start + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(X_t[idx]), y_t[idx])
            loss.backward()
            optimizer.step()

    return run


def sklearn_epoch(X, y):
    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            SkMLP((256, 256), batch_size=128, max_iter=1, alpha=1e-4, random_state=0).fit(X, y)

    return run


def mlhood_estimator_epoch(X, y):
    def run():
        nn.MLPClassifier((256, 256), batch_size=128, max_iter=1, random_state=0).fit(X, y)

    return run


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="n=2,000 and 2 rounds")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads for both sides")
    args = parser.parse_args(argv)
    n, rounds = (2_000, 2) if args.quick else (20_000, 5)
    threads = args.threads
    torch.set_num_threads(threads)
    X, y = make_data(n)
    with threadpool_limits(threads):
        vs_torch = compare(
            f"1 epoch, 100-256-256-10, dropout 0.5, Adam, batch 128, n={n}",
            mlhood_epoch(X, y, 0.5),
            torch_epoch(X, y, 0.5),
            rounds=rounds,
        )
        vs_sklearn = compare(
            f"MLPClassifier 1 epoch, 100-256-256-10, no dropout, Adam, batch 128, n={n}",
            mlhood_estimator_epoch(X, y),
            sklearn_epoch(X, y),
            rounds=rounds,
        )
    print(f"threads: {threads} (torch.set_num_threads and NumPy BLAS)")
    print("note: torch allocates outside tracemalloc, so its MiB column reads 0")
    print_table([vs_torch], peer_name="torch")
    print()
    print_table([vs_sklearn], peer_name="sklearn")


if __name__ == "__main__":
    main()
