"""Hyperparameter search: mlhood's Bayesian optimizer beside Optuna's samplers; parallel grid.

1. Black-box regret. Branin (2-D, 30 trials) and Hartmann-6 (6-D, 60 trials), several
   seeds. Regret = best value found - known global minimum. Optimizer overhead per trial
   = (wall time of the whole run - time spent inside the objective) / trials. mlhood's
   ``minimize(method="bayes")`` and ``method="random"`` beside Optuna's ``GPSampler``,
   ``TPESampler`` and ``RandomSampler`` (defaults, seeded), run one after another on the
   same machine.
2. Parallel speed-up: ``GridSearchCV(n_jobs=2)`` vs ``n_jobs=1`` on a CPU-bound task (a
   RBF SVC grid, BLAS held to one thread), and mlhood's grid search vs
   scikit-learn's on the same grid and folds.

Run: ``.venv/bin/python benchmarks/bench_search.py`` (10 seeds) or ``--quick`` (3 seeds).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np
import optuna
from sklearn.model_selection import GridSearchCV as SkGridSearchCV
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from _harness import compare, print_table
from mlhood.model_selection import GridSearchCV, KFold, Real, minimize

HARTMANN_A = np.array(
    [
        [10, 3, 17, 3.5, 1.7, 8],
        [0.05, 10, 17, 0.1, 8, 14],
        [3, 3.5, 1.7, 10, 17, 8],
        [17, 8, 0.05, 10, 0.1, 14],
    ]
)
HARTMANN_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)
HARTMANN_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])


def hartmann6(x) -> float:
    x = np.asarray(x, dtype=float)
    return float(-HARTMANN_ALPHA @ np.exp(-np.sum(HARTMANN_A * (x - HARTMANN_P) ** 2, axis=1)))


def branin(x) -> float:
    x1, x2 = x
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return float((x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10)


PROBLEMS = {
    "Branin": (branin, [(-5.0, 10.0), (0.0, 15.0)], 30, 0.397887357729739),
    "Hartmann-6": (hartmann6, [(0.0, 1.0)] * 6, 60, -3.322368011391339),
}


class TimedObjective:
    """Counts the seconds spent inside the objective, so overhead can be separated."""

    def __init__(self, func):
        self.func, self.seconds = func, 0.0

    def __call__(self, x):
        start = time.perf_counter()
        value = self.func(x)
        self.seconds += time.perf_counter() - start
        return value


def run_mlhood(method, func, bounds, n_trials, seed):
    objective = TimedObjective(func)
    space = [Real(lo, hi) for lo, hi in bounds]
    start = time.perf_counter()
    result = minimize(objective, space, n_trials, method=method, random_state=seed)
    return result.fun, time.perf_counter() - start - objective.seconds


def run_optuna(sampler_name, func, bounds, n_trials, seed):
    samplers = {
        "GP": optuna.samplers.GPSampler,
        "TPE": optuna.samplers.TPESampler,
        "random": optuna.samplers.RandomSampler,
    }
    objective = TimedObjective(func)

    def wrapped(trial):
        return objective(
            [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        )

    study = optuna.create_study(sampler=samplers[sampler_name](seed=seed))
    start = time.perf_counter()
    study.optimize(wrapped, n_trials=n_trials)
    return study.best_value, time.perf_counter() - start - objective.seconds


RUNNERS = {
    "mlhood bayes": lambda *a: run_mlhood("bayes", *a),
    "mlhood random": lambda *a: run_mlhood("random", *a),
    "optuna GP": lambda *a: run_optuna("GP", *a),
    "optuna TPE": lambda *a: run_optuna("TPE", *a),
    "optuna random": lambda *a: run_optuna("random", *a),
}


def regret_table(n_seeds: int) -> dict:
    rows = {}
    for problem, (func, bounds, n_trials, f_min) in PROBLEMS.items():
        for name, runner in RUNNERS.items():
            regrets, overheads = [], []
            for seed in range(n_seeds):
                best, overhead = runner(func, bounds, n_trials, seed)
                regrets.append(best - f_min)
                overheads.append(overhead / n_trials)
            rows[problem, name] = (
                statistics.median(regrets),
                max(regrets),
                statistics.median(overheads),
            )
            print(f"  done {problem} {name}", flush=True)
    print(
        f"\n| problem (trials) | optimizer | median regret | worst regret | overhead s/trial |"
        f"  ({n_seeds} seeds)"
    )
    print("|---|---|---:|---:|---:|")
    for (problem, name), (median, worst, overhead) in rows.items():
        trials = PROBLEMS[problem][2]
        print(f"| {problem} ({trials}) | {name} | {median:.4g} | {worst:.4g} | {overhead:.4f} |")
    return rows


def grid_task():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1500, 20))
    y = (X[:, :5].sum(axis=1) + rng.normal(size=1500) > 0).astype(int)
    grid = {"C": np.logspace(-3, 2, 8).tolist()}
    return X, y, grid, KFold(3, shuffle=True, random_state=0)


def parallel_cases():
    X, y, grid, cv = grid_task()
    estimator = SVC(kernel="rbf")  # libsvm: single-threaded, CPU-bound, small data

    def ours(n_jobs):
        return lambda: GridSearchCV(estimator, grid, cv=cv, n_jobs=n_jobs).fit(X, y)

    def sklearns(n_jobs):
        return lambda: SkGridSearchCV(estimator, grid, cv=cv, n_jobs=n_jobs).fit(X, y)

    with threadpool_limits(limits=1):
        speedup = compare(
            "grid search 8x3 fits: n_jobs=2 vs n_jobs=1", ours(2), ours(1), rounds=3, memory=False
        )
        versus = [
            compare(
                f"grid search 8x3 fits n_jobs={n}: mlhood vs sklearn",
                ours(n),
                sklearns(n),
                rounds=3,
                memory=False,
            )
            for n in (1, 2)
        ]
    return speedup, versus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 seeds instead of 10")
    parser.add_argument(
        "--parallel-only",
        action="store_true",
        help="only the grid-search speed-up cases (rerun on a quiet machine)",
    )
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    n_seeds = 3 if args.quick else 10

    speedup, versus = parallel_cases()
    print_table([speedup, *versus], peer_name="peer")
    print(f"grid search speed-up n_jobs=2 over n_jobs=1: {1 / speedup.ratio:.2f}x (goal >= 1.7x)")
    if args.parallel_only:
        return

    rows = regret_table(n_seeds)
    for problem in PROBLEMS:
        ours, gp = rows[problem, "mlhood bayes"], rows[problem, "optuna GP"]
        print(
            f"{problem}: median regret mlhood {ours[0]:.4g} vs optuna GP {gp[0]:.4g} "
            f"({'ok' if ours[0] <= gp[0] else 'WORSE'}); overhead "
            f"{ours[2]:.3f} vs {gp[2]:.3f} s/trial = {ours[2] / gp[2]:.2f}x "
            f"({'ok' if ours[2] <= 0.5 * gp[2] else 'above goal 0.5x'})"
        )


if __name__ == "__main__":
    main()
