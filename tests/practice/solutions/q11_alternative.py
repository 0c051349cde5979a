"""Independent correct solutions for q11 (torch's algebra with the step size folded, loops)."""

import math

import numpy as np


def adam_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # torch's form: step = lr / bc1, denominator sqrt(v) / sqrt(bc2) + eps
    m = m * beta1 + grad * (1 - beta1)
    v = v * beta2 + grad * grad * (1 - beta2)
    step_size = lr / (1 - beta1**t)
    denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
    return param - step_size * m / denom, m, v


def adamw_step(param, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=1e-2):
    param = param - lr * weight_decay * param
    return adam_step(param, grad, m, v, t, lr, beta1, beta2, eps)


def sgd_momentum_step(param, grad, velocity, lr=0.01, momentum=0.9):
    new_velocity = [momentum * b + g for b, g in zip(np.ravel(velocity), np.ravel(grad))]
    new_velocity = np.reshape(new_velocity, np.shape(grad))
    return np.asarray(param) - lr * new_velocity, new_velocity


def minibatch_indices(n_samples, batch_size, rng):
    # shuffle in place, then split into ceil(n / batch_size) pieces of the right sizes
    order = list(range(n_samples))
    rng.shuffle(order)
    return [order[i : i + batch_size] for i in range(0, n_samples, batch_size)]
