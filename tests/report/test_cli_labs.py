import json

from typer.testing import CliRunner

from mlhood.cli import app
from mlhood.labs import LABS, Claim, LabResult

runner = CliRunner()


def test_list_shows_every_lab():
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    for lab_id in LABS:
        assert lab_id in result.stdout


def test_labs_subset_writes_report_and_exits_zero(fake_labs, tmp_path):
    result = runner.invoke(
        app, ["labs", "q03", "7", "--n-jobs", "1", "--out", str(tmp_path), "--seed", "4"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "results.json").read_text())
    assert [lab["id"] for lab in data["labs"]] == ["q03", "q07"]
    assert data["seed"] == 4 and data["quick"] is True
    assert (tmp_path / "report.html").stat().st_size > 1000
    assert "2/2 claims held" in result.stdout


def test_labs_json_prints_results(fake_labs, tmp_path):
    result = runner.invoke(
        app, ["labs", "q01", "--json", "--full", "--n-jobs", "1", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["quick"] is False and data["labs"][0]["id"] == "q01"


def test_failed_claim_gives_exit_one(monkeypatch, tmp_path):
    def failing(lab_id, *, quick=True, seed=0, mistakes=()):
        return LabResult(lab_id, "t", "q", "a", claims=[Claim("no", {"x": 0}, False)])

    monkeypatch.setattr("mlhood.labs._runner.run_lab", failing)
    result = runner.invoke(app, ["labs", "q02", "--out", str(tmp_path)])
    assert result.exit_code == 1


def test_crashing_lab_is_a_failed_result(monkeypatch, tmp_path):
    def crash(lab_id, *, quick=True, seed=0, mistakes=()):
        raise RuntimeError("boom")

    monkeypatch.setattr("mlhood.labs._runner.run_lab", crash)
    result = runner.invoke(app, ["labs", "q05", "--out", str(tmp_path)])
    assert result.exit_code == 1
    data = json.loads((tmp_path / "results.json").read_text())
    assert "RuntimeError: boom" in data["labs"][0]["claims"][0]["evidence"]["error"]


def test_unknown_lab_lists_valid_ids(fake_labs, tmp_path):
    result = runner.invoke(app, ["labs", "q99", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "q99" in result.output and "q01" in result.output and "q15" in result.output
    assert not (tmp_path / "results.json").exists()


def test_unwritable_out_fails_before_any_lab(monkeypatch, tmp_path):
    ran = []
    monkeypatch.setattr("mlhood.labs._runner.run_lab", lambda *a, **k: ran.append(a))
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["labs", "q01", "--out", str(blocker / "sub")])
    assert result.exit_code == 2
    assert "not writable" in result.output
    assert ran == []
