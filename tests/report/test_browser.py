"""The report renders in a real browser (Debian's headless Chromium through chromedriver)."""

import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from mlhood.report import write_report

SCREENSHOTS = Path(__file__).parent / "_screenshots"


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    assert chromium and driver_path, "Debian's chromium and chromium-driver must be installed"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,1600",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


def check_page(driver, html_path: Path, screenshot: Path) -> dict:
    """Open the report, return what the page says about its images and console."""
    driver.get(html_path.resolve().as_uri())
    images = driver.execute_script(
        "return Array.from(document.images).map("
        "i => ({ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth}));"
    )
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
    screenshot.parent.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(screenshot))
    return {"images": images, "errors": errors}


def test_report_renders_in_chromium(browser, make_lab, tmp_path):
    results = [make_lab(lab_id, seed=3) for lab_id in ("q01", "q02", "q03")]
    html_path, _ = write_report(results, tmp_path, seed=3, quick=True)
    page = check_page(browser, html_path, SCREENSHOTS / "fake-report.png")
    assert len(page["images"]) == 3
    assert all(img["ok"] for img in page["images"]), page["images"]
    assert page["errors"] == []
    assert (SCREENSHOTS / "fake-report.png").stat().st_size > 10_000
