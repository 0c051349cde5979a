"""q07 - When is Ridge better than Lasso? Correlated groups, stability and sparse truth."""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_correlated_regression
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import Lasso, Ridge, lasso_path, ridge_path
from mlhood.model_selection import KFold

QUESTION = "When should you prefer Ridge regression over the Lasso, and when the other way round?"

ANSWER = """\
Ridge is the **L2** penalty (`α‖w‖²`); the Lasso is the **L1** penalty (`α‖w‖₁`).

- **Correlated features, signal spread over them: prefer Ridge.** The L2 penalty is
  smallest when weight is shared, so Ridge gives every member of a correlated group a
  similar coefficient, and those coefficients barely move when the data are resampled.
  The L1 penalty does not care how weight is shared inside a group, so the Lasso keeps
  one or two members and zeroes the rest -- and *which* member it keeps changes from one
  bootstrap resample to the next. When the truth really is spread over many correlated
  features, Ridge also predicts better.
- **Truly sparse truth (few real effects among many irrelevant features): prefer the
  Lasso.** Its exact zeros remove the noise features, which Ridge can only shrink; the
  Lasso then predicts clearly better and gives a readable model.
- Ridge never sets a coefficient exactly to zero at any finite `α`, so it does not select
  features. If you want selection *and* stability under correlation, the elastic net
  (a mix of L1 and L2) is the usual compromise.
- Either way, choose `α` by validation (here 5-fold cross-validation), not by habit.
"""


Y_SHIFT = 100.0  # the data are shifted away from the origin, so an intercept matters


def _center(X, y):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    return X - x_mean, y - y_mean, x_mean, y_mean


def uncentred(X, y, rng):
    """Shift every feature by a random offset in [2, 6] and the target by ``Y_SHIFT``.

    Generated features and target have mean 0; real data do not. Off the origin, a model
    that penalises or forgets its intercept gives different coefficients.
    """
    return X + rng.uniform(2.0, 6.0, size=X.shape[1]), y + Y_SHIFT


def ridge_optimality(X, y, alphas):
    """Largest violation of Ridge's optimality conditions over ``alphas``, from scratch.

    With the lab's own centring ``Xc, yc``, Ridge's weights solve the normal equations
    ``(XcᵀXc + αI) w = Xcᵀyc`` and its intercept is ``ȳ - x̄ᵀw``. Returns the largest
    residual relative to ``max|Xcᵀyc|`` (or intercept error relative to ``|ȳ|``) and the
    number of exact zeros in the weights.
    """
    Xc, yc, x_mean, y_mean = _center(X, y)
    scale = np.abs(Xc.T @ yc).max()
    worst, zeros = 0.0, 0
    for alpha in alphas:
        model = Ridge(alpha=alpha).fit(X, y)
        w = model.coef_
        residual = np.abs(Xc.T @ (Xc @ w - yc) + alpha * w).max() / scale
        intercept_error = abs(model.intercept_ - (y_mean - x_mean @ w)) / abs(y_mean)
        worst = max(worst, residual, intercept_error)
        zeros += int(np.sum(w == 0))
    return worst, zeros


def lasso_optimality(X, y, alphas):
    """Largest violation of the Lasso's subgradient (KKT) conditions, relative to ``α``.

    The Lasso minimises ``1/(2n)‖y - Xw - b‖² + α‖w‖₁``. With ``g = Xcᵀ(yc - Xc w)/n``
    (centred data, so the intercept is out of the way) the optimum satisfies
    ``gⱼ = α·sign(wⱼ)`` where ``wⱼ ≠ 0`` and ``|gⱼ| <= α`` where ``wⱼ = 0``; the intercept
    is ``ȳ - x̄ᵀw``. Returns the worst violation over ``alphas`` (NaN if a fit is not
    finite) and the numbers of zero and non-zero weights summed over the fits.
    """
    Xc, yc, x_mean, y_mean = _center(X, y)
    n = len(y)
    worst, zeros, nonzeros = 0.0, 0, 0
    for alpha in alphas:
        model = Lasso(alpha=alpha, tol=1e-12, max_iter=100_000).fit(X, y)
        w = model.coef_
        if not np.all(np.isfinite(w)):
            return float("nan"), zeros, nonzeros
        g = Xc.T @ (yc - Xc @ w) / n
        active = w != 0
        on_support = np.abs(g[active] - alpha * np.sign(w[active])).max(initial=0.0)
        off_support = np.maximum(np.abs(g[~active]) - alpha, 0.0).max(initial=0.0)
        intercept_error = abs(model.intercept_ - (y_mean - x_mean @ w)) / abs(y_mean)
        worst = max(worst, on_support / alpha, off_support / alpha, intercept_error)
        zeros += int(np.sum(~active))
        nonzeros += int(np.sum(active))
    return worst, zeros, nonzeros


