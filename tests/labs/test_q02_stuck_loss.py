"""Lab q02: claims hold on several seeds; the fixes follow the diagnosis; helpers pinned."""

import numpy as np
import pytest

from mlhood import nn
from mlhood.labs import q02_stuck_loss as q02


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q02_claims_hold(seed):
    result = q02.run(quick=True, seed=seed)
    assert result.id == "q02" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "Correct" in result.answer
    named = [row["diagnosis"] for row in result.tables["faults"]]
    assert named == list(q02.FAULTS)


def test_q02_same_seed_same_numbers():
    first, second = q02.run(quick=True, seed=5), q02.run(quick=True, seed=5)
    assert first.tables == second.tables
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_each_fault_is_its_own_run_and_its_fix_changes_only_what_the_diagnosis_named():
    result = q02.run(quick=True, seed=0)
    fixed = [row["fixed best val loss"] for row in result.tables["faults"]]
    assert len(set(fixed)) == len(fixed)  # six different runs, not one counted six times
    setup = q02.FAULTS["dead_relu"][1]
    _, fixed_setup = q02.remedy("dead_relu", setup, {})
    assert fixed_setup.hidden_bias == 0.0 and fixed_setup.lr == setup.lr
    _, same = q02.remedy("none", setup, {})
    assert same == setup  # no diagnosis, no change: the loss stays stuck
    _, faster = q02.remedy("lr_too_small", q02.Setup(lr=1e-6), {"median_update_to_weight": 1e-7})
    assert faster.lr == pytest.approx(1e-6 * 1e-2 / 1e-7)


def test_wrong_diagnosis_applies_a_fix_that_does_not_work():
    setup = q02.FAULTS["dead_relu"][1]
    _, wrong_fix = q02.remedy("no_label_signal", setup, {})
    history, _ = q02.train(wrong_fix, 0, 600, 8)
    assert min(history.val_loss) > 0.9 * history.chance_loss


def test_backward_check_reports_every_parameter_of_both_networks():
    errors = q02.backward_check(0)
    assert len(errors) == 2 * 7  # input + 3 weights + 3 biases, for ReLU and sigmoid
    assert max(errors.values()) < 1e-6


def test_he_depth_scale_matches_the_closed_form_second_moment():
    # first layer: E[z^2] = fan_in * Var(w) * E[x^2] = 2 for standard normal inputs
    depth = q02.he_depth_scale(0)
    assert depth["mean_square_by_layer"][0] == pytest.approx(2.0, rel=0.05)
    assert 0.9 < depth["per_layer_factor"] < 1.1
    assert len(depth["mean_square_by_layer"]) == 10


def test_faulty_setups_differ_from_the_default_in_one_field():
    default = q02.Setup()
    for _, setup in q02.FAULTS.values():
        changed = [k for k in vars(default) if getattr(setup, k) != getattr(default, k)]
        assert 1 <= len(changed) <= 2  # the sigmoid fault changes activation and init
    assert q02.make_data(0, 50)[0].shape == (50, 10)
    assert isinstance(q02.make_mlp(0)[1], nn.ReLU)
    assert np.isfinite(q02._best_val(q02.train(q02.Setup(), 1, 200, 2)[0]))
