"""The report renders in a real browser (Debian's headless Chromium through chromedriver)."""

from mlhood.report import write_report


def test_report_renders_in_chromium(browser, check_page, make_lab, tmp_path):
    results = [make_lab(lab_id, seed=3) for lab_id in ("q01", "q02", "q03")]
    html_path, _ = write_report(results, tmp_path, seed=3, quick=True)
    page = check_page(browser, html_path, "fake-report.png")
    assert len(page["images"]) == 3
    assert all(img["ok"] for img in page["images"]), page["images"]
    assert page["errors"] == []
    assert page["screenshot_bytes"] > 10_000
