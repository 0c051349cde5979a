"""q10 - How do you handle outliers? Detect them, see what each rule misses, then decide."""

from __future__ import annotations

import numpy as np

from mlhood.datasets import make_outliers
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
from mlhood.linear_model import HuberRegressor, LinearRegression
from mlhood.metrics import precision_score, recall_score, root_mean_squared_error
from mlhood.outliers import (
    IQRDetector,
    MADDetector,
    MahalanobisDetector,
    ResidualDetector,
    ZScoreDetector,
)

QUESTION = "How do you find outliers, and what should you do with them once found?"

ANSWER = """\
**Find them** with a rule that matches the kind of outlier:

- *Per-feature rules* -- box plot / IQR (`x` beyond `Q1 - 1.5 IQR` or `Q3 + 1.5 IQR`),
  z-score (`|x - mean| / sd > 3`), modified z-score (`0.6745 |x - median| / MAD > 3.5`) --
  catch isolated extreme values.
- The z-score uses the mean and SD, which the outliers themselves inflate: a *cluster* of
  outliers masks itself. Median, quartiles and MAD have high breakdown points and do not
  get fooled.
- An outlier can be ordinary on every feature and still break the *relation* between them.
  Only multivariate tools see it: the residuals of a robust regression (Huber, RANSAC) or
  a Mahalanobis distance with a robust covariance (Minimum Covariance Determinant).
- Every rule trades precision for recall through its threshold: a chi-square 97.5%
  cut-off flags about 2.5% of perfectly normal points.

**Then decide, do not just delete.** An outlier is a question: is it an error (typo, unit
mix-up, bot, broken sensor) or a rare but real value (a big customer)?

- If it is an error: fix it, or drop it, or use a robust model (Huber) that down-weights
  it -- here both bring the error of a regression back to the noise level, while capping
  only helps partly.
- If it is real: keep it. Removing or capping real extremes biases what you estimate
  (here the mean revenue per user comes out about 40% too low after capping and 55% too
  low after removal), and a "robust" estimator answers a different question (the median
  is not the mean).
- Record what you did and compare the results with and without the outliers.
"""


def detectors(seed, n_trials):
    return {
        "IQR (k=1.5)": IQRDetector(),
        "z-score (3)": ZScoreDetector(),
        "MAD (3.5)": MADDetector(),
        "Mahalanobis, classical": MahalanobisDetector(robust=False),
        "Mahalanobis, MCD": MahalanobisDetector(n_trials=n_trials, random_state=seed),
        "Huber residuals": ResidualDetector("huber"),
        "RANSAC residuals": ResidualDetector("ransac", random_state=seed),
    }


PER_FEATURE = ("IQR (k=1.5)", "z-score (3)", "MAD (3.5)")


def detection_table(seed, quick):
    size = 1 if quick else 4
    datasets = {
        "spikes": make_outliers("spikes", 500 * size, 10 * size, random_state=seed),
        "cluster": make_outliers("cluster", 300 * size, random_state=seed),
        "regression": make_outliers("regression", 300 * size, 10 * size, random_state=seed),
    }
    rows, scores, data_by_kind = [], {}, {}
    for kind, (X, y, mask) in datasets.items():
        data = X if y is None else np.column_stack([X, y])
        data_by_kind[kind] = (data, mask)
        for name, detector in detectors(seed, 100 if quick else 500).items():
            flagged = detector.fit_predict(data) == -1
            precision = precision_score(mask, flagged, zero_division=0.0)
            recall = recall_score(mask, flagged)
            scores[(kind, name)] = (precision, recall)
            rows.append(
                {
                    "data": kind,
                    "detector": name,
                    "flagged": int(flagged.sum()),
                    "true_outliers": int(mask.sum()),
                    "precision": round(float(precision), 3),
                    "recall": round(float(recall), 3),
                }
            )
    return rows, scores, data_by_kind


