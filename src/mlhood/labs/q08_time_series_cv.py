"""q08 - Can K-fold cross-validation be used on time series? Measured against the future."""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_trending_series
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import LinearRegression
from mlhood.model_selection import BlockedKFold, KFold, TimeSeriesSplit, cross_validate
from mlhood.tree import DecisionTreeRegressor

QUESTION = "Can you use K-fold cross-validation on time-series data?"

ANSWER = """\
Not blindly. Plain K-fold shuffles the rows, so each test fold is surrounded in time by
training rows: the model is fit on the future to predict the past, and with lagged
features a test row's values appear as inputs of neighbouring training rows
(overlapping windows). On a **trending, non-stationary** series a flexible model (here a
regression tree on time and lags) looks excellent under shuffled K-fold and then fails on
the real future, because it cannot extrapolate the trend - and shuffled K-fold never asks
it to.

What to do instead: **forward validation** (time-series cross-validation): train on
everything up to time `t`, leave a **gap** of at least the window length, test on the
block that follows; repeat for several origins with an *expanding* window, or a
*sliding* window of fixed length when old data is stale. Each split then resembles
deployment; in the lab it lands within a factor of about two of the true future error,
where shuffled K-fold is off by about tenfold. **Blocked K-fold** (contiguous folds, gap
around the test block) removes most of the leakage through overlapping windows, but
still trains on the future.

**Correct (nuance)**: K-fold is not always wrong. For a **stationary** series and a purely
**autoregressive** model whose inputs are the lags, the rows are (conditionally)
exchangeable and K-fold gives an estimate as good as forward validation (Bergmeir,
Hyndman & Koo 2018) - the lab measures it. The danger is leakage through trend and
overlapping windows, not the word "K-fold".
"""

N_LAGS = 5
AR_LAGS = 3
AR_LEVEL = 5.0  # the stationary series varies around 5, not 0: the intercept matters


def lag_features(t: np.ndarray, y: np.ndarray, n_lags: int, with_time: bool):
    """Rows ``[t_i, y_{i-1}, ..., y_{i-L}]`` (time optional) with target ``y_i``.

    Row ``j`` of the result has target ``y_{j+L}`` and lag ``k`` equal to ``y_{j+L-k}``,
    the target of row ``j - k``.
    """
    columns = [y[n_lags - k - 1 : len(y) - k - 1] for k in range(n_lags)]
    if with_time:
        columns.insert(0, t[n_lags:])
    return np.column_stack(columns), y[n_lags:]


def schemes(n_dev: int, horizon: int, n_lags: int, seed: int) -> dict:
    """The validation schemes compared, all run on the development part only."""
    return {
        "shuffled K-fold": KFold(5, shuffle=True, random_state=seed),
        "blocked K-fold (gap)": BlockedKFold(5, gap=n_lags),
        "expanding window (gap)": TimeSeriesSplit(3, test_size=horizon, gap=n_lags),
        "sliding window (gap)": TimeSeriesSplit(
            3, test_size=horizon, gap=n_lags, max_train_size=n_dev // 3
        ),
    }


def estimate_vs_future(t, y, model, n_lags: int, with_time: bool, seed: int) -> dict:
    """MSE estimated by each scheme on the first 80%, and the true MSE on the last 20%.

    Also the in-sample (training) MSE of the model fit on the whole development part.
    """
    X, target = lag_features(t, y, n_lags, with_time)
    n_dev = int(0.8 * len(target))
    X_dev, y_dev = X[:n_dev], target[:n_dev]
    model.fit(X_dev, y_dev)
    future = model.predict(X[n_dev:])
    out = {
        "true future": float(np.mean((future - target[n_dev:]) ** 2)),
        "in-sample": float(np.mean((model.predict(X_dev) - y_dev) ** 2)),
    }
    for name, cv in schemes(n_dev, len(target) - n_dev, n_lags, seed).items():
        scores = cross_validate(model, X_dev, y_dev, cv=cv, scoring="neg_mean_squared_error")
        out[name] = float(-scores["test_score"].mean())
    return out


