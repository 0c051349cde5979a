"""`mlhood labs` end to end: all fifteen labs, their report in Chromium, and a broken library."""

import json
import re

from typer.testing import CliRunner

from mlhood.cli import app
from mlhood.labs import LABS

runner = CliRunner()


def test_all_labs_quick_run_report_and_browser(tmp_path, browser, check_page, shown):
    result = runner.invoke(app, ["labs", "--out", str(tmp_path)])
    data = json.loads((tmp_path / "results.json").read_text())
    failed = [
        (lab["id"], c["statement"], c["evidence"])
        for lab in data["labs"]
        for c in lab["claims"]
        if not c["holds"]
    ]
    assert result.exit_code == 0, failed
    assert [lab["id"] for lab in data["labs"]] == list(LABS)

    html = (tmp_path / "report.html").read_text()
    sections = re.split(r'<section id="(q\d\d)">', html)[1:]
    by_id = dict(zip(sections[::2], sections[1::2]))
    for lab in data["labs"]:
        section = by_id[lab["id"]]
        assert section.count("<img ") >= 1, lab["id"]
        assert lab["tables"] and section.count("<table>") >= 1, lab["id"]
        # every number in results.json is the number the page shows
        for claim in lab["claims"]:
            for value in claim["evidence"].values():
                assert shown(value) in section, (lab["id"], value)
        for rows in lab["tables"].values():
            for row in rows:
                for value in row.values():
                    assert f"<td>{shown(value)}</td>" in section, (lab["id"], value)
    embedded = re.search(r'id="mlhood-results">(.*?)</script>', html, re.S).group(1)
    assert json.loads(embedded.replace("<\\/", "</")) == data

    page = check_page(browser, tmp_path / "report.html", "report.png")
    assert len(page["images"]) == html.count("<img ")
    assert all(img["ok"] for img in page["images"]), page["images"]
    assert page["errors"] == []


def test_mistake_turns_q03_red_with_banner_and_exit_status_one(tmp_path):
    result = runner.invoke(
        app, ["labs", "q03", "--mistake", "dropout-backward-no-mask", "--out", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "WHAT-IF RUN" in result.stdout
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["mistakes"] == ["dropout-backward-no-mask"]
    red = [c for c in data["labs"][0]["claims"] if not c["holds"]]
    assert red and all("dropout-backward-no-mask" in c["catches"] for c in red)
    html = (tmp_path / "report.html").read_text()
    assert 'id="whatif"' in html and "What-if run" in html
    assert 'href="#mistake-dropout-backward-no-mask"' in html
    assert 'id="mistake-dropout-backward-no-mask"' in html


def test_unknown_mistake_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["labs", "q03", "--mistake", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "dropout-backward-no-mask" in result.output
