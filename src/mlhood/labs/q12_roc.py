"""q12 - What is a ROC curve for? Ranking quality over all thresholds, and what it hides."""

from __future__ import annotations

import numpy as np
from scipy import stats

from mlhood.datasets import load_breast_cancer
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
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


def _auc_claims(y, s):
    coarse = np.round(s, 1)  # many ties
    auc, auc_coarse = roc_auc_score(y, s), roc_auc_score(y, coarse)
    pairs, pairs_coarse = _pair_count_auc(y, s), _pair_count_auc(y, coarse)
    u = stats.mannwhitneyu(coarse[y == 1], coarse[y == 0]).statistic
    u_auc = u / ((y == 1).sum() * (y == 0).sum())
    gap = max(abs(auc - pairs), abs(auc_coarse - pairs_coarse), abs(auc_coarse - u_auc))
    squashed = s**4  # increasing on [0, 1]: same order, different probabilities
    return [
        Claim(
            "AUC equals the share of (positive, negative) pairs ranked correctly, ties "
            "counting one half -- the Mann-Whitney U statistic over n+ n-.",
            {
                "roc_auc_score": auc,
                "pair_count": pairs,
                "roc_auc_score_rounded_scores": auc_coarse,
                "pair_count_rounded_scores": pairs_coarse,
                "scipy_mannwhitneyu_U_over_pairs": u_auc,
                "max_abs_difference": gap,
            },
            gap < 1e-12,
        ),
        Claim(
            "ROC AUC depends only on the order of the scores: raising probabilities to the "
            "4th power leaves it unchanged while the Brier score (calibration) changes.",
            {
                "auc": auc,
                "auc_squashed": roc_auc_score(y, squashed),
                "brier": brier_score_loss(y, s),
                "brier_squashed": brier_score_loss(y, squashed),
            },
            roc_auc_score(y, squashed) == auc
            and abs(brier_score_loss(y, squashed) - brier_score_loss(y, s)) > 0.01,
        ),
    ]


def _threshold_rows(y, s, thresholds=(0.8, 0.5, 0.2)):
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    rows = []
    for t in thresholds:
        (tn, fp), (fn, tp) = confusion_matrix(y, (s >= t).astype(int), labels=[0, 1])
        # the curve's point for t is the one at the smallest score >= t
        on_curve = np.flatnonzero(thr >= t)[-1]
        rows.append(
            {
                "threshold": t,
                "TPR": tp / (tp + fn),
                "FPR": fp / (fp + tn),
                "precision": tp / max(tp + fp, 1),
                "on_roc_curve": bool(
                    np.isclose(fpr[on_curve], fp / (fp + tn))
                    and np.isclose(tpr[on_curve], tp / (tp + fn))
                ),
            }
        )
    return rows


def _random_scorer(n, seed):
    rng = np.random.default_rng(seed + 1000)
    y = (rng.random(n) < 0.3).astype(int)
    s = rng.random(n)  # independent of y
    fpr, tpr, _ = roc_curve(y, s)
    n1, n0 = y.sum(), n - y.sum()
    auc = roc_auc_score(y, s)
    se = np.sqrt((n1 + n0 + 1) / (12.0 * n1 * n0))  # null SD of AUC (Mann-Whitney)
    ks = float(np.max(np.abs(tpr - fpr)))
    ks_bound = 1.95 * np.sqrt((n1 + n0) / (n1 * n0))  # Kolmogorov-Smirnov, 0.1% level
    claim = Claim(
        "A scorer that ignores the labels sits on the diagonal: AUC within 4 standard "
        "errors of 0.5 and the curve never further from TPR = FPR than the 0.1% "
        "Kolmogorov-Smirnov bound.",
        {"n": n, "auc": auc, "auc_se_under_null": se, "max_gap_tpr_fpr": ks, "ks_bound": ks_bound},
        abs(auc - 0.5) < 4 * se and ks < ks_bound,
    )
    return claim, (fpr, tpr)


def _imbalanced_scorers(n, seed, prevalence=0.01):
    """Two scorers with the same ROC AUC but different shapes.

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
    return y, {"spread (binormal)": spread, "top-heavy": top_heavy}


def _imbalance_claims(n, seed):
    y, scorers = _imbalanced_scorers(n, seed)
    rows, curves = [], {}
    for name, s in scorers.items():
        fpr, tpr, _ = roc_curve(y, s)
        precision, recall, _ = precision_recall_curve(y, s)
        # operating point where 5% of negatives are flagged: fine-looking on a ROC plot
        cut = np.quantile(s[y == 0], 0.95)
        flagged = s >= cut
        rows.append(
            {
                "scorer": name,
                "prevalence": y.mean(),
                "roc_auc": roc_auc_score(y, s),
                "average_precision": average_precision_score(y, s),
                "recall_at_fpr_5pct": flagged[y == 1].mean(),
                "precision_at_fpr_5pct": y[flagged].mean(),
            }
        )
        curves[name] = (fpr, tpr, precision, recall)
    spread, top = rows
    claims = [
        Claim(
            "Under 1% prevalence two scorers can have the same ROC AUC (within 0.04) while "
            "average precision differs more than 4-fold: the PR view shows what ROC hides.",
            {
                "auc_spread": spread["roc_auc"],
                "auc_top_heavy": top["roc_auc"],
                "ap_spread": spread["average_precision"],
                "ap_top_heavy": top["average_precision"],
            },
            abs(spread["roc_auc"] - top["roc_auc"]) < 0.04
            and top["average_precision"] > 4 * spread["average_precision"],
        ),
        Claim(
            "At a false positive rate of only 5% the binormal scorer's alarms are mostly "
            "false (precision below 20%) because negatives outnumber positives 99 to 1.",
            {
                "recall_at_fpr_5pct": spread["recall_at_fpr_5pct"],
                "precision_at_fpr_5pct": spread["precision_at_fpr_5pct"],
                "prevalence": spread["prevalence"],
            },
            spread["precision_at_fpr_5pct"] < 0.2,
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
        n_random, n_imbalanced = (20_000, 100_000) if quick else (200_000, 1_000_000)
        y, s = _real_scores(seed)
        result.claims += _auc_claims(y, s)

        rows = _threshold_rows(y, s)
        tprs, fprs = [r["TPR"] for r in rows], [r["FPR"] for r in rows]
        result.claims.append(
            Claim(
                "Lowering the threshold (0.8 -> 0.5 -> 0.2) moves the operating point up and "
                "right along the ROC curve: TPR and FPR both rise, and each point computed "
                "from the confusion matrix lies on the curve.",
                {"thresholds": [r["threshold"] for r in rows], "TPR": tprs, "FPR": fprs},
                bool(np.all(np.diff(tprs) >= 0) and np.all(np.diff(fprs) >= 0))
                and tprs[-1] > tprs[0]
                and fprs[-1] > fprs[0]
                and all(r["on_roc_curve"] for r in rows),
            )
        )
        random_claim, random_curve = _random_scorer(n_random, seed)
        result.claims.append(random_claim)
        imbalance_claims, imbalance_rows, curves = _imbalance_claims(n_imbalanced, seed)
        result.claims += imbalance_claims

        result.tables["thresholds"] = rows
        result.tables["imbalance"] = imbalance_rows
        result.figures["roc_thresholds"] = _roc_figure(y, s, rows, random_curve)
        result.figures["roc_vs_pr_imbalanced"] = _imbalance_figure(curves, imbalance_rows)
    return result