def detection_claims(scores, data_by_kind):
    names = [name for kind, name in scores if kind == "spikes"]
    spike_recall = {name: round(float(scores[("spikes", name)][1]), 3) for name in names}
    cluster, mask = data_by_kind["cluster"]
    masking = {
        "z-score recall": round(float(scores[("cluster", "z-score (3)")][1]), 3),
        "MAD recall": round(float(scores[("cluster", "MAD (3.5)")][1]), 3),
        "IQR recall": round(float(scores[("cluster", "IQR (k=1.5)")][1]), 3),
        "sd of inliers": round(float(cluster[~mask].std(ddof=1)), 3),
        "sd with the cluster": round(float(cluster.std(ddof=1)), 3),
        "cluster share": round(float(mask.mean()), 3),
    }
    joint = {name: round(float(scores[("regression", name)][1]), 3) for name in names}
    return [
        Claim(
            "Isolated spikes are easy: every detector finds all of them.",
            {"recall": spike_recall},
            min(spike_recall.values()) == 1.0,
        ),
        Claim(
            "Masking: a cluster of outliers inflates the standard deviation so the z-score "
            "misses it, while the median/MAD rule (and the box plot) find it.",
            masking,
            masking["z-score recall"] <= 0.1
            and masking["MAD recall"] >= 0.9
            and masking["sd with the cluster"] > 2 * masking["sd of inliers"],
        ),
        Claim(
            "An outlier that is ordinary on each feature but breaks the x-y relation is "
            "invisible to per-feature rules; robust residuals and robust Mahalanobis "
            "distances find it.",
            {"recall": joint},
            max(joint[name] for name in PER_FEATURE) <= 0.1
            and joint["Huber residuals"] >= 0.9
            and joint["RANSAC residuals"] >= 0.9
            and joint["Mahalanobis, MCD"] >= 0.9,
        ),
    ]


def iqr_fences(values):
    q1, q3 = np.quantile(values, [0.25, 0.75], axis=-1, keepdims=True)
    return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)


