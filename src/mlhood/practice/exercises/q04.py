"""q04 (hyperparameters): expected improvement, random search, log-uniform sampling."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from scipy.special import ndtr

from mlhood.practice._exercise import Exercise
from mlhood.practice._graders import (
    Fail,
    Grader,
    against_reference,
    assert_close,
    float_arrays,
    property_holds,
    single_precision,
    to_array,
    to_float,
    to_tuple,
)

# ---------------------------------------------------------------- the references


def expected_improvement(mu, sigma, best, xi=0.0):
    """Expected improvement over the incumbent ``best`` for minimisation.

    With a Gaussian posterior ``f(x) ~ N(mu, sigma^2)``, the improvement is
    ``I = max(best - xi - f(x), 0)`` and its expectation has a closed form (Jones,
    Schonlau & Welch, 1998)::

        d = best - mu - xi,   z = d / sigma
        EI = d Phi(z) + sigma phi(z)        (sigma > 0)
        EI = 0                              (sigma = 0, by convention here)

    ``Phi`` (``scipy.special.ndtr``) and ``phi`` are the standard normal CDF and
    density; ``xi >= 0`` trades exploitation for exploration. mlhood's Bayesian search
    maximises the logarithm of this quantity, computed stably
    (:mod:`mlhood.model_selection._acquisition`).
    """
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    improvement = best - mu - xi
    positive = sigma > 0
    safe_sigma = np.where(positive, sigma, 1.0)
    z = improvement / safe_sigma
    density = np.exp(-0.5 * z**2) / np.sqrt(2.0 * np.pi)
    ei = improvement * ndtr(z) + safe_sigma * density
    return np.where(positive, ei, 0.0)


def random_search(objective, bounds, n_trials, rng):
    """Random search: ``n_trials`` points uniform in the box ``bounds``; keep the best.

    ``bounds`` has one row ``[low, high]`` per dimension. Each trial is independent, so
    with few dimensions that matter random search covers each of them with ``n_trials``
    distinct values where a grid of the same budget covers ``n_trials^(1/D)`` (Bergstra &
    Bengio, 2012). Minimisation; the first best point wins ties.

    Returns
    -------
    best_x : ndarray of shape (n_dims,)
    best_value : float
    """
    bounds = np.asarray(bounds, dtype=float)
    points = rng.uniform(bounds[:, 0], bounds[:, 1], size=(n_trials, len(bounds)))
    values = np.array([objective(point) for point in points])
    best = int(np.argmin(values))
    return points[best], float(values[best])


def log_uniform(low, high, size, rng):
    """Samples whose logarithm is uniform on ``[log low, log high]`` (``0 < low < high``).

    For scale parameters (learning rate, regularisation strength) the orders of magnitude
    matter: ``exp(U(log low, log high))`` puts as many samples in ``[1e-4, 1e-3]`` as in
    ``[1e-1, 1]``, where ``U(low, high)`` would put almost all of them in the last decade.
    """
    return np.exp(rng.uniform(np.log(low), np.log(high), size=size))


# ---------------------------------------------------------------- EI graders

_sigmas = st.one_of(st.just(0.0), st.floats(1e-3, 10.0))
_ei_cases = st.integers(1, 10).flatmap(
    lambda n: st.tuples(
        float_arrays((n,), -5.0, 5.0),
        st.lists(_sigmas, min_size=n, max_size=n).map(np.array),
        st.floats(-5.0, 5.0),
        st.sampled_from([0.0, 0.01, 0.5]),
    )
)
_EI_NAMES = ("mu", "sigma", "best", "xi")


def _ei_is_an_expectation(solution, args) -> None:
    """EI >= max(best - mu - xi, 0) and EI >= 0: a mean of non-negative improvements."""
    mu, sigma, best, xi = args
    raw = solution(mu.copy(), sigma.copy(), best, xi)
    ei = to_array(raw, "EI", shape=mu.shape)
    floor = np.where(sigma > 0, np.maximum(best - mu - xi, 0.0), 0.0)
    below = ei < floor - (1e-4 if single_precision(raw) else 1e-9) * np.maximum(floor, 1.0)
    if np.any(below):
        i = int(np.argmax(below))
        raise Fail(
            f"EI[{i}] = {ei[i]:.6g} is below the certain improvement max(best - mu - xi, 0) "
            f"= {floor[i]:.6g} (mu = {mu[i]:g}, sigma = {sigma[i]:g}, best = {best:g})"
        )


def _ei_monte_carlo(solution) -> None:
    """Against a Monte Carlo estimate of E[max(best - xi - f, 0)], f ~ N(mu, sigma^2)."""
    mu, sigma, best, xi = np.array([0.0, 1.0, -1.0]), np.array([1.0, 0.5, 2.0]), 0.2, 0.1
    draws = np.random.default_rng(0).standard_normal(400_000)
    expected = np.array(
        [np.maximum(best - xi - (m + s * draws), 0).mean() for m, s in zip(mu, sigma)]
    )
    got = to_array(solution(mu, sigma, best, xi), "EI", shape=mu.shape)
    assert_close(got, expected, rtol=1e-2, atol=2e-3, what="EI against a Monte Carlo average")


def _ei_maximisation_form(mu, sigma, best, xi=0.0):
    """Uses the maximisation improvement mu - best - xi for a minimisation problem."""
    return expected_improvement(2 * best - np.asarray(mu, dtype=float), sigma, best, xi)


def _ei_probes(solution):
    mu = np.linspace(-2.0, 2.0, 9)
    return [(mu, np.full(9, 0.7), 0.3, 0.0), (mu, np.linspace(0.1, 2.0, 9), -0.5, 0.05)]


# ---------------------------------------------------------------- random search graders


class _Recorder:
    """An objective that records where it was evaluated."""

    def __init__(self, centre: np.ndarray) -> None:
        self.centre, self.points = centre, []

    def __call__(self, point) -> float:
        point = np.asarray(point, dtype=float)
        self.points.append(point.copy())
        return float(np.sum((point - self.centre) ** 2))


def _search_case(solution, args):
    bounds, n_trials, seed = args
    objective = _Recorder(bounds.mean(axis=1) + 0.1 * np.diff(bounds, axis=1)[:, 0])
    best_x, best_value = to_tuple(
        solution(objective, bounds.copy(), n_trials, np.random.default_rng(seed)),
        2,
        "random_search's return value (best_x, best_value)",
    )
    return objective, to_array(best_x, "best_x", (len(bounds),)), to_float(best_value, "value")


def _search_keeps_the_best(solution, args) -> None:
    bounds, n_trials, _ = args
    objective, best_x, best_value = _search_case(solution, args)
    if len(objective.points) != n_trials:
        raise Fail(f"the objective was called {len(objective.points)} times, not {n_trials}")
    points = np.array(objective.points).reshape(n_trials, len(bounds))
    outside = (points < bounds[:, 0]) | (points > bounds[:, 1])
    if outside.any():
        raise Fail(f"point {points[np.argmax(outside.any(axis=1))]} lies outside the bounds")
    values = np.array([objective(p) for p in points])
    assert_close(best_value, values.min(), what="best_value (the smallest value seen)")
    assert_close(objective(best_x), values.min(), what="objective(best_x)")


def _search_is_uniform(solution) -> None:
    """4000 trials in [0, 8] x [-1, 1]: each quarter of each axis gets about a quarter."""
    bounds = np.array([[0.0, 8.0], [-1.0, 1.0]])
    objective, _, _ = _search_case(solution, (bounds, 4000, 0))
    points = np.array(objective.points)
    for axis in range(2):
        unit = (points[:, axis] - bounds[axis, 0]) / (bounds[axis, 1] - bounds[axis, 0])
        shares = np.bincount(np.minimum((unit * 4).astype(int), 3), minlength=4) / len(unit)
        if np.abs(shares - 0.25).max() > 0.035:
            raise Fail(
                f"along axis {axis} the quarters of the range got {np.round(shares, 3)} of "
                "the trials; uniform sampling gives about 0.25 each"
            )
    first, again, other = (_search_case(solution, (bounds, 5, s))[0].points for s in (7, 7, 8))
    if not np.allclose(first, again):
        raise Fail("the same seed gave different trials: draw them from the `rng` argument")
    if np.allclose(first, other):
        raise Fail("different seeds gave the same trials: random search draws its points")


_search_cases = st.tuples(
    st.integers(1, 3).flatmap(
        lambda d: st.tuples(float_arrays((d,), -5.0, 5.0), float_arrays((d,), 0.5, 5.0)).map(
            lambda lw: np.column_stack([lw[0], lw[0] + lw[1]])
        )
    ),
    st.integers(1, 25),
    st.integers(0, 1000),
)

# ---------------------------------------------------------------- log-uniform graders


def _log_uniform_distribution(solution) -> None:
    """For [1e-5, 10]: in range, and each decade holds about a sixth of 30 000 samples."""
    low, high, n = 1e-5, 10.0, 30000
    samples = to_array(solution(low, high, n, np.random.default_rng(0)), "samples", (n,))
    if samples.min() < low or samples.max() > high:
        raise Fail(f"samples must lie in [{low}, {high}], got [{samples.min()}, {samples.max()}]")
    decades = np.bincount(np.floor(np.log10(samples) + 5).astype(int).clip(0, 5), minlength=6)
    shares = decades / n
    if np.abs(shares - 1 / 6).max() > 0.02:
        raise Fail(
            f"the decades 1e-5..1e-4, ..., 1..10 hold {np.round(shares, 3)} of the samples; "
            "log-uniform sampling gives each about 1/6"
        )


def _log_uniform_cases(solution, args) -> None:
    low, ratio, size, seed = args
    samples = to_array(
        solution(low, low * ratio, size, np.random.default_rng(seed)), "samples", (size,)
    )
    if samples.size and (
        samples.min() < low * (1 - 1e-12) or samples.max() > low * ratio * (1 + 1e-12)
    ):
        raise Fail(f"samples outside [{low:g}, {low * ratio:g}]: {samples}")


EXERCISES = (
    Exercise(
        id="expected_improvement",
        question="q04",
        title="Expected improvement (minimisation)",
        signature="(mu, sigma, best, xi=0.0)",
        statement="""
