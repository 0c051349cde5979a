import numpy as np
import pytest

from mlhood.labs import Claim, LabResult
from mlhood.report import new_figure


def fake_lab(lab_id: str, *, quick: bool = True, seed: int = 0) -> LabResult:
    """A tiny deterministic lab: one passing claim per lab, one table, one figure."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=50)
    fig, ax = new_figure()
    ax.hist(x, bins=10)
    ax.set_title(f"{lab_id} histogram")
    mean = float(x.mean())
    return LabResult(
        id=lab_id,
        title=f"Fake {lab_id}",
        question="Does the mean of 50 standard normals lie within 0.5 of zero?",
        answer="Yes: its standard error is **0.14**, so `|mean| < 0.5` almost surely.\n\n- a\n- b",
        claims=[Claim("The sample mean is within 0.5 of zero.", {"mean": mean}, abs(mean) < 0.5)],
        tables={"summary": [{"stat": "mean", "value": mean}, {"stat": "n", "value": 50}]},
        figures={"histogram": fig},
        seconds=0.01,
    )


@pytest.fixture
def make_lab():
    """The fake lab function itself."""
    return fake_lab


@pytest.fixture
def fake_labs(monkeypatch):
    """Make the runner run the fake lab instead of the real ones."""
    monkeypatch.setattr("mlhood.labs._runner.run_lab", fake_lab)
    return fake_lab
