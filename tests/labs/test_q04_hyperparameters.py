"""Lab q04: grid vs random vs Bayesian search, validation curve; claims hold for 3 seeds."""

import numpy as np
import pytest
import sklearn.model_selection as skms
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel
from sklearn.linear_model import Ridge

from mlhood.labs import q04_hyperparameters as lab
from mlhood.model_selection._gp import GaussianProcess


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_claims_hold(seed):
    result = lab.run(quick=True, seed=seed)
    assert result.id == "q04" and result.title
    assert result.figures and result.tables
    for claim in result.claims:
        assert claim.holds, (claim.statement, claim.evidence)
    rows = {r["method"]: r for r in result.tables["final_regret"]}
    assert rows["bayes"]["median_regret"] < rows["random"]["median_regret"]
    assert rows["random"]["median_regret"] < rows["grid"]["median_regret"]


def test_same_seed_same_numbers():
    a = lab.run(quick=True, seed=3)
    b = lab.run(quick=True, seed=3)
    assert a.tables == b.tables
    assert [c.evidence for c in a.claims] == [c.evidence for c in b.claims]


def test_ridge_curve_from_scratch_equals_scikit_learn():
    X, y = lab.polynomial_problem(4, 30)
    train, val = lab.ridge_mse_closed_form(X, y, cv_seed=11)
    tr, te = skms.validation_curve(
        Ridge(),
        X,
        y,
        param_name="alpha",
        param_range=lab.ALPHAS,
        cv=skms.KFold(5, shuffle=True, random_state=11),
        scoring="neg_mean_squared_error",
    )
    np.testing.assert_allclose(train, -tr.mean(axis=1), rtol=1e-6)
    np.testing.assert_allclose(val, -te.mean(axis=1), rtol=1e-6)


def test_matern_posterior_from_scratch_equals_scikit_learn():
    rng = np.random.default_rng(0)
    X = rng.random((15, 2))
    y = np.sin(4 * X[:, 0]) + X[:, 1]
    gp = GaussianProcess().fit(X, y)
    kernel = ConstantKernel(gp.signal_) * Matern(gp.length_, nu=2.5) + WhiteKernel(gp.noise_)
    oracle = GaussianProcessRegressor(kernel, optimizer=None, normalize_y=True, alpha=0.0)
    oracle.fit(X, y)
    U = rng.random((9, 2))
    mean, var = lab.matern52_posterior(gp, U)
    mean_o, sd_o = oracle.predict(U, return_std=True)
    np.testing.assert_allclose(mean, mean_o, rtol=1e-8)
    np.testing.assert_allclose(var + gp.noise_ * gp.y_std_**2, sd_o**2, rtol=1e-6)


def test_helpers():
    assert lab.trials_to_target(np.array([0.3, 0.1, 0.004, 0.001]), 0.005) == 3
    assert lab.trials_to_target(np.array([0.3, 0.1]), 0.005) == 3  # never: budget + 1
    np.testing.assert_array_equal(lab.best_so_far([3, 1, 2, 0]), [3, 1, 1, 0])
    problems = lab.problem_instances(5, 64)
    optima = np.array([p.optimum_u for p in problems])
    assert optima[:, :2].min() >= 0.1 and optima[:, :2].max() <= 0.9
    again = np.array([p.optimum_u for p in lab.problem_instances(5, 64)])
    np.testing.assert_array_equal(optima, again)
    assert problems[0](lab.SPACE.decode(problems[0].optimum_u)) == pytest.approx(
        lab.FLOOR, abs=1e-3
    )
