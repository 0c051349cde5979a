"""q04 - What is a hyperparameter, and how do you find good ones? Grid vs random vs Bayes."""

from __future__ import annotations

import numpy as np

from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
from mlhood.linear_model import Ridge
from mlhood.model_selection import Integer, KFold, Real, Space, minimize, validation_curve
from mlhood.model_selection._gp import GaussianProcess

QUESTION = "What is a hyperparameter, and how do you search for good values of it?"

ANSWER = """\
A **hyperparameter** is a setting chosen *before* training that the training algorithm
does not learn from the data: a regularisation strength λ, a learning rate, a tree depth,
a batch size. Parameters (weights) minimise the training loss; hyperparameters are
chosen to minimise the **validation** loss (held-out data or cross-validation), because
on the training loss the most flexible setting always wins.

How to search, with a fixed budget of trials:

- **Grid search** tries every combination of a few values per hyperparameter. In `d`
  dimensions a budget of `B` trials gives only `B^(1/d)` distinct values of each one, so
  when only a few hyperparameters matter most of the budget re-tests the same values of
  the ones that count.
- **Random search** draws every trial independently; each of the `B` trials tries a new
  value of *every* hyperparameter, so the important ones are explored `B` times
  (Bergstra & Bengio 2012). It is a strong baseline and trivially parallel.
- **Bayesian optimisation** fits a probabilistic **surrogate** of the validation score as
  a function of the hyperparameters (here a Gaussian process: a mean *and* an uncertainty
  everywhere) and picks the next trial by maximising an **acquisition function** (here
  log expected improvement) that trades off low predicted loss against high uncertainty.
  It spends trials where they are informative and usually reaches a good value in the
  fewest trials; each proposal costs some computation, worth it when a trial is costly.

**Correct**: Bayesian optimisation is not "trying values and keeping the best": it is a
model of score given hyperparameters (surrogate) plus a rule for where to look next
(acquisition). And random search is *not* riskier than grid search in high dimensions -
it is usually better, as the lab measures over many seeds, unlucky ones included.
"""

# A synthetic validation-loss surface over four hyperparameters where only the first two
# matter much. It is a bowl in the unit-cube coordinates u of the space's encoding, with
# known minimum FLOOR. Each problem instance puts the optimum of the two important
# hyperparameters somewhere else, so grid and random search are compared over a
# distribution of problems (the grid is deterministic; where the optimum falls relative to
# its points is the luck of the draw).
SPACE = Space({
    "learning_rate": Real(1e-4, 1.0, log=True),
    "weight_decay": Real(1e-6, 1e-1, log=True),
    "dropout": Real(0.0, 0.7),
    "batch_size": Integer(16, 512, log=True),
})  # fmt: skip
WEIGHTS = np.array([1.0, 0.3, 0.01, 0.01])
FLOOR = 0.10
TARGET_REGRET = 0.005


class ValidationLoss:
    """``FLOOR + sum_j w_j (u_j - optimum_j)^2`` with the learning rate and weight decay
    dominating (w = 1, 0.3, 0.01, 0.01)."""

    def __init__(self, optimum_u):
        self.optimum_u = np.asarray(optimum_u, dtype=float)

    def __call__(self, point) -> float:
        u = SPACE.encode(point)
        return float(FLOOR + WEIGHTS @ (u - self.optimum_u) ** 2)


def problem_instances(seed: int, n: int) -> list[ValidationLoss]:
    rng = np.random.default_rng(seed)
    return [ValidationLoss(np.r_[rng.uniform(0.1, 0.9, 2), 0.5, 0.5]) for _ in range(n)]


def best_so_far(values) -> np.ndarray:
    return np.minimum.accumulate(np.asarray(values, dtype=float))


def trials_to_target(curve: np.ndarray, target: float) -> int:
    """First trial number (1-based) whose best-so-far regret is <= target; B+1 if never."""
    hits = np.flatnonzero(curve <= target)
    return int(hits[0] + 1) if hits.size else curve.size + 1


def search_curves(budget: int, problems: list, n_bayes: int, seed: int) -> dict:
    """Regret-so-far curves of grid, random and Bayes search, one per problem instance.

    The grid's points do not depend on the problem, so the grid search is run once and its
    points are scored on every instance. Random search runs on every instance; Bayesian
    search (a GP fit per trial) on the first ``n_bayes`` instances.
    """
    grid = minimize(problems[0], SPACE, budget, method="grid")
    runs = {"grid": [grid]}
    curves = {"grid": [best_so_far([p(x) for x in grid.x_iters]) - FLOOR for p in problems]}
    runs["random"] = [minimize(p, SPACE, budget, method="random", random_state=seed * 1000 + i)
                      for i, p in enumerate(problems)]  # fmt: skip
    runs["bayes"] = [minimize(p, SPACE, budget, method="bayes", random_state=seed * 1000 + i,
                              n_initial=5) for i, p in enumerate(problems[:n_bayes])]  # fmt: skip
    for method in ("random", "bayes"):
        curves[method] = [best_so_far(r.func_vals) - FLOOR for r in runs[method]]
    return {"curves": curves, "runs": runs}


