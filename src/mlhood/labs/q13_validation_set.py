"""q13 - Why is a validation set necessary? Selection bias measured on pure-noise labels."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from mlhood import nn
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
from mlhood.model_selection import GridSearchCV, KFold, nested_cross_validate
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
new data. Picking the best of many models *on the test set* still reports well above 50%
- a pure selection effect. Picking on a separate validation set and then scoring on the
untouched test set reports about 50%, the truth; so do the outer folds of nested CV,
while the inner (selection) scores are inflated. Finally, **early stopping** is selection
too: the validation loss chooses the epoch, and the model it picks generalises better
than the one trained to the end.
"""


class SubsetTree(ClassifierMixin, BaseEstimator):
    """A small decision tree on a random subset of the columns (``subset_seed`` picks
    which): one of many candidate models whose differences are pure chance on noise
    labels."""

    def __init__(self, subset_seed=0, n_features=3, max_depth=2):
        self.subset_seed = subset_seed
        self.n_features = n_features
        self.max_depth = max_depth

    def _columns(self, n_columns):
        rng = np.random.default_rng(self.subset_seed)
        return rng.choice(n_columns, size=min(self.n_features, n_columns), replace=False)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.columns_ = self._columns(X.shape[1])
        self.model_ = DecisionTreeClassifier(max_depth=self.max_depth, random_state=0)
        self.model_.fit(X[:, self.columns_], y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(np.asarray(X, dtype=float)[:, self.columns_])


def candidates(n_models: int) -> list[dict]:
    return [{"subset_seed": s, "max_depth": d} for s in range(n_models // 2) for d in (2, 4)]


def selection_experiment(rng, n_models: int, n_rows: int, n_columns: int = 20) -> dict:
    """Train/validation/test on coin-flip labels; pick the best model two ways."""
    X = rng.normal(size=(3 * n_rows, n_columns))
    y = rng.integers(0, 2, size=3 * n_rows)
    parts = [slice(0, n_rows), slice(n_rows, 2 * n_rows), slice(2 * n_rows, 3 * n_rows)]
    (X_tr, y_tr), (X_va, y_va), (X_te, y_te) = [(X[p], y[p]) for p in parts]
    val_acc, test_acc = [], []
    X_eval = np.vstack([X_va, X_te])
    for params in candidates(n_models):
        correct = SubsetTree(**params).fit(X_tr, y_tr).predict(X_eval) == np.r_[y_va, y_te]
        val_acc.append(correct[:n_rows].mean())
        test_acc.append(correct[n_rows:].mean())
    val_acc, test_acc = np.array(val_acc), np.array(test_acc)
    chosen = int(np.argmax(val_acc))
    return {
        "best_on_test": test_acc.max(),
        "chosen_on_val_val_score": val_acc[chosen],
        "chosen_on_val_test_score": test_acc[chosen],
        "all_test": test_acc,
    }


def nested_experiment(rng, n_models: int, n_rows: int, n_columns: int = 20) -> dict:
    X = rng.normal(size=(n_rows, n_columns))
    y = rng.integers(0, 2, size=n_rows)
    grid = {"subset_seed": list(range(n_models // 2)), "max_depth": [2, 4]}
    search = GridSearchCV(SubsetTree(), grid, cv=KFold(2, shuffle=True, random_state=0))
    result = nested_cross_validate(search, X, y, cv=KFold(3, shuffle=True, random_state=1))
    return {
        "inner_best": float(result["inner_best_score"].mean()),
        "outer": float(result["test_score"].mean()),
    }


def early_stopping_experiment(seed: int, epochs: int) -> dict:
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
        history = nn.fit(model, X_tr, y_tr, nn.MSELoss(), nn.SGD(model.parameters(), lr=0.2),
                         batch_size=None, epochs=epochs, validation_data=(X_va, y_va),
                         early_stopping=stop, patience=epochs, restore_best=True,
                         monitor=False, random_state=seed)  # fmt: skip
        test = float(np.mean((model.forward(X_te) - y_te) ** 2))
        runs["early" if stop else "full"] = {"history": history, "test_mse": test}
    return runs


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q13", "Why a validation set", QUESTION, ANSWER)
    with timed(result):
        n_rep, n_models, n_rows, epochs = (8, 40, 100, 400) if quick else (16, 40, 100, 800)
        rng = np.random.default_rng(seed)
        reps = [selection_experiment(rng, n_models, n_rows) for _ in range(n_rep)]
        mean = {k: float(np.mean([r[k] for r in reps])) for k in reps[0] if k != "all_test"}
        se = 0.5 / np.sqrt(n_rows * n_rep)  # standard error of a mean accuracy at chance
        result.claims.append(Claim(
            f"Labels are coin flips, yet the best of {n_models} models chosen on the test "
            f"set scores well above chance on that test set (> 0.5 + 3 standard errors, "
            f"mean over {n_rep} draws).",
            {"best_on_test_accuracy": mean["best_on_test"], "chance": 0.5,
             "standard_error": se},
            mean["best_on_test"] > 0.5 + 3 * se,
        ))  # fmt: skip
        result.claims.append(Claim(
            "Choosing on a separate validation set and scoring once on the untouched test "
            "set reports chance, the truth (within 3 standard errors), while the validation "
            "score of the chosen model is as inflated as the test-selected one.",
            {"chosen_on_val_test_accuracy": mean["chosen_on_val_test_score"],
             "chosen_on_val_validation_accuracy": mean["chosen_on_val_val_score"],
             "standard_error": se},
            abs(mean["chosen_on_val_test_score"] - 0.5) < 3 * se
            and mean["chosen_on_val_val_score"] > 0.5 + 3 * se,
        ))  # fmt: skip
        n_nested = 4 if quick else 8
        nested = [nested_experiment(rng, n_models // 2, 2 * n_rows) for _ in range(n_nested)]
        inner = float(np.mean([r["inner_best"] for r in nested]))
        outer = float(np.mean([r["outer"] for r in nested]))
        se_nested = 0.5 / np.sqrt(2 * n_rows * n_nested)
        result.claims.append(Claim(
            "Nested cross-validation: the inner best CV score is inflated (above the outer "
            "score and chance), the outer folds (scoring what the inner search chose) report "
            "chance within 3 standard errors.",
            {"inner_best_cv_accuracy": inner, "outer_accuracy": outer,
             "standard_error": se_nested},
            inner > max(outer, 0.5 + se_nested) and abs(outer - 0.5) < 3 * se_nested,
        ))  # fmt: skip
        stop = early_stopping_experiment(seed, epochs)
        history = stop["early"]["history"]
        best = int(np.argmin(history.val_loss))
        result.claims.append(Claim(
            "Early stopping: the validation loss of gradient descent on a linear model with "
            "50 features and 60 rows bottoms out and rises again; the weights restored at its "
            "minimum have a test MSE at least 5% lower than training to the end.",
            {"best_epoch": best + 1, "epochs": epochs,
             "val_loss_min": history.val_loss[best], "val_loss_last": history.val_loss[-1],
             "test_mse_early_stopped": stop["early"]["test_mse"],
             "test_mse_full": stop["full"]["test_mse"]},
            best < epochs - 1 and history.val_loss[-1] > history.val_loss[best]
            and stop["early"]["test_mse"] < 0.95 * stop["full"]["test_mse"],
        ))  # fmt: skip

        result.tables["selection_bias"] = [
            {"estimate": "best of models, chosen on test",
             "accuracy": round(mean["best_on_test"], 3)},
            {"estimate": "chosen on validation: its validation score",
             "accuracy": round(mean["chosen_on_val_val_score"], 3)},
            {"estimate": "chosen on validation: its test score",
             "accuracy": round(mean["chosen_on_val_test_score"], 3)},
            {"estimate": "nested CV: inner best score", "accuracy": round(inner, 3)},
            {"estimate": "nested CV: outer score", "accuracy": round(outer, 3)},
            {"estimate": "truth (coin-flip labels)", "accuracy": 0.5},
        ]  # fmt: skip
        result.figures["selection_bias"] = _selection_figure(reps[0]["all_test"], mean, n_rows)
        result.figures["early_stopping"] = _early_figure(stop, best)
    return result


def _selection_figure(all_test, mean, n_rows):
    fig, ax = new_figure()
    ax.hist(all_test, bins=15, color="tab:gray", alpha=0.7, label="test accuracy of each model")
    ax.axvline(0.5, color="k", ls="--", label="chance (the truth)")
    ax.axvline(mean["best_on_test"], color="tab:red", label="best chosen on test (mean)")
    ax.axvline(mean["chosen_on_val_test_score"], color="tab:green",
               label="chosen on validation, scored on test (mean)")  # fmt: skip
    ax.set_xlabel(f"accuracy on {n_rows} test rows")
    ax.set_ylabel("number of models")
    ax.set_title("Coin-flip labels: selection on the test set inflates its score")
    ax.legend(fontsize=7)
    return fig


def _early_figure(stop, best):
    fig, ax = new_figure()
    history = stop["full"]["history"]
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, label="training loss")
    ax.plot(epochs, history.val_loss, label="validation loss")
    ax.axvline(best + 1, color="tab:red", ls=":", label="early-stopping epoch")
    ax.set_xscale("log")
    ax.set_xlabel("epoch (full-batch gradient descent)")
    ax.set_ylabel("mean squared error")
    ax.set_title("Early stopping picks the epoch on the validation set")
    ax.legend()
    return fig
