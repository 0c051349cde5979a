"""Lab q14 (encoding): claims hold, same seed same numbers, the out-of-fold oracle is right."""

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold as SkStratifiedKFold
from sklearn.preprocessing import TargetEncoder as SkTargetEncoder

from mlhood.labs import run_lab
from mlhood.labs.q14_encoding import out_of_fold_means
from mlhood.model_selection import StratifiedKFold


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q14_claims_hold(seed):
    result = run_lab("q14", quick=True, seed=seed)
    assert result.id == "q14" and result.title and result.question and result.answer
    assert len(result.figures) >= 1 and len(result.tables) >= 1
    assert len(result.claims) == 5
    failed = [c.statement for c in result.claims if not c.holds]
    assert not failed, failed
    high = {r["encoding"]: r["columns"] for r in result.tables["high_cardinality"]}
    assert high["target encoding (out-of-fold) + linear"] == 1
    modes = [r["handle_unknown"] for r in result.tables["unknown_categories"]]
    assert modes[:2] == ["error", "ignore"]


def test_q14_is_reproducible():
    a = run_lab("q14", quick=True, seed=4).to_dict()
    b = run_lab("q14", quick=True, seed=4).to_dict()
    a.pop("seconds"), b.pop("seconds")
    assert a == b


@pytest.mark.parametrize("seed", [0, 5])
def test_out_of_fold_means_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    levels = rng.choice(
        np.array(["a", "b", "c", "d"], dtype=object), size=300, p=[0.5, 0.3, 0.15, 0.05]
    )
    y = (rng.random(300) < np.where(levels == "a", 0.7, 0.3)).astype(int)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed).split(levels[:, None], y)
    ours = out_of_fold_means(levels, y.astype(float), folds, 10.0)
    cv = SkStratifiedKFold(5, shuffle=True, random_state=seed)
    theirs = SkTargetEncoder(smooth=10.0, cv=cv, target_type="binary").fit_transform(
        levels[:, None], y
    )
    np.testing.assert_allclose(ours, theirs[:, 0], atol=1e-12)
