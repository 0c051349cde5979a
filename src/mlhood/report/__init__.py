"""The self-contained HTML report of the labs and its figure helpers."""

from mlhood.labs._figures import new_figure, png_bytes, png_data_uri
from mlhood.report._html import format_value, render_html, results_payload, write_report
from mlhood.report._markdown import to_html
from mlhood.report._sweep import render_sweep_html, write_sweep

__all__ = [
    "format_value",
    "new_figure",
    "png_bytes",
    "png_data_uri",
    "render_html",
    "render_sweep_html",
    "results_payload",
    "to_html",
    "write_report",
    "write_sweep",
]
