"""Optimizers with PyTorch's ``torch.optim`` update equations and defaults.

An optimizer holds *parameter groups*: each a dict with ``"params"`` (a list of
:class:`~mlhood.nn.Parameter`) and its own hyper-parameters (``"lr"``, ...), so layers can
get their own learning rate. Parameters with ``requires_grad = False`` are skipped
(frozen). Every update is done in place with preallocated scratch arrays.

Notation: ``g`` gradient, ``p`` parameter, ``t`` step count (from 1), ``lr`` learning rate.
"""

from __future__ import annotations

import math

import numpy as np

from mlhood.nn._parameter import Parameter


def _check_positive(name: str, value: float, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``zero_grad`` and ``step``."""

    defaults: dict = {}

    def __init__(self, params, **hyper) -> None:
        _check_positive("lr", hyper["lr"])
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.param_groups: list[dict] = []
        for group in groups:
            group = {**hyper, **group}
            group["params"] = list(group["params"])
            for p in group["params"]:
                if not isinstance(p, Parameter):
                    raise TypeError(f"expected mlhood.nn.Parameter, got {type(p)!r}")
            _check_positive("lr", group["lr"])
            group.setdefault("initial_lr", group["lr"])
            self.param_groups.append(group)
        self.state: dict[int, dict] = {}

    def zero_grad(self) -> None:
        """Set every gradient to 0 (layers overwrite gradients, so this is a safeguard)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad.fill(0)

    def _state(self, p: Parameter) -> dict:
        state = self.state.get(id(p))
        if state is None:
            state = self.state[id(p)] = {"step": 0, "scratch": np.empty_like(p.data)}
        return state

    def step(self) -> None:
        """Apply one update to every trainable parameter."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.requires_grad:
                    state = self._state(p)
                    state["step"] += 1
                    self._update(p, p.grad, state, group)

    def _update(self, p: Parameter, g: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError

    @staticmethod
    def _add_weight_decay(p, g, state, weight_decay):
        """``g + weight_decay * p`` in the scratch buffer (L2 penalty folded into g)."""
        if weight_decay == 0:
            return g
        buf = state.setdefault("decayed_grad", np.empty_like(g))
        np.multiply(p.data, weight_decay, out=buf)
        buf += g
        return buf

    def __repr__(self) -> str:
        hyper = {k: v for k, v in self.param_groups[0].items() if k not in ("params",)}
        return f"{type(self).__name__}({hyper})"


class SGD(Optimizer):
    """Stochastic gradient descent with momentum, Nesterov and weight decay (torch.optim.SGD).

    Defaults: ``lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False``::

        g = g + weight_decay * p
        if momentum != 0:
            b = g                                     (t = 1)
            b = momentum * b + (1 - dampening) * g    (t > 1)
            g = g + momentum * b   if nesterov else   b
        p = p - lr * g

    (Sutskever et al., 2013, for the Nesterov form used by PyTorch.)
    """

    def __init__(
        self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False
    ) -> None:
        _check_positive("momentum", momentum, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        if nesterov and (momentum == 0 or dampening != 0):
            raise ValueError("nesterov requires momentum > 0 and dampening = 0")
        super().__init__(
            params,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )

    def _update(self, p, g, state, group):
        g = self._add_weight_decay(p, g, state, group["weight_decay"])
        mu = group["momentum"]
        if mu != 0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()
            else:
                b = state["momentum_buffer"]
                b *= mu
                np.multiply(g, 1.0 - group["dampening"], out=state["scratch"])
                b += state["scratch"]
            b = state["momentum_buffer"]
            if group["nesterov"]:
                np.multiply(b, mu, out=state["scratch"])
                state["scratch"] += g
                g = state["scratch"]
            else:
                g = b
        np.multiply(g, group["lr"], out=state["scratch"])
        p.data -= state["scratch"]


class RMSProp(Optimizer):
    """RMSProp (Hinton, 2012 lecture 6e), as torch.optim.RMSprop.

    Defaults: ``lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False``::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g^2
        if centered: a = alpha * a + (1 - alpha) * g;  denom = sqrt(v - a^2) + eps
        else:        denom = sqrt(v) + eps
        if momentum > 0: b = momentum * b + g / denom;  p = p - lr * b
        else:            p = p - lr * g / denom
    """

    def __init__(
        self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False
    ) -> None:
        _check_positive("alpha", alpha, allow_zero=True)
        _check_positive("eps", eps, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        _check_positive("momentum", momentum, allow_zero=True)
        super().__init__(
            params,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )

    def _update(self, p, g, state, group):
        g = self._add_weight_decay(p, g, state, group["weight_decay"])
        alpha, tmp = group["alpha"], state["scratch"]
        if "square_avg" not in state:
            state["square_avg"] = np.zeros_like(p.data)
        v = state["square_avg"]
        v *= alpha
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - alpha
        v += tmp
        if group["centered"]:
            a = state.setdefault("grad_avg", np.zeros_like(p.data))
            a *= alpha
            np.multiply(g, 1.0 - alpha, out=tmp)
            a += tmp
            np.multiply(a, a, out=tmp)
            np.subtract(v, tmp, out=tmp)
            np.sqrt(tmp, out=tmp)
        else:
            np.sqrt(v, out=tmp)
        tmp += group["eps"]
        np.divide(g, tmp, out=tmp)  # tmp = g / denom
        if group["momentum"] > 0:
            b = state.setdefault("momentum_buffer", np.zeros_like(p.data))
            b *= group["momentum"]
            b += tmp
            np.multiply(b, group["lr"], out=tmp)
        else:
            tmp *= group["lr"]
        p.data -= tmp


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as torch.optim.Adam.

    Defaults: ``lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False``::

        g = g + weight_decay * p                 (L2 penalty inside the gradient)
        m = beta1 * m + (1 - beta1) * g          (first moment)
        v = beta2 * v + (1 - beta2) * g^2        (second moment)
        v_max = max(v_max, v)                    (amsgrad only; then use v_max for v)
        denom = sqrt(v) / sqrt(1 - beta2^t) + eps
        p = p - lr / (1 - beta1^t) * m / denom

    Adam does not choose ``lr`` or any other hyper-parameter: it divides each parameter's
    step by a running root-mean-square of that parameter's gradient, so every parameter
    gets its own effective step size.
    """

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False
    ) -> None:
        beta1, beta2 = betas
        for name, beta in (("betas[0]", beta1), ("betas[1]", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        _check_positive("eps", eps, allow_zero=True)
        _check_positive("weight_decay", weight_decay, allow_zero=True)
        super().__init__(
            params,
            lr=lr,
            betas=(beta1, beta2),
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
        )

    decoupled_weight_decay = False  # AdamW: shrink p directly instead of adding to g

    def _update(self, p, g, state, group):
        if self.decoupled_weight_decay:
            if group["weight_decay"] != 0:
                p.data *= 1.0 - group["lr"] * group["weight_decay"]
        else:
            g = self._add_weight_decay(p, g, state, group["weight_decay"])
        beta1, beta2 = group["betas"]
        t, tmp = state["step"], state["scratch"]
        if "exp_avg" not in state:
            state["exp_avg"] = np.zeros_like(p.data)
            state["exp_avg_sq"] = np.zeros_like(p.data)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        np.multiply(g, 1.0 - beta1, out=tmp)
        m += tmp
        v *= beta2
        np.multiply(g, g, out=tmp)
        tmp *= 1.0 - beta2
        v += tmp
        if group["amsgrad"]:
            v_max = state.setdefault("max_exp_avg_sq", np.zeros_like(p.data))
            np.maximum(v_max, v, out=v_max)
            v = v_max
        bias_correction1 = 1.0 - beta1**t
        bias_correction2 = 1.0 - beta2**t
        np.sqrt(v, out=tmp)
        tmp *= 1.0 / math.sqrt(bias_correction2)
        tmp += group["eps"]
        np.divide(m, tmp, out=tmp)
        tmp *= group["lr"] / bias_correction1
        p.data -= tmp


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019), as torch.optim.AdamW.

    Defaults: ``lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False``.
    Decoupled weight decay, applied to the parameter before the Adam step (which then uses
    the plain gradient)::

        p = p * (1 - lr * weight_decay)
        ...Adam update with weight_decay = 0...
    """

    def __init__(
        self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False
    ) -> None:
        super().__init__(
            params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
        )

    decoupled_weight_decay = True


def clip_grad_norm(parameters, max_norm: float) -> float:
    """Scale all gradients together so their joint L2 norm is at most ``max_norm``.

    As ``torch.nn.utils.clip_grad_norm_``: ``total = sqrt(sum ||g||^2)``;
    if ``total > max_norm`` every gradient is multiplied by ``max_norm / (total + 1e-6)``.
    Returns the norm before clipping.
    """
    _check_positive("max_norm", max_norm)
    grads = [p.grad for p in parameters if p.requires_grad]
    total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for g in grads:
            g *= coef
    return total
