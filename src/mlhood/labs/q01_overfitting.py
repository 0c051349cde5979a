"""q01 - Low bias, high variance: measure it, then cure it with penalties and averaging."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from mlhood.ensemble import RandomForestRegressor
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import LinearRegression, Ridge, lasso_path, ridge_path
from mlhood.model_selection import bias_variance_decomposition
from mlhood.preprocessing import PolynomialFeatures, StandardScaler
from mlhood.tree import DecisionTreeRegressor

QUESTION = (
    "Your model has low bias and high variance (it overfits). What is going on, and how "
    "do you fix it?"
)

ANSWER = """\
A high-variance model fits the particular training sample, noise included: training error
is tiny, validation error is large, and refitting on another sample gives a very
different model. The cures reduce variance at the price of a little bias:

- **Regularize.** Add a penalty `λ‖w‖²` (Ridge, L2) or `λ‖w‖₁` (Lasso, L1) and choose `λ`
  on validation data. The validation error against `λ` is U-shaped: too small a `λ`
  overfits (variance), too large underfits (bias); the minimum sits in between.
- **Average many models: bagging / random forests.** Fit each tree on a bootstrap sample
  (and, for a forest, let each split see only some features) and average. Averaging
  leaves the bias about where it was and divides the variance, most strongly when the
  trees' errors are weakly correlated.
- Also: simpler models (shallower trees, lower degree), more data, early stopping, fewer
  features.

Bias and variance are **not** the training and test errors. They are two parts of the
*expected* test error over training sets: `E[(y - f̂(x))²] = bias² + variance + noise`,
where `bias² = (E f̂(x) - f(x))²`, `variance = E(f̂(x) - E f̂(x))²` and `noise` is the
irreducible `Var(y | x)` (an identity: the cross terms vanish in expectation). The lab
measures all three by refitting on many *fresh* training sets drawn from the simulated
distribution; bootstrap resamples of one training set are a cheaper approximation when
the distribution is unknown.

Bagging alone (every feature at every split) already averages away much of a deep
tree's variance; a random forest goes further because drawing candidate features at each
split makes its trees' errors less correlated, and averaging correlated trees leaves a
floor `ρσ²` that more trees cannot remove.

Each bootstrap sample leaves out about `(1 - 1/n)^n ≈ e⁻¹ ≈ 36.8%` of the rows; predicting
every row with only the trees that did not see it gives the **out-of-bag** score, a free
estimate of the held-out score.
"""

NOISE = 0.3  # standard deviation of the noise in the 1-D problems


def wave(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


def friedman(X: np.ndarray) -> np.ndarray:
    """Friedman's (1991) test function of five inputs in [0, 1]."""
    return (
        10 * np.sin(np.pi * X[:, 0] * X[:, 1])
        + 20 * (X[:, 2] - 0.5) ** 2
        + 10 * X[:, 3]
        + 5 * X[:, 4]
    )


def mse(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean((a - b) ** 2))


def polynomial_design(x_train, x_other, degree: int = 15):
    """Standardised polynomial features of degree ``degree`` (fitted on the training x)."""
    poly = PolynomialFeatures(degree, include_bias=False)
    scaler = StandardScaler()
    P = scaler.fit_transform(poly.fit_transform(x_train[:, None]))
    return P, scaler.transform(poly.transform(x_other[:, None]))


def legendre_design(x_train, x_other, degree: int = 15):
    """Degree-``degree`` polynomials in the Legendre basis on [0, 1], standardised.

    The same function space as :func:`polynomial_design`, but the columns are nearly
    orthogonal instead of nearly collinear, so coordinate descent for the Lasso gets much
    closer to the optimum at small penalties (on raw powers it stops at ``max_iter`` far
    from it, which is itself a hidden regularizer and flattens the small-λ end of the
    Lasso's validation curve).
    """
    basis = [
        np.polynomial.legendre.legvander(2 * x - 1, degree)[:, 1:] for x in (x_train, x_other)
    ]
    scaler = StandardScaler().fit(basis[0])
    return scaler.transform(basis[0]), scaler.transform(basis[1])


