"""q14 - When is one-hot encoding better than label (integer) encoding?"""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_nominal_effect
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import LinearRegression, LogisticRegression, Ridge
from mlhood.metrics import r2_score, roc_auc_score
from mlhood.model_selection import StratifiedKFold
from mlhood.preprocessing import OneHotEncoder, OrdinalEncoder, TargetEncoder
from mlhood.tree import DecisionTreeRegressor

QUESTION = (
    "A feature is categorical (city, product type, colour). When should you one-hot encode "
    "it rather than replace each category by an integer label?"
)

ANSWER = """\
**Integer (label/ordinal) encoding** maps categories to 0, 1, 2, ... and so invents an
order and equal spacing. A linear model then fits one slope along that made-up axis: if
the categories are **nominal** (no natural order) and their effects are not monotone in
the code, it learns next to nothing. **One-hot encoding** gives each category its own 0/1
column, so a linear (or logistic) model fits one free coefficient per category and can
represent any pattern of category effects. Rule of thumb:

- nominal feature + linear model, GLM, SVM, kNN or neural net -> one-hot;
- truly ordinal feature (small < medium < large) -> integer codes in the right order;
- tree ensembles cope with integer codes: splits such as `code <= 2` and `code <= 5`
  isolate the categories one by one (with enough depth and data).

Costs and care:

- One-hot **width equals the number of categories**. With thousands of levels the matrix
  becomes wide and sparse and many levels have a handful of rows. With a penalty (ridge)
  one-hot can still predict well; the alternatives mainly buy a far narrower input, at a
  measured accuracy cost when the levels really differ. Alternatives: group
  rare levels into one "infrequent" column (`min_frequency`), **target encoding** (the
  smoothed mean target per category, computed out-of-fold to avoid leakage: one column),
  frequency encoding (it helps only in so far as popularity predicts the target; with a
  skewed distribution it partly singles out the few dominant levels), hashing or learned
  embeddings.
- **Unseen categories at prediction time** need a decided behaviour: raise an error that
  names the column and value, encode as all zeros (the model then predicts its baseline),
  or send them to the infrequent column. Beware: with `drop="first"` an all-zero row is
  indistinguishable from the dropped reference category.
- One-hot encoding is a general way to feed categorical data to any numeric model, in
  tabular data above all -- not an NLP technique (bag-of-words is one use of it).
"""


SMOOTHING = 10.0  # the target encoder's m in the classification task


def _split(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed + 7).permutation(n)
    cut = int(0.7 * n)
    return order[:cut], order[cut:]


def _low_cardinality(n: int, seed: int):
    """Integer codes vs one-hot for linear models, and a tree on integer codes.

    Also returns the largest gap between one-hot + least squares' prediction for each
    level and that level's training mean (they must agree: one free coefficient per
    level), and its prediction for a level never seen in training minus the intercept.
    """
    X, y, effects = make_nominal_effect(n, 8, noise=0.5, random_state=seed)
    tr, te = _split(n, seed)
    ordinal = OrdinalEncoder().fit(X[tr])
    onehot = OneHotEncoder(handle_unknown="ignore").fit(X[tr])
    codes_tr, codes_te = ordinal.transform(X[tr]), ordinal.transform(X[te])
    models = {
        ("integer code", "linear regression"): (LinearRegression(), codes_tr, codes_te),
        ("one-hot", "linear regression"): (
            LinearRegression(),
            onehot.transform(X[tr]),
            onehot.transform(X[te]),
        ),
        ("integer code", "decision tree"): (
            DecisionTreeRegressor(min_samples_leaf=20),
            codes_tr,
            codes_te,
        ),
    }
    rows, fitted = [], {}
    grid = np.arange(8, dtype=float)[:, None]
    for (encoding, name), (model, A, B) in models.items():
        model.fit(A, y[tr])
        rows.append(
            {
                "task": "regression, 8 categories",
                "encoding": encoding,
                "model": name,
                "columns": A.shape[1],
                "test_score": r2_score(y[te], model.predict(B)),
                "score": "R^2",
            }
        )
        # prediction for each category, to draw against the true effects
        G = (
            grid
            if encoding == "integer code"
            else onehot.transform(ordinal.inverse_transform(grid))
        )
        fitted[f"{encoding} + {name}"] = model.predict(G)
    noise_ceiling = r2_score(y[te], effects[codes_te[:, 0].astype(int)])
    levels = ordinal.categories_[0]
    level_means = np.array([y[tr][X[tr, 0] == level].mean() for level in levels])
    linear = models[("one-hot", "linear regression")][0]
    mean_gap = float(np.abs(linear.predict(onehot.transform(levels[:, None])) - level_means).max())
    unseen = onehot.transform(np.array([["c_new"]], dtype=object))
    unseen_gap = abs(float(linear.predict(unseen)[0]) - float(linear.intercept_))
    return rows, fitted, effects, noise_ceiling, max(mean_gap, unseen_gap)