def leaked_fraction(splitter, n_rows: int, n_lags: int) -> float:
    """Share of test rows whose target is an input (a lag) of some training row.

    Test row ``i``'s target is lag ``k`` of row ``i + k`` (``k = 1..L``): it leaks when
    one of those rows trains.

    Examples
    --------
    >>> [round(leaked_fraction(BlockedKFold(3, gap=g), 9, 1), 3) for g in (0, 1)]
    [0.222, 0.0]
    """
    leaked, total = 0, 0
    for train, test in splitter.split(np.zeros(n_rows)):
        trains = np.zeros(n_rows + n_lags + 1, dtype=bool)
        trains[train] = True
        seen = np.zeros(test.size, dtype=bool)
        for k in range(1, n_lags + 1):
            seen |= trains[test + k]
        leaked += int(seen.sum())
        total += test.size
    return leaked / total


def rows_between(splitter, n_rows: int) -> int:
    """Smallest ``first test row - last training row`` over the splits (negative when a
    training row comes after the test block's start).

    Examples
    --------
    >>> rows_between(TimeSeriesSplit(2, test_size=2, gap=1), 7)
    2
    """
    return min(int(test.min() - train.max()) for train, test in splitter.split(np.zeros(n_rows)))


def ols_kfold_mse(X, y, folds) -> float:
    """Closed-form K-fold MSE of least squares with an intercept, from one full fit.

    With the hat matrix ``H = X1 (X1^T X1)^-1 X1^T`` (``X1 = [1, X]``) and full-fit
    residuals ``e``, the residuals of fold ``f`` predicted by the fit without it are
    ``(I - H_ff)^-1 e_f`` (the block form of the leave-one-out identity).

    Examples
    --------
    >>> X = np.arange(6.0)[:, None]; y = np.array([0.0, 1, 0, 1, 0, 2])
    >>> round(ols_kfold_mse(X, y, [np.array([0, 2, 4]), np.array([1, 3, 5])]), 4)
    1.6701
    """
    X1 = np.column_stack([np.ones(len(y)), X])
    Q, _ = np.linalg.qr(X1)
    H = Q @ Q.T
    e = y - H @ y
    fold_mse = []
    for f in folds:
        r = np.linalg.solve(np.eye(f.size) - H[np.ix_(f, f)], e[f])
        fold_mse.append(np.mean(r**2))
    return float(np.mean(fold_mse))


def replicate(make, model, n_rep: int, seed: int, n_lags: int, with_time: bool) -> dict:
    """Mean over ``n_rep`` independent series of each estimate and of the true error."""
    seeds = np.random.SeedSequence(seed).generate_state(2 * n_rep).reshape(n_rep, 2)
    rows = [
        estimate_vs_future(*make(int(s)), model, n_lags, with_time, int(cv_seed))
        for s, cv_seed in seeds
    ]
    return {k: float(np.mean([row[k] for row in rows])) for k in rows[0]}


def kfold_check(seed: int, n_ar: int) -> dict:
    """Library shuffled 5-fold MSE of the AR model vs the closed form on independent folds."""
    t, y = _stationary(seed, n_ar)
    X, target = lag_features(t, y, AR_LAGS, False)
    n_dev = int(0.8 * len(target))
    X_dev, y_dev = X[:n_dev], target[:n_dev]
    cv_seed = int(np.random.default_rng(seed).integers(2**31))
    scores = cross_validate(
        LinearRegression(),
        X_dev,
        y_dev,
        cv=KFold(5, shuffle=True, random_state=cv_seed),
        scoring="neg_mean_squared_error",
    )
    # KFold's documented folds: one RandomState permutation cut into 5 near-equal parts.
    folds = np.array_split(np.random.RandomState(cv_seed).permutation(n_dev), 5)
    return {
        "library": float(-scores["test_score"].mean()),
        "closed_form": ols_kfold_mse(X_dev, y_dev, folds),
    }


def _trending(seed: int, n: int):
    return make_trending_series(n, slope=0.1, random_state=seed)