Expected improvement of a Gaussian-process posterior, for MINIMISATION.

mu, sigma: ndarrays (n,), the posterior mean and standard deviation at n candidate
points; best: float, the smallest objective value observed so far; xi: float >= 0, an
exploration margin. Return EI: ndarray (n,), the expectation of
``max(best - xi - f, 0)`` with ``f ~ N(mu, sigma^2)``; 0 where sigma = 0.
""",
        hints=(
            "For minimisation the improvement at a point is best - xi - f(x) when positive.",
            "Standardise: z = (best - mu - xi) / sigma, then integrate the normal density over "
            "the region where the improvement is positive.",
            "EI = (best - mu - xi) * Phi(z) + sigma * phi(z) (scipy.special.ndtr is Phi); "
            "set it to 0 where sigma == 0 without dividing by zero.",
        ),
        reference=expected_improvement,
        graders=(
            against_reference(
                "matches the reference", _ei_cases, expected_improvement, names=_EI_NAMES
            ),
            property_holds(
                "at least the certain improvement",
                _ei_cases,
                _ei_is_an_expectation,
                names=_EI_NAMES,
            ),
            Grader("agrees with a Monte Carlo average", _ei_monte_carlo),
        ),
        mistakes={"ei-maximisation-form": _ei_maximisation_form},
        probes=_ei_probes,
    ),
    Exercise(
        id="random_search",
        question="q04",
        title="Random search over a box",
        signature="(objective, bounds, n_trials, rng)",
        statement="""