def out_of_fold_means(levels, y, folds, smoothing):
    """The cross-fitted encoding, computed directly: for the rows of each fold, the
    smoothed mean ``(sum + m·prior)/(count + m)`` of their level over the other folds."""
    out = np.empty(y.size)
    for train, held_out in folds:
        prior = y[train].mean()
        for level in np.unique(levels[held_out]):
            rows = train[levels[train] == level]
            out[held_out[levels[held_out] == level]] = (y[rows].sum() + smoothing * prior) / (
                rows.size + smoothing
            )
    return out


def _classification(n: int, seed: int):
    """Logistic regression on integer codes, one-hot and a cross-fitted target encoding.

    Also returns the largest gap between the encoder's cross-fitted training column and
    :func:`out_of_fold_means` on the same (stratified) folds.
    """
    X, y, _ = make_nominal_effect(n, 8, effect_scale=2.0, task="classification", random_state=seed)
    tr, te = _split(n, seed)
    rows = []
    target = TargetEncoder(smooth=SMOOTHING, random_state=seed)
    encoded = {"target encoding": target.fit_transform(X[tr], y[tr])}
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(X[tr], y[tr])
    oracle = out_of_fold_means(X[tr, 0], y[tr].astype(float), folds, SMOOTHING)
    gap = float(np.abs(encoded["target encoding"][:, 0] - oracle).max())
    for encoding, encoder in (
        ("integer code", OrdinalEncoder()),
        ("one-hot", OneHotEncoder()),
        ("target encoding", target),
    ):
        if encoding not in encoded:
            encoded[encoding] = encoder.fit(X[tr]).transform(X[tr])
        model = LogisticRegression().fit(encoded[encoding], y[tr])
        proba = model.predict_proba(encoder.transform(X[te]))[:, 1]
        rows.append(
            {
                "task": "classification, 8 categories",
                "encoding": encoding,
                "model": "logistic regression",
                "columns": encoded[encoding].shape[1],
                "test_score": roc_auc_score(y[te], proba),
                "score": "ROC AUC",
            }
        )
    return rows, gap


