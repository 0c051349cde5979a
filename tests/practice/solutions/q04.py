"""Independent correct solutions for q04: math.erf in a loop, one trial at a time, log10."""

import math

import numpy as np


def expected_improvement(mu, sigma, best, xi=0.0):
    out = []
    for m, s in zip(mu, sigma):
        if s == 0:
            out.append(0.0)
            continue
        d = best - m - xi
        z = d / s
        cdf = 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
        pdf = math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
        out.append(d * cdf + s * pdf)
    return out


def random_search(objective, bounds, n_trials, rng):
    best_x, best_value = None, math.inf
    for _ in range(n_trials):
        x = [low + (high - low) * rng.random() for low, high in bounds]
        value = objective(np.array(x))
        if value < best_value:
            best_x, best_value = x, value
    return best_x, best_value


def log_uniform(low, high, size, rng):
    return 10.0 ** (math.log10(low) + (math.log10(high) - math.log10(low)) * rng.random(size))
