"""Lab q11: claims hold, same seed same numbers, helpers pinned against closed forms."""

import numpy as np
import pytest

from mlhood import nn
from mlhood.labs import q11_sgd


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_q11_claims_hold(seed):
    result = q11_sgd.run(quick=True, seed=seed)
    assert result.id == "q11" and result.title and result.question and result.answer
    assert len(result.claims) == 5
    assert all(claim.holds for claim in result.claims), [
        (c.statement, c.evidence) for c in result.claims if not c.holds
    ]
    assert result.figures and result.tables
    assert "Correct" in result.answer


def test_q11_same_seed_same_numbers():
    a, b = q11_sgd.run(quick=True, seed=4), q11_sgd.run(quick=True, seed=4)
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]


def test_least_squares_optimum_and_path():
    X, y, w_opt, loss_opt = q11_sgd.make_problem(0, 500)
    np.testing.assert_allclose(w_opt, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    # full-batch descent from the same start converges to the least-squares solution
    points = q11_sgd.path(X, y, 500, 0.3, 300, seed=0)
    np.testing.assert_allclose(points[-1], w_opt, atol=1e-6)
    assert q11_sgd.full_loss(points[-1], X, y) == pytest.approx(loss_opt, rel=1e-9)


def test_gradient_descent_closed_form_against_explicit_steps():
    X, y, w_opt, _ = q11_sgd.make_problem(1, 200)
    rows = q11_sgd.gradient_descent_closed_form(X, y, w_opt, 0.1, 5)
    w = np.array(q11_sgd.START)
    for t in range(6):
        np.testing.assert_allclose(rows[t], w, rtol=1e-12, atol=1e-12)
        w = w - 0.1 * 2 * X.T @ (X @ w - y) / len(y)


def test_adam_reference_first_step_and_decay_closed_forms():
    X, y, _, _ = q11_sgd.make_problem(2, 100)
    w0 = np.array(q11_sgd.START)
    g = 2 * X.T @ (X @ w0 - y) / len(y)
    plain = q11_sgd.adam_reference(X, y, 0.05, 1)
    np.testing.assert_allclose(plain[1], w0 - 0.05 * g / (np.abs(g) + 1e-8), rtol=1e-12)
    decoupled = q11_sgd.adam_reference(X, y, 0.05, 1, weight_decay=0.1, decoupled=True)
    np.testing.assert_allclose(decoupled[1], w0 * (1 - 0.005) - (w0 - plain[1]), rtol=1e-12)
    coupled = q11_sgd.adam_reference(X, y, 0.05, 1, weight_decay=0.1)
    g_l2 = g + 0.1 * w0
    np.testing.assert_allclose(coupled[1], w0 - 0.05 * g_l2 / (np.abs(g_l2) + 1e-8), rtol=1e-12)
    # with no decay, Adam and AdamW are the same algorithm
    np.testing.assert_allclose(
        q11_sgd.adam_reference(X, y, 0.05, 8),
        q11_sgd.adam_reference(X, y, 0.05, 8, decoupled=True),
        rtol=1e-14,
    )


def test_train_records_one_row_per_epoch_and_counts_updates():
    X, y, _, _ = q11_sgd.make_problem(3, 100)
    out = q11_sgd.train(X, y, 32, 3, seed=0, lr=0.1)
    assert out["weights"].shape == (4, 2) and out["updates"] == 3 * 4
    np.testing.assert_array_equal(out["weights"][0], q11_sgd.START)
    assert out["seconds"].shape == (3,)


def test_excess_losses_is_loss_minus_optimum():
    X, y, w_opt, loss_opt = q11_sgd.make_problem(4, 100)
    w = np.array([[0.0, 0.0], w_opt])
    np.testing.assert_allclose(
        q11_sgd.excess_losses(w, X, y, loss_opt), [np.mean(y**2) - loss_opt, 0.0], atol=1e-12
    )


def test_epoch_recorder_steps_the_wrapped_schedule():
    model = nn.Sequential(nn.Linear(2, 1, bias=False))
    opt = nn.SGD(model.parameters(), lr=1.0)
    recorder = q11_sgd.EpochEnds(model, nn.StepLR(opt, step_size=1, gamma=0.5))
    recorder.step()
    recorder.step()
    assert len(recorder.weights) == 3 and opt.param_groups[0]["lr"] == 0.25
