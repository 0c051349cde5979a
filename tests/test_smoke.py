"""A fast pass over the whole package: CI also runs it with every dependency at its floor.

Every public module imports; every public estimator fits and predicts on small data with
sensible results; two labs run through the command line.
"""

import importlib
import json

import numpy as np
import pytest
from sklearn.base import ClassifierMixin, RegressorMixin
from tests._estimators import all_estimators, data_for, make, outputs
from typer.testing import CliRunner

from mlhood.cli import app

MODULES = (
    "abtest datasets decomposition ensemble labs linear_model metrics mistakes "
    "model_selection neighbors nn outliers preprocessing report tree explorer feature_selection "
    "practice"
).split()


@pytest.mark.parametrize("name", MODULES)
def test_public_module_imports_and_exports(name):
    module = importlib.import_module(f"mlhood.{name}")
    for public in getattr(module, "__all__", []):
        assert hasattr(module, public), f"mlhood.{name}.{public} is exported but missing"


@pytest.mark.parametrize("cls", all_estimators(), ids=lambda c: c.__name__)
def test_every_estimator_fits_and_predicts(cls):
    estimator = make(cls)
    X, y = data_for(estimator)
    if type(estimator).__name__ == "LabelEncoder":
        estimator.fit(y)
    else:
        estimator.fit(X, y) if y is not None else estimator.fit(X)
    results = outputs(estimator, X, y)
    assert results, f"{cls.__name__} has no inference method that ran"
    for method, values in results.items():
        if values.dtype.kind == "f":
            assert np.all(np.isfinite(values)), (cls.__name__, method)
    if isinstance(estimator, ClassifierMixin):
        assert np.mean(results["predict"] == y) > 0.7, cls.__name__
    elif isinstance(estimator, RegressorMixin) and not cls.__name__.startswith("MLP"):
        assert np.corrcoef(results["predict"], y)[0, 1] > 0.7, cls.__name__


def test_two_labs_run_from_the_command_line(tmp_path):
    result = CliRunner().invoke(
        app, ["labs", "q05", "q12", "--n-jobs", "2", "--out", str(tmp_path)]
    )
    data = json.loads((tmp_path / "results.json").read_text())
    assert [lab["id"] for lab in data["labs"]] == ["q05", "q12"]
    assert result.exit_code == 0, [
        c["statement"] for lab in data["labs"] for c in lab["claims"] if not c["holds"]
    ]


def test_subcommands_answer_from_the_command_line():
    runner = CliRunner()
    listed = runner.invoke(app, ["practice", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) >= 45
    catalogue = runner.invoke(app, ["mistakes", "--json"])
    assert catalogue.exit_code == 0 and len(json.loads(catalogue.stdout)) >= 40
