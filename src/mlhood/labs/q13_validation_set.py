"""q13 - Why is a validation set necessary? Selection bias measured on pure-noise labels."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.model_selection import GridSearchCV, KFold, nested_cross_validate, train_test_split
from mlhood.tree import DecisionTreeClassifier

QUESTION = "Why do you need a validation set in addition to a training set and a test set?"

ANSWER = """\
Because **choosing is fitting**. Every time a score is used to pick a model, a
hyperparameter or a stopping epoch, that score stops being an unbiased estimate of the
chosen model's performance: the winner is partly the model that got lucky on those
particular rows. If the test set is used for choosing, the reported test score is
optimistic - and nothing is left to measure it honestly.

So the data is split three ways: the **training set** fits the parameters, the
**validation set** (or cross-validation inside the training data) chooses among models,
hyperparameters and epochs, and the **test set** is touched once, at the end, to report
the chosen model. With little data, **nested cross-validation** does the same job: an
inner loop chooses, an outer loop scores what the inner loop chose.

The lab makes labels that are **pure coin flips**, so no model can beat 50% accuracy on
new data. A grid search over 20 models still reports a best cross-validated accuracy well
above 50%, although each model's own CV score averages 50%: the maximum of noisy scores is
a pure selection effect. The chosen model, scored once on untouched test rows, reports
about 50%, the truth; so do the outer folds of nested CV, while the inner (selection)
scores are inflated. Finally, **early stopping** is selection too: the validation loss
chooses the epoch, and the model it picks generalises better than the one trained to the
end.
"""


class SubsetTree(ClassifierMixin, BaseEstimator):
    """A small decision tree on a random subset of the columns: one of many candidate
    models whose differences are pure chance on noise labels.

    ``subset_seed`` names the candidate; the columns are drawn from
    ``default_rng([random_state, subset_seed])``.
    """

    def __init__(self, subset_seed=0, n_features=3, max_depth=2, random_state=0):
        self.subset_seed = subset_seed
        self.n_features = n_features
        self.max_depth = max_depth
        self.random_state = random_state

    def _columns(self, n_columns):
        rng = np.random.default_rng([self.random_state, self.subset_seed])
        return rng.choice(n_columns, size=min(self.n_features, n_columns), replace=False)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.columns_ = self._columns(X.shape[1])
        self.model_ = DecisionTreeClassifier(
            max_depth=self.max_depth, random_state=self.random_state
        )
        self.model_.fit(X[:, self.columns_], y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(np.asarray(X, dtype=float)[:, self.columns_])


def candidate_grid(n_models: int) -> dict:
    """``n_models`` candidates: half as many column subsets, each at depth 2 and 4."""
    return {"subset_seed": list(range(n_models // 2)), "max_depth": [2, 4]}


def noise_problem(rng, n_rows: int, n_columns: int = 20):
    """Gaussian features and coin-flip labels: no model can beat 50% on new rows."""
    return rng.normal(size=(n_rows, n_columns)), rng.integers(0, 2, size=n_rows)


def selection_experiment(seed: int, n_models: int, n_dev: int, n_test: int) -> dict:
    """Grid search by 3-fold CV on the development rows, then one score on untouched test rows.

    Also nested CV (3 outer folds) of the same search on the development rows.
    """
    rng = np.random.default_rng(seed)
    X, y = noise_problem(rng, n_dev + n_test)
    X_dev, X_test, y_dev, y_test = train_test_split(
        X, y, test_size=n_test, random_state=int(rng.integers(2**31))
    )
    inner_cv = KFold(3, shuffle=True, random_state=int(rng.integers(2**31)))
    search = GridSearchCV(
        SubsetTree(random_state=int(rng.integers(2**31))),
        candidate_grid(n_models),
        cv=inner_cv,
        scoring="accuracy",
    )
    search.fit(X_dev, y_dev)
    outer_cv = KFold(3, shuffle=True, random_state=int(rng.integers(2**31)))
    nested = nested_cross_validate(search, X_dev, y_dev, cv=outer_cv, scoring="accuracy")
    return {
        "best_cv": search.best_score_,
        "mean_candidate_cv": float(np.mean(search.cv_results_["mean_test_score"])),
        "chosen_test": search.score(X_test, y_test),
        "nested_inner_best": float(nested["inner_best_score"].mean()),
        "nested_outer": float(nested["test_score"].mean()),
        "candidate_cv": search.cv_results_["mean_test_score"],
    }


def gradient_descent_path(X, y, X_val, y_val, lr: float, epochs: int):
    """Full-batch gradient descent on ``mean((X w + b - y)^2)`` from zero, in plain NumPy.

    ``w <- w - lr (2/n) X^T r``, ``b <- b - lr (2/n) sum r`` with ``r = X w + b - y``.
    Returns the validation loss after every epoch and the weights ``(w, b)`` of every epoch.

    Examples
    --------
    >>> X = np.array([[1.0], [2.0]]); y = np.array([[2.0], [4.0]])
    >>> val_loss, weights = gradient_descent_path(X, y, X, y, lr=0.1, epochs=1)
    >>> weights[0][0].tolist(), weights[0][1].tolist()  # w = 0.1 * 2/2 * (1*2 + 2*4)
    ([[1.0]], [0.6000000000000001])
    """
    n = X.shape[0]
    w, b = np.zeros((X.shape[1], 1)), np.zeros(1)
    val_loss, weights = [], []
    for _ in range(epochs):
        grad = 2.0 * (X @ w + b - y) / n
        w, b = w - lr * (X.T @ grad), b - lr * grad.sum(axis=0)
        val_loss.append(float(np.mean((X_val @ w + b - y_val) ** 2)))
        weights.append((w, b))
    return np.array(val_loss), weights


def early_stopping_experiment(seed: int, epochs: int, lr: float = 0.2) -> dict:
    """Full-batch gradient descent on a linear model with nearly as many features as rows.

    Gradient descent from zero fits the large, well-determined directions first and the
    noise last, so the validation loss falls, bottoms out and rises: stopping at its
    minimum acts like a ridge penalty.
    """
    rng = np.random.default_rng(seed)
    n, p = 60, 50
    w = np.zeros(p)
    w[:10] = rng.normal(size=10)

    def draw(rows):
        X = rng.normal(size=(rows, p))
        return X, (X @ w + 1.0 * rng.normal(size=rows))[:, None]

    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = draw(n), draw(n), draw(2000)
    runs = {}
    for stop in (False, True):
        model = nn.Sequential(nn.Linear(p, 1, init="zeros", random_state=seed))
        history = nn.fit(
            model,
            X_tr,
            y_tr,
            nn.MSELoss(),
            nn.SGD(model.parameters(), lr=lr),
            batch_size=None,
            epochs=epochs,
            validation_data=(X_va, y_va),
            early_stopping=stop,
            patience=epochs,
            restore_best=True,
            monitor=False,
            random_state=seed,
        )
        test = float(np.mean((model.forward(X_te) - y_te) ** 2))
        weight, bias = (param.data for param in model.parameters())
        runs["early" if stop else "full"] = {
            "history": history,
            "test_mse": test,
            "weights": (weight.reshape(-1, 1), bias.ravel()),
        }
    runs["numpy_val_loss"], runs["numpy_weights"] = gradient_descent_path(
        X_tr, y_tr, X_va, y_va, lr, epochs
    )
    return runs


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q13", "Why a validation set", QUESTION, ANSWER)
    with timed(result):
        n_rep, n_models, n_dev, n_test, epochs, n_es = (
            (8, 20, 150, 1000, 400, 4) if quick else (32, 20, 150, 1000, 800, 16)
        )
        seeds = np.random.SeedSequence(seed).generate_state(n_rep)
        reps = [selection_experiment(int(s), n_models, n_dev, n_test) for s in seeds]
        mean = {k: float(np.mean([r[k] for r in reps])) for k in reps[0] if k != "candidate_cv"}
        se_dev = 0.5 / np.sqrt(n_dev * n_rep)  # SE of a mean accuracy at chance
        se_test = 0.5 / np.sqrt(n_test * n_rep)
        inflation = mean["best_cv"] - 0.5
        result.claims.append(
            Claim(
                f"Choosing is fitting: on coin-flip labels a grid search over {n_models} "
                "models reports a best 3-fold CV accuracy above chance (by > 2 standard "
                "errors), although the candidates' CV accuracies average chance (within 4): "
                "the CV score of any one model is unbiased, the maximum is not. Mean over "
                f"{n_rep} data sets.",
                {
                    "best_cv_accuracy": mean["best_cv"],
                    "mean_candidate_cv_accuracy": mean["mean_candidate_cv"],
                    "standard_error": se_dev,
                },
                checks=[
                    Check("best CV accuracy - 0.5 (in SE)", inflation / se_dev, ">", 2.0),
                    Check(
                        "|mean candidate CV accuracy - 0.5| (in SE)",
                        abs(mean["mean_candidate_cv"] - 0.5) / se_dev,
                        "<",
                        4.0,
                    ),
                ],
                catches=["search-best-by-lowest-score", "kfold-test-rows-in-training"],
            )
        )
        result.claims.append(
            Claim(
                "The chosen model, refit on the development rows and scored once on "
                "untouched test rows, reports chance (within 4 standard errors): the test "
                "set, not used for choosing, tells the truth that the selection score hid.",
                {
                    "chosen_model_test_accuracy": mean["chosen_test"],
                    "best_cv_accuracy": mean["best_cv"],
                    "standard_error": se_test,
                },
                checks=[
                    Check(
                        "|test accuracy - 0.5| (in SE)",
                        abs(mean["chosen_test"] - 0.5) / se_test,
                        "<",
                        4.0,
                    ),
                    Check(
                        "best CV accuracy - test accuracy (in SE)",
                        (mean["best_cv"] - mean["chosen_test"]) / se_dev,
                        ">",
                        2.0,
                    ),
                ],
                catches=["search-best-by-lowest-score"],
            )
        )
        inner, outer = mean["nested_inner_best"], mean["nested_outer"]
        result.claims.append(
            Claim(
                "Nested cross-validation: each outer fold tunes the search on its training "
                "rows only; the inner best CV accuracy is inflated (> 2 standard errors above "
                "chance), the outer folds (scoring what the inner search chose) report chance "
                "within 5 standard errors (each outer fold refits another chosen model, so "
                "they vary more than one binomial score).",
                {
                    "inner_best_cv_accuracy": inner,
                    "outer_accuracy": outer,
                    "standard_error": se_dev,
                },
                checks=[
                    Check("|outer accuracy - 0.5| (in SE)", abs(outer - 0.5) / se_dev, "<", 5.0),
                    Check(
                        "inner best CV accuracy - 0.5 (in SE)", (inner - 0.5) / se_dev, ">", 2.0
                    ),
                ],
                catches=[
                    "nested-cv-leaks-outer-test",
                    "kfold-test-rows-in-training",
                    "search-best-by-lowest-score",
                ],
            )
        )
        es_seeds = np.random.SeedSequence([seed, 1]).generate_state(n_es)
        stops = [early_stopping_experiment(int(s), epochs) for s in es_seeds]
        chosen = [stop["early"]["history"].best_epoch for stop in stops]
        test_early = sum(stop["early"]["test_mse"] for stop in stops)
        test_full = sum(stop["full"]["test_mse"] for stop in stops)
        result.claims.append(
            Claim(
                "Early stopping: the validation loss of gradient descent on a linear model with "
                "50 features and 60 rows bottoms out and rises again; the epoch early stopping "
                "chooses is typically early (median before half the epochs), and the weights "
                "restored from it have a test MSE at least 5% lower than training to the end "
                f"(summed over {n_es} problems).",
                {
                    "chosen_epochs": chosen,
                    "epochs": epochs,
                    "val_loss_at_chosen": [
                        stop["early"]["history"].val_loss[c - 1] for stop, c in zip(stops, chosen)
                    ],
                    "val_loss_last": [stop["early"]["history"].val_loss[-1] for stop in stops],
                    "test_mse_early_stopped": test_early,
                    "test_mse_full": test_full,
                },
                checks=[
                    Check(
                        "median chosen epoch / epochs", float(np.median(chosen)) / epochs, "<", 0.5
                    ),
                    Check("test MSE early / full", test_early / test_full, "<", 0.95),
                ],
                catches=["early-stopping-on-training-loss", "early-stopping-keeps-last"],
            )
        )
        weight_gap, curve_gap, numpy_best = 0.0, 0.0, []
        for stop in stops:
            best = int(np.argmin(stop["numpy_val_loss"]))
            numpy_best.append(best + 1)
            w_ref, b_ref = stop["numpy_weights"][best]
            w_lib, b_lib = stop["early"]["weights"]
            difference = np.r_[w_lib.ravel() - w_ref.ravel(), b_lib - b_ref]
            weight_gap = max(weight_gap, float(np.max(np.abs(difference)) / np.max(np.abs(w_ref))))
            val_loss = np.array(stop["early"]["history"].val_loss)
            curve = stop["numpy_val_loss"]
            curve_gap = max(curve_gap, float(np.max(np.abs(val_loss - curve)) / curve.min()))
        result.claims.append(
            Claim(
                "Correctness: the library's validation curve equals plain-NumPy gradient "
                "descent on the same data epoch by epoch, and the restored weights are "
                "NumPy's weights at the minimum of that curve (relative error < 1e-8).",
                {"numpy_best_epochs": numpy_best, "library_best_epochs": chosen},
                checks=[
                    Check("max |restored - numpy best| / max |w|", weight_gap, "<", 1e-8),
                    Check("max val-loss difference / min val loss", curve_gap, "<", 1e-8),
                ],
                catches=["early-stopping-on-training-loss", "early-stopping-keeps-last"],
            )
        )

        result.tables["selection_bias"] = [
            {
                "estimate": "grid search: best 3-fold CV score",
                "accuracy": round(mean["best_cv"], 3),
            },
            {
                "estimate": "grid search: average candidate's CV score",
                "accuracy": round(mean["mean_candidate_cv"], 3),
            },
            {
                "estimate": "chosen model on untouched test rows",
                "accuracy": round(mean["chosen_test"], 3),
            },
            {"estimate": "nested CV: inner best score", "accuracy": round(inner, 3)},
            {"estimate": "nested CV: outer score", "accuracy": round(outer, 3)},
            {"estimate": "truth (coin-flip labels)", "accuracy": 0.5},
        ]
        result.figures["selection_bias"] = _selection_figure(reps[0]["candidate_cv"], mean, n_dev)
        result.figures["early_stopping"] = _early_figure(stops[0], chosen[0])
    return result


def _selection_figure(candidate_cv, mean, n_dev):
    fig, ax = new_figure()
    ax.hist(candidate_cv, bins=15, color="tab:gray", alpha=0.7, label="CV accuracy of each model")
    ax.axvline(0.5, color="k", ls="--", label="chance (the truth)")
    ax.axvline(mean["best_cv"], color="tab:red", label="best CV score (mean)")
    ax.axvline(
        mean["chosen_test"], color="tab:green", label="chosen model on untouched test (mean)"
    )
    ax.axvline(mean["nested_outer"], color="tab:blue", ls=":", label="nested CV outer (mean)")
    ax.set_xlabel(f"3-fold CV accuracy on {n_dev} development rows")
    ax.set_ylabel("number of models")
    ax.set_title("Coin-flip labels: the selected score is inflated, a fresh test is not")
    ax.legend(fontsize=7)
    return fig


def _early_figure(stop, chosen_epoch):
    fig, ax = new_figure()
    history = stop["full"]["history"]
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, label="training loss")
    ax.plot(epochs, history.val_loss, label="validation loss")
    ax.axvline(chosen_epoch, color="tab:red", ls=":", label="early-stopping epoch")
    ax.set_xscale("log")
    ax.set_xlabel("epoch (full-batch gradient descent)")
    ax.set_ylabel("mean squared error")
    ax.set_title("Early stopping picks the epoch on the validation set")
    ax.legend()
    return fig
