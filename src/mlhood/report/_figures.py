"""Figure helpers shared by the labs and the report."""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


def new_figure(ncols: int = 1, nrows: int = 1, width: float = 5.0, height: float = 3.6):
    """A :class:`~matplotlib.figure.Figure` (no pyplot state) and its axes.

    Returns ``(fig, axes)``; ``axes`` is a single Axes when ``ncols == nrows == 1`` and an
    array otherwise, as with :func:`matplotlib.pyplot.subplots`.
    """
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True)
    return fig, axes


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def png_data_uri(fig: Figure, dpi: int = 110) -> str:
    """The figure as a ``data:image/png;base64,...`` URI, for a self-contained page."""
    return "data:image/png;base64," + base64.b64encode(png_bytes(fig, dpi)).decode("ascii")
