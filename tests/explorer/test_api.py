"""The explorer's HTTP API: every page's endpoint, its 422 errors, claims, source, cache."""

from __future__ import annotations

import html
import inspect
import math
import re

import numpy as np
import pytest

import mlhood.nn._layers
from mlhood.explorer._pages import PAGES
from mlhood.labs import LABS

IDS = list(PAGES)


def test_fifteen_pages_one_per_lab():
    assert IDS == list(LABS)


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_index_links_every_lab(client):
    html = client.get("/").text
    for lab_id in LABS:
        assert f'href="/labs/{lab_id}"' in html


def test_unknown_lab_page_is_404(client):
    assert client.get("/labs/q99").status_code == 404


@pytest.mark.parametrize("lab_id", IDS)
def test_page_embeds_its_controls(client, lab_id):
    response = client.get(f"/labs/{lab_id}")
    assert response.status_code == 200
    for name in PAGES[lab_id].params.model_fields:
        assert f'"{name}"' in response.text


@pytest.mark.parametrize("lab_id", IDS)
def test_defaults_give_charts_whose_sources_open(client, lab_id):
    data = client.get(f"/api/labs/{lab_id}").json()
    assert data["lab"] == lab_id and data["mistake"] == ""
    assert data["params"] == PAGES[lab_id].params().model_dump()
    assert data["charts"] and data["numbers"]
    for chart in data["charts"]:
        assert chart["traces"], chart["id"]
        for name in chart["sources"]:
            shown = client.get("/api/source", params={"name": name})
            assert shown.status_code == 200, name


def _numeric_fields(lab_id):
    for name, schema in PAGES[lab_id].params.model_json_schema()["properties"].items():
        if "maximum" in schema:
            yield name, schema


@pytest.mark.parametrize("lab_id", IDS)
def test_out_of_range_and_malformed_values_are_422_naming_the_range(client, lab_id):
    for name, schema in _numeric_fields(lab_id):
        low, high = schema["minimum"], schema["maximum"]
        for bad in (high + 1, low - 1, "abc"):
            response = client.get(f"/api/labs/{lab_id}", params={name: bad})
            assert response.status_code == 422, (name, bad)
            message = response.json()["message"]
            assert message.startswith(f"{name}:"), message
            assert f"from {low} to {high}" in message, message


