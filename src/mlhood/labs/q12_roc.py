"""q12 - What is a ROC curve for? Ranking quality over all thresholds, and what it hides."""

from __future__ import annotations

import numpy as np
from scipy import stats

from mlhood.datasets import load_breast_cancer
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.linear_model import LogisticRegression
from mlhood.metrics import (
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from mlhood.preprocessing import StandardScaler

QUESTION = (
    "What does a ROC curve show, what does the area under it mean, and when is it the "
    "wrong picture to look at?"
)

ANSWER = """\
A classifier that outputs a **score** needs a **threshold** to make decisions. Each
threshold gives one operating point: the true positive rate (recall, TP / P) against the
false positive rate (FP / N). The **ROC curve** traces these points for every threshold,
from (0, 0) (call nothing positive) to (1, 1) (call everything positive); lowering the
threshold moves the point up and to the right along the curve. It lets you compare scorers
independently of any single threshold and then pick the threshold that fits the costs.

- **AUC** is the probability that a randomly chosen positive gets a higher score than a
  randomly chosen negative (ties count one half) -- the Mann-Whitney U statistic divided by
  the number of positive-negative pairs. 0.5 is a coin flip (a random scorer's curve lies
  on the diagonal), 1.0 is a perfect ranking.
- **Ties** (risk grades, star ratings) move together: no threshold separates tied samples,
  so the curve crosses a tie in one diagonal step (a trapezoid of area), which is exactly
  the half credit AUC gives tied pairs. Stepping through tied rows one at a time makes the
  curve, its area and average precision depend on the row order.
- ROC depends on the **order** of the scores only: any increasing transformation of the
  scores leaves it unchanged, so it says nothing about calibration (use the Brier score or
  log loss for that).
- Both rates are normalised within one class, so ROC **ignores the class balance**. Under
  heavy imbalance a small false positive rate can still mean many more false alarms than
  hits. The **precision-recall curve** (and average precision) shows this: two scorers with
  the same ROC AUC can differ several-fold in precision. Look at PR when positives are
  rare and false alarms matter.
"""


def _real_scores(seed: int):
    """Malignancy scores of a 2-feature logistic regression on held-out breast-cancer data."""
    X, y = load_breast_cancer(return_X_y=True)
    X, y = X[:, [1, 4]], 1 - y  # mean texture, mean smoothness; 1 = malignant
    order = np.random.default_rng(seed).permutation(y.size)
    train, test = order[:340], order[340:]
    scaler = StandardScaler().fit(X[train])
    model = LogisticRegression().fit(scaler.transform(X[train]), y[train])
    return y[test], model.predict_proba(scaler.transform(X[test]))[:, 1]


def _pair_count_auc(y, s):
    """Brute force over every (positive, negative) pair: wins + ties / 2, over all pairs."""
    pos, neg = s[y == 1], s[y == 0]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return wins / (pos.size * neg.size)


def _curve_area(y, s):
    """Trapezoid area under the library's ROC curve."""
    fpr, tpr, _ = roc_curve(y, s)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def _auc_claim(y, s, grades):
    """AUC three ways, on continuous scores and on risk grades (rounded scores: ties)."""
    u = stats.mannwhitneyu(grades[y == 1], grades[y == 0]).statistic
    values = {
        "roc_auc_score": roc_auc_score(y, s),
        "pair count": _pair_count_auc(y, s),
        "area under roc_curve": _curve_area(y, s),
        "roc_auc_score, s^4": roc_auc_score(y, s**4),
        "roc_auc_score, grades": roc_auc_score(y, grades),
        "pair count, grades": _pair_count_auc(y, grades),
        "scipy U / (n+ n-), grades": u / ((y == 1).sum() * (y == 0).sum()),
        "area under roc_curve, grades": _curve_area(y, grades),
    }
    continuous = [v for k, v in values.items() if "grades" not in k]
    tied = [v for k, v in values.items() if "grades" in k]
    return Claim(
        "AUC is the share of (positive, negative) pairs ranked correctly, ties counting one "
        "half (Mann-Whitney U over n+ n-), and the area under the ROC curve: all agree on "
        "continuous scores, on scores raised to the 4th power (same order, other "
        "probabilities) and on risk grades with many ties.",
        values
        | {
            "distinct grades": int(np.unique(grades).size),
            "brier": brier_score_loss(y, s),
            "brier, s^4": brier_score_loss(y, s**4),
        },
        checks=[
            Check("spread of AUC, continuous", max(continuous) - min(continuous), "<", 1e-12),
            Check("spread of AUC, grades", max(tied) - min(tied), "<", 1e-12),
            Check("AUC of the 2-feature model", values["roc_auc_score"], ">", 0.7),
            Check(
                "|Brier - mean (s - y)^2|",
                abs(brier_score_loss(y, s) - np.mean((s - y) ** 2)),
                "<",
                1e-12,
            ),
        ],
        catches=["auc-step-not-trapezoid", "roc-ignores-ties"],
    )


def _threshold_claim(y, grades, thresholds=(0.8, 0.5, 0.2)):
    """Operating points at three grade thresholds, from the confusion matrix and the curve."""
    fpr, tpr, thr = roc_curve(y, grades, drop_intermediate=False)
    rows, off_curve = [], 0.0
    for t in thresholds:
        (tn, fp), (fn, tp) = confusion_matrix(y, (grades >= t).astype(int), labels=[0, 1])
        row = {"threshold": t, "TPR": tp / (tp + fn), "FPR": fp / (fp + tn)}
        row["precision"] = tp / max(tp + fp, 1)
        at = np.flatnonzero(thr == t)
        row["on_roc_curve"] = bool(
            at.size == 1 and fpr[at[0]] == row["FPR"] and tpr[at[0]] == row["TPR"]
        )
        off_curve += not row["on_roc_curve"]
        rows.append(row)
    tprs, fprs = [r["TPR"] for r in rows], [r["FPR"] for r in rows]
    rises = min(np.diff(tprs).min(), np.diff(fprs).min())
    claim = Claim(
        "Lowering the threshold on the risk grade (0.8 -> 0.5 -> 0.2) moves the operating "
        "point up and right along the ROC curve; the point computed from the confusion "
        "matrix at s >= t is exactly the curve's point for t, and the curve has one point "
        "per distinct grade (tied samples cannot be separated by any threshold).",
        {
            "thresholds": list(thresholds),
            "TPR": tprs,
            "FPR": fprs,
            "distinct grades": int(np.unique(grades).size),
        },
        checks=[
            Check("smallest rise of TPR and FPR", rises, ">", 0.0),
            Check("points off the curve", off_curve, "==", 0.0),
            Check("curve points - distinct grades", fpr.size - np.unique(grades).size, "==", 1),
        ],
        catches=["roc-thresholds-off-by-one", "roc-ignores-ties"],
    )
    return rows, claim


def _random_scorer(n, seed):
    """Star ratings (1-5) that ignore the labels: AUC 0.5 needs the half credit for ties."""
    rng = np.random.default_rng(seed + 1000)
    y = (rng.random(n) < 0.3).astype(int)
    stars = rng.integers(1, 6, n).astype(float)  # independent of y, 80% of pairs untied
    fpr, tpr, _ = roc_curve(y, stars)
    n1, n0 = y.sum(), n - y.sum()
    auc = roc_auc_score(y, stars)
    se = np.sqrt((n1 + n0 + 1) / (12.0 * n1 * n0))  # null SD of AUC without ties (larger)
    ks = float(np.max(np.abs(tpr - fpr)))
    ks_bound = 2.5 * np.sqrt((n1 + n0) / (n1 * n0))  # Kolmogorov-Smirnov, 0.001% level
    claim = Claim(
        "A scorer that ignores the labels (random 1-5 star ratings) sits on the diagonal: "
        "AUC within 5 standard errors of 0.5 and the curve never further from TPR = FPR "
        "than the 0.001% Kolmogorov-Smirnov bound.",
        {"n": n, "auc": auc, "auc_se_under_null": se},
        checks=[
            Check("|AUC - 0.5|", abs(auc - 0.5), "<", 5 * se),
            Check("max |TPR - FPR|", ks, "<", ks_bound),
        ],
        catches=["auc-step-not-trapezoid"],
    )
    return claim, (fpr, tpr)


def _imbalanced_scorers(n, seed, prevalence=0.01):
    """Two scorers with the same ROC AUC but different shapes, reported in 0.01 steps.

    "spread": positives ~ N(d, 1), negatives ~ N(0, 1) (binormal).
    "top-heavy": 40% of positives ~ N(5, 1) far above everything, the rest look like
    negatives. Its AUC is 0.4 * Phi(5 / sqrt 2) + 0.6 * 0.5; ``d`` is chosen to match it.
    """
    rng = np.random.default_rng(seed + 2000)
    y = (rng.random(n) < prevalence).astype(int)
    target_auc = 0.4 * stats.norm.cdf(5 / np.sqrt(2)) + 0.3
    d = np.sqrt(2) * stats.norm.ppf(target_auc)
    spread = rng.standard_normal(n) + d * y
    positives = rng.permutation(np.flatnonzero(y))
    top = np.zeros(n, dtype=bool)
    top[positives[: round(0.4 * positives.size)]] = True  # exactly 40% of the positives
    top_heavy = rng.standard_normal(n) + 5.0 * top
    return y, {"spread (binormal)": np.round(spread, 2), "top-heavy": np.round(top_heavy, 2)}


def _mean_precision_at_positives(y, s):
    """AP by a second algorithm: mean over positives of the precision at s >= own score."""
    order = np.sort(s)
    pos_order = np.sort(s[y == 1])
    pos = s[y == 1]
    called = s.size - np.searchsorted(order, pos, side="left")
    hits = pos_order.size - np.searchsorted(pos_order, pos, side="left")
    return float(np.mean(hits / called))


def _bayes_gap(y, s):
    """Largest gap between the PR curve and the ROC curve's P TPR / (P TPR + N FPR), TPR."""
    fpr, tpr, roc_thr = roc_curve(y, s, drop_intermediate=False)
    precision, recall, pr_thr = precision_recall_curve(y, s)
    n1, n0 = y.sum(), y.size - y.sum()
    from_roc = n1 * tpr[1:] / (n1 * tpr[1:] + n0 * fpr[1:])
    if roc_thr[1:].size != pr_thr.size or np.any(roc_thr[1:] != pr_thr[::-1]):
        return float("inf")
    gaps = np.abs(precision[:-1][::-1] - from_roc), np.abs(recall[:-1][::-1] - tpr[1:])
    return float(max(gap.max() for gap in gaps))


def _imbalance_claims(n, seed):
    y, scorers = _imbalanced_scorers(n, seed)
    rows, curves, ap_gaps = [], {}, []
    for name, s in scorers.items():
        fpr, tpr, thr = roc_curve(y, s)
        precision, recall, _ = precision_recall_curve(y, s)
        ap = average_precision_score(y, s)
        ap_gaps.append(abs(ap - _mean_precision_at_positives(y, s)))
        # the library's operating point with the largest FPR not above 5%
        at = np.flatnonzero(fpr <= 0.05)[-1]
        flagged = s >= thr[at]
        rows.append(
            {
                "scorer": name,
                "prevalence": y.mean(),
                "roc_auc": roc_auc_score(y, s),
                "average_precision": ap,
                "fpr_at_point": fpr[at],
                "recall_at_point": tpr[at],
                "precision_at_point": y[flagged].mean(),
            }
        )
        curves[name] = (fpr, tpr, precision, recall)
    spread, top = rows
    bayes_gap = max(_bayes_gap(y, s) for s in scorers.values())
    claims = [
        Claim(
            "Under 1% prevalence two scorers can have the same ROC AUC (within 0.04) while "
            "average precision differs more than 4-fold: the PR view shows what ROC hides. "
            "(AP is the mean, over positives, of the precision at their own score.)",
            {
                "auc_spread": spread["roc_auc"],
                "auc_top_heavy": top["roc_auc"],
                "ap_spread": spread["average_precision"],
                "ap_top_heavy": top["average_precision"],
            },
            checks=[
                Check("|AUC difference|", abs(spread["roc_auc"] - top["roc_auc"]), "<", 0.04),
                Check(
                    "AP ratio", top["average_precision"] / spread["average_precision"], ">", 4.0
                ),
                Check("max |AP - mean precision at positives|", max(ap_gaps), "<", 1e-12),
            ],
            catches=["average-precision-interpolated", "roc-ignores-ties"],
        ),
        Claim(
            "At the ROC point with a false positive rate of 5% the binormal scorer's alarms "
            "are mostly false (precision below 20%) because negatives outnumber positives "
            "99 to 1: at every threshold, precision = P TPR / (P TPR + N FPR) and recall = TPR.",
            {
                "fpr_at_point": spread["fpr_at_point"],
                "recall_at_point": spread["recall_at_point"],
                "prevalence": spread["prevalence"],
            },
            checks=[
                Check("precision at FPR 5%", spread["precision_at_point"], "<", 0.2),
                Check("FPR of the point", spread["fpr_at_point"], ">", 0.045),
                Check("max gap between PR and ROC curves", bayes_gap, "<", 1e-12),
            ],
            catches=["roc-thresholds-off-by-one"],
        ),
    ]
    return claims, rows, curves


def _roc_figure(y, s, threshold_rows, random_curve):
    fig, ax = new_figure(width=5.4, height=4.6)
    fpr, tpr, _ = roc_curve(y, s)
    ax.plot(fpr, tpr, color="C0", label=f"logistic model (AUC {roc_auc_score(y, s):.3f})")
    ax.plot(*random_curve, color="C7", lw=1, label="random scorer")
    ax.plot([0, 1], [0, 1], ls="--", color="k", lw=0.8, label="chance diagonal")
    for row in threshold_rows:
        ax.plot(row["FPR"], row["TPR"], "o", color="C3")
        ax.annotate(
            f"t = {row['threshold']}",
            (row["FPR"], row["TPR"]),
            textcoords="offset points",
            xytext=(8, -12),
        )
    ax.set(
        xlabel="false positive rate (FP / N)",
        ylabel="true positive rate (TP / P)",
        title="ROC curve: a lower threshold t moves up and right",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    ax.legend(loc="lower right", fontsize=8)
    return fig


def _imbalance_figure(curves, rows):
    fig, (roc_ax, pr_ax) = new_figure(ncols=2, width=4.8, height=4.0)
    for (name, (fpr, tpr, precision, recall)), row in zip(curves.items(), rows):
        roc_ax.plot(fpr, tpr, label=f"{name}: AUC {row['roc_auc']:.3f}")
        pr_ax.step(
            recall, precision, where="post", label=f"{name}: AP {row['average_precision']:.3f}"
        )
    roc_ax.plot([0, 1], [0, 1], ls="--", color="k", lw=0.8)
    pr_ax.axhline(rows[0]["prevalence"], ls="--", color="k", lw=0.8, label="random (prevalence)")
    roc_ax.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC: alike")
    pr_ax.set(xlabel="recall", ylabel="precision", title="Precision-recall: very different")
    roc_ax.legend(loc="lower right", fontsize=8)
    pr_ax.legend(loc="upper right", fontsize=8)
    return fig


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    """Run the ROC lab: AUC as Mann-Whitney, thresholds, random scorer, imbalance."""
    result = LabResult(id="q12", title="ROC curves and AUC", question=QUESTION, answer=ANSWER)
    with timed(result):
        n_random, n_imbalanced = (20_000, 300_000) if quick else (200_000, 2_000_000)
        y, s = _real_scores(seed)
        grades = np.round(s, 1)  # a 0.0-1.0 risk grade in steps of 0.1: many ties
        result.claims.append(_auc_claim(y, s, grades))
        rows, threshold_claim = _threshold_claim(y, grades)
        result.claims.append(threshold_claim)
        random_claim, random_curve = _random_scorer(n_random, seed)
        result.claims.append(random_claim)
        imbalance_claims, imbalance_rows, curves = _imbalance_claims(n_imbalanced, seed)
        result.claims += imbalance_claims

        result.tables["thresholds"] = rows
        result.tables["imbalance"] = imbalance_rows
        result.figures["roc_thresholds"] = _roc_figure(y, grades, rows, random_curve)
        result.figures["roc_vs_pr_imbalanced"] = _imbalance_figure(curves, imbalance_rows)
    return result