def _high_cardinality(n: int, n_categories: int, seed: int):
    X, y, _ = make_nominal_effect(
        n, n_categories, frequencies="zipf", noise=0.5, random_state=seed + 100
    )
    tr, te = _split(n, seed)
    rows = []

    def add(name, width, model, A, B):
        rows.append(
            {
                "encoding": name,
                "columns": width,
                "test_R2": r2_score(y[te], model.fit(A, y[tr]).predict(B)),
            }
        )

    full = OneHotEncoder(handle_unknown="ignore").fit(X[tr])
    A = full.transform(X[tr])
    add("one-hot (all levels) + ridge", A.shape[1], Ridge(1.0), A, full.transform(X[te]))
    levels, counts = np.unique(X[tr, 0], return_counts=True)
    # the smallest level count >= 10: one level sits exactly on the grouping boundary
    min_rows = int(counts[counts >= 10].min())
    grouped = OneHotEncoder(min_frequency=min_rows, handle_unknown="infrequent_if_exist")
    grouped.fit(X[tr])
    A = grouped.transform(X[tr])
    add(
        "one-hot, rare levels grouped + ridge",
        A.shape[1],
        Ridge(1.0),
        A,
        grouped.transform(X[te]),
    )
    target = TargetEncoder(random_state=seed)
    A = target.fit_transform(X[tr], y[tr])
    add(
        "target encoding (out-of-fold) + linear", 1, LinearRegression(), A, target.transform(X[te])
    )
    leak = {"cross-fitted": _train_test_r2(A, target.transform(X[te]), y[tr], y[te])}
    in_sample = TargetEncoder(random_state=seed).fit(X[tr], y[tr])
    leak["in-sample"] = _train_test_r2(
        in_sample.transform(X[tr]), in_sample.transform(X[te]), y[tr], y[te]
    )
    freq = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1).fit(X[tr])
    lookup = np.r_[counts, 0]  # unseen -> frequency 0
    A = lookup[freq.transform(X[tr])[:, 0].astype(int)][:, None].astype(float)
    B = lookup[freq.transform(X[te])[:, 0].astype(int)][:, None].astype(float)
    add("frequency encoding + linear", 1, LinearRegression(), A, B)
    unseen = float(np.mean(~np.isin(X[te, 0], levels)))
    info = {
        "distinct_in_train": levels.size,
        "grouping threshold (rows)": min_rows,
        "levels at or above it": int(np.sum(counts >= min_rows)),
        "train_rows": tr.size,
        "unseen_share": unseen,
    }
    return rows, info, leak


def _train_test_r2(A, B, y_train, y_test):
    """Training and test R^2 of a linear regression on one encoded column."""
    model = LinearRegression().fit(A, y_train)
    return r2_score(y_train, model.predict(A)), r2_score(y_test, model.predict(B))


def _unknown_handling(seed: int):
    """What each handle_unknown setting does with a category never seen in training."""
    X, y, _ = make_nominal_effect(600, 8, noise=0.5, random_state=seed)
    new = np.array([["c_new"]], dtype=object)
    rows, checks = [], {}
    strict = OneHotEncoder().fit(X)
    try:
        strict.transform(new)
        message = ""
    except ValueError as err:
        message = str(err)
    checks["error_names_value_and_column"] = "'c_new'" in message and "column 0" in message
    rows.append({"handle_unknown": "error", "behaviour": message})

    ignore = OneHotEncoder(handle_unknown="ignore").fit(X)
    ridge = Ridge(1.0).fit(ignore.transform(X), y)
    encoded = ignore.transform(new)
    checks["ignore_all_zero"] = bool(np.all(encoded == 0))
    checks["ignore_predicts_intercept"] = bool(
        np.isclose(ridge.predict(encoded)[0], ridge.intercept_)
    )
    rows.append(
        {
            "handle_unknown": "ignore",
            "behaviour": f"all-zero row; prediction = intercept = {ridge.intercept_:.3f}",
        }
    )

    dropped = OneHotEncoder(handle_unknown="ignore", drop="first").fit(X)
    reference = dropped.transform(np.array([[dropped.categories_[0][0]]], dtype=object))
    checks["drop_first_confuses_unknown_with_reference"] = bool(
        np.array_equal(dropped.transform(new), reference)
    )
    rows.append(
        {
            "handle_unknown": "ignore + drop='first'",
            "behaviour": "identical to the reference category "
            f"{dropped.categories_[0][0]!r}: a silent mix-up",
        }
    )
    rare = OneHotEncoder(min_frequency=80, handle_unknown="infrequent_if_exist").fit(X)
    rare_level = np.array([[rare.infrequent_categories_[0][0]]], dtype=object)
    checks["unknown_goes_to_infrequent"] = bool(
        np.array_equal(rare.transform(new), rare.transform(rare_level))
    )
    rows.append(
        {
            "handle_unknown": "infrequent_if_exist (min_frequency=80)",
            "behaviour": "1 in the 'infrequent' column, like the rare training levels",
        }
    )
    return rows, checks


