"""Independent correct solutions for q12 (ranks, loops over thresholds)."""

import numpy as np
from scipy.stats import rankdata


def roc_auc(y_true, scores):
    # Mann-Whitney with average ranks for ties
    y_true = np.asarray(y_true)
    ranks = rankdata(scores)
    n_pos = int((y_true == 1).sum())
    n_neg = len(y_true) - n_pos
    return (ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def roc_curve_points(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    thresholds = [np.inf] + sorted(set(scores.tolist()), reverse=True)
    n_pos, n_neg = (y_true == 1).sum(), (y_true == 0).sum()
    fpr, tpr = [], []
    for threshold in thresholds:
        predicted = scores >= threshold
        tpr.append((predicted & (y_true == 1)).sum() / n_pos)
        fpr.append((predicted & (y_true == 0)).sum() / n_neg)
    return fpr, tpr, thresholds


def average_precision(y_true, scores):
    y_true, scores = np.asarray(y_true), np.asarray(scores, dtype=float)
    n_pos = (y_true == 1).sum()
    ap, last_recall = 0.0, 0.0
    for threshold in sorted(set(scores.tolist()), reverse=True):
        predicted = scores >= threshold
        hits = (predicted & (y_true == 1)).sum()
        recall, precision = hits / n_pos, hits / predicted.sum()
        ap += (recall - last_recall) * precision
        last_recall = recall
    return ap
