"""The ROC curve's origin helper and tied scores against scikit-learn."""

import numpy as np
import pytest
from sklearn import metrics as sk

from mlhood.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)
from mlhood.metrics._ranking import start_at_origin


def test_start_at_origin_prepends_the_inf_threshold():
    fps, tps, thr = start_at_origin(
        np.array([1.0, 2.0]), np.array([1.0, 3.0]), np.array([0.9, 0.2])
    )
    assert fps.tolist() == [0.0, 1.0, 2.0] and tps.tolist() == [0.0, 1.0, 3.0]
    assert thr.tolist() == [np.inf, 0.9, 0.2]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heavily_tied_scores_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(300) < 0.3).astype(int)
    s = np.round(rng.random(300) + 0.3 * y, 1)  # about a dozen distinct scores
    for drop in (True, False):
        ours, theirs = (
            roc_curve(y, s, drop_intermediate=drop),
            sk.roc_curve(y, s, drop_intermediate=drop),
        )
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(
        precision_recall_curve(y, s)[:2], sk.precision_recall_curve(y, s)[:2]
    )
    assert roc_auc_score(y, s) == pytest.approx(sk.roc_auc_score(y, s), rel=1e-12)
    assert average_precision_score(y, s) == pytest.approx(
        sk.average_precision_score(y, s), rel=1e-12
    )