def validation_curves(rng, n_train, n_repeats, ridge_grid, lasso_grid, x_val, y_val):
    """Mean validation MSE of Ridge and Lasso along their penalty grids, over training sets.

    Also returns the Lasso's largest KKT violation (relative to λ) at every grid point of
    the last training set: with ``g = Pᵀ(yc - Pw)/n``, ``gⱼ = λ·sign(wⱼ)`` where
    ``wⱼ ≠ 0`` and ``|gⱼ| <= λ`` where ``wⱼ = 0``.
    """
    ridge_err, lasso_err = np.zeros(ridge_grid.size), np.zeros(lasso_grid.size)
    for _ in range(n_repeats):
        x = rng.uniform(size=n_train)
        y = wave(x) + NOISE * rng.normal(size=n_train)
        P, P_val = legendre_design(x, x_val)
        yc = y - y.mean()
        ridge_coefs = ridge_path(P, yc, alphas=ridge_grid)[1]
        with warnings.catch_warnings():
            # at the smallest penalties (20 rows, 15 columns: near interpolation) coordinate
            # descent may stop at max_iter: those fits are slightly shrunk, still regularized
            warnings.simplefilter("ignore", ConvergenceWarning)
            lasso_coefs = lasso_path(P, yc, alphas=lasso_grid, max_iter=5000, tol=1e-7)[1]
        ridge_err += ((P_val @ ridge_coefs + y.mean() - y_val[:, None]) ** 2).mean(0)
        lasso_err += ((P_val @ lasso_coefs + y.mean() - y_val[:, None]) ** 2).mean(0)
    g = P.T @ (yc[:, None] - P @ lasso_coefs) / n_train
    active = lasso_coefs != 0
    excess = np.where(
        active, np.abs(g - lasso_grid * np.sign(lasso_coefs)), np.abs(g) - lasso_grid
    )
    return ridge_err / n_repeats, lasso_err / n_repeats, (excess.max(axis=0) / lasso_grid)


def ridge_normal_equations(P, y, alpha):
    """Relative residual of Ridge's normal equations ``(PcᵀPc + αI)w = Pcᵀyc``, from scratch.

    ``Pc`` and ``yc`` are centred here. Checked for the :class:`Ridge` estimator (whose
    intercept must be ``ȳ - p̄ᵀw``) and for :func:`ridge_path` with ``fit_intercept=True``
    (an SVD instead of a Cholesky solve); returns the fitted estimator and the worst one.
    """
    model = Ridge(alpha=alpha).fit(P, y)
    path_coef = ridge_path(P, y, alphas=[alpha], fit_intercept=True)[1][:, 0]
    Pc, yc = P - P.mean(axis=0), y - y.mean()
    scale = np.abs(Pc.T @ yc).max()
    residuals = [
        np.abs(Pc.T @ (Pc @ w - yc) + alpha * w).max() / scale for w in (model.coef_, path_coef)
    ]
    intercept = abs(model.intercept_ - (y.mean() - P.mean(axis=0) @ model.coef_))
    return model, max(*residuals, intercept / np.abs(y).max())


def least_squares_gap(model, P, y):
    """Largest gap between ``model``'s training predictions and NumPy's least squares."""
    design = np.column_stack([P, np.ones(len(y))])
    reference = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return float(np.abs(model.predict(P) - reference).max())