def validated_alphas(X, y, seed, n_alphas=30, n_folds=5):
    """Lasso and Ridge penalties with the lowest 5-fold cross-validated error.

    The Lasso path runs on data the lab centres (``lasso_path`` fits no intercept); the
    Ridge path centres the raw data itself (``fit_intercept=True``).
    """
    Xc, yc, _, _ = _center(X, y)
    lasso_grid = lasso_path(Xc, yc, n_alphas=n_alphas, eps=1e-2, alphas=None)[0]
    ridge_grid = np.geomspace(1e4, 1e-3, n_alphas)
    errors = np.zeros((2, n_alphas))
    for fit, val in KFold(n_folds, shuffle=True, random_state=seed).split(X):
        Xf, yf, x_mean, y_mean = _center(X[fit], y[fit])
        lasso_coefs = lasso_path(Xf, yf, alphas=lasso_grid)[1]
        lasso_predictions = (X[val] - x_mean) @ lasso_coefs + y_mean
        ridge_coefs = ridge_path(X[fit], y[fit], alphas=ridge_grid, fit_intercept=True)[1]
        ridge_predictions = (X[val] - x_mean) @ ridge_coefs + y_mean
        for k, predictions in enumerate((lasso_predictions, ridge_predictions)):
            errors[k] += ((predictions - y[val][:, None]) ** 2).sum(axis=0)
    return float(lasso_grid[errors[0].argmin()]), float(ridge_grid[errors[1].argmin()])


def bootstrap_stability(X, y, group_size, lasso_alpha, ridge_alpha, n_boot, rng):
    """Coefficients of both models over bootstrap resamples: shape (n_boot, n_features)."""
    lasso, ridge = [], []
    for _ in range(n_boot):
        rows = rng.integers(0, len(y), len(y))
        lasso.append(Lasso(alpha=lasso_alpha, max_iter=10_000).fit(X[rows], y[rows]).coef_)
        ridge.append(Ridge(alpha=ridge_alpha).fit(X[rows], y[rows]).coef_)
    return np.array(lasso), np.array(ridge)


def _weight_shares(coefs):
    """Each member's share of its group's total ``|coef|``, per resample."""
    magnitude = np.abs(coefs)
    return magnitude / np.maximum(magnitude.sum(axis=1, keepdims=True), 1e-300)


