"""Search spaces, the GP surrogate and log EI against oracles, and black-box minimize."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import approx_fprime
from scipy.stats import norm
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

from mlhood.model_selection import Categorical, Integer, Real, Space, minimize
from mlhood.model_selection._acquisition import (
    log_expected_improvement,
    log_h,
    standardised_improvement,
)
from mlhood.model_selection._gp import GaussianProcess


def gp_data(seed=0, n=15, d=3):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    return X, np.sin(5 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=n)


def test_gp_prediction_equals_sklearn_with_the_same_kernel():
    X, y = gp_data()
    gp = GaussianProcess().fit(X, y)
    kernel = ConstantKernel(gp.signal_) * Matern(gp.length_, nu=2.5) + WhiteKernel(gp.noise_)
    oracle = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=0.0)
    oracle.fit(X, y)
    Xq = np.random.default_rng(1).random((7, 3))
    mu, var = gp.predict(Xq)
    mu_o, sd_o = oracle.predict(Xq, return_std=True)
    np.testing.assert_allclose(mu, mu_o, rtol=1e-8, atol=1e-10)
    # sklearn's predictive std includes the white-noise term; ours is the latent f's.
    np.testing.assert_allclose(var + gp.noise_ * gp.y_std_**2, sd_o**2, rtol=1e-6)
    lml = -gp._neg_log_posterior(gp.theta_, (X[:, None] - X[None]) ** 2, (y - y.mean()) / y.std())[
        0
    ]
    theta = np.r_[np.log(gp.signal_), np.log(gp.length_), np.log(gp.noise_)]
    prior = lml - oracle.log_marginal_likelihood(theta)  # ours adds the log prior
    means = np.r_[np.full(3, np.log(0.5)), 0.0, np.log(1e-6)]
    sds = np.r_[np.full(3, 1.0), 1.0, 2.0]
    assert prior == pytest.approx(-0.5 * np.sum(((gp.theta_ - means) / sds) ** 2), abs=1e-6)


def test_gp_gradients_match_finite_differences():
    X, y = gp_data(2)
    z = (y - y.mean()) / y.std()
    diff2 = (X[:, None] - X[None]) ** 2
    gp = GaussianProcess()
    theta = np.array([-0.5, 0.2, -1.0, 0.3, np.log(1e-2)])
    _, grad = gp._neg_log_posterior(theta, diff2, z)
    numeric = approx_fprime(theta, lambda t: gp._neg_log_posterior(t, diff2, z)[0], 1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-4, atol=1e-5)
    gp.fit(X, y)
    x0 = np.array([[0.3, 0.6, 0.2]])
    _, _, dmu, dvar = gp.predict(x0, return_grad=True)
    np.testing.assert_allclose(
        dmu[0], approx_fprime(x0[0], lambda x: gp.predict(x)[0][0], 1e-7), rtol=1e-4, atol=1e-6
    )
    np.testing.assert_allclose(
        dvar[0], approx_fprime(x0[0], lambda x: gp.predict(x)[1][0], 1e-7), rtol=1e-3, atol=1e-7
    )
    best = float(y.min())
    _, g = log_expected_improvement(gp, x0, best, return_grad=True)
    numeric = approx_fprime(x0[0], lambda x: log_expected_improvement(gp, x, best)[0], 1e-7)
    np.testing.assert_allclose(g[0], numeric, rtol=1e-3, atol=1e-6)


@settings(max_examples=25, deadline=None)
@given(z=st.floats(-30, 8))
def test_log_h_is_stable_and_correct(z):
    value, grad = log_h(np.array([z]))
    exact = math.log(norm.pdf(z) + z * norm.cdf(z))
    assert value[0] == pytest.approx(exact, rel=1e-7, abs=1e-9)
    assert grad[0] == pytest.approx(norm.cdf(z) / math.exp(exact), rel=1e-6)
    far, _ = log_h(np.array([-1e4, -1e6]))
    assert np.all(np.isfinite(far)) and far[1] < far[0]


@settings(max_examples=25, deadline=None)
@given(u=st.lists(st.floats(0, 1), min_size=6, max_size=6))
def test_space_decode_encode_round_trip(u):
    space = Space(
        [
            Real(1e-3, 1e2, log=True),
            Integer(1, 50, log=True),
            Integer(-3, 3),
            Categorical(["a", None, 3]),
        ]
    )
    point = space.decode(np.array(u))
    assert space.decode(space.encode(point)) == point
    for dim, value in zip(space.dimensions, point):
        assert dim.contains(value)


def test_integer_bins_are_equally_likely_and_grid_sizes():
    rng = np.random.default_rng(0)
    draws = [Integer(0, 3).sample(rng) for _ in range(4000)]
    assert np.allclose(np.bincount(draws) / 4000, 0.25, atol=0.03)
    space = Space([Real(0, 1), Real(0, 1), Categorical(["x", "y"])])
    assert len(space.grid(50)) == 50  # 5 x 5 x 2
    assert len(Space([Integer(0, 2), Real(0, 1)]).grid(100)) == 99  # 3 x 33
    assert Real(0, 12).grid(3) == [2.0, 6.0, 10.0]


def quadratic(x):
    return (
        (x[0] - 0.3) ** 2
        + (math.log10(x[1]) - 1.0) ** 2
        + 0.1 * (x[2] - 4) ** 2
        + (0.0 if x[3] == "b" else 1.0)
    )


SPACE = [Real(-1, 1), Real(1e-2, 1e3, log=True), Integer(0, 8), Categorical(["a", "b", "c"])]


@pytest.mark.parametrize(
    "method,budget,tolerance", [("bayes", 30, 0.05), ("random", 60, 1.5), ("grid", 81, 0.8)]
)
def test_minimize_methods_reach_the_optimum_region(method, budget, tolerance):
    res = minimize(quadratic, SPACE, budget, method=method, random_state=0)
    assert res.fun <= tolerance
    assert res.fun == min(t.value for t in res.trials) == quadratic(res.x)
    assert len(res.trials) <= budget and res.n_evaluated == len(res.trials)
    again = minimize(quadratic, SPACE, budget, method=method, random_state=0)
    assert again.x_iters == res.x_iters


def test_bayes_beats_random_on_a_smooth_function_and_seeds_differ():
    def bowl(x):
        return float(np.sum((np.asarray(x) - 0.37) ** 2))

    space = [Real(0, 1)] * 4
    bayes = [minimize(bowl, space, 25, random_state=s).fun for s in range(3)]
    rand = [minimize(bowl, space, 25, method="random", random_state=s).fun for s in range(3)]
    assert max(bayes) < min(rand) / 5
    assert len(set(bayes)) == 3


def test_minimize_bad_input():
    with pytest.raises(ValueError, match="empty"):
        minimize(quadratic, [], 5)
    with pytest.raises(ValueError, match="low < high"):
        Real(1.0, 1.0)
    with pytest.raises(ValueError, match="low > 0"):
        Real(0.0, 1.0, log=True)
    with pytest.raises(TypeError, match="int"):
        Integer(0.5, 3)
    with pytest.raises(ValueError, match="method"):
        minimize(quadratic, SPACE, 5, method="annealing")
    with pytest.raises(ValueError, match="n_trials"):
        minimize(quadratic, SPACE, 0)
    with pytest.raises(ValueError, match="empty"):
        Categorical([])
    with pytest.raises(TypeError, match="real number"):
        minimize(lambda x: "bad", [Real(0, 1)], 2, method="random", random_state=0)


def test_log_ei_equals_the_closed_form_for_minimisation():
    X, y = gp_data(3)
    gp = GaussianProcess().fit(X, y)
    Xq = np.random.default_rng(4).random((50, 3))
    best = float(y.min())
    mu, var = gp.predict(Xq)
    sigma = np.sqrt(var)
    z = (best - mu) / sigma
    closed = (best - mu) * norm.cdf(z) + sigma * norm.pdf(z)
    usable = z > -5
    assert usable.sum() > 10
    got = log_expected_improvement(gp, Xq[usable], best)
    np.testing.assert_allclose(got, np.log(closed[usable]), rtol=0, atol=1e-9)
    # lower predicted loss => larger improvement, at equal uncertainty
    z_low, dz_dmu = standardised_improvement(np.array([0.0]), np.array([1.0]), 1.0)
    assert z_low[0] == 1.0 and dz_dmu[0] == -1.0
