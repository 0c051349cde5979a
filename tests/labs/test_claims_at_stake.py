"""Every claim is at stake: it names the mistakes it catches, and each one turns it red.

For every catalogued mistake and every lab that lists it, the lab is run with the mistake
applied: each claim declaring that mistake in ``catches`` must fail, and at least one
claim of the lab must declare it. Without mistakes, every claim holds.
"""

from functools import cache

import pytest

from mlhood.labs import LABS, run_lab
from mlhood.mistakes import catalogue

SEEDS = (0, 1)


@cache
def _clean(lab_id: str, seed: int):
    return run_lab(lab_id, seed=seed)


def _pairs():
    return [
        pytest.param(m.id, lab, seed, id=f"{m.id}-{lab}-s{seed}")
        for m in catalogue().values()
        for lab in m.labs
        for seed in SEEDS
    ]


@pytest.mark.parametrize("lab_id", list(LABS))
def test_every_claim_names_known_mistakes_and_shows_its_threshold(lab_id):
    known = catalogue()
    result = _clean(lab_id, 0)
    for claim in result.claims:
        assert claim.catches, f"{lab_id}: claim catches no mistake: {claim.statement}"
        assert set(claim.catches) <= set(known), (claim.statement, claim.catches)
        assert claim.checks, f"{lab_id}: claim has no threshold check: {claim.statement}"
        for check in claim.checks:
            assert f"{check.name} threshold" in claim.evidence
        for mistake_id in claim.catches:
            assert lab_id in known[mistake_id].labs, (mistake_id, lab_id)


@pytest.mark.parametrize(("mistake_id", "lab_id", "seed"), _pairs())
def test_mistake_turns_its_claims_red(mistake_id, lab_id, seed):
    clean = _clean(lab_id, seed)
    assert clean.all_held, [c.statement for c in clean.claims if not c.holds]
    declared = [i for i, c in enumerate(clean.claims) if mistake_id in c.catches]
    assert declared, f"no claim of {lab_id} declares {mistake_id}"
    broken = run_lab(lab_id, seed=seed, mistakes=[mistake_id])
    assert len(broken.claims) == len(clean.claims), "a mistake must not change the claim list"
    still_green = [clean.claims[i].statement for i in declared if broken.claims[i].holds]
    assert not still_green, f"{mistake_id} left these claims of {lab_id} green: {still_green}"
