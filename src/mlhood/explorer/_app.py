"""The FastAPI application of ``mlhood serve``: pages, the JSON API, the source viewer.

Routes: ``/healthz``; ``/`` (the fifteen labs); ``/labs/{id}`` (a lab's page);
``/api/labs/{id}`` (the page's charts for one parameter set, one route per lab so
``/openapi.json`` types and bounds every parameter); ``/api/labs/{id}/claims`` (the lab's
claims, run quick); ``/api/source?name=`` (an mlhood function's source, highlighted);
``/static/...`` (script, style and Plotly.js, all shipped in wheels). A parameter out of
range, malformed or unknown gets a 422 naming it and its allowed values.
"""

from __future__ import annotations

import inspect
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

import plotly
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field, create_model

from mlhood import __version__
from mlhood.explorer._pages import PAGES
from mlhood.explorer._pool import Computer
from mlhood.explorer._source import UnknownSource, source, style
from mlhood.labs import TITLES
from mlhood.mistakes import catalogue

_PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_TEMPLATES = Environment(
    loader=PackageLoader("mlhood.explorer", "templates"), autoescape=select_autoescape()
)
_TEMPLATES.policies["json.dumps_kwargs"] = {"sort_keys": False}  # controls keep model order


def lab_mistakes(lab_id: str) -> list[dict]:
    """The catalogued mistakes that name ``lab_id``, read from the catalogue now."""
    return [m.to_dict() for m in catalogue().values() if lab_id in m.labs]


def _with_mistake(model: type[BaseModel], lab_id: str, name: str) -> type[BaseModel]:
    """``model`` plus ``mistake``: empty (none) or one of the lab's catalogued mistakes."""
    choices = tuple(["", *(m["id"] for m in lab_mistakes(lab_id))])
    field = Field("", description="A catalogued mistake to apply (empty: the correct code).")
    return create_model(name, __base__=model, mistake=(Literal[choices], field))


class ClaimsParams(BaseModel):
    """Which run of a lab's claims: its seed (the quick run) and an optional mistake."""

    model_config = {"extra": "forbid"}
    seed: int = Field(0, ge=0, le=999, description="Random seed of the lab's quick run.")


def _allowed(schema: dict) -> str:
    """The allowed values of one JSON-schema property, in words."""
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return "one of: " + ", ".join(repr(v) for v in values)
    kind = {"integer": "an integer", "number": "a number", "boolean": "true or false"}
    words = kind.get(schema.get("type", ""), "a value")
    if "minimum" in schema and "maximum" in schema:
        words += f" from {schema['minimum']} to {schema['maximum']}"
    return words


def _page_context(lab_id: str, query_model: type[BaseModel]) -> dict[str, Any]:
    page = PAGES[lab_id]
    return {
        "page": page,
        "question": TITLES[lab_id],
        "schema": query_model.model_json_schema(),
        "mistakes": lab_mistakes(lab_id),
        "version": __version__,
    }


async def _run(computer: Computer, *task) -> dict:
    """A task's payload; a computation error is a 422, a lost worker a 503."""
    try:
        answer = await computer.run(*task)
    except BrokenProcessPool as error:
        raise HTTPException(503, "a worker process stopped; retry the request") from error
    if "error" in answer:
        raise HTTPException(422, f"these parameters cannot be computed: {answer['error']}")
    return answer["ok"]


def _mistake_source(mistake_id: str) -> str | None:
    wrong = catalogue()[mistake_id].wrong
    return f"{wrong.__module__}.{wrong.__qualname__}" if "<" not in wrong.__qualname__ else None


