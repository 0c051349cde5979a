"""Lab q03: claims hold on several seeds; the measurements are pinned against closed forms."""

import numpy as np
import pytest

from mlhood import mistakes
from mlhood.labs import q03_dropout as q03


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q03_claims_hold(seed):
    result = q03.run(quick=True, seed=seed)
    assert result.id == "q03" and result.title and result.question and result.answer
    assert result.claims and all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "keep" in result.answer and "Correct" in result.answer


def test_q03_same_seed_same_numbers():
    assert q03.gradient_check(3) == q03.gradient_check(3)
    assert q03.training_forward(3, 20) == q03.training_forward(3, 20)
    first, second = q03.run(quick=True, seed=4), q03.run(quick=True, seed=4)
    assert [c.evidence for c in first.claims] == [c.evidence for c in second.claims]


def test_the_lab_does_not_use_p_one_half():
    assert q03.P_DROP != 0.5  # where keep and drop probabilities would coincide


def test_gradient_check_covers_every_parameter_and_sees_a_mask_ignored():
    check = q03.gradient_check(0)
    names = {k for k in check if k.startswith("rel_error")}
    arrays = ("input", "0.weight", "0.bias", "3.weight", "3.bias")
    assert names == {f"rel_error_{n}" for n in arrays}
    assert check["dropped_units"] > 0
    with mistakes.applied("dropout-backward-no-mask"):
        assert q03.gradient_check(0)["rel_error_input"] > 1e-2


def test_training_forward_drop_rate_is_binomial_and_sees_p_used_as_keep():
    fwd = q03.training_forward(0, 50)
    assert abs(fwd["drop_rate"] - 0.3) < 5 * fwd["drop_rate_standard_error"]
    assert fwd["max_kept_factor_error"] < 1e-12
    with mistakes.applied("dropout-p-as-keep"):
        assert q03.training_forward(0, 50)["drop_rate"] == pytest.approx(0.7, abs=0.01)


def test_inference_check_is_exact_and_sees_dropout_left_on():
    assert q03.inference_check(0) == {
        "max_difference_from_numpy": 0.0,
        "max_difference_between_calls": 0.0,
    }
    with mistakes.applied("dropout-active-at-eval"):
        assert q03.inference_check(0)["max_difference_between_calls"] > 0


def test_small_noisy_digits_replaces_about_the_requested_share_of_labels():
    X, y, X_val, y_val = q03.small_noisy_digits(0, 1000, label_noise=0.3)
    assert X.shape == (1000, 64) and X_val.shape == (600, 64)
    assert 0.0 <= X.min() and X.max() <= 1.0
    clean = q03.small_noisy_digits(0, 1000, label_noise=0.0)[1]
    # a replaced label is drawn from 10 classes, so about 0.3 * 0.9 of them change
    assert np.mean(y != clean) == pytest.approx(0.27, abs=0.04)
