"""q10 - How do you handle outliers? Detect them, see what each rule misses, then decide."""

from __future__ import annotations

import numpy as np
from scipy import stats

from mlhood.datasets import make_outliers
from mlhood.labs._q10_figures import box_plot, downstream_figure, joint_figure, masking_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
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


def _rate_band(rate, n, slope, scale_variance):
    """Five standard errors of a flag rate measured on the ``n`` rows the rule was fit on.

    Two sources of spread: which rows fall beyond the cut-off (binomial,
    ``rate (1 - rate) / n``) and the fitted scale itself (delta method: ``slope`` is
    ``d rate / d log scale`` and the scale's relative variance is ``scale_variance / n``:
    0.5 for the SD, 1.36 for MAD- and IQR-based scales, whose efficiency is 37%).
    """
    return 5.0 * np.sqrt((rate * (1.0 - rate) + slope**2 * scale_variance) / n)


def _two_tailed(t):
    """Share of a normal beyond ``t`` SDs, and its slope ``2 t phi(t)`` in the log scale."""
    return 2 * stats.norm.sf(t), 2 * t * stats.norm.pdf(t)


def _flag_rate(detector, data):
    return float(np.mean(detector.fit_predict(data) == -1))


def clean_rates(rng, seed, n_univariate, n_multivariate, n_regression):
    """Clean Gaussian data (not centred, not unit scale): each rule's false-alarm rate."""
    x = 5.0 + 2.0 * rng.standard_normal((n_univariate, 1))
    cov = np.array([[4.0, 0.8], [0.8, 0.25]])  # sds 2 and 0.5, correlation 0.8
    xy = rng.multivariate_normal([5.0, -3.0], cov, n_multivariate)
    u = rng.uniform(0, 10, n_regression)
    line = np.column_stack([u, 1 + 2 * u + rng.standard_normal(n_regression)])
    iqr_fence = stats.norm.ppf(0.75) * 4  # Q3 + 1.5 IQR in SDs: 0.6745 (1 + 2 * 1.5)
    chi2_cut = stats.chi2.ppf(0.975, 2)  # P(d^2 > c) = exp(-c / 2) for 2 features
    # name: (detector, data, (rate on normal inliers, its slope), relative scale variance)
    cases = {
        "z-score (3)": (ZScoreDetector(), x, _two_tailed(3.0), 0.5),
        "MAD (3.5)": (MADDetector(), x, _two_tailed(3.5), 1.36),
        "IQR (k=1.5)": (IQRDetector(), x, _two_tailed(iqr_fence), 1.36),
        "Mahalanobis, classical": (
            MahalanobisDetector(robust=False),
            xy,
            (0.025, 0.025 * chi2_cut / 2),
            1.0,
        ),
        "Mahalanobis, MCD": (
            MahalanobisDetector(n_trials=50, random_state=seed),
            xy,
            (0.025, 0.025 * chi2_cut / 2),
            2.0,
        ),
        "Huber residuals (2)": (
            ResidualDetector("huber", threshold=2.0),
            line,
            _two_tailed(2.0),
            1.36,
        ),
    }
    rows = []
    for name, (detector, data, (theory, slope), scale_variance) in cases.items():
        rate = _flag_rate(detector, data)
        band = _rate_band(theory, len(data), slope, scale_variance)
        rows.append({"detector": name, "flag_rate": rate, "theory": theory, "band": band})
    claim = Claim(
        "On clean normal data every rule flags its theoretical share of rows, no more and no "
        "less: z-score 0.27%, MAD 0.047%, IQR 0.70%, Mahalanobis 2.5% (chi-square "
        "97.5%), Huber residuals beyond 2 robust SDs 4.6%.",
        {row["detector"]: row["flag_rate"] for row in rows},
        checks=[
            Check(
                f"|rate - theory|, {row['detector']}",
                abs(row["flag_rate"] - row["theory"]),
                "<",
                row["band"],
            )
            for row in rows
        ],
        catches=[
            "mad-no-consistency-constant",
            "iqr-fences-from-median",
            "mcd-no-consistency-factor",
        ],
    )
    return rows, claim


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