def group_summary(lasso, ridge, group_size):
    """Per group: does Lasso's top member repeat, how often it zeroes members, how stably
    each model shares the group's weight among its members."""
    rows = []
    for g in range(lasso.shape[1] // group_size):
        cols = slice(g * group_size, (g + 1) * group_size)
        top = np.abs(lasso[:, cols]).argmax(axis=1)
        rows.append(
            {
                "group": g,
                "lasso: same top member (share of resamples)": round(
                    np.bincount(top, minlength=group_size).max() / len(top), 3
                ),
                "lasso: resamples with a zeroed member": round(
                    float((lasso[:, cols] == 0).any(axis=1).mean()), 3
                ),
                "lasso: non-zero members (mean)": round(
                    float((lasso[:, cols] != 0).sum(axis=1).mean()), 2
                ),
                "ridge: non-zero members (mean)": round(
                    float((ridge[:, cols] != 0).sum(axis=1).mean()), 2
                ),
                "lasso: sd of member weight share": round(
                    float(_weight_shares(lasso[:, cols]).std(axis=0).mean()), 3
                ),
                "ridge: sd of member weight share": round(
                    float(_weight_shares(ridge[:, cols]).std(axis=0).mean()), 3
                ),
            }
        )
    return rows


def prediction_errors(truth, seed, n_train, n_repeats):
    """Mean test MSE of validated Lasso and Ridge on one kind of truth."""
    if truth == "dense":  # signal spread evenly over groups of correlated features
        params = dict(n_groups=5, group_size=4, correlation=0.9, noise=3.0)
    else:  # three real effects among fifty independent features
        params = dict(
            n_groups=10,
            group_size=1,
            correlation=0.0,
            n_noise_features=40,
            n_informative=3,
            noise=1.0,
        )
    errors = []
    for repeat in range(n_repeats):
        state = 1000 * seed + repeat
        X, y, _ = make_correlated_regression(
            n_samples=n_train + 2000, truth=truth, random_state=state, **params
        )
        X, y = uncentred(X, y, np.random.default_rng(state))
        X_train, y_train, X_test, y_test = X[:n_train], y[:n_train], X[n_train:], y[n_train:]
        lasso_alpha, ridge_alpha = validated_alphas(X_train, y_train, state)
        lasso = Lasso(alpha=lasso_alpha).fit(X_train, y_train)
        ridge = Ridge(alpha=ridge_alpha).fit(X_train, y_train)
        errors.append(
            [
                float(np.mean((y_test - lasso.predict(X_test)) ** 2)),
                float(np.mean((y_test - ridge.predict(X_test)) ** 2)),
                float(np.count_nonzero(lasso.coef_)),
            ]
        )
    lasso_mse, ridge_mse, lasso_nonzero = np.mean(errors, axis=0)
    return {
        "truth": truth,
        "features": X.shape[1],
        "true non-zeros": int(np.count_nonzero(_)),
        "lasso test MSE": round(float(lasso_mse), 3),
        "ridge test MSE": round(float(ridge_mse), 3),
        "lasso/ridge": round(float(lasso_mse / ridge_mse), 3),
        "lasso non-zeros (mean)": round(float(lasso_nonzero), 1),
        "ridge non-zeros": X.shape[1],
    }


def path_figure(X, y, group_size):
    Xc, yc, _, _ = _center(X, y)
    lasso_alphas, lasso_coefs, _ = lasso_path(Xc, yc, n_alphas=60, eps=1e-3)
    ridge_alphas, ridge_coefs = ridge_path(X, y, n_alphas=60, fit_intercept=True)
    fig, (left, right) = new_figure(ncols=2, width=4.8)
    colors = [f"C{g}" for g in range(X.shape[1] // group_size)]
    for j in range(X.shape[1]):
        color = colors[j // group_size]
        left.plot(lasso_alphas, lasso_coefs[j], color=color, lw=1)
        right.plot(ridge_alphas, ridge_coefs[j], color=color, lw=1)
    for ax, name in ((left, "Lasso (L1)"), (right, "Ridge (L2)")):
        ax.set_xscale("log")
        ax.invert_xaxis()
        ax.axhline(0.0, color="black", lw=0.5)
        ax.set_xlabel("penalty α (log scale, weaker to the right)")
        ax.set_ylabel("coefficient")
        ax.set_title(f"{name} coefficient path")
    fig.suptitle("One colour per group of 5 highly correlated features")
    return fig


def stability_figure(lasso, ridge, group_size):
    fig, ax = new_figure(width=7.0)
    index = np.arange(lasso.shape[1])
    ax.bar(index - 0.2, (lasso != 0).mean(axis=0), width=0.4, label="Lasso")
    ax.bar(index + 0.2, (ridge != 0).mean(axis=0), width=0.4, label="Ridge")
    for edge in range(group_size, lasso.shape[1], group_size):
        ax.axvline(edge - 0.5, color="grey", ls="--", lw=0.8)
    ax.set_xticks(index)
    ax.set_xlabel("feature (dashed lines separate the correlated groups)")
    ax.set_ylabel("share of fits with coef ≠ 0")
    ax.set_title("Which features each model keeps across bootstrap resamples")
    ax.set_ylim(0, 1.25)
    ax.legend(loc="upper right", ncol=2)
    return fig


def error_figure(rows):
    fig, ax = new_figure()
    index = np.arange(len(rows))
    ax.bar(index - 0.2, [r["lasso test MSE"] for r in rows], width=0.4, label="Lasso")
    ax.bar(index + 0.2, [r["ridge test MSE"] for r in rows], width=0.4, label="Ridge")
    ax.set_xticks(index, [f"{r['truth']} truth" for r in rows])
    ax.set_ylabel("test mean squared error")
    ax.set_title("Prediction error with validated penalties")
    ax.legend()
    return fig


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the lab; ``quick`` uses fewer resamples and repetitions."""
    result = LabResult(id="q07", title="Ridge vs Lasso", question=QUESTION, answer=ANSWER)
    # errstate: under a catalogued mistake a solver may diverge; its NaNs then show up in
    # the claims instead of stopping the lab
    with timed(result), np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        n_boot, n_repeats = (30, 4) if quick else (200, 20)
        group_size = 5
        X, y, _ = make_correlated_regression(
            n_samples=100 if quick else 200,
            n_groups=4,
            group_size=group_size,
            correlation=0.98,
            truth="dense",
            noise=5.0,
            random_state=seed,
        )
        rng = np.random.default_rng(seed)
        X, y = uncentred(X, y, rng)
        lasso_alpha, ridge_alpha = validated_alphas(X, y, seed)
        lasso_boot, ridge_boot = bootstrap_stability(
            X, y, group_size, lasso_alpha, ridge_alpha, n_boot, rng
        )
        groups = group_summary(lasso_boot, ridge_boot, group_size)
        # the dense case is cheap and its margin small: three times the repetitions
        errors = [
            prediction_errors("dense", seed, 60, 3 * n_repeats),
            prediction_errors("sparse", seed, 60, n_repeats),
        ]
        ridge_violation, ridge_zeros = ridge_optimality(
            X, y, ridge_alpha * np.array([1e-2, 1.0, 1e2])
        )
        lasso_violation, lasso_zeros, lasso_nonzeros = lasso_optimality(
            X, y, lasso_alpha * np.array([3.0, 1.0, 0.3, 0.1])
        )

        def mean_of(column):
            return float(np.mean([g[column] for g in groups]))

        modal = mean_of("lasso: same top member (share of resamples)")
        zeroed = mean_of("lasso: resamples with a zeroed member")
        ridge_members = mean_of("ridge: non-zero members (mean)")
        lasso_share_sd = mean_of("lasso: sd of member weight share")
        ridge_share_sd = mean_of("ridge: sd of member weight share")
        dense, sparse = errors

        result.claims = [
            Claim(
                f"Inside a group of {group_size} highly correlated features the Lasso sets "
                "some members exactly to zero (in at least 80% of bootstrap fits) and the "
                "member it relies on most changes across resamples (the same one is on top "
                "in under 80% of them); Ridge keeps every member.",
                {
                    "lasso: non-zero members per group": mean_of("lasso: non-zero members (mean)"),
                    "bootstrap resamples": n_boot,
                },
                checks=[
                    Check("lasso: share of fits with a zeroed member", zeroed, ">=", 0.8),
                    Check("lasso: share of resamples with the modal top member", modal, "<", 0.8),
                    Check("ridge: non-zero members per group", ridge_members, "==", group_size),
                ],
                catches=["lasso-penalty-not-scaled-by-n"],
            ),
            Claim(
                "Ridge shares a group's weight among its members stably: the resample-to-"
                "resample spread of each member's share is at most 75% of the Lasso's.",
                {"lasso: sd of member weight share": lasso_share_sd},
                checks=[
                    Check(
                        "ridge/lasso spread of member weight share",
                        ridge_share_sd / lasso_share_sd,
                        "<=",
                        0.75,
                    )
                ],
                catches=["lasso-stale-residual"],
            ),
            Claim(
                "When the truth is spread over correlated features, Ridge predicts better "
                "(lower test MSE) than the Lasso.",
                {
                    "ridge test MSE": dense["ridge test MSE"],
                    "lasso test MSE": dense["lasso test MSE"],
                },
                checks=[
                    Check(
                        "ridge/lasso test MSE",
                        dense["ridge test MSE"] / dense["lasso test MSE"],
                        "<",
                        1.0,
                    )
                ],
                catches=["ridge-intercept-penalised"],
            ),
            Claim(
                "When the truth is sparse (3 effects among 50 features), the Lasso predicts "
                "better: its test MSE is at most 80% of Ridge's.",
                {
                    "lasso test MSE": sparse["lasso test MSE"],
                    "ridge test MSE": sparse["ridge test MSE"],
                    "lasso non-zeros": sparse["lasso non-zeros (mean)"],
                },
                checks=[Check("lasso/ridge test MSE", sparse["lasso/ridge"], "<=", 0.8)],
                catches=[
                    "lasso-stale-residual",
                    "lasso-alpha-max-unscaled",
                    "lasso-penalty-not-scaled-by-n",
                ],
            ),
            Claim(
                "Ridge solves its normal equations: on the raw (uncentred) data, for α at "
                "0.01x, 1x and 100x the validated penalty, the weights satisfy "
                "(XcᵀXc + αI)w = Xcᵀyc on data centred by the lab, the intercept is "
                "ȳ - x̄ᵀw, and no weight is exactly zero.",
                {"validated ridge α": ridge_alpha},
                checks=[
                    Check("max relative violation", ridge_violation, "<", 1e-8),
                    Check("exact zeros in the ridge weights", ridge_zeros, "==", 0),
                ],
                catches=["ridge-intercept-penalised"],
            ),
            Claim(
                "The Lasso solves its subgradient (KKT) conditions: for α at 3x, 1x, 0.3x "
                "and 0.1x the validated penalty, g = Xcᵀ(yc - Xc w)/n equals α·sign(wⱼ) on "
                "the non-zero weights and |gⱼ| <= α on the zero ones, the intercept is "
                "ȳ - x̄ᵀw, and both kinds of weights occur.",
                {"validated lasso α": lasso_alpha, "non-zero weights": lasso_nonzeros},
                checks=[
                    Check("max violation relative to α", lasso_violation, "<", 1e-4),
                    Check("zero weights (4 fits)", lasso_zeros, ">", 0),
                    Check("non-zero weights (4 fits)", lasso_nonzeros, ">", 0),
                ],
                catches=[
                    "lasso-hard-threshold",
                    "lasso-stale-residual",
                    "lasso-penalty-not-scaled-by-n",
                ],
            ),
        ]
        result.tables = {"bootstrap stability per group": groups, "prediction error": errors}
        result.figures = {
            "coefficient paths": path_figure(X, y, group_size),
            "bootstrap selection": stability_figure(lasso_boot, ridge_boot, group_size),
            "prediction error": error_figure(errors),
        }
    return result