def test_unknown_parameter_and_unknown_mistake_are_422(client):
    response = client.get("/api/labs/q05", params={"degree": 3})
    assert response.status_code == 422
    assert "degree" in response.json()["message"] and "p_true" in response.json()["message"]
    response = client.get("/api/labs/q05", params={"mistake": "no-such-mistake"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["parameter"] == "mistake"


def test_q05_numbers_match_the_closed_forms(client):
    numbers = client.get("/api/labs/q05", params={"p_true": 0.2, "n_classes": 4}).json()["numbers"]
    assert math.isclose(numbers["cross-entropy"], -math.log(0.2), rel_tol=1e-5)
    assert math.isclose(numbers["CE gradient"], 0.2 - 1, rel_tol=1e-5)
    # MSE on the softmax, summed over classes: (1 - p)^2 + (K - 1) ((1 - p) / (K - 1))^2
    assert math.isclose(numbers["MSE"], 0.8**2 + 3 * (0.8 / 3) ** 2, rel_tol=1e-5)


def test_q12_confusion_matrix_agrees_with_the_rates(client):
    data = client.get("/api/labs/q12", params={"threshold": 0.3}).json()
    n = data["numbers"]
    assert n["TP"] + n["FP"] + n["FN"] + n["TN"] == 400
    assert math.isclose(n["TPR (recall)"], n["TP"] / (n["TP"] + n["FN"]), rel_tol=1e-5)
    assert math.isclose(n["FPR"], n["FP"] / (n["FP"] + n["TN"]), rel_tol=1e-5)
    lower = client.get("/api/labs/q12", params={"threshold": 0.1}).json()["numbers"]
    assert lower["TPR (recall)"] >= n["TPR (recall)"] and lower["FPR"] >= n["FPR"]


def test_q12_the_point_read_off_the_curve_is_the_confusion_matrix_point(client):
    """The red dot (read off roc_curve's thresholds) sits in the ring (counted directly) at
    every threshold, on exact and on tied scores; the off-by-one mistake splits them."""
    for rounding in (0.0, 0.1):
        for threshold in (0.0, 0.2, 0.35, 0.5, 0.8, 1.0):
            params = {"threshold": threshold, "rounding": rounding}
            numbers = client.get("/api/labs/q12", params=params).json()["numbers"]
            assert numbers["curve point = confusion-matrix point"] == "yes", params
    mistake = {"threshold": 0.35, "mistake": "roc-thresholds-off-by-one"}
    numbers = client.get("/api/labs/q12", params=mistake).json()["numbers"]
    assert numbers["curve point = confusion-matrix point"] == "no"


def _knn_curve(client, **params) -> list:
    charts = client.get("/api/labs/q15", params=params).json()["charts"]
    return next(c for c in charts if c["id"] == "knn")["traces"][0]["y"]


def test_work_cached_in_a_worker_is_never_shared_between_correct_and_wrong_code(client):
    """q15's accuracy-by-dimension curve is kept in the workers between requests (each
    request here has new parameters, so the answer cache is not what replies)."""
    right = _knn_curve(client, seed=7, dimension=10)
    wrong = _knn_curve(client, seed=7, dimension=11, mistake="knn-majority-ignores-k")
    assert wrong != right  # the mistake reached the cached curve
    assert _knn_curve(client, seed=7, dimension=12) == right  # and did not stay in it


def test_same_parameters_same_numbers_and_the_cache_answers(client):
    first = client.get("/api/labs/q07", params={"seed": 4}).json()
    hits = client.get("/api/stats").json()["hits"]
    assert client.get("/api/labs/q07", params={"seed": 4}).json() == first
    assert client.get("/api/stats").json()["hits"] == hits + 1


def test_what_if_runs_the_wrong_code_in_a_worker_only(client):
    correct_backward = mlhood.nn._layers.Dropout.backward
    right = client.get("/api/labs/q03").json()
    wrong = client.get("/api/labs/q03", params={"mistake": "dropout-backward-no-mask"}).json()
    assert wrong["mistake"] == "dropout-backward-no-mask"
    assert wrong["mistake_source"] == "mlhood.mistakes._dropout.backward"
    # the mask is drawn by the forward pass (same); training differs
    assert (
        wrong["numbers"]["kept fraction in the mask"]
        == right["numbers"]["kept fraction in the mask"]
    )
    right_loss = np.array(right["charts"][1]["traces"][0]["y"])
    wrong_loss = np.array(wrong["charts"][1]["traces"][0]["y"])
    assert not np.allclose(right_loss, wrong_loss)
    assert mlhood.nn._layers.Dropout.backward is correct_backward  # never patched here
    shown = client.get("/api/source", params={"name": wrong["mistake_source"]}).json()
    code = html.unescape(re.sub(r"<[^>]+>", "", shown["html"]))
    assert "return grad if need_input_grad else None" in code


def test_claims_turn_red_under_the_mistake(client):
    right = client.get("/api/labs/q03/claims").json()
    assert right["claims"] and all(c["holds"] for c in right["claims"])
    wrong = client.get("/api/labs/q03/claims", params={"mistake": "dropout-backward-no-mask"})
    caught = [c for c in wrong.json()["claims"] if "dropout-backward-no-mask" in c["catches"]]
    assert caught and not any(c["holds"] for c in caught)


def test_source_is_the_installed_code_with_line_numbers(client):
    shown = client.get("/api/source", params={"name": "mlhood.nn.Dropout.backward"}).json()
    lines, first = inspect.getsourcelines(mlhood.nn._layers.Dropout.backward)
    assert shown["file"] == "nn/_layers.py" and shown["first_line"] == first
    assert shown["lines"] == len(lines)
    assert f">{first}<" in shown["html"].replace(" ", "") and "linenos" in shown["html"]


@pytest.mark.parametrize(
    "name",
    [
        "os.path.join",
        "mlhood.np.linalg.solve",
        "mlhood.__builtins__",
        "mlhood.nn.np.dot",
        "mlhood.nn._layers.np",
        "mlhood.labs.LABS",
        "mlhood.nothing.here",
        "mlhood",
    ],
)
def test_source_refuses_names_outside_mlhood_functions(client, name):
    response = client.get("/api/source", params={"name": name})
    assert response.status_code in (404, 422)
    assert "detail" in response.json()
