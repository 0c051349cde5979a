import json
import re

import numpy as np
import pytest

from mlhood.labs import Claim, LabResult
from mlhood.report import format_value, render_html, to_html, write_report


def test_markdown_subset_escapes_and_formats():
    out = to_html("Use **bold**, *it* and `x<y`.\n\n- one\n- two\n\n1. first\n2. second")
    assert "<strong>bold</strong>" in out and "<em>it</em>" in out
    assert "<code>x&lt;y</code>" in out
    assert out.count("<li>") == 4 and "<ul>" in out and "<ol>" in out
    assert "<script>" not in to_html("<script>alert(1)</script>")


def test_format_value():
    assert format_value(0.123456789) == "0.1235"
    assert format_value(3) == "3"
    assert format_value(True) == "yes"
    assert format_value(None) == "—"
    assert format_value(list(range(20))).endswith(", …]")


def test_claim_evidence_becomes_plain_json():
    claim = Claim("s", {"a": np.float64(1.5), "b": np.arange(3), "c": float("nan")}, np.bool_(1))
    assert claim.evidence == {"a": 1.5, "b": [0, 1, 2], "c": None}
    assert claim.holds is True
    json.dumps(claim.to_dict())


def test_report_is_self_contained_and_matches_json(tmp_path, make_lab, shown):
    results = [make_lab("q01")]
    html_path, json_path = write_report(results, tmp_path, seed=0, quick=True)
    html = html_path.read_text()
    data = json.loads(json_path.read_text())
    # no external resources: every src/href is inline or an in-page anchor
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith(("data:", "#")), ref
    assert html.count("data:image/png;base64,") == 1
    # the JSON embedded in the page equals results.json
    embedded = re.search(r'id="mlhood-results">(.*?)</script>', html, re.S).group(1)
    assert json.loads(embedded.replace("<\\/", "</")) == data
    # every evidence number and table cell is shown as results.json has it
    lab = data["labs"][0]
    for claim in lab["claims"]:
        for value in claim["evidence"].values():
            assert shown(value) in html
    for rows in lab["tables"].values():
        for row in rows:
            for value in row.values():
                assert f"<td>{shown(value)}</td>" in html
    assert data["seed"] == 0 and data["quick"] is True


def test_failed_claim_is_marked_failed():
    result = LabResult("q02", "t", "q", "a", claims=[Claim("never", {"x": 1}, False)])
    html = render_html([result], seed=0, quick=True)
    assert 'class="claim failed"' in html and "0/1" in html


@pytest.mark.parametrize("seed", [0, 1])
def test_same_seed_same_report(seed, make_lab):
    a = render_html([make_lab("q01", seed=seed)], seed=seed, quick=True)
    b = render_html([make_lab("q01", seed=seed)], seed=seed, quick=True)
    strip = re.compile(r'"seconds": [0-9.e-]+')
    assert strip.sub("", a) == strip.sub("", b)
