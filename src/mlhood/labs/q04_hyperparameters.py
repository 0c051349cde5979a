"""q04 - What is a hyperparameter, and how do you find good ones? Grid vs random vs Bayes."""

from __future__ import annotations

import numpy as np
from scipy.stats import norm, qmc

from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import Ridge
from mlhood.model_selection import (
    GridSearchCV,
    Integer,
    KFold,
    Real,
    Space,
    minimize,
    validation_curve,
)
from mlhood.model_selection._acquisition import log_expected_improvement
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
SPACE = Space(
    {
        "learning_rate": Real(1e-4, 1.0, log=True),
        "weight_decay": Real(1e-6, 1e-1, log=True),
        "dropout": Real(0.0, 0.7),
        "batch_size": Integer(16, 512, log=True),
    }
)
WEIGHTS = np.array([1.0, 0.3, 0.01, 0.01])
FLOOR = 0.10
TARGET_REGRET = 0.005
ALPHAS = np.logspace(-8, 3, 12)


class ValidationLoss:
    """``FLOOR + sum_j w_j (u_j - optimum_j)^2`` with the learning rate and weight decay
    dominating (w = 1, 0.3, 0.01, 0.01)."""

    def __init__(self, optimum_u):
        self.optimum_u = np.asarray(optimum_u, dtype=float)

    def __call__(self, point) -> float:
        u = SPACE.encode(point)
        return float(FLOOR + WEIGHTS @ (u - self.optimum_u) ** 2)


def problem_instances(seed: int, n: int) -> list[ValidationLoss]:
    """``n`` bowls whose important optimum coordinates fill ``[0.1, 0.9]^2`` evenly.

    The optima are a scrambled Sobol sequence (seeded), so the medians over instances
    vary much less from seed to seed than with independent uniform draws.
    """
    sobol = qmc.Sobol(2, scramble=True, seed=np.random.default_rng(seed))
    return [ValidationLoss(np.r_[0.1 + 0.8 * u, 0.5, 0.5]) for u in sobol.random(n)]


def best_so_far(values) -> np.ndarray:
    return np.minimum.accumulate(np.asarray(values, dtype=float))


def trials_to_target(curve: np.ndarray, target: float) -> int:
    """First trial number (1-based) whose best-so-far regret is <= target; B+1 if never.

    Examples
    --------
    >>> trials_to_target(np.array([0.3, 0.01, 0.004]), 0.005), trials_to_target(np.ones(4), 0.5)
    (3, 5)
    """
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
    seeds = np.random.SeedSequence(seed).generate_state(len(problems))
    runs["random"] = [
        minimize(p, SPACE, budget, method="random", random_state=int(s))
        for p, s in zip(problems, seeds)
    ]
    runs["bayes"] = [
        minimize(p, SPACE, budget, method="bayes", random_state=int(s), n_initial=5)
        for p, s in zip(problems[:n_bayes], seeds)
    ]
    for method in ("random", "bayes"):
        curves[method] = [best_so_far(r.func_vals) - FLOOR for r in runs[method]]
    return {"curves": curves, "runs": runs}


def polynomial_problem(seed: int, n_samples: int):
    """A noisy sine on [-1, 1] and its degree-15 polynomial features (raw powers)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, n_samples)
    y = np.sin(3 * x) + 0.3 * rng.normal(size=n_samples)
    return np.vander(x, 16, increasing=True)[:, 1:], y


def ridge_validation_curve(X, y, cv_seed: int) -> dict:
    """Training and 5-fold validation MSE of Ridge over ``ALPHAS``, and the grid search."""
    cv = KFold(5, shuffle=True, random_state=cv_seed)
    scoring = "neg_mean_squared_error"
    train, val = validation_curve(
        Ridge(), X, y, param_name="alpha", param_range=ALPHAS, cv=cv, scoring=scoring
    )
    search = GridSearchCV(Ridge(), {"alpha": list(ALPHAS)}, cv=cv, scoring=scoring).fit(X, y)
    return {
        "train_mse": -train.mean(axis=1),
        "val_mse": -val.mean(axis=1),
        "chosen": int(np.flatnonzero(ALPHAS == search.best_params_["alpha"])[0]),
        "best_score": search.best_score_,
    }


def ridge_mse_closed_form(X, y, cv_seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The same curve from scratch: folds cut from one ``RandomState(cv_seed)`` permutation,
    and Ridge with an unpenalised intercept as the least-squares problem
    ``min ||X_c w - y_c||^2 + alpha ||w||^2`` on centred data, solved stably as
    ``[X_c; sqrt(alpha) I] w = [y_c; 0]``."""
    folds = np.array_split(np.random.RandomState(cv_seed).permutation(len(y)), 5)
    train_mse, val_mse = np.zeros((len(ALPHAS), 5)), np.zeros((len(ALPHAS), 5))
    for k, test in enumerate(folds):
        train = np.setdiff1d(np.arange(len(y)), test)
        x_mean, y_mean = X[train].mean(axis=0), y[train].mean()
        Xc, yc = X[train] - x_mean, y[train] - y_mean
        for i, alpha in enumerate(ALPHAS):
            A = np.vstack([Xc, np.sqrt(alpha) * np.eye(X.shape[1])])
            w = np.linalg.lstsq(A, np.r_[yc, np.zeros(X.shape[1])], rcond=None)[0]
            residual = y - ((X - x_mean) @ w + y_mean)
            train_mse[i, k] = np.mean(residual[train] ** 2)
            val_mse[i, k] = np.mean(residual[test] ** 2)
    return train_mse.mean(axis=1), val_mse.mean(axis=1)


