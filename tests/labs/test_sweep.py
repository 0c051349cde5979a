"""`mlhood sweep`: seeds parsed, runs summarised per claim, local and on a Dask cluster."""

import json

import pytest
from distributed import Client, LocalCluster
from typer.testing import CliRunner

from mlhood.cli import app
from mlhood.labs._sweep import parse_seeds, summarise, sweep

runner = CliRunner()


def test_parse_seeds():
    assert parse_seeds("0-4") == [0, 1, 2, 3, 4]
    assert parse_seeds("3, 1,1-2") == [3, 1, 2]
    for bad in ["", "a-b", "5-2", "1;2", "-3"]:
        with pytest.raises(ValueError, match="seed"):
            parse_seeds(bad)


def _run(seed, margins, error=None):
    claims = [{"statement": f"c{i}", "holds": m > 0, "margin": m} for i, m in enumerate(margins)]
    return {
        "lab": "q01",
        "seed": seed,
        "seconds": 1.0,
        "worker": "w",
        "error": error,
        "claims": [] if error else claims,
    }


def test_summarise_counts_failures_worst_margins_and_crashes():
    runs = [_run(0, [0.5, 0.2]), _run(1, [0.1, -0.3]), _run(2, [], error="ValueError: x")]
    (lab,) = summarise(runs)["labs"]
    first, second = lab["claims"]
    assert (first["held"], first["runs"], first["failed_seeds"]) == (2, 3, [2])
    assert first["worst_margin"] == 0.1 and first["margins"] == [0.5, 0.1]
    assert second["failed_seeds"] == [1, 2] and second["worst_margin"] == -0.3
    assert second["hold_rate"] == pytest.approx(1 / 3)
    assert lab["crashes"] == [{"seed": 2, "error": "ValueError: x"}]


def test_sweep_on_a_dask_cluster_uses_several_workers_and_matches_local():
    local = sweep(["q05"], [0, 1, 2, 3], n_jobs=1)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        distributed = sweep(["q05"], [0, 1, 2, 3], scheduler=cluster.scheduler_address)
    assert len(distributed["workers"]) == 2  # both worker processes ran labs
    assert len(local["workers"]) == 1
    strip = lambda s: [(c["held"], c["margins"]) for c in s["labs"][0]["claims"]]  # noqa: E731
    assert strip(distributed) == strip(local)


def test_cli_sweep_writes_summary_and_exit_status(tmp_path):
    ok = runner.invoke(
        app, ["sweep", "q05", "--seeds", "0-1", "--n-jobs", "1", "--out", str(tmp_path)]
    )
    assert ok.exit_code == 0, ok.output
    data = json.loads((tmp_path / "sweep.json").read_text())
    assert data["seeds"] == [0, 1] and data["labs"][0]["id"] == "q05"
    assert all(c["hold_rate"] == 1 for c in data["labs"][0]["claims"])
    assert "claims held on every seed" in (tmp_path / "sweep.html").read_text()
    broken = runner.invoke(
        app,
        ["sweep", "q03", "--seeds", "0", "--n-jobs", "1", "--mistake", "dropout-backward-no-mask"]
        + ["--out", str(tmp_path / "b")],
    )
    assert broken.exit_code == 1
    data = json.loads((tmp_path / "b" / "sweep.json").read_text())
    assert data["mistakes"] == ["dropout-backward-no-mask"]
    assert data["labs"][0]["claims"][0]["failed_seeds"] == [0]


def test_cli_sweep_usage_errors(tmp_path):
    assert runner.invoke(app, ["sweep", "q99", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["sweep", "--seeds", "9-1", "--out", str(tmp_path)]).exit_code == 2
    assert runner.invoke(app, ["sweep", "--n-jobs", "0", "--out", str(tmp_path)]).exit_code == 2