def _stationary(seed: int, n: int):
    t, y = make_trending_series(n, stationary=True, ar_coef=0.7, random_state=seed)
    return t, y + AR_LEVEL


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q08", "K-fold cross-validation on time series", QUESTION, ANSWER)
    with timed(result):
        n_rep, n_trend, n_ar = (6, 300, 1000) if quick else (30, 400, 2000)
        trend_seed, ar_seed, check_seed, tree_seed = np.random.SeedSequence(seed).generate_state(4)
        tree = DecisionTreeRegressor(min_samples_leaf=3, random_state=int(tree_seed))
        trend = replicate(
            lambda s: _trending(s, n_trend), tree, n_rep, int(trend_seed), N_LAGS, True
        )
        ar = replicate(
            lambda s: _stationary(s, n_ar), LinearRegression(), n_rep, int(ar_seed), AR_LAGS, False
        )
        ratio = {k: v / trend["true future"] for k, v in trend.items()}
        ratio_ar = {k: v / ar["true future"] for k, v in ar.items()}
        forward = ("expanding window (gap)", "sliding window (gap)")

        result.claims.append(
            Claim(
                "Trending series, regression tree on time and 5 lags: shuffled K-fold "
                "underestimates the error on the real future by more than 4x.",
                {
                    "true_future_mse": trend["true future"],
                    "shuffled_kfold_mse": trend["shuffled K-fold"],
                    "series": n_rep,
                },
                checks=[
                    Check("shuffled K-fold / true future", ratio["shuffled K-fold"], "<", 0.25)
                ],
                catches=["kfold-shuffle-ignored"],
            )
        )
        closer = min(ratio[n] for n in forward) / ratio["shuffled K-fold"]
        result.claims.append(
            Claim(
                "Forward validation (expanding and sliding windows, gap = window length, test "
                "blocks as long as the real horizon) lands within a factor of 3 of the true "
                "future error and at least 3x closer to it than shuffled K-fold.",
                {name: ratio[name] for name in (*forward, "shuffled K-fold")},
                checks=[
                    Check(
                        "smallest forward / true future",
                        min(ratio[n] for n in forward),
                        ">",
                        1 / 3,
                    ),
                    Check(
                        "largest forward / true future", max(ratio[n] for n in forward), "<", 3.0
                    ),
                    Check("smallest forward / shuffled K-fold", closer, ">", 3.0),
                ],
                catches=["timeseries-split-shuffles"],
            )
        )
        n_rows = int(0.8 * (n_trend - N_LAGS))
        splitters = schemes(n_rows, n_trend - N_LAGS - n_rows, N_LAGS, int(trend_seed))
        leak = {name: leaked_fraction(cv, n_rows, N_LAGS) for name, cv in splitters.items()}
        distance = min(rows_between(splitters[n], n_rows) for n in forward)
        result.claims.append(
            Claim(
                "Overlapping windows leak: under shuffled K-fold over 90% of test targets are "
                "also inputs (lags) of training rows. Blocked K-fold with a gap of the window "
                "length on both sides of the test block leaks none; forward validation leaks "
                "none and ends training more than the gap (5 rows) before each test block.",
                leak,
                checks=[
                    Check("shuffled K-fold leaked fraction", leak["shuffled K-fold"], ">", 0.9),
                    Check(
                        "blocked K-fold leaked fraction", leak["blocked K-fold (gap)"], "<", 0.01
                    ),
                    Check("forward leaked fraction", max(leak[n] for n in forward), "<", 0.01),
                    Check("rows from last training row to test block", distance, ">", N_LAGS),
                ],
                catches=[
                    "kfold-shuffle-ignored",
                    "blocked-kfold-gap-before-only",
                    "timeseries-split-shuffles",
                    "timeseries-gap-ignored",
                ],
            )
        )
        check = kfold_check(int(check_seed), n_ar)
        result.claims.append(
            Claim(
                "Correctness: on a stationary AR(1) series, the library's shuffled 5-fold MSE "
                "of a least-squares AR(3) model equals the closed form (I - H_ff)^-1 e_f "
                "computed from one full fit on folds drawn independently.",
                check,
                checks=[
                    Check(
                        "|library - closed form| / closed form",
                        abs(check["library"] - check["closed_form"]) / check["closed_form"],
                        "<",
                        1e-8,
                    )
                ],
                catches=["kfold-test-rows-in-training", "kfold-shuffle-ignored"],
            )
        )
        agree = ratio_ar["shuffled K-fold"] / ratio_ar["expanding window (gap)"]
        result.claims.append(
            Claim(
                "Nuance: on a stationary AR(1) series with a linear model on 3 lags, shuffled "
                "K-fold is close to the truth (within 30%), agrees with forward validation "
                "within 10%, and is honestly out-of-sample (above the training error, as "
                "least-squares theory requires).",
                {
                    "shuffled_ratio": ratio_ar["shuffled K-fold"],
                    "expanding_ratio": ratio_ar["expanding window (gap)"],
                },
                checks=[
                    Check(
                        "|shuffled / true future - 1|",
                        abs(ratio_ar["shuffled K-fold"] - 1),
                        "<",
                        0.3,
                    ),
                    Check("|shuffled / expanding - 1|", abs(agree - 1), "<", 0.1),
                    Check(
                        "shuffled K-fold / training MSE - 1",
                        ar["shuffled K-fold"] / ar["in-sample"] - 1,
                        ">",
                        0.002,
                    ),
                ],
                catches=["kfold-test-rows-in-training"],
            )
        )

        result.tables["trending_tree"] = [
            {"scheme": k, "mse": round(v, 3), "ratio_to_true_future": round(ratio[k], 3)}
            for k, v in trend.items()
        ]
        result.tables["stationary_ar"] = [
            {"scheme": k, "mse": round(v, 4), "ratio_to_true_future": round(ratio_ar[k], 3)}
            for k, v in ar.items()
        ]
        result.figures["estimates_vs_future"] = _ratio_figure(ratio, ratio_ar)
        result.figures["splits"] = _splits_figure(_trending(int(trend_seed), n_trend), splitters)
    return result