def _add_lab_routes(app: FastAPI, computer: Computer, lab_id: str, allowed: dict) -> None:
    page = PAGES[lab_id]
    query_model = _with_mistake(page.params, lab_id, f"{lab_id}Query")
    claims_model = _with_mistake(ClaimsParams, lab_id, f"{lab_id}ClaimsQuery")
    for path, model in (
        (f"/api/labs/{lab_id}", query_model),
        (f"/api/labs/{lab_id}/claims", claims_model),
    ):
        props = model.model_json_schema()["properties"]
        allowed[path] = {name: _allowed(schema) for name, schema in props.items()}

    async def compute(params) -> dict:
        values = params.model_dump()
        mistake = values.pop("mistake")
        mistakes = (mistake,) if mistake else ()
        data = await _run(computer, "page", lab_id, values, mistakes)
        wrong = _mistake_source(mistake) if mistake else None
        return {
            "lab": lab_id,
            "params": values,
            "mistake": mistake,
            "mistake_source": wrong,
            **data,
        }

    async def claims(params) -> dict:
        values = params.model_dump()
        mistake = values.pop("mistake")
        data = await _run(computer, "claims", lab_id, values, (mistake,) if mistake else ())
        return {"lab": lab_id, "seed": values["seed"], "mistake": mistake, **data}

    async def show(request: Request) -> HTMLResponse:
        html = _TEMPLATES.get_template("lab.html").render(**_page_context(lab_id, query_model))
        return HTMLResponse(html)

    for handler, model in ((compute, query_model), (claims, claims_model)):
        handler.__signature__ = inspect.Signature(
            [
                inspect.Parameter(
                    "params",
                    inspect.Parameter.POSITIONAL_OR_KEYWORD,
                    annotation=Annotated[model, Query()],
                )
            ]
        )
    app.add_api_route(
        f"/api/labs/{lab_id}",
        compute,
        methods=["GET"],
        summary=f"{lab_id}: {page.title}",
        tags=["labs"],
    )
    app.add_api_route(
        f"/api/labs/{lab_id}/claims",
        claims,
        methods=["GET"],
        tags=["claims"],
        summary=f"{lab_id}: the lab's claims, run quick",
    )
    app.add_api_route(f"/labs/{lab_id}", show, methods=["GET"], include_in_schema=False)


def create_app(workers: int = 2, cache_size: int = 512) -> FastAPI:
    """The explorer's FastAPI application, computing in ``workers`` processes.

    Examples
    --------
    >>> app = create_app()
    >>> sorted(r.path for r in app.routes if r.path.startswith("/api/labs/q03"))
    ['/api/labs/q03', '/api/labs/q03/claims']
    """
    computer = Computer(workers, cache_size)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        computer.start()
        yield
        computer.stop()

    app = FastAPI(
        title="mlhood explorer",
        version=__version__,
        description="Move a control, watch mlhood recompute the lab's curves.",
        lifespan=lifespan,
    )
    app.state.computer = computer
    allowed: dict[str, dict[str, str]] = {}

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        known = allowed.get(request.url.path, {})
        detail, messages = [], []
        for item in error.errors():
            name = str(item["loc"][-1]) if item.get("loc") else "?"
            hint = known.get(name, "no such parameter; known: " + ", ".join(known))
            detail.append(
                {
                    "loc": list(item.get("loc", [])),
                    "msg": item["msg"],
                    "type": item["type"],
                    "parameter": name,
                    "allowed": hint,
                }
            )
            messages.append(f"{name}: {item['msg']} (allowed: {hint})")
        return JSONResponse({"detail": detail, "message": "; ".join(messages)}, 422)

    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict:
        """Liveness: answered by the server process even while workers compute."""
        return {"status": "ok"}

    @app.get("/api/stats", tags=["service"])
    async def stats() -> dict:
        """Cache and pool counters."""
        return computer.stats()

    @app.get("/api/source", tags=["source"])
    async def show_source(
        name: Annotated[str, Query(min_length=8, max_length=200, pattern=r"^mlhood(\.\w+)+$")],
    ) -> dict:
        """Source of an mlhood function or class, highlighted with line numbers."""
        try:
            return source(name)
        except UnknownSource as error:
            raise HTTPException(404, str(error)) from error

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        pages = [(p, TITLES[p.id]) for p in PAGES.values()]
        return HTMLResponse(
            _TEMPLATES.get_template("index.html").render(pages=pages, version=__version__)
        )

    @app.get("/static/plotly.min.js", include_in_schema=False)
    async def plotly_js() -> FileResponse:
        return FileResponse(
            _PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"}
        )

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/source.css", include_in_schema=False)
    async def source_css() -> HTMLResponse:
        return HTMLResponse(style(), media_type="text/css")

    for lab_id in PAGES:
        _add_lab_routes(app, computer, lab_id, allowed)
    static = files("mlhood.explorer") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app
