"""q08 - Can K-fold cross-validation be used on time series? Measured against the future."""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_trending_series
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
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


def lag_features(t: np.ndarray, y: np.ndarray, n_lags: int, with_time: bool):
    """Rows ``[t_i, y_{i-1}, ..., y_{i-L}]`` (time optional) with target ``y_i``."""
    columns = [y[n_lags - k - 1 : len(y) - k - 1] for k in range(n_lags)]
    if with_time:
        columns.insert(0, t[n_lags:])
    return np.column_stack(columns), y[n_lags:]


def schemes(n_dev: int, horizon: int, n_lags: int) -> dict:
    """The validation schemes compared, all run on the development part only."""
    return {
        "shuffled K-fold": KFold(5, shuffle=True, random_state=0),
        "blocked K-fold (gap)": BlockedKFold(5, gap=n_lags),
        "expanding window (gap)": TimeSeriesSplit(3, test_size=horizon, gap=n_lags),
        "sliding window (gap)": TimeSeriesSplit(3, test_size=horizon, gap=n_lags,
                                                max_train_size=n_dev // 3),
    }  # fmt: skip


def estimate_vs_future(t, y, model, n_lags: int, with_time: bool) -> dict:
    """MSE estimated by each scheme on the first 80%, and the true MSE on the last 20%."""
    X, target = lag_features(t, y, n_lags, with_time)
    n_dev = int(0.8 * len(target))
    X_dev, y_dev = X[:n_dev], target[:n_dev]
    future = model.fit(X_dev, y_dev).predict(X[n_dev:])
    out = {"true future": float(np.mean((future - target[n_dev:]) ** 2))}
    for name, cv in schemes(n_dev, len(target) - n_dev, n_lags).items():
        scores = cross_validate(model, X_dev, y_dev, cv=cv, scoring="neg_mean_squared_error")
        out[name] = float(-scores["test_score"].mean())
    return out


def leaked_fraction(splitter, n_rows: int, n_lags: int) -> float:
    """Share of test rows whose target is an input (a lag) of some training row."""
    leaked, total = 0, 0
    for train, test in splitter.split(np.zeros(n_rows)):
        inputs = np.zeros(n_rows + n_lags + 1, dtype=bool)
        for k in range(1, n_lags + 1):
            inputs[train + k] = True  # row j's lag k is the target of row j - k
        leaked += int(inputs[test].sum())
        total += test.size
    return leaked / total


def replicate(make, model, n_rep: int, seed: int, n_lags: int, with_time: bool) -> dict:
    """Mean over ``n_rep`` independent series of each estimate and of the true error."""
    rows = [estimate_vs_future(*make(seed * 1000 + r), model, n_lags, with_time)
            for r in range(n_rep)]  # fmt: skip
    return {k: float(np.mean([row[k] for row in rows])) for k in rows[0]}


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult("q08", "K-fold cross-validation on time series", QUESTION, ANSWER)
    with timed(result):
        n_rep, n_trend, n_ar = (6, 300, 1000) if quick else (30, 400, 2000)

        def trending(s):
            return make_trending_series(n_trend, slope=0.1, random_state=s)

        def stationary(s):
            return make_trending_series(n_ar, stationary=True, ar_coef=0.7, random_state=s)

        tree = DecisionTreeRegressor(min_samples_leaf=3, random_state=0)
        trend = replicate(trending, tree, n_rep, seed, N_LAGS, True)
        ar = replicate(stationary, LinearRegression(), n_rep, seed, 3, False)
        ratio = {k: v / trend["true future"] for k, v in trend.items()}
        ratio_ar = {k: v / ar["true future"] for k, v in ar.items()}
        forward = ("expanding window (gap)", "sliding window (gap)")

        result.claims.append(Claim(
            "Trending series, regression tree on time and 5 lags: shuffled K-fold "
            "underestimates the error on the real future by more than 4x.",
            {"true_future_mse": trend["true future"],
             "shuffled_kfold_mse": trend["shuffled K-fold"],
             "ratio": ratio["shuffled K-fold"], "series": n_rep},
            ratio["shuffled K-fold"] < 0.25,
        ))  # fmt: skip
        result.claims.append(Claim(
            "Forward validation (expanding and sliding windows, gap = window length, test "
            "blocks as long as the real horizon) lands within a factor of 3 of the true "
            "future error and at least 3x closer to it than shuffled K-fold.",
            {name: ratio[name] for name in (*forward, "shuffled K-fold")},
            all(ratio[n] > 1 / 3 and ratio[n] < 3 for n in forward)
            and all(ratio[n] > 3 * ratio["shuffled K-fold"] for n in forward),
        ))  # fmt: skip
        result.claims.append(Claim(
            "Blocked K-fold with a gap also removes most of the optimism (estimate at least "
            "half the true future error), though it still trains on the future.",
            {"blocked_ratio": ratio["blocked K-fold (gap)"]},
            ratio["blocked K-fold (gap)"] > 0.5,
        ))  # fmt: skip
        n_rows = int(0.8 * (n_trend - N_LAGS))
        leak = {
            name: leaked_fraction(cv, n_rows, N_LAGS)
            for name, cv in schemes(n_rows, n_trend - N_LAGS - n_rows, N_LAGS).items()
        }
        result.claims.append(Claim(
            "Overlapping windows leak: under shuffled K-fold over 90% of test targets are "
            "also inputs (lags) of training rows; with a gap of the window length, forward "
            "validation leaks none.",
            leak,
            leak["shuffled K-fold"] > 0.9 and all(leak[n] == 0 for n in forward),
        ))  # fmt: skip
        agree = ratio_ar["shuffled K-fold"] / ratio_ar["expanding window (gap)"]
        result.claims.append(Claim(
            "Nuance: on a stationary AR(1) series with a linear model on 3 lags, shuffled "
            "K-fold is close to the truth (within 30%) and agrees with forward validation "
            "within 10%.",
            {"shuffled_ratio": ratio_ar["shuffled K-fold"],
             "expanding_ratio": ratio_ar["expanding window (gap)"],
             "shuffled_over_expanding": agree},
            abs(ratio_ar["shuffled K-fold"] - 1) < 0.3 and abs(agree - 1) < 0.1,
        ))  # fmt: skip

        result.tables["trending_tree"] = [
            {"scheme": k, "mse": round(v, 3), "ratio_to_true_future": round(ratio[k], 3)}
            for k, v in trend.items()
        ]  # fmt: skip
        result.tables["stationary_ar"] = [
            {"scheme": k, "mse": round(v, 4), "ratio_to_true_future": round(ratio_ar[k], 3)}
            for k, v in ar.items()
        ]  # fmt: skip
        result.figures["estimates_vs_future"] = _ratio_figure(ratio, ratio_ar)
        result.figures["splits"] = _splits_figure(trending(seed * 1000), n_rows)
    return result


def _ratio_figure(ratio, ratio_ar):
    fig, axes = new_figure(ncols=2, width=5.0)
    for ax, values, title in (
        (axes[0], ratio, "trending series, regression tree"),
        (axes[1], ratio_ar, "stationary AR(1), linear AR model"),
    ):
        names = [k for k in values if k != "true future"]
        ax.barh(names, [values[k] for k in names], color="tab:blue")
        ax.axvline(1.0, color="k", ls="--", lw=1, label="true future error")
        ax.set_xscale("log")
        ax.set_xlabel("estimated MSE / true future MSE (log)")
        ax.set_title(title)
        ax.legend(loc="lower right")
    return fig


def _splits_figure(series, n_rows):
    t, y = series
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
    for name, cv in schemes(n_rows, len(t) - N_LAGS - n_rows, N_LAGS).items():
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
