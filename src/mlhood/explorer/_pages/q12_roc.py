"""q12 page: a threshold moving along the ROC and PR curves, with the confusion matrix."""

from __future__ import annotations

import numpy as np

from mlhood.explorer._spec import Page, SeededParams, bars, chart, heatmap, line, result, slider
from mlhood.linear_model import LogisticRegression
from mlhood.metrics import (
    average_precision_score,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

N, D = 400, 5


class Params(SeededParams):
    threshold: float = slider(0.5, 0.0, 1.0, 0.01, "Predict positive when the score is >= this.")
    separation: float = slider(1.0, 0.0, 3.0, 0.1, "Distance between the class means.")
    positive_share: float = slider(0.3, 0.05, 0.5, 0.05, "Share of positives in the data.")
    rounding: float = slider(
        0.0,
        0.0,
        0.25,
        0.05,
        "Round the scores to this step (0: as they are): rounded scores tie, as grades and "
        "star ratings do, and a tie is crossed in one diagonal step.",
    )


def _data(seed: int, separation: float, share: float):
    rng = np.random.default_rng(seed)
    y = (rng.random(2 * N) < share).astype(int)
    y[:2], y[N : N + 2] = [0, 1], [0, 1]  # both classes in both halves
    X = rng.standard_normal((2 * N, D))
    X[:, :2] += separation * y[:, None] / np.sqrt(2)
    return X[:N], y[:N], X[N:], y[N:]


def compute(p: Params) -> dict:
    X, y, Xt, yt = _data(p.seed, p.separation, p.positive_share)
    scores = LogisticRegression().fit(X, y).predict_proba(Xt)[:, 1]
    if p.rounding > 0:
        scores = np.round(scores / p.rounding) * p.rounding
    fpr, tpr, thresholds = roc_curve(yt, scores, drop_intermediate=False)
    precision, recall, _ = precision_recall_curve(yt, scores)
    # the operating point read off the curve: the last threshold still >= the chosen one
    read = max(int(np.sum(thresholds >= p.threshold)) - 1, 0)  # thresholds decrease
    # and counted directly: the confusion matrix of "positive when score >= threshold"
    predicted = (scores >= p.threshold).astype(int)
    (tn, fp), (fn, tp) = confusion_matrix(yt, predicted, labels=[0, 1])
    at_fpr, at_tpr = fp / max(fp + tn, 1), tp / max(tp + fn, 1)
    at_precision = tp / (tp + fp) if tp + fp else 1.0
    dot = {"size": 14, "color": "#d62728"}
    ring = {"size": 20, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#333"}}
    edges = np.linspace(0, 1, 21)
    hist = [np.histogram(scores[yt == c], edges)[0] for c in (0, 1)]
    centers = (edges[:-1] + edges[1:]) / 2
    charts = [
        chart(
            "roc",
            "ROC curve",
            [
                line(fpr, tpr, "ROC"),
                line([0, 1], [0, 1], "chance", line={"dash": "dot"}),
                line(
                    [fpr[read]],
                    [tpr[read]],
                    f"threshold {p.threshold:.2f} read off the curve",
                    mode="markers",
                    marker=dot,
                ),
                line(
                    [at_fpr],
                    [at_tpr],
                    "confusion matrix at the threshold",
                    mode="markers",
                    marker=ring,
                ),
            ],
            [
                "mlhood.metrics.roc_curve",
                "mlhood.metrics.roc_auc_score",
                "mlhood.metrics.confusion_matrix",
            ],
            x="false-positive rate",
            y="true-positive rate",
        ),
        chart(
            "pr",
            "Precision-recall curve",
            [
                line(recall, precision, "PR"),
                line(
                    [at_tpr],
                    [at_precision],
                    f"threshold {p.threshold:.2f}",
                    mode="markers",
                    marker=dot,
                ),
            ],
            ["mlhood.metrics.precision_recall_curve", "mlhood.metrics.average_precision_score"],
            x="recall",
            y="precision",
        ),
        chart(
            "confusion",
            "Confusion matrix at the threshold",
            [
                heatmap(
                    [[tn, fp], [fn, tp]],
                    "count",
                    x=["predicted 0", "predicted 1"],
                    y=["true 0", "true 1"],
                    texttemplate="%{z}",
                    colorscale="Blues",
                    reversescale=True,
                )
            ],
            ["mlhood.metrics.confusion_matrix"],
            yaxis={"autorange": "reversed"},
        ),
        chart(
            "scores",
            "Scores by class",
            [
                bars(centers, hist[0], "negatives", opacity=0.6),
                bars(centers, hist[1], "positives", opacity=0.6),
            ],
            [
                "mlhood.linear_model.LogisticRegression.fit",
                "mlhood.linear_model.LogisticRegression.predict_proba",
            ],
            x="predicted probability",
            y="count",
            barmode="overlay",
            shapes=[
                {
                    "type": "line",
                    "x0": p.threshold,
                    "x1": p.threshold,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {"color": "#d62728"},
                }
            ],
        ),
    ]
    numbers = {
        "ROC AUC": roc_auc_score(yt, scores),
        "average precision": average_precision_score(yt, scores),
        "TPR (recall)": at_tpr,
        "FPR": at_fpr,
        "precision": at_precision,
        "TP": tp,
        "FP": fp,
        "FN": fn,
        "TN": tn,
        "curve point = confusion-matrix point": (
            "yes" if (fpr[read], tpr[read]) == (at_fpr, at_tpr) else "no"
        ),
    }
    return result(charts, numbers)


PAGE = Page(
    "q12",
    "ROC and precision-recall curves",
    "Drag the threshold and watch one point move along the ROC and PR curves while the "
    "confusion matrix trades false positives for false negatives; make the positives rarer "
    "and see PR fall while ROC barely moves; round the scores and watch the curves cross "
    "each tie in one diagonal step.",
    Params,
    compute,
)
