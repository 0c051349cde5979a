"""Render a seed sweep (:func:`mlhood.labs._sweep.sweep`) as ``sweep.json`` and ``sweep.html``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from mlhood.labs._figures import new_figure, png_data_uri
from mlhood.report._html import environment


def margin_figure(lab: dict[str, Any]):
    """Each claim's margins over the seeds, one row per claim (symmetric-log axis).

    A margin is how far the measured value sat on the passing side of its threshold,
    relative to the threshold; the red line at 0 is the threshold itself.
    """
    claims = lab["claims"]
    fig, ax = new_figure(width=6.0, height=0.45 * len(claims) + 1.2)
    rng = np.random.default_rng(0)  # jitter only, for legibility
    for row, claim in enumerate(claims):
        margins = np.asarray(claim["margins"], dtype=float)
        if margins.size:
            y = row + rng.uniform(-0.18, 0.18, margins.size)
            colors = np.where(margins > 0, "tab:blue", "tab:red")
            ax.scatter(margins, y, s=6, c=colors, alpha=0.6, linewidths=0)
    ax.axvline(0, color="tab:red", lw=1)
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set_yticks(range(len(claims)), [f"claim {c['index'] + 1}" for c in claims])
    ax.invert_yaxis()
    ax.set_xlabel("margin (relative distance to threshold; > 0 holds)")
    ax.set_title(f"{lab['id']}: margins over {claims[0]['runs'] if claims else 0} seeds")
    return fig


def render_sweep_html(summary: dict[str, Any]) -> str:
    """The sweep summary as one self-contained HTML page."""
    labs = [
        {**lab, "figure": png_data_uri(margin_figure(lab)) if lab["claims"] else None}
        for lab in summary["labs"]
    ]
    claims = [c for lab in summary["labs"] for c in lab["claims"]]
    return (
        environment()
        .get_template("sweep.html")
        .render(
            summary=summary,
            labs=labs,
            n_claims=len(claims),
            n_always=sum(c["hold_rate"] == 1 for c in claims),
        )
    )


def write_sweep(summary: dict[str, Any], out_dir: str | Path) -> tuple[Path, Path]:
    """Write ``sweep.html`` and ``sweep.json`` into ``out_dir``; return both paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, json_path = out / "sweep.html", out / "sweep.json"
    html_path.write_text(render_sweep_html(summary), encoding="utf-8")
    json_path.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return html_path, json_path