def _effects_figure(effects, fitted):
    fig, ax = new_figure(width=6.0, height=4.0)
    k = np.arange(effects.size)
    ax.bar(k, effects, color="0.8", label="true effect of the category")
    styles = {
        "integer code + linear regression": ("C3", "o-"),
        "one-hot + linear regression": ("C0", "s--"),
        "integer code + decision tree": ("C2", "^:"),
    }
    for name, pred in fitted.items():
        color, style = styles[name]
        ax.plot(k, pred - pred.mean(), style, color=color, label=name)
    ax.set(
        xlabel="integer code of the category (c0, c1, ...)",
        ylabel="effect on y (centred)",
        title="A nominal effect: a line in the code cannot follow it",
    )
    ax.legend(fontsize=7, loc="lower left")
    return fig


def _width_figure(high_rows):
    fig, (width_ax, score_ax) = new_figure(ncols=2, width=4.6, height=3.6)
    names = [r["encoding"].split(" + ")[0] for r in high_rows]
    y_pos = np.arange(len(names))
    width_ax.barh(y_pos, [r["columns"] for r in high_rows], color="C0")
    width_ax.set_xscale("log")
    width_ax.set(yticks=y_pos, yticklabels=names, xlabel="columns (log scale)", title="Width")
    score_ax.barh(y_pos, [r["test_R2"] for r in high_rows], color="C1")
    score_ax.set(yticks=y_pos, yticklabels=[], xlabel="test R^2", title="Accuracy")
    width_ax.invert_yaxis()
    score_ax.invert_yaxis()
    return fig


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the encoding lab: nominal effects, trees, high cardinality, unseen levels."""
    result = LabResult(
        id="q14", title="One-hot vs label encoding", question=QUESTION, answer=ANSWER
    )
    with timed(result):
        n, n_high, k_high = (3000, 4000, 1000) if quick else (20000, 20000, 5000)
        rows, fitted, effects, ceiling, mean_gap = _low_cardinality(n, seed)
        class_rows, target_gap = _classification(n, seed)
        rows += class_rows
        score = {(r["encoding"], r["model"]): r["test_score"] for r in rows}
        r2_int = score[("integer code", "linear regression")]
        r2_onehot = score[("one-hot", "linear regression")]
        r2_tree = score[("integer code", "decision tree")]
        auc_int = score[("integer code", "logistic regression")]
        auc_onehot = score[("one-hot", "logistic regression")]
        auc_target = score[("target encoding", "logistic regression")]
        high_rows, info, leak = _high_cardinality(n_high, k_high, seed)
        by_name = {r["encoding"].split(" + ")[0]: r for r in high_rows}
        wide = by_name["one-hot (all levels)"]
        grouped = by_name["one-hot, rare levels grouped"]
        target = by_name["target encoding (out-of-fold)"]
        unknown_rows, unknown_checks = _unknown_handling(seed)
        result.claims = [
            Claim(
                "On a nominal feature with a non-monotone effect, linear regression on the "
                "integer code explains almost nothing (test R^2 < 0.05), while one-hot "
                "encoding gives each level its own coefficient: its predictions are the "
                "levels' training means (an unseen level gets the intercept) and its test "
                "R^2 is within 0.03 of the noise ceiling. A tree on the integer codes gets "
                "within 0.02 of it too, by isolating the levels with splits.",
                {"r2_ceiling": ceiling},
                checks=[
                    Check("r2_integer_code", r2_int, "<", 0.05),
                    Check("r2 ceiling - r2_one_hot", ceiling - r2_onehot, "<", 0.03),
                    Check("max |prediction - level mean or intercept|", mean_gap, "<", 1e-8),
                    Check(
                        "|r2_tree_integer_code - r2_one_hot|", abs(r2_tree - r2_onehot), "<", 0.02
                    ),
                ],
                catches=["onehot-unknown-to-known"],
            ),
            Claim(
                "The same holds for classification: logistic regression on the integer code "
                "ranks barely better than chance (AUC < 0.65), on one-hot columns or on a "
                "cross-fitted target encoding it ranks well (AUC > 0.7); the encoder's training "
                "column equals each level's smoothed mean over the other folds, computed "
                "directly.",
                {"auc_integer_code": auc_int},
                checks=[
                    Check("auc_integer_code", auc_int, "<", 0.65),
                    Check("auc_one_hot", auc_onehot, ">", 0.7),
                    Check("auc_target_encoding", auc_target, ">", 0.7),
                    Check("max |encoding - out-of-fold mean|", target_gap, "<", 1e-9),
                ],
                catches=["target-encoder-no-crossfit", "target-encoder-smooth-ignored"],
            ),
            Claim(
                f"With {k_high} possible levels, one-hot needs hundreds of columns for a few "
                "thousand rows; grouping the levels with fewer than m training rows (m = the "
                "smallest level count >= 10, so one level sits on the boundary) keeps "
                "exactly one column per level with >= m rows plus one 'infrequent' column, "
                "at least 5x narrower, and still explains some of the target (R^2 > 0.15).",
                {**info, "one_hot_columns": wide["columns"], "one_hot_test_R2": wide["test_R2"]},
                checks=[
                    Check(
                        "grouped columns - (levels with >= m rows + 1)",
                        grouped["columns"] - (info["levels at or above it"] + 1),
                        "==",
                        0,
                    ),
                    Check(
                        "one-hot / grouped columns",
                        wide["columns"] / grouped["columns"],
                        ">=",
                        5.0,
                    ),
                    Check("grouped_test_R2", grouped["test_R2"], ">", 0.15),
                ],
                catches=["onehot-min-frequency-off-by-one"],
            ),
            Claim(
                "Cross-fitted target encoding does not leak the label: a linear model on its "
                "single column scores about as well on training rows as on test rows (R^2 "
                "gap < 0.1) and keeps over half of one-hot's test R^2, while the same "
                "encoder applied in-sample (fit, then transform the training rows) inflates "
                "the training R^2 by over 0.05 more.",
                {
                    "cross-fitted train/test R^2": list(leak["cross-fitted"]),
                    "in-sample train/test R^2": list(leak["in-sample"]),
                },
                checks=[
                    Check(
                        "cross-fitted train - test R^2",
                        leak["cross-fitted"][0] - leak["cross-fitted"][1],
                        "<",
                        0.1,
                    ),
                    Check(
                        "target / one-hot test R^2", target["test_R2"] / wide["test_R2"], ">", 0.5
                    ),
                    Check(
                        "in-sample - cross-fitted train R^2",
                        leak["in-sample"][0] - leak["cross-fitted"][0],
                        ">",
                        0.05,
                    ),
                ],
                catches=["target-encoder-no-crossfit"],
            ),
            Claim(
                "Unseen categories get a defined behaviour: 'error' raises a ValueError "
                "naming the column and value; 'ignore' gives an all-zero row, so the model "
                "predicts its intercept; 'infrequent_if_exist' encodes it like the rare "
                "training levels; with drop='first' an unseen level is silently the "
                "reference level.",
                {},
                checks=[Check(name, str(ok), "==", "True") for name, ok in unknown_checks.items()],
                catches=["onehot-unknown-to-known"],
            ),
        ]
        result.tables["encodings_8_levels"] = rows
        result.tables["high_cardinality"] = high_rows
        result.tables["target_encoding_leakage"] = [
            {"encoding": name, "train_R2": a, "test_R2": b} for name, (a, b) in leak.items()
        ]
        result.tables["unknown_categories"] = unknown_rows
        result.figures["nominal_effect_fits"] = _effects_figure(effects, fitted)
        result.figures["high_cardinality"] = _width_figure(high_rows)
    return result
