"""What a page of the explorer is: bounded parameters, a compute function, chart data.

A page module declares a pydantic ``Params`` model (typed, bounded; its defaults are the
page's first view) and ``compute(params) -> dict``. The dict holds ``charts`` (each a list
of Plotly traces, axis titles and the dotted names of the mlhood functions that produced
it), ``numbers`` (label/value rows) and optional ``notes``. The page template builds its
controls from the model's JSON schema, so one template and one browser test serve all
fifteen pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mlhood.mistakes import active


class PageParams(BaseModel):
    """Base of every page's parameters: unknown names are refused."""

    model_config = ConfigDict(extra="forbid")


class SeededParams(PageParams):
    """Parameters of a page that draws random data: a seed (same seed, same numbers)."""

    seed: int = Field(0, ge=0, le=999, description="Random seed: same seed, same numbers.")


def slider(default: float, low: float, high: float, step: float, description: str) -> Any:
    """A bounded number field drawn as a slider moving by ``step``."""
    return Field(
        default, ge=low, le=high, description=description, json_schema_extra={"step": step}
    )


@dataclass(frozen=True)
class Page:
    """One lab's page: id, headline, what it lets you do, its parameters and computation."""

    id: str
    title: str
    does: str
    params: type[PageParams]
    compute: Callable[[Any], dict]


def worker_cache(maxsize: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """:func:`functools.lru_cache` for work a page reuses across requests in one worker,
    keyed also on the mistakes applied at call time (:func:`mlhood.mistakes.active`).

    A plain cache would hand a result computed under a mistake to a correct request (and
    the other way round): the what-if curves would not move, or the correct ones would.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @lru_cache(maxsize=maxsize)
        def cached(mistakes: tuple[str, ...], *args: Any) -> Any:
            return function(*args)

        @wraps(function)
        def call(*args: Any) -> Any:
            return cached(active(), *args)

        return call

    return decorate


def _plain(values: Any) -> Any:
    """NumPy arrays and scalars as JSON lists and numbers (NaN and inf become None)."""
    if isinstance(values, dict):
        return {str(k): _plain(v) for k, v in values.items()}
    if isinstance(values, (list, tuple)):
        return [_plain(v) for v in values]
    if hasattr(values, "tolist"):
        return _plain(values.tolist())
    if isinstance(values, float):
        return round(values, 6) if math.isfinite(values) else None
    return values


def line(x: Any, y: Any, name: str, *, mode: str = "lines", **style: Any) -> dict:
    """A Plotly scatter trace (``mode`` lines, markers or both)."""
    return {"type": "scatter", "x": _plain(x), "y": _plain(y), "name": name, "mode": mode, **style}


def bars(x: Any, y: Any, name: str, **style: Any) -> dict:
    """A Plotly bar trace."""
    return {"type": "bar", "x": _plain(x), "y": _plain(y), "name": name, **style}


def heatmap(z: Any, name: str, **style: Any) -> dict:
    """A Plotly heatmap trace of the matrix ``z``."""
    return {"type": "heatmap", "z": _plain(np.asarray(z)), "name": name, **style}


def chart(
    id: str,
    title: str,
    traces: Sequence[dict],
    sources: Sequence[str],
    *,
    x: str = "",
    y: str = "",
    xlog: bool = False,
    ylog: bool = False,
    **layout: Any,
) -> dict:
    """One chart: traces, axis titles, and the mlhood functions that computed it."""
    axes = {
        "xaxis": {"title": {"text": x}, **({"type": "log"} if xlog else {})},
        "yaxis": {"title": {"text": y}, **({"type": "log"} if ylog else {})},
    }
    return {
        "id": id,
        "title": title,
        "traces": list(traces),
        "layout": {**axes, **_plain(layout)},
        "sources": list(sources),
    }


def vline(x: float, name: str = "") -> dict:
    """A vertical dashed line at ``x`` spanning the plot (a Plotly layout shape)."""
    return {
        "type": "line",
        "x0": float(x),
        "x1": float(x),
        "y0": 0,
        "y1": 1,
        "yref": "paper",
        "line": {"dash": "dash", "color": "#888"},
        "name": name,
    }


def result(charts: Sequence[dict], numbers: dict[str, Any], notes: Sequence[str] = ()) -> dict:
    """The JSON answer of a page: charts, a table of numbers, and sentences."""
    return {"charts": list(charts), "numbers": _plain(numbers), "notes": list(notes)}
