"""Lab q04: grid vs random vs Bayesian search, validation curve; claims hold for 3 seeds."""

import pytest

from mlhood.labs import q04_hyperparameters as lab


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q04" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    rows = {r["method"]: r for r in result.tables["final_regret"]}
    assert rows["bayes"]["median_regret"] < rows["random"]["median_regret"]
    assert rows["random"]["median_regret"] < rows["grid"]["median_regret"]


def test_same_seed_same_numbers():
    a = lab.run(quick=True, seed=3)
    b = lab.run(quick=True, seed=3)
    assert a.tables == b.tables
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]