def tree_diversity(forest, X_test, f_test):
    """How much the trees of one fitted ``forest`` differ, on the test points.

    Returns the disagreement ``mean_x Var_b T_b(x)`` (variance across the trees at each
    point, averaged over points) and the mean correlation between two trees' test errors
    ``T_b(x) - f(x)``. Averaging ``B`` trees leaves ``ρσ² + (1 - ρ)σ²/B``: the more the
    trees disagree, the lower ``ρ`` and the more averaging removes.
    """
    predictions = np.array([tree.predict(X_test) for tree in forest.estimators_])
    corr = np.corrcoef(predictions - f_test)
    off_diagonal = corr[~np.eye(len(corr), dtype=bool)]
    return float(predictions.var(axis=0, ddof=1).mean()), float(off_diagonal.mean())


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult(
        id="q01",
        title="Overfitting: bias, variance and their cures",
        question=QUESTION,
        answer=ANSWER,
    )
    with timed(result), np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        rng = np.random.default_rng(seed)
        x_val = rng.uniform(size=1000)
        y_val = wave(x_val) + NOISE * rng.normal(size=1000)

        # 1. two high-variance models on few points
        x = rng.uniform(size=20)
        y = wave(x) + NOISE * rng.normal(size=20)
        P, P_val = polynomial_design(x, x_val)
        ols = LinearRegression().fit(P, y)
        poly_train, poly_val = mse(ols.predict(P), y), mse(ols.predict(P_val), y_val)
        ols_gap = least_squares_gap(ols, P, y)
        x_tree = rng.uniform(size=200)
        y_tree = wave(x_tree) + NOISE * rng.normal(size=200)
        deep = DecisionTreeRegressor(random_state=seed).fit(x_tree[:, None], y_tree)
        tree_train = mse(deep.predict(x_tree[:, None]), y_tree)
        tree_val = mse(deep.predict(x_val[:, None]), y_val)
        overfit_rows = [
            {
                "model": "degree-15 polynomial, 20 points",
                "train MSE": poly_train,
                "validation MSE": poly_val,
            },
            {
                "model": "fully grown tree, 200 points",
                "train MSE": tree_train,
                "validation MSE": tree_val,
            },
            {"model": "noise variance (floor)", "train MSE": NOISE**2, "validation MSE": NOISE**2},
        ]

        # 2. L2 / L1 validation curves
        ridge_grid = np.geomspace(1e3, 1e-10, 27)
        lasso_grid = np.geomspace(1.0, 1e-6, 25)
        ridge_err, lasso_err, lasso_kkt = validation_curves(
            rng, 20, 12 if quick else 40, ridge_grid, lasso_grid, x_val, y_val
        )
        best_ridge = float(ridge_grid[ridge_err.argmin()])
        best_lasso = int(lasso_err.argmin())
        ridge_fit, ridge_residual = ridge_normal_equations(P, y, best_ridge)
        ridge_residual = max(ridge_residual, ridge_normal_equations(P, y, 1.0)[1])

        # 3. bias^2 + variance + noise over fresh training sets of 300 rows
        def sampler(draw):
            X_new = draw.uniform(size=(300, 5))
            return X_new, friedman(X_new) + draw.normal(size=300)

        n_rounds, n_trees = (20, 30) if quick else (50, 60)
        X_test = rng.uniform(size=(2000, 5))
        f_test = friedman(X_test)
        y_test = f_test + rng.normal(size=2000)
        models = {
            "single tree": DecisionTreeRegressor(random_state=seed),
            "bagging (all features)": RandomForestRegressor(
                n_trees, max_features=1.0, random_state=seed
            ),
            "random forest (max_features=0.5)": RandomForestRegressor(
                n_trees, max_features=0.5, random_state=seed
            ),
        }
        parts = {}
        for name, model in models.items():
            bv = bias_variance_decomposition(
                model,
                None,
                None,
                X_test,
                y_test,
                y_test_true=f_test,
                n_rounds=n_rounds,
                random_state=seed,
                sampler=sampler,
            )
            parts[name] = {
                "model": name,
                "expected MSE": bv.expected_loss,
                "bias²": bv.bias2,
                "variance": bv.variance,
                "noise": bv.noise,
            }
        X_one, y_one = sampler(rng)
        diversity = {
            name: tree_diversity(models[name].fit(X_one, y_one), X_test, f_test)
            for name in ("bagging (all features)", "random forest (max_features=0.5)")
        }

        # 4. out-of-bag estimate against a large held-out set
        X_big = rng.uniform(size=(5500, 5))
        y_big = friedman(X_big) + rng.normal(size=5500)
        forest = RandomForestRegressor(100, max_features=0.5, oob_score=True, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # rows never out of bag: NaN below
            forest.fit(X_big[:500], y_big[:500])
        y_hold = y_big[500:]
        held_out = 1 - mse(forest.predict(X_big[500:]), y_hold) / np.var(y_hold)
        oob_share = float(
            np.mean([1 - np.unique(s).size / 500 for s in forest.estimators_samples_])
        )

        tree = parts["single tree"]
        bag = parts["bagging (all features)"]
        rf = parts["random forest (max_features=0.5)"]
        result.claims = [
            Claim(
                "The degree-15 polynomial on 20 points fits the training set below the noise "
                "level but its validation MSE is over 10x its training MSE; the fit is the "
                "least-squares one (training predictions match NumPy's lstsq).",
                {"train MSE": poly_train, "validation MSE": poly_val},
                checks=[
                    Check("train MSE / noise variance", poly_train / NOISE**2, "<", 1.0),
                    Check("validation / train MSE", poly_val / poly_train, ">", 10.0),
                    Check("max |prediction - lstsq prediction|", ols_gap, "<", 0.02),
                ],
                catches=["ols-normal-equations-pinv"],
            ),
            Claim(
                "The fully grown tree has (near) zero training error and a validation MSE "
                "above 1.4x the noise variance.",
                {"train MSE": tree_train, "validation MSE": tree_val},
                checks=[
                    Check("train MSE / noise variance", tree_train / NOISE**2, "<", 0.01),
                    Check("validation MSE / noise variance", tree_val / NOISE**2, ">", 1.4),
                ],
                catches=["tree-split-leaf-swapped"],
            ),
            Claim(
                "Ridge validation error is U-shaped in λ: the minimum is inside the grid and "
                "both ends are at least 1.3x worse; at the best λ and at λ = 1, the Ridge "
                "estimator and the Ridge path both solve the normal equations (checked from "
                "scratch).",
                {"best λ": best_ridge, "min": ridge_err.min()},
                checks=[
                    Check("smallest-λ MSE / min", ridge_err[-1] / ridge_err.min(), ">", 1.3),
                    Check("largest-λ MSE / min", ridge_err[0] / ridge_err.min(), ">", 1.3),
                    Check("normal-equation residual", ridge_residual, "<", 1e-8),
                ],
                catches=["ridge-intercept-penalised"],
            ),
            Claim(
                "Lasso validation error is U-shaped in λ too (minimum inside, both ends worse "
                "by at least 5%), and at the best λ the path satisfies the Lasso's "
                "subgradient (KKT) conditions.",
                {"best λ": float(lasso_grid[best_lasso]), "min": lasso_err.min()},
                checks=[
                    Check("smallest-λ MSE / min", lasso_err[-1] / lasso_err.min(), ">", 1.05),
                    Check("largest-λ MSE / min", lasso_err[0] / lasso_err.min(), ">", 1.05),
                    Check("KKT violation / λ at the best λ", lasso_kkt[best_lasso], "<", 1e-3),
                ],
                catches=["lasso-hard-threshold", "lasso-stale-residual"],
            ),
            Claim(
                "Averaging removes variance: over fresh training sets, bagged trees have "
                "under half the single tree's variance, and the forest under a quarter, at "
                "a bias² within 50% of the tree's.",
                {
                    "tree variance": tree["variance"],
                    "bagging variance": bag["variance"],
                    "forest variance": rf["variance"],
                },
                checks=[
                    Check("bagging / tree variance", bag["variance"] / tree["variance"], "<", 0.5),
                    Check("forest / tree variance", rf["variance"] / tree["variance"], "<", 0.25),
                    Check(
                        "|forest - tree bias²| / tree bias²",
                        abs(rf["bias²"] - tree["bias²"]) / tree["bias²"],
                        "<",
                        0.5,
                    ),
                ],
                catches=["bootstrap-without-replacement"],
            ),
            Claim(
                "Sampling features at each split is what makes a forest more than bagging: "
                "fitted on the same rows, the forest's trees disagree more (the variance "
                "across trees is over 1.05x bagging's), so their errors are less correlated "
                "and averaging removes more.",
                {
                    "bagged trees' error correlation": diversity["bagging (all features)"][1],
                    "forest trees' error correlation": diversity[
                        "random forest (max_features=0.5)"
                    ][1],
                },
                checks=[
                    Check(
                        "forest / bagging disagreement between trees",
                        diversity["random forest (max_features=0.5)"][0]
                        / diversity["bagging (all features)"][0],
                        ">",
                        1.05,
                    )
                ],
                catches=["forest-no-feature-subsampling"],
            ),
            Claim(
                "Out-of-bag R² is within 0.08 of the R² on 5000 held-out rows, and each tree "
                "leaves out 36.8% ± 1 point of the rows.",
                {"OOB R²": forest.oob_score_, "held-out R²": held_out},
                checks=[
                    Check("|OOB R² - held-out R²|", abs(forest.oob_score_ - held_out), "<", 0.08),
                    Check(
                        "|out-of-bag share - (1-1/n)^n|",
                        abs(oob_share - (1 - 1 / 500) ** 500),
                        "<",
                        0.01,
                    ),
                ],
                catches=["oob-uses-every-tree", "bootstrap-without-replacement"],
            ),
        ]
        result.tables = {
            "train vs validation": overfit_rows,
            "validation curves": [
                {
                    "λ": float(a),
                    "ridge validation MSE": r,
                    "lasso λ": float(b),
                    "lasso validation MSE": la,
                }
                for a, r, b, la in zip(ridge_grid, ridge_err, lasso_grid, lasso_err)
            ],
            "bias-variance decomposition": list(parts.values()),
            "tree diversity": [
                {"model": k, "disagreement between trees": d, "error correlation": c}
                for k, (d, c) in diversity.items()
            ],
            "out-of-bag": [
                {
                    "OOB R²": forest.oob_score_,
                    "held-out R²": held_out,
                    "out-of-bag share": oob_share,
                }
            ],
        }
        result.figures = {
            "overfitting and regularization": _fit_figure(
                x, y, ols, ridge_fit, best_ridge, ridge_grid, ridge_err, lasso_grid, lasso_err
            ),
            "bias-variance": _bias_variance_figure(parts),
        }
    return result


def _fit_figure(x, y, ols, ridge_fit, best_ridge, ridge_grid, ridge_err, lasso_grid, lasso_err):
    fig, (ax, ax2) = new_figure(ncols=2)
    grid = np.linspace(0, 1, 400)
    _, G = polynomial_design(x, grid)
    ax.plot(grid, wave(grid), "k--", label="truth sin(2πx)")
    ax.plot(grid, np.clip(ols.predict(G), -3, 3), label="degree 15, no penalty")
    ax.plot(grid, ridge_fit.predict(G), label=f"degree 15, ridge λ={best_ridge:.1e}")
    ax.plot(x, y, "o", color="black", ms=4, label="20 training points")
    ax.set(ylim=(-2.5, 2.5), xlabel="x", ylabel="y", title="High variance vs regularized fit")
    ax.legend(fontsize=8)
    for grid_, err, label in (
        (ridge_grid, ridge_err, "ridge (L2)"),
        (lasso_grid, lasso_err, "lasso (L1)"),
    ):
        (line,) = ax2.loglog(grid_, err, "o-", ms=3, label=label)
        k = int(np.argmin(err))
        ax2.plot(grid_[k], err[k], "*", ms=14, color=line.get_color())
    ax2.axhline(NOISE**2, color="grey", ls=":", label="noise floor")
    ax2.set(
        xlabel="penalty λ (log scale)",
        ylabel="validation MSE",
        title="Validation curves (★ = minimum)",
    )
    ax2.legend(fontsize=8)
    return fig


def _bias_variance_figure(parts):
    fig, ax = new_figure()
    names = list(parts)
    bottom = np.zeros(len(names))
    for key in ("bias²", "variance", "noise"):
        values = np.array([parts[n][key] for n in names])
        ax.bar(names, values, bottom=bottom, label=key)
        bottom += values
    ax.plot(
        names,
        [parts[n]["expected MSE"] for n in names],
        "k_",
        ms=40,
        label="measured expected MSE",
    )
    ax.set(ylabel="test MSE", title="bias² + variance + noise over fresh training sets")
    ax.legend(fontsize=8)
    return fig
