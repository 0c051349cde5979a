"""Render lab results into one self-contained HTML page and a ``results.json``."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from mlhood import __version__
from mlhood.labs._figures import png_data_uri
from mlhood.labs._result import LabResult
from mlhood.mistakes import catalogue
from mlhood.report._markdown import to_html


def format_value(value: Any) -> str:
    """How a number (or list, or string) from a lab is shown in the report."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        shown = ", ".join(format_value(v) for v in value[:12])
        return f"[{shown}{', …' if len(value) > 12 else ''}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {format_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def results_payload(
    results: list[LabResult], *, seed: int, quick: bool, mistakes: Sequence[str] = ()
) -> dict[str, Any]:
    """Every measured number, as written to ``results.json``."""
    return {
        "seed": seed,
        "quick": quick,
        "mistakes": list(mistakes),
        "labs": [r.to_dict() for r in results],
    }


def environment() -> jinja2.Environment:
    """The Jinja environment of the report's templates (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mlhood", "report"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.filters["fmt"] = format_value
    return env


def render_html(
    results: list[LabResult], *, seed: int, quick: bool, mistakes: Sequence[str] = ()
) -> str:
    """The report as one HTML string: figures inlined as PNG data URIs, no network.

    A run with ``mistakes`` applied opens with a banner naming them, and each red claim
    links to the explanation of the mistakes it catches.
    """
    payload = results_payload(results, seed=seed, quick=quick, mistakes=mistakes)
    labs = []
    for result, data in zip(results, payload["labs"]):
        labs.append(
            {
                **data,
                "n_held": result.n_held,
                "all_held": result.all_held,
                "answer_html": to_html(result.answer),
                "figures": [(name, png_data_uri(fig)) for name, fig in result.figures.items()],
                "tables": {k: v for k, v in data["tables"].items() if v},
            }
        )
    known = catalogue()
    named = {i for data in payload["labs"] for c in data["claims"] for i in c["catches"]}
    shown = [
        {**m.to_dict(), "applied": m.id in mistakes}
        for m in known.values()
        if m.id in named or m.id in mistakes
    ]
    # "</" cannot appear inside the JSON <script> block without closing it.
    results_json = json.dumps(payload).replace("</", "<\\/")
    return (
        environment()
        .get_template("template.html")
        .render(
            version=__version__,
            seed=seed,
            quick=quick,
            labs=labs,
            n_held=sum(r.n_held for r in results),
            n_claims=sum(len(r.claims) for r in results),
            total_seconds=sum(r.seconds for r in results),
            results_json=results_json,
            applied=[known[i].to_dict() for i in mistakes],
            mistakes=shown,
        )
    )


def write_report(
    results: list[LabResult],
    out_dir: str | Path,
    *,
    seed: int,
    quick: bool,
    mistakes: Sequence[str] = (),
) -> tuple[Path, Path]:
    """Write ``report.html`` and ``results.json`` into ``out_dir``; return both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / "report.html", out / "results.json"
    html = render_html(results, seed=seed, quick=quick, mistakes=mistakes)
    html_path.write_text(html, encoding="utf-8")
    payload = results_payload(results, seed=seed, quick=quick, mistakes=mistakes)
    json_path.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return html_path, json_path
