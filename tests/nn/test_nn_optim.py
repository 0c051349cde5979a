"""Optimizers and schedules against their published update equations, step by step."""

import math

import numpy as np
import pytest

from mlhood import nn


def _sequence(seed=0, steps=6, shape=(3, 4)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), [rng.standard_normal(shape) for _ in range(steps)]


def _run(opt_cls, start, grads, **kwargs):
    p = nn.Parameter(start.copy())
    opt = opt_cls([p], **kwargs)
    trace = []
    for g in grads:
        p.grad[...] = g
        opt.step()
        trace.append(p.data.copy())
    return trace


def test_sgd_plain_and_weight_decay():
    start, grads = _sequence()
    trace = _run(nn.SGD, start, grads, lr=0.1, weight_decay=0.01)
    w = start.copy()
    for g, got in zip(grads, trace):
        w = w - 0.1 * (g + 0.01 * w)
        np.testing.assert_allclose(got, w, rtol=1e-13)


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_sutskever_form(nesterov):
    start, grads = _sequence(1)
    trace = _run(nn.SGD, start, grads, lr=0.05, momentum=0.9, nesterov=nesterov)
    w, b = start.copy(), None
    for g, got in zip(grads, trace):
        b = g.copy() if b is None else 0.9 * b + g
        w = w - 0.05 * ((g + 0.9 * b) if nesterov else b)
        np.testing.assert_allclose(got, w, rtol=1e-13)


def test_rmsprop_equations():
    start, grads = _sequence(2)
    trace = _run(nn.RMSProp, start, grads, lr=0.01, alpha=0.9)
    w, v = start.copy(), np.zeros_like(start)
    for g, got in zip(grads, trace):
        v = 0.9 * v + 0.1 * g**2
        w = w - 0.01 * g / (np.sqrt(v) + 1e-8)
        np.testing.assert_allclose(got, w, rtol=1e-13)


def test_adam_equations_kingma_ba():
    start, grads = _sequence(3, steps=10)
    trace = _run(nn.Adam, start, grads, lr=0.01, weight_decay=0.1)
    w, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t, (g, got) in enumerate(zip(grads, trace), start=1):
        g = g + 0.1 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        w = w - 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8)
        np.testing.assert_allclose(got, w, rtol=1e-12)


def test_adam_first_step_is_lr_times_sign():
    """With m_hat = g and v_hat = g^2 the first Adam step is lr * sign(g) (eps aside)."""
    start, grads = _sequence(4, steps=1)
    (after,) = _run(nn.Adam, start, grads, lr=0.01)
    np.testing.assert_allclose(start - after, 0.01 * np.sign(grads[0]), rtol=1e-6)


def test_adamw_decouples_weight_decay():
    start, grads = _sequence(5, steps=8)
    trace = _run(nn.AdamW, start, grads, lr=0.01, weight_decay=0.5)
    w, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t, (g, got) in enumerate(zip(grads, trace), start=1):
        w = w * (1 - 0.01 * 0.5)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        w = w - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        np.testing.assert_allclose(got, w, rtol=1e-12)


def test_torch_defaults_are_documented_and_used():
    p = [nn.Parameter(np.zeros(2))]
    assert nn.SGD(p).param_groups[0]["lr"] == 1e-3
    assert nn.RMSProp(p).param_groups[0]["lr"] == 1e-2
    assert nn.RMSProp(p).param_groups[0]["alpha"] == 0.99
    adam = nn.Adam(p).param_groups[0]
    assert (adam["lr"], adam["betas"], adam["eps"]) == (1e-3, (0.9, 0.999), 1e-8)
    assert nn.AdamW(p).param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize("opt_cls", [nn.SGD, nn.RMSProp, nn.Adam, nn.AdamW])
@pytest.mark.parametrize("lr", [0.0, -1e-3, float("nan")])
def test_learning_rate_must_be_positive(opt_cls, lr):
    with pytest.raises(ValueError, match="lr"):
        opt_cls([nn.Parameter(np.zeros(2))], lr=lr)


def test_frozen_parameters_and_param_groups():
    a, b = nn.Parameter(np.ones(3)), nn.Parameter(np.ones(3))
    a.grad[...] = b.grad[...] = 1.0
    b.requires_grad = False
    opt = nn.SGD([{"params": [a], "lr": 0.5}, {"params": [b]}], lr=0.1)
    opt.step()
    np.testing.assert_allclose(a.data, 0.5)
    np.testing.assert_allclose(b.data, 1.0)
    opt.zero_grad()
    assert not a.grad.any()


def test_schedules_closed_forms():
    def lrs(make, steps=12):
        opt = nn.SGD([nn.Parameter(np.zeros(1))], lr=0.1)
        sched = make(opt)
        out = []
        for _ in range(steps):
            sched.step()
            out.append(sched.get_last_lr()[0])
        return np.array(out)

    t = np.arange(1, 13)
    np.testing.assert_allclose(lrs(lambda o: nn.StepLR(o, 5, 0.5)), 0.1 * 0.5 ** (t // 5))
    np.testing.assert_allclose(lrs(lambda o: nn.ExponentialLR(o, 0.9)), 0.1 * 0.9**t)
    cosine = 0.01 + 0.09 * (1 + np.cos(np.pi * np.minimum(t, 10) / 10)) / 2
    np.testing.assert_allclose(lrs(lambda o: nn.CosineAnnealingLR(o, 10, 0.01)), cosine)


def test_clip_grad_norm_scales_jointly():
    a, b = nn.Parameter(np.zeros(2)), nn.Parameter(np.zeros(1))
    a.grad[...] = [3.0, 0.0]
    b.grad[...] = [4.0]
    total = nn.clip_grad_norm([a, b], max_norm=1.0)
    assert total == pytest.approx(5.0)
    joint = math.sqrt(float(a.grad @ a.grad + b.grad @ b.grad))
    assert joint == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(a.grad / b.grad[0], [0.75, 0.0])
    assert nn.clip_grad_norm([a, b], max_norm=10.0) == pytest.approx(1.0, rel=1e-5)
