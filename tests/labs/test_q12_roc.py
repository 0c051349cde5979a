"""Lab q12 (ROC): claims hold on several seeds, same seed same numbers, helpers vs sklearn."""

import numpy as np
import pytest
from sklearn import metrics as sk

from mlhood.labs import run_lab
from mlhood.labs.q12_roc import _bayes_gap, _mean_precision_at_positives, _pair_count_auc


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q12_claims_hold(seed):
    result = run_lab("q12", quick=True, seed=seed)
    assert result.id == "q12" and result.title and result.question and result.answer
    assert set(result.figures) == {"roc_thresholds", "roc_vs_pr_imbalanced"}
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    rows = result.tables["thresholds"]
    assert [r["threshold"] for r in rows] == [0.8, 0.5, 0.2]
    assert all(r["on_roc_curve"] for r in rows)


def test_q12_is_reproducible():
    a = run_lab("q12", quick=True, seed=4).to_dict()
    b = run_lab("q12", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


def _tied(seed, n=400):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(int)
    return y, np.round(rng.random(n) + 0.4 * y, 1)


@pytest.mark.parametrize("seed", [0, 1])
def test_pair_count_auc_matches_sklearn_with_ties(seed):
    y, s = _tied(seed)
    assert _pair_count_auc(y, s) == pytest.approx(sk.roc_auc_score(y, s), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1])
def test_mean_precision_at_positives_is_sklearns_average_precision(seed):
    y, s = _tied(seed)
    assert _mean_precision_at_positives(y, s) == pytest.approx(
        sk.average_precision_score(y, s), rel=1e-12
    )


def test_bayes_gap_is_zero_for_consistent_curves():
    y, s = _tied(3)
    assert _bayes_gap(y, s) < 1e-12