def _ratio_figure(ratio, ratio_ar):
    fig, axes = new_figure(ncols=2, width=5.0)
    for ax, values, title in (
        (axes[0], ratio, "trending series, regression tree"),
        (axes[1], ratio_ar, "stationary AR(1), linear AR model"),
    ):
        names = [k for k in values if k not in ("true future", "in-sample")]
        ax.barh(names, [values[k] for k in names], color="tab:blue")
        ax.axvline(1.0, color="k", ls="--", lw=1, label="true future error")
        ax.set_xscale("log")
        ax.set_xlabel("estimated MSE / true future MSE (log)")
        ax.set_title(title)
        ax.legend(loc="lower right")
    return fig


def _splits_figure(series, splitters):
    t, y = series
    n_rows = int(0.8 * (len(t) - N_LAGS))
    fig, axes = new_figure(ncols=1, nrows=2, width=9.0, height=2.6)
    axes[0].plot(t, y, lw=0.8)
    axes[0].axvspan(
        t[N_LAGS + n_rows], t[-1], color="tab:red", alpha=0.15, label="true later hold-out"
    )
    axes[0].set_xlabel("time")
    axes[0].set_ylabel("y")
    axes[0].set_title("Trending series (development part, then the future)")
    axes[0].legend()
    ax = axes[1]
    row = 0
    for name, cv in splitters.items():
        for train, test in cv.split(np.zeros(n_rows)):
            ax.scatter(train, np.full(train.size, row), s=1, color="tab:blue")
            ax.scatter(test, np.full(test.size, row), s=1, color="tab:orange")
            row += 1
        ax.text(n_rows + 3, row - 1, name, fontsize=7, va="center")
        row += 1
    ax.set_xlim(0, n_rows * 1.35)
    ax.set_yticks([])
    ax.set_xlabel("row (time order); blue = train, orange = test")
    ax.set_title("Splits of each scheme")
    return fig
