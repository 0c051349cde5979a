"""q10 page: contamination and the detector against what is flagged and the fitted line."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.datasets import make_outliers
from mlhood.explorer._spec import Page, SeededParams, chart, line, result, slider
from mlhood.linear_model import LinearRegression
from mlhood.outliers import (
    IQRDetector,
    MADDetector,
    MahalanobisDetector,
    ResidualDetector,
    ZScoreDetector,
)

N = 200
DETECTORS = {
    "zscore": lambda seed: ZScoreDetector(),
    "iqr": lambda seed: IQRDetector(),
    "mad": lambda seed: MADDetector(),
    "mahalanobis": lambda seed: MahalanobisDetector(n_trials=50, random_state=seed),
    "residual": lambda seed: ResidualDetector(random_state=seed),
}


class Params(SeededParams):
    detector: Literal[tuple(DETECTORS)] = Field("zscore", description="Outlier detector.")
    contamination: float = slider(0.05, 0.01, 0.3, 0.01, "Share of rows that are outliers.")


def compute(p: Params) -> dict:
    n_outliers = max(1, round(p.contamination * N))
    x, y, truth = make_outliers("regression", N, n_outliers, random_state=p.seed)
    X = np.column_stack([x[:, 0], y])
    detector = DETECTORS[p.detector](p.seed).fit(X)
    flagged = detector.predict(X) == -1
    grid = np.array([[x.min()], [x.max()]])
    all_rows = LinearRegression().fit(x, y)
    kept = LinearRegression().fit(x[~flagged], y[~flagged])
    groups = {
        "inlier, kept": ~truth & ~flagged,
        "inlier, flagged (false alarm)": ~truth & flagged,
        "outlier, flagged": truth & flagged,
        "outlier, missed": truth & ~flagged,
    }
    colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"]
    traces = [
        line(x[rows, 0], y[rows], name, mode="markers", marker={"color": c, "size": 6})
        for (name, rows), c in zip(groups.items(), colors)
    ]
    traces += [
        line(grid[:, 0], all_rows.predict(grid), "fit on all rows", line={"dash": "dash"}),
        line(grid[:, 0], kept.predict(grid), "fit after removing flagged rows"),
    ]
    cls = type(detector).__name__
    charts = [
        chart(
            "scatter",
            f"{cls}: what it flags",
            traces,
            [
                f"mlhood.outliers.{cls}.fit",
                f"mlhood.outliers.{cls}.predict",
                "mlhood.datasets.make_outliers",
                "mlhood.linear_model.LinearRegression.fit",
            ],
            x="x",
            y="y",
        ),
        chart(
            "scores",
            "Outlier score of each row (outliers in red)",
            [
                line(
                    np.flatnonzero(~truth),
                    detector.score_samples(X)[~truth],
                    "inliers",
                    mode="markers",
                ),
                line(
                    np.flatnonzero(truth),
                    detector.score_samples(X)[truth],
                    "outliers",
                    mode="markers",
                    marker={"color": "#d62728"},
                ),
            ],
            [f"mlhood.outliers.{cls}.score_samples"],
            x="row",
            y="score (higher: more normal)",
        ),
    ]
    found = int((truth & flagged).sum())
    numbers = {
        "outliers": int(truth.sum()),
        "flagged": int(flagged.sum()),
        "outliers found": found,
        "precision": found / max(int(flagged.sum()), 1),
        "recall": found / int(truth.sum()),
        "slope, all rows": float(all_rows.coef_[0]),
        "slope, flagged removed": float(kept.coef_[0]),
        "true slope": 2.0,
    }
    return result(charts, numbers)


PAGE = Page(
    "q10",
    "Outliers a single feature cannot see",
    "Choose a detector and the share of outliers. Univariate rules (z-score, IQR, MAD) miss "
    "points that are only unusual jointly; a robust residual detector finds them and the "
    "refitted line returns to the truth.",
    Params,
    compute,
)