Random search for the MINIMUM of ``objective`` over a box.

objective: a function of a point (ndarray (n_dims,)) returning a float; bounds: ndarray
(n_dims, 2) of [low, high] rows; n_trials: int, the number of objective calls allowed;
rng: numpy.random.Generator. Sample each trial uniformly in the box, call the objective
exactly n_trials times, and return ``(best_x, best_value)``.
""",
        hints=(
            "Each trial is independent: no grid, no adaptation.",
            "rng.uniform(low, high, size=...) accepts arrays of lows and highs, one per "
            "dimension.",
            "points = rng.uniform(bounds[:, 0], bounds[:, 1], size=(n_trials, n_dims)); "
            "evaluate each; return the point with the smallest value and that value.",
        ),
        reference=random_search,
        graders=(
            property_holds(
                "calls the objective n_trials times in the box, keeps the best",
                _search_cases,
                _search_keeps_the_best,
                names=("bounds", "n_trials", "seed of rng"),
                max_examples=30,
            ),
            Grader("samples uniformly, from rng", _search_is_uniform),
        ),
    ),
    Exercise(
        id="log_uniform",
        question="q04",
        title="Log-uniform sampling for a scale hyperparameter",
        signature="(low, high, size, rng)",
        statement="""
Sample a scale hyperparameter (learning rate, regularisation strength) log-uniformly.

low, high: floats with 0 < low < high; size: int; rng: numpy.random.Generator. Return
an ndarray of ``size`` samples in [low, high] whose logarithm is uniformly distributed.
""",
        hints=(
            "Uniform on [1e-5, 10] puts 90% of samples in the last decade.",
            "Make log(sample) uniform instead.",
            "np.exp(rng.uniform(np.log(low), np.log(high), size))",
        ),
        reference=log_uniform,
        graders=(
            Grader("each decade equally likely", _log_uniform_distribution),
            property_holds(
                "samples within [low, high]",
                st.tuples(
                    st.floats(1e-8, 1e3),
                    st.floats(1.001, 1e6),
                    st.integers(0, 50),
                    st.integers(0, 1000),
                ),
                _log_uniform_cases,
                names=("low", "high / low", "size", "seed of rng"),
                max_examples=30,
            ),
        ),
    ),
)