def _against_the_correlation(rng, n, share=0.15):
    """Correlated 2-D inliers plus a tight cluster ordinary on each axis, off the ellipse."""
    cov = np.array([[4.0, 0.8], [0.8, 0.25]])
    X = rng.multivariate_normal([5.0, -3.0], cov, n)
    mask = np.zeros(n, dtype=bool)
    mask[rng.choice(n, round(share * n), replace=False)] = True
    X[mask] = [5.0 + 4.4, -3.0 - 1.1] + rng.normal(0, 0.1, (mask.sum(), 2)) * [2.0, 0.5]
    return X, mask


def _with_y(X, y, mask):
    """``make_outliers`` output as ``(data, mask)``: the target becomes a last column."""
    return (X if y is None else np.column_stack([X, y])), mask


def detection_table(rng, seed, quick):
    size = 1 if quick else 4
    data_by_kind = {
        "spikes": _with_y(*make_outliers("spikes", 500 * size, 10 * size, random_state=seed)),
        "cluster": _with_y(*make_outliers("cluster", 20_000 * size, random_state=seed)),
        "cluster 2-D": _against_the_correlation(rng, 4000 * size),
        "regression": _with_y(
            *make_outliers("regression", 2000 * size, 40 * size, random_state=seed)
        ),
    }
    rows, scores = [], {}
    for kind, (data, mask) in data_by_kind.items():
        for name, detector in detectors(seed, 50 if quick else 500).items():
            if kind == "cluster" and name not in PER_FEATURE:
                continue
            flagged = detector.fit_predict(data) == -1
            precision = precision_score(mask, flagged, zero_division=0.0)
            recall = recall_score(mask, flagged)
            false_alarms = float(flagged[~mask].mean())
            scores[(kind, name)] = (precision, recall, false_alarms)
            rows.append(
                {
                    "data": kind,
                    "detector": name,
                    "flagged": int(flagged.sum()),
                    "true_outliers": int(mask.sum()),
                    "precision": round(float(precision), 3),
                    "recall": round(float(recall), 3),
                    "inliers_flagged": round(false_alarms, 4),
                }
            )
    return rows, scores, data_by_kind


def detection_claims(scores, data_by_kind):
    cluster, mask = data_by_kind["cluster"]
    recall = {name: scores[("cluster", name)][1] for name in PER_FEATURE}
    alarms = {name: scores[("cluster", name)][2] for name in PER_FEATURE}
    joint = {name: value[1] for (kind, name), value in scores.items() if kind == "regression"}
    robust = ("Huber residuals", "RANSAC residuals", "Mahalanobis, MCD")
    joint_alarms = {name: scores[("regression", name)][2] for name in robust}
    two_d = {
        name: scores[("cluster 2-D", name)]
        for name in ("Mahalanobis, classical", "Mahalanobis, MCD")
    }
    return [
        Claim(
            "Masking: a cluster of 15% outliers inflates the standard deviation so the "
            "z-score misses it, while the median/MAD rule and the box plot find it and still "
            "flag almost no inliers.",
            {
                "recall": recall,
                "inliers_flagged": alarms,
                "sd of inliers": float(cluster[~mask].std(ddof=1)),
                "sd with the cluster": float(cluster.std(ddof=1)),
            },
            checks=[
                Check("z-score recall", recall["z-score (3)"], "<", 0.1),
                Check("MAD recall", recall["MAD (3.5)"], ">", 0.95),
                Check("IQR recall", recall["IQR (k=1.5)"], ">", 0.95),
                Check("MAD inliers flagged", alarms["MAD (3.5)"], "<", 0.001),
                Check("IQR inliers flagged", alarms["IQR (k=1.5)"], "<", 0.004),
            ],
            catches=["mad-no-consistency-constant", "iqr-fences-from-median"],
        ),
        Claim(
            "The same masking in two dimensions: a 15% cluster that is ordinary on each axis "
            "but lies against the correlation drags the classical mean and covariance so "
            "that classical Mahalanobis distances miss it; the MCD's robust covariance finds "
            "it and flags about 2.5% of the inliers, as the chi-square cut-off promises.",
            {name: {"recall": r, "inliers_flagged": a} for name, (_, r, a) in two_d.items()},
            checks=[
                Check("classical recall", two_d["Mahalanobis, classical"][1], "<", 0.3),
                Check("MCD recall", two_d["Mahalanobis, MCD"][1], ">", 0.95),
                Check("MCD inliers flagged", two_d["Mahalanobis, MCD"][2], "<", 0.045),
                Check("MCD inliers flagged ", two_d["Mahalanobis, MCD"][2], ">", 0.01),
            ],
            catches=["mahalanobis-classical-covariance", "mcd-no-consistency-factor"],
        ),
        Claim(
            "An outlier that is ordinary on each feature but breaks the x-y relation is "
            "invisible to per-feature rules; robust residuals and robust Mahalanobis "
            "distances find it, and the residual rules flag almost no ordinary rows.",
            {"recall": joint, "inliers_flagged": joint_alarms},
            checks=[
                Check("best per-feature recall", max(joint[n] for n in PER_FEATURE), "<", 0.1),
                Check("worst robust recall", min(joint[n] for n in robust), ">", 0.9),
                Check("Huber inliers flagged", joint_alarms["Huber residuals"], "<", 0.005),
                Check("RANSAC inliers flagged", joint_alarms["RANSAC residuals"], "<", 0.005),
                Check("Huber precision", scores[("regression", "Huber residuals")][0], ">", 0.6),
            ],
            catches=["mad-no-consistency-constant"],
        ),
    ]


