import shutil
from pathlib import Path

import numpy as np
import pytest
from markupsafe import escape
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from mlhood.labs import Claim, LabResult
from mlhood.report import format_value, new_figure

SCREENSHOTS = Path(__file__).parent / "_screenshots"


def fake_lab(lab_id: str, *, quick: bool = True, seed: int = 0, mistakes=()) -> LabResult:
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
    return {"images": images, "errors": errors, "screenshot_bytes": screenshot.stat().st_size}


@pytest.fixture(name="check_page")
def check_page_fixture():
    """Open a report in the browser; images, console errors, and a saved screenshot."""
    return lambda driver, html_path, name: check_page(driver, html_path, SCREENSHOTS / name)


@pytest.fixture(name="shown")
def shown_fixture():
    """How the page shows a value: formatted, then HTML-escaped like the template does."""
    return lambda value: str(escape(format_value(value)))
