"""Figure helpers: the labs draw with them, the report renders what they drew."""

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


def png_data_uri(fig: Figure | bytes, dpi: int = 110) -> str:
    """The figure (or PNG bytes already rendered) as a ``data:image/png;base64,...`` URI."""
    png = fig if isinstance(fig, bytes) else png_bytes(fig, dpi)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