def errors_downstream(rng, n, n_test=2000):
    """Recording errors (10% of y in the wrong unit): which strategy fits the truth best."""
    x = rng.uniform(0, 10, n)
    y = 1 + 2 * x + rng.normal(0, 1, n)
    bad = rng.choice(n, n // 10, replace=False)
    y[bad] *= 10.0
    X = x[:, None]
    x_test = rng.uniform(0, 10, (n_test, 1))
    y_test = 1 + 2 * x_test.ravel() + rng.normal(0, 1, n_test)
    keep = ResidualDetector().fit_predict(np.column_stack([X, y])) == 1
    low, high = iqr_fences(y)
    models = {
        "keep all (OLS)": LinearRegression().fit(X, y),
        "remove flagged (OLS)": LinearRegression().fit(X[keep], y[keep]),
        "cap at IQR fences (OLS)": LinearRegression().fit(X, np.clip(y, low, high)),
        "robust model (Huber)": HuberRegressor().fit(X, y),
    }
    return {
        name: {
            "test_rmse": round(float(root_mean_squared_error(y_test, m.predict(x_test))), 3),
            "slope": round(float(m.coef_[0]), 3),
        }
        for name, m in models.items()
    }


def genuine_downstream(rng, repeats, n):
    """Real heavy-tailed revenue: estimate the mean revenue per user."""
    sigma = 1.5
    revenue = rng.lognormal(0.0, sigma, (repeats, n))
    truth = np.exp(sigma**2 / 2)
    low, high = iqr_fences(revenue)
    inside = (revenue >= low) & (revenue <= high)
    estimates = {
        "keep all (mean)": revenue.mean(axis=1),
        "remove IQR outliers (mean)": (revenue * inside).sum(axis=1) / inside.sum(axis=1),
        "cap at IQR fences (mean)": np.clip(revenue, low, high).mean(axis=1),
        "robust location (median)": np.median(revenue, axis=1),
    }
    return {name: round(float(value.mean() / truth - 1), 4) for name, value in estimates.items()}


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the outlier lab."""
    result = LabResult(id="q10", title="Outliers", question=QUESTION, answer=ANSWER)
    rng = np.random.default_rng(seed)
    with timed(result):
        rows, scores, data_by_kind = detection_table(seed, quick)
        claims = detection_claims(scores, data_by_kind)
        errors = errors_downstream(rng, 400 if quick else 4000)
        rmse = {name: value["test_rmse"] for name, value in errors.items()}
        claims.append(
            Claim(
                "When the outliers are errors, removing them or using a robust model brings "
                "the test error back to the noise level (1.0); capping helps only partly.",
                {"test_rmse": rmse, "noise_sd": 1.0},
                rmse["remove flagged (OLS)"] < 1.2
                and rmse["robust model (Huber)"] < 1.2
                and rmse["keep all (OLS)"] > 3 * rmse["robust model (Huber)"]
                and rmse["cap at IQR fences (OLS)"] < rmse["keep all (OLS)"],
            )
        )
        bias = genuine_downstream(rng, 200 if quick else 2000, 1000)
        claims.append(
            Claim(
                "When the extremes are real (heavy-tailed revenue), keeping them estimates the "
                "mean correctly; removing, capping or a robust location are badly biased.",
                {"relative_bias_of_mean_estimate": bias},
                abs(bias["keep all (mean)"]) < 0.05
                and bias["remove IQR outliers (mean)"] < -0.3
                and bias["cap at IQR fences (mean)"] < -0.2
                and bias["robust location (median)"] < -0.3,
            )
        )
        result.claims = claims
        result.tables = {
            "detection": rows,
            "errors_downstream": [{"strategy": k, **v} for k, v in errors.items()],
            "genuine_downstream": [{"strategy": k, "relative_bias": v} for k, v in bias.items()],
        }
        result.figures = {
            "box_plot": _box_plot(data_by_kind),
            "masking": _masking_figure(*data_by_kind["cluster"]),
            "joint_outlier": _joint_figure(*data_by_kind["regression"]),
            "downstream": _downstream_figure(rmse, bias),
        }
    return result


def _box_plot(data_by_kind):
    fig, ax = new_figure()
    spikes, spike_mask = data_by_kind["spikes"]
    cluster, cluster_mask = data_by_kind["cluster"]
    ax.boxplot([spikes.ravel(), cluster.ravel()], whis=1.5)
    for position, (values, mask) in enumerate(
        [(spikes.ravel(), spike_mask), (cluster.ravel(), cluster_mask)], start=1
    ):
        ax.scatter(
            np.full(mask.sum(), position + 0.15),
            values[mask],
            s=12,
            color="#c44e52",
            label="injected outliers" if position == 1 else None,
        )
    ax.set_xticks([1, 2], ["spikes", "cluster at 6"])
    ax.set(ylabel="value", title="Box plots (whiskers at 1.5 IQR)")
    ax.legend()
    return fig


def _masking_figure(data, mask):
    fig, ax = new_figure()
    x = data.ravel()
    ax.hist([x[~mask], x[mask]], bins=40, stacked=True, label=["inliers", "outlier cluster"])
    mean, sd = x.mean(), x.std(ddof=1)
    median = np.median(x)
    robust_sd = np.median(np.abs(x - median)) / 0.6745
    ax.axvline(mean + 3 * sd, color="black", linestyle="--", label="mean + 3 sd (z-score)")
    ax.axvline(median + 3.5 * robust_sd, color="green", label="median + 3.5 MAD/0.6745")
    ax.set(xlabel="value", ylabel="count", title="Masking: the cluster inflates the sd")
    ax.legend(fontsize=8)
    return fig


def _joint_figure(data, mask):
    fig, ax = new_figure()
    x, y = data[:, 0], data[:, 1]
    detector = ResidualDetector().fit(data)
    flagged = detector.predict(data) == -1
    ax.scatter(x[~mask], y[~mask], s=8, color="#4c72b0", label="inliers")
    ax.scatter(x[mask], y[mask], s=30, color="#c44e52", label="injected outliers")
    ax.scatter(
        x[flagged],
        y[flagged],
        s=90,
        facecolors="none",
        edgecolors="black",
        label="flagged by Huber residuals",
    )
    grid = np.linspace(x.min(), x.max(), 50)
    line = detector.estimator_.predict(grid[:, None])
    band = detector.threshold_ * detector.scale_
    ax.plot(grid, line, color="black")
    ax.fill_between(grid, line - band, line + band, color="grey", alpha=0.2)
    ax.set(xlabel="x", ylabel="y", title="Ordinary x and y, broken relation")
    ax.legend(fontsize=8)
    return fig


def _downstream_figure(rmse, bias):
    fig, (left, right) = new_figure(ncols=2, width=4.6)
    left.barh(list(rmse), list(rmse.values()), color="#55a868")
    left.axvline(1.0, color="black", linestyle="--", label="noise sd")
    left.set(xlabel="test RMSE", title="Outliers are errors")
    left.legend()
    right.barh(list(bias), [100 * v for v in bias.values()], color="#dd8452")
    right.axvline(0.0, color="black")
    right.set(xlabel="bias of the mean estimate (%)", title="Outliers are real")
    return fig