def matern52_posterior(gp, U):
    """GP posterior mean and variance at ``U`` recomputed from the fitted hyperparameters.

    ``k(r) = s_f (1 + sqrt5 r + 5/3 r^2) exp(-sqrt5 r)``, ``K = k(X, X) + s_n I`` on the
    standardised targets ``z``: ``mu = m + s k_*^T K^-1 z``,
    ``var = s^2 (s_f - k_*^T K^-1 k_*)``.
    """

    def kernel(A, B):
        r = np.sqrt((((A[:, None, :] - B[None, :, :]) / gp.length_) ** 2).sum(axis=2))
        return gp.signal_ * (1 + np.sqrt(5) * r + 5 / 3 * r**2) * np.exp(-np.sqrt(5) * r)

    K = kernel(gp.X_, gp.X_) + gp.noise_ * np.eye(len(gp.X_))
    k_star = kernel(U, gp.X_)
    z = gp.z_
    mean = gp.y_mean_ + gp.y_std_ * k_star @ np.linalg.solve(K, z)
    var = gp.y_std_**2 * (gp.signal_ - np.sum(k_star * np.linalg.solve(K, k_star.T).T, axis=1))
    return mean, var


def surrogate_check(run, problem, seed: int) -> dict:
    """Refit the GP on a Bayes run's trials; test it on 300 fresh points.

    Its mean against the true loss, its uncertainty against the distance to the nearest
    evaluated point, its mean and variance against :func:`matern52_posterior`, and its log
    expected improvement against the closed form ``(f* - mu) Phi(z) + sigma phi(z)``.
    """
    X = np.array([SPACE.encode(p) for p in run.x_iters])
    gp = GaussianProcess().fit(X, run.func_vals)
    rng = np.random.default_rng(seed)
    fresh = [SPACE.sample(rng) for _ in range(300)]
    U = np.array([SPACE.encode(p) for p in fresh])
    truth = np.array([problem(p) for p in fresh])
    mean, var = gp.predict(U)
    ref_mean, ref_var = matern52_posterior(gp, U)
    distance = np.min(np.linalg.norm(U[:, None, :] - X[None, :, :], axis=2), axis=1)
    best = float(run.func_vals.min())
    sigma = np.sqrt(ref_var)
    z = (best - ref_mean) / sigma
    ei = (best - ref_mean) * norm.cdf(z) + sigma * norm.pdf(z)
    usable = z > -5  # where the closed form has not lost its digits to cancellation
    log_ei = log_expected_improvement(gp, U[usable], best)
    prior_var = gp.signal_ * gp.y_std_**2
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant sd has no correlation
        sd_corr = float(np.corrcoef(np.sqrt(var), distance)[0, 1])
    return {
        "mean_vs_truth_corr": float(np.corrcoef(mean, truth)[0, 1]),
        "sd_vs_distance_corr": sd_corr,
        "mean_error": float(np.max(np.abs(mean - ref_mean)) / gp.y_std_),
        "variance_error": float(np.max(np.abs(var - ref_var)) / prior_var),
        "log_ei_error": float(np.max(np.abs(log_ei - np.log(ei[usable])))),
        "points_compared_for_ei": int(usable.sum()),
    }


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q04", "Hyperparameter search: grid, random, Bayesian", QUESTION, ANSWER)
    with timed(result):
        budget, n_problems, n_bayes, n_samples, n_sets = (
            (16, 512, 8, 30, 3) if quick else (16, 2048, 30, 30, 12)
        )
        streams = np.random.SeedSequence(seed).generate_state(5)
        problems = problem_instances(int(streams[0]), n_problems)

        # Several small data sets: one 30-point curve is noisy, their mean is a clear U.
        sets = np.random.SeedSequence(int(streams[1])).generate_state(2 * n_sets).reshape(-1, 2)
        data = [polynomial_problem(int(a), n_samples) + (int(b),) for a, b in sets]
        per_set = [ridge_validation_curve(X, y, cv_seed) for X, y, cv_seed in data]
        vc = {key: np.mean([c[key] for c in per_set], axis=0) for key in ("train_mse", "val_mse")}
        best = int(np.argmin(vc["val_mse"]))
        ends = min(vc["val_mse"][0], vc["val_mse"][-1])
        train_drop = max(float(np.max(-np.diff(c["train_mse"]))) for c in per_set)
        result.claims.append(
            Claim(
                "λ is a hyperparameter: training error only grows with λ, while the 5-fold "
                "validation error of a degree-15 polynomial Ridge (mean over "
                f"{n_sets} data sets of {n_samples} points) is U-shaped over a log grid, its "
                "minimum interior and at least 20% below both ends.",
                {
                    "best_alpha": ALPHAS[best],
                    "val_mse_at_best": vc["val_mse"][best],
                    "val_mse_smallest_alpha": vc["val_mse"][0],
                    "val_mse_largest_alpha": vc["val_mse"][-1],
                },
                checks=[
                    Check(
                        "grid steps from the minimum to the nearest end",
                        min(best, len(ALPHAS) - 1 - best),
                        ">=",
                        1,
                    ),
                    Check("val MSE at best / smaller end", vc["val_mse"][best] / ends, "<", 0.8),
                    Check("largest drop of training MSE as λ grows", train_drop, "<", 1e-9),
                ],
                catches=["kfold-test-rows-in-training"],
            )
        )
        curve_error, choice_steps, score_error = 0.0, 0, 0.0
        for (X, y, cv_seed), c in zip(data, per_set):
            ref_train, ref_val = ridge_mse_closed_form(X, y, cv_seed)
            curve_error = max(
                curve_error,
                float(np.max(np.abs(c["val_mse"] / ref_val - 1))),
                float(np.max(np.abs(c["train_mse"] / ref_train - 1))),
            )
            own_best = int(np.argmin(c["val_mse"]))
            choice_steps = max(choice_steps, abs(c["chosen"] - own_best))
            min_mse = c["val_mse"][own_best]
            score_error = max(score_error, abs(c["best_score"] + min_mse) / min_mse)
        result.claims.append(
            Claim(
                "Correctness: each validation curve equals a from-scratch computation (Ridge "
                "by least squares on folds cut independently), and GridSearchCV on the same "
                "λ grid and folds chooses that curve's minimum, with best_score_ = -min MSE.",
                {"chosen_alphas": [ALPHAS[c["chosen"]] for c in per_set]},
                checks=[
                    Check("max relative difference of the curves", curve_error, "<", 1e-6),
                    Check(
                        "grid steps between search choice and curve minimum",
                        choice_steps,
                        "<",
                        0.5,
                    ),
                    Check("|best_score_ + min val MSE| / min val MSE", score_error, "<", 1e-9),
                ],
                catches=[
                    "kfold-test-rows-in-training",
                    "kfold-shuffle-ignored",
                    "search-best-by-lowest-score",
                ],
            )
        )

        found = search_curves(budget, problems, n_bayes, int(streams[3]))
        curves = found["curves"]
        final = {m: np.array([c[-1] for c in cs]) for m, cs in curves.items()}
        grid_values = len({round(p[0], 12) for p in found["runs"]["grid"][0].x_iters})
        random_values = np.mean(
            [len({round(p[0], 12) for p in r.x_iters}) for r in found["runs"]["random"]]
        )
        median = {m: float(np.median(v)) for m, v in final.items()}
        p90 = {m: float(np.quantile(v, 0.9)) for m, v in final.items()}
        result.claims.append(
            Claim(
                f"With {budget} trials on 4 hyperparameters of which 2 matter, random search "
                f"beats grid search: the grid tries only {grid_values} learning rates, random "
                f"tries {budget}; over {n_problems} problem instances random's median regret is "
                "at least 30% below the grid's.",
                {
                    "grid_median_regret": median["grid"],
                    "random_median_regret": median["random"],
                    "distinct_learning_rates_grid": grid_values,
                    "distinct_learning_rates_random": random_values,
                },
                checks=[
                    Check(
                        "random / grid median regret", median["random"] / median["grid"], "<", 0.7
                    )
                ],
                catches=["random-search-reuses-draw"],
            )
        )
        beats = float(np.mean(final["random"] < final["grid"]))
        result.claims.append(
            Claim(
                "Random search is not riskier than grid: its bad-luck outcome (90th-percentile "
                "regret over problem instances) is no worse than the grid's, and it wins on more "
                "instances than it loses.",
                {"random_p90_regret": p90["random"], "grid_p90_regret": p90["grid"]},
                checks=[
                    Check(
                        "random / grid 90th-percentile regret",
                        p90["random"] / p90["grid"],
                        "<",
                        1.0,
                    ),
                    Check("fraction of instances random beats grid", beats, ">", 0.5),
                ],
                catches=["random-search-reuses-draw"],
            )
        )
        reach = {m: [trials_to_target(c, TARGET_REGRET) for c in cs] for m, cs in curves.items()}
        med = {m: float(np.median(v)) for m, v in reach.items()}
        wins = int(np.sum(final["bayes"] < final["random"][:n_bayes]))
        result.claims.append(
            Claim(
                f"Bayesian optimisation (GP surrogate + log expected improvement) reaches regret "
                f"{TARGET_REGRET} in the fewest trials (median over {n_bayes} instances; "
                f"{budget + 1} = never reached), and its median final regret is less than half "
                "of random search's.",
                {
                    "median_trials_to_target": med,
                    "bayes_trials_to_target": reach["bayes"],
                    "bayes_median_regret": median["bayes"],
                    "random_median_regret": median["random"],
                    "bayes_beats_random_on_same_instance": f"{wins} of {n_bayes}",
                },
                checks=[
                    Check(
                        "Bayes median trials - best other median",
                        med["bayes"] - min(med["random"], med["grid"]),
                        "<",
                        0.0,
                    ),
                    Check(
                        "Bayes / random median final regret",
                        median["bayes"] / median["random"],
                        "<",
                        0.5,
                    ),
                ],
                catches=["ei-maximisation-form"],
            )
        )
        check_seeds = np.random.SeedSequence(int(streams[4])).generate_state(n_bayes)
        checks = [
            surrogate_check(run, problem, int(s))
            for run, problem, s in zip(found["runs"]["bayes"], problems, check_seeds)
        ]
        check = {
            key: float(np.max([c[key] for c in checks]))
            for key in ("mean_error", "variance_error", "log_ei_error")
        }
        for key in ("mean_vs_truth_corr", "sd_vs_distance_corr"):
            check[key] = float(np.median([c[key] for c in checks]))
        check["points_compared_for_ei"] = int(sum(c["points_compared_for_ei"] for c in checks))
        result.claims.append(
            Claim(
                "The surrogate is probabilistic and computed right: refit on each of the "
                f"{n_bayes} Bayes runs' trials, its posterior mean and variance on 300 fresh "
                "points equal a from-scratch Matérn-5/2 computation, its log EI equals the "
                "closed form (f* - mu) Phi(z) + sigma phi(z), its mean tracks the true loss "
                "and its uncertainty grows with the distance to the nearest evaluated point "
                "(median correlations over the runs).",
                check,
                checks=[
                    Check("posterior mean error (in y sd)", check["mean_error"], "<", 1e-6),
                    Check(
                        "posterior variance error (in prior variance)",
                        check["variance_error"],
                        "<",
                        1e-6,
                    ),
                    Check("max |log EI - closed form|", check["log_ei_error"], "<", 1e-6),
                    Check("median corr(mean, true loss)", check["mean_vs_truth_corr"], ">", 0.8),
                    Check(
                        "median corr(sd, distance to nearest trial)",
                        check["sd_vs_distance_corr"],
                        ">",
                        0.3,
                    ),
                ],
                catches=["ei-maximisation-form", "gp-variance-prior-only"],
            )
        )

        result.tables["final_regret"] = [
            {
                "method": m,
                "instances": len(final[m]),
                "median_regret": round(median[m], 5),
                "p90_regret": round(p90[m], 5),
                "median_trials_to_target": med[m],
                "trials": budget,
            }
            for m in ("grid", "random", "bayes")
        ]
        result.tables["validation_curve"] = [
            {"alpha": float(a), "train_mse": round(float(t), 4), "val_mse": round(float(v), 4)}
            for a, t, v in zip(ALPHAS, vc["train_mse"], vc["val_mse"])
        ]
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
    ax.semilogx(ALPHAS, vc["train_mse"], "o-", label="training MSE")
    ax.semilogx(ALPHAS, vc["val_mse"], "o-", label="5-fold validation MSE")
    ax.semilogx([ALPHAS[best]], [vc["val_mse"][best]], "r*", ms=14, label="best λ")
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