NOISE_SD = 2.0  # noise of the recording-errors regression


def errors_downstream(rng, n, n_test=2000):
    """Recording errors (20% of y in the wrong unit): which strategy fits the truth best."""
    x = rng.uniform(0, 10, n)
    y = 1 + 2 * x + rng.normal(0, NOISE_SD, n)
    bad = np.zeros(n, dtype=bool)
    bad[rng.choice(n, n // 5, replace=False)] = True
    y[bad] *= 10.0
    X = x[:, None]
    x_test = rng.uniform(0, 10, (n_test, 1))
    y_test = 1 + 2 * x_test.ravel() + rng.normal(0, NOISE_SD, n_test)
    keep = ResidualDetector().fit_predict(np.column_stack([X, y])) == 1
    fences = IQRDetector().fit(y[:, None])
    capped = np.clip(y, fences.lower_fence_[0], fences.upper_fence_[0])
    models = {
        "keep all (OLS)": LinearRegression().fit(X, y),
        "remove flagged (OLS)": LinearRegression().fit(X[keep], y[keep]),
        "cap at IQR fences (OLS)": LinearRegression().fit(X, capped),
        "robust model (Huber)": HuberRegressor().fit(X, y),
    }
    fits = {
        name: {
            "test_rmse": float(root_mean_squared_error(y_test, m.predict(x_test))),
            "slope": float(m.coef_[0]),
        }
        for name, m in models.items()
    }
    detection = {
        "recall": float(np.mean(~keep[bad])),
        "clean_flagged": float(np.mean(~keep[~bad])),
    }
    return fits, detection


def errors_claim(fits, detection):
    rmse = {name: value["test_rmse"] for name, value in fits.items()}
    slope_error = max(
        abs(fits[name]["slope"] - 2.0) for name in ("remove flagged (OLS)", "robust model (Huber)")
    )
    return Claim(
        "When the outliers are errors (20% of y recorded 10 times too large), the Huber "
        "residual rule finds them without flagging clean rows, and removing them or using a "
        "robust model brings the slope back to 2 and the test error to the noise level "
        f"({NOISE_SD}); capping helps only partly.",
        {"test_rmse": rmse, "detection": detection, "noise_sd": NOISE_SD},
        checks=[
            Check("errors found", detection["recall"], ">", 0.9),
            Check(
                "|RMSE after removing flagged / noise SD - 1|",
                abs(rmse["remove flagged (OLS)"] / NOISE_SD - 1),
                "<",
                0.1,
            ),
            Check("clean rows flagged", detection["clean_flagged"], "<", 0.02),
            Check("worst |slope - 2| (remove, Huber)", slope_error, "<", 0.15),
            Check(
                "RMSE keep all / Huber",
                rmse["keep all (OLS)"] / rmse["robust model (Huber)"],
                ">",
                3,
            ),
            Check(
                "RMSE cap / keep all",
                rmse["cap at IQR fences (OLS)"] / rmse["keep all (OLS)"],
                "<",
                1,
            ),
        ],
        catches=["residual-detector-ols"],
    )


def genuine_downstream(repeats, n, rng, sigma=1.5):
    """Real log-normal revenue: bias of mean estimates after the IQR rule, vs closed forms.

    Each column is one sample of ``n`` users; one :class:`IQRDetector` fit gives every
    column's fences. For ``X ~ LogNormal(0, sigma)`` and a fence ``u``,
    ``E[X; X <= u] = e^{sigma^2/2} Phi((ln u - sigma^2) / sigma)``, which gives the
    expected removed and capped means at the population fences.
    """
    revenue = rng.lognormal(0.0, sigma, (n, repeats))
    truth = np.exp(sigma**2 / 2)
    fences = IQRDetector().fit(revenue)
    low, high = fences.lower_fence_, fences.upper_fence_
    inside = (revenue >= low) & (revenue <= high)
    measured = {
        "keep all (mean)": revenue.mean(axis=0),
        "remove IQR outliers (mean)": (revenue * inside).sum(axis=0) / inside.sum(axis=0),
        "cap at IQR fences (mean)": np.clip(revenue, low, high).mean(axis=0),
        "robust location (median)": np.median(revenue, axis=0),
    }
    bias = {name: float(value.mean() / truth - 1) for name, value in measured.items()}
    q1, q3 = np.exp(sigma * stats.norm.ppf([0.25, 0.75]))
    u = q3 + 1.5 * (q3 - q1)  # the lower fence is negative: nothing below it
    below = stats.norm.cdf((np.log(u) - sigma**2) / sigma)  # share of the mean under u
    inside_share = stats.norm.cdf(np.log(u) / sigma)
    theory = {
        "remove IQR outliers (mean)": below / inside_share - 1,
        "cap at IQR fences (mean)": below + u * (1 - inside_share) / truth - 1,
    }
    return bias, theory


def genuine_claim(bias, theory):
    gaps = {name: abs(bias[name] - value) for name, value in theory.items()}
    return Claim(
        "When the extremes are real (log-normal revenue), keeping them estimates the mean "
        "correctly, while removing or capping at the box-plot fences biases it by the amounts "
        "the log-normal closed form predicts (about -56% and -38%); the median answers "
        "another question.",
        {"relative_bias": bias, "closed_form_bias": theory},
        checks=[
            Check("|bias of keep all|", abs(bias["keep all (mean)"]), "<", 0.05),
            Check("|remove - closed form|", gaps["remove IQR outliers (mean)"], "<", 0.03),
            Check("|cap - closed form|", gaps["cap at IQR fences (mean)"], "<", 0.03),
            Check("median bias", bias["robust location (median)"], "<", -0.3),
        ],
        catches=["iqr-fences-from-median"],
    )


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the outlier lab."""
    result = LabResult(id="q10", title="Outliers", question=QUESTION, answer=ANSWER)
    rng = np.random.default_rng(seed)
    scale = 1 if quick else 5
    with timed(result):
        clean_rows, clean_claim = clean_rates(
            rng, seed, 200_000 * scale, 10_000 * scale, 5_000 * scale
        )
        rows, scores, data_by_kind = detection_table(rng, seed, quick)
        claims = [clean_claim, *detection_claims(scores, data_by_kind)]
        fits, detection = errors_downstream(rng, 1000 * scale)
        claims.append(errors_claim(fits, detection))
        bias, theory = genuine_downstream(200 * scale, 1000, rng)
        claims.append(genuine_claim(bias, theory))
        result.claims = claims
        rmse = {name: value["test_rmse"] for name, value in fits.items()}
        result.tables = {
            "clean_flag_rates": clean_rows,
            "detection": rows,
            "errors_downstream": [{"strategy": k, **v} for k, v in fits.items()],
            "genuine_downstream": [{"strategy": k, "relative_bias": v} for k, v in bias.items()],
        }
        result.figures = {
            "box_plot": box_plot(data_by_kind),
            "masking": masking_figure(*data_by_kind["cluster"]),
            "joint_outlier": joint_figure(*data_by_kind["regression"]),
            "downstream": downstream_figure(rmse, bias, NOISE_SD),
        }
    return result
