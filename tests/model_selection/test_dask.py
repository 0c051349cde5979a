"""The same search code runs on a Dask cluster under joblib's dask backend."""

import numpy as np
from distributed import Client, LocalCluster, get_worker
from joblib import parallel_config
from sklearn.linear_model import Ridge

from mlhood.model_selection import GridSearchCV, Real, minimize


def objective(x):
    return objective_value(x), get_worker().address


def objective_value(x):
    return (x[0] - 0.25) ** 2


def test_search_runs_on_dask_workers(tmp_path):
    log = tmp_path / "workers.txt"

    def recorded(x):
        value, address = objective(x)
        with open(log, "a") as fh:
            fh.write(address + "\n")
        return value

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = X @ [1.0, 2.0, 0.0] + rng.normal(size=60)
    grid = {"alpha": [0.01, 0.1, 1.0, 10.0, 100.0]}
    serial = GridSearchCV(Ridge(), grid, cv=3).fit(X, y)
    local = minimize(objective_value, [Real(0, 1)], 12, method="random", random_state=0)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        workers = set(client.scheduler_info()["workers"])
        with parallel_config(backend="dask"):
            res = minimize(recorded, [Real(0, 1)], 12, method="random", random_state=0, n_jobs=2)
            search = GridSearchCV(Ridge(), grid, cv=3, n_jobs=2).fit(X, y)
        seen = log.read_text().split()
        assert len(seen) == 12  # every trial ran on a worker...
        assert set(seen) == workers  # ...and both workers took part
    assert res.x_iters == local.x_iters and res.fun == local.fun
    assert search.best_params_ == serial.best_params_
    np.testing.assert_allclose(
        search.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