def ridge_validation_curve(seed: int, n_samples: int) -> dict:
    """Validation MSE of a degree-15 polynomial Ridge over a log grid of λ."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n_samples)
    y = np.sin(3 * x) + 0.3 * rng.normal(size=n_samples)
    X = np.vander(x, 16, increasing=True)[:, 1:]
    alphas = np.logspace(-8, 3, 12)
    train, val = validation_curve(Ridge(), X, y, param_name="alpha", param_range=alphas,
                                  cv=KFold(5, shuffle=True, random_state=seed),
                                  scoring="neg_mean_squared_error")  # fmt: skip
    return {"alphas": alphas, "train_mse": -train.mean(axis=1), "val_mse": -val.mean(axis=1)}


def surrogate_check(run, problem, seed: int) -> dict:
    """Refit the GP on a Bayes run's trials; test its mean and uncertainty on fresh points."""
    X = np.array([SPACE.encode(p) for p in run.x_iters])
    gp = GaussianProcess().fit(X, run.func_vals)
    rng = np.random.default_rng(seed + 99)
    fresh = [SPACE.sample(rng) for _ in range(300)]
    U = np.array([SPACE.encode(p) for p in fresh])
    truth = np.array([problem(p) for p in fresh])
    mean, var = gp.predict(U)
    distance = np.min(np.linalg.norm(U[:, None, :] - X[None, :, :], axis=2), axis=1)
    return {
        "mean_vs_truth_corr": float(np.corrcoef(mean, truth)[0, 1]),
        "sd_vs_distance_corr": float(np.corrcoef(np.sqrt(var), distance)[0, 1]),
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q04", "Hyperparameter search: grid, random, Bayesian", QUESTION, ANSWER)
    with timed(result):
        budget, n_problems, n_bayes, n_samples = (16, 200, 2, 30) if quick else (16, 600, 8, 30)
        problems = problem_instances(seed, n_problems)

        vc = ridge_validation_curve(seed, n_samples)
        best = int(np.argmin(vc["val_mse"]))
        ends = min(vc["val_mse"][0], vc["val_mse"][-1])
        result.claims.append(Claim(
            "λ is a hyperparameter: training error only grows with λ, while the 5-fold "
            "validation error of a degree-15 polynomial Ridge is U-shaped over a log grid, its "
            "minimum interior and at least 20% below both ends.",
            {"best_alpha": vc["alphas"][best], "val_mse_at_best": vc["val_mse"][best],
             "val_mse_smallest_alpha": vc["val_mse"][0],
             "val_mse_largest_alpha": vc["val_mse"][-1],
             "train_mse_nondecreasing": bool(np.all(np.diff(vc["train_mse"]) >= -1e-9))},
            0 < best < len(vc["alphas"]) - 1 and vc["val_mse"][best] < 0.8 * ends
            and bool(np.all(np.diff(vc["train_mse"]) >= -1e-9)),
        ))  # fmt: skip

        found = search_curves(budget, problems, n_bayes, seed)
        curves = found["curves"]
        final = {m: np.array([c[-1] for c in cs]) for m, cs in curves.items()}
        grid_values = len({round(p[0], 12) for p in found["runs"]["grid"][0].x_iters})
        median = {m: float(np.median(v)) for m, v in final.items()}
        p90 = {m: float(np.quantile(v, 0.9)) for m, v in final.items()}
        result.claims.append(Claim(
            f"With {budget} trials on 4 hyperparameters of which 2 matter, random search "
            f"beats grid search: the grid tries only {grid_values} learning rates, random "
            f"tries {budget}; over {n_problems} problem instances random's median regret is "
            "at least 30% below the grid's.",
            {"grid_median_regret": median["grid"], "random_median_regret": median["random"],
             "distinct_learning_rates_grid": grid_values},
            median["random"] <= 0.7 * median["grid"],
        ))  # fmt: skip
        beats = float(np.mean(final["random"][: len(final["grid"])] < final["grid"]))
        result.claims.append(Claim(
            "Random search is not riskier than grid: its bad-luck outcome (90th-percentile "
            "regret over problem instances) is no worse than the grid's, and it wins on more "
            "instances than it loses.",
            {"random_p90_regret": p90["random"], "grid_p90_regret": p90["grid"],
             "fraction_random_beats_grid": beats},
            p90["random"] <= p90["grid"] and beats > 0.5,
        ))  # fmt: skip
        reach = {m: [trials_to_target(c, TARGET_REGRET) for c in cs]
                 for m, cs in curves.items()}  # fmt: skip
        med = {m: float(np.median(v)) for m, v in reach.items()}
        result.claims.append(Claim(
            f"Bayesian optimisation (GP surrogate + log expected improvement) reaches regret "
            f"{TARGET_REGRET} in the fewest trials (median over instances; "
            f"{budget + 1} = never reached), reaches it on every instance it ran on, and ends "
            "below random search's median regret.",
            {"median_trials_to_target": med, "bayes_trials_to_target": reach["bayes"],
             "final_regret_bayes": final["bayes"]},
            med["bayes"] < min(med["random"], med["grid"])
            and max(reach["bayes"]) <= budget
            and final["bayes"].max() < median["random"],
        ))  # fmt: skip
        check = surrogate_check(found["runs"]["bayes"][0], problems[0], seed)
        result.claims.append(Claim(
            "The surrogate is probabilistic: refit on one Bayes run's trials, its mean "
            "tracks the true loss on 300 fresh points (correlation > 0.8) and its predicted "
            "uncertainty grows with the distance to the nearest evaluated point "
            "(correlation > 0.3).",
            check,
            check["mean_vs_truth_corr"] > 0.8 and check["sd_vs_distance_corr"] > 0.3,
        ))  # fmt: skip

        result.tables["final_regret"] = [
            {"method": m, "instances": len(final[m]), "median_regret": round(median[m], 5),
             "p90_regret": round(p90[m], 5), "median_trials_to_target": med[m],
             "trials": budget}
            for m in ("grid", "random", "bayes")
        ]  # fmt: skip
        result.tables["validation_curve"] = [
            {"alpha": float(a), "train_mse": round(float(t), 4), "val_mse": round(float(v), 4)}
            for a, t, v in zip(vc["alphas"], vc["train_mse"], vc["val_mse"])
        ]  # fmt: skip
        result.figures["best_so_far"] = _curves_figure(curves, budget, TARGET_REGRET)
        result.figures["validation_curve"] = _validation_figure(vc, best)
        result.figures["points_tried"] = _points_figure(found["runs"], problems[0].optimum_u)
    return result


def _curves_figure(curves, budget, target):
    fig, ax = new_figure()
    trials = np.arange(1, budget + 1)
    for method, color in (("grid", "tab:gray"), ("random", "tab:blue"), ("bayes", "tab:red")):
        stack = np.array(curves[method])
        ax.plot(trials, np.median(stack, axis=0), color=color, label=f"{method} (median)")
        if len(stack) > 1:
            low, high = np.quantile(stack, [0.1, 0.9], axis=0)
            ax.fill_between(trials, low, high, color=color, alpha=0.15)
    ax.axhline(target, color="k", ls=":", lw=1, label="target")
    ax.set_yscale("log")
    ax.set_xlabel("trial")
    ax.set_ylabel("best regret so far (validation loss - optimum)")
    ax.set_title("Equal budgets: best-so-far regret (band: 10-90% of seeds)")
    ax.legend()
    return fig


def _validation_figure(vc, best):
    fig, ax = new_figure()
    ax.semilogx(vc["alphas"], vc["train_mse"], "o-", label="training MSE")
    ax.semilogx(vc["alphas"], vc["val_mse"], "o-", label="5-fold validation MSE")
    ax.semilogx([vc["alphas"][best]], [vc["val_mse"][best]], "r*", ms=14, label="best λ")
    ax.set_yscale("log")
    ax.set_xlabel("λ (Ridge penalty, log scale)")
    ax.set_ylabel("mean squared error")
    ax.set_title("Validation curve: degree-15 polynomial Ridge")
    ax.legend()
    return fig


def _points_figure(runs, optimum):
    fig, axes = new_figure(ncols=3, width=3.6)
    for ax, method in zip(axes, ("grid", "random", "bayes")):
        U = np.array([SPACE.encode(p) for p in runs[method][0].x_iters])
        ax.scatter(U[:, 0], U[:, 1], s=18)
        ax.plot(*optimum[:2], "r*", ms=12)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("learning rate (log, unit scale)")
        ax.set_ylabel("weight decay (log, unit scale)")
        ax.set_title(f"{method}: points tried (star: optimum)")
    return fig
