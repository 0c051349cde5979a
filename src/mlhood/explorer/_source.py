"""Open the hood: the source of an mlhood function, read from the installed package.

The source is read at run time with :mod:`inspect`, so it is always the code that ran;
it is highlighted with Pygments (installed with rich). Only names inside the ``mlhood``
package resolve: a dotted name is imported module by module, then followed attribute by
attribute (never through a dunder), and the object found must be defined in ``mlhood``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

import mlhood

NAME = re.compile(r"^mlhood(\.[A-Za-z_][A-Za-z0-9_]*){1,8}$")
_ROOT = Path(mlhood.__file__).resolve().parent
_FORMATTER_OPTIONS = {"cssclass": "hl", "linenos": "inline", "wrapcode": True}


class UnknownSource(LookupError):
    """The name does not lead to a function or class defined in mlhood."""


def _resolve(name: str) -> object:
    if not NAME.match(name) or "__" in name:
        raise UnknownSource(f"{name!r} is not a dotted name inside the mlhood package")
    parts = name.split(".")
    module, rest = None, []
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        rest = parts[cut:]
        break
    obj: object = module
    for attr in rest:
        obj = inspect.getattr_static(obj, attr, None)
        if isinstance(obj, (staticmethod, classmethod)):
            obj = obj.__func__
        if isinstance(obj, property):
            obj = obj.fget
        if obj is None:
            raise UnknownSource(f"{name!r}: no attribute {attr!r}")
    obj = getattr(obj, "py_func", obj)  # a numba dispatcher holds the Python function
    obj = inspect.unwrap(obj)
    if not (inspect.isclass(obj) or inspect.isroutine(obj)):
        raise UnknownSource(f"{name!r} is not a function or class")
    owner = getattr(obj, "__module__", "") or ""
    if owner != "mlhood" and not owner.startswith("mlhood."):
        raise UnknownSource(f"{name!r} is defined outside mlhood (in {owner!r})")
    return obj


def source(name: str) -> dict:
    """``{"name", "file", "first_line", "lines", "html"}`` for one mlhood function or class.

    Raises
    ------
    UnknownSource
        When ``name`` is not a function or class defined inside mlhood.

    Examples
    --------
    >>> shown = source("mlhood.nn.Dropout.backward")
    >>> shown["file"], shown["first_line"] > 1, ">backward<" in shown["html"]
    ('nn/_layers.py', True, True)
    """
    obj = _resolve(name)
    try:
        lines, first = inspect.getsourcelines(obj)
        path = Path(inspect.getsourcefile(obj) or "").resolve()
    except (OSError, TypeError) as error:
        raise UnknownSource(f"{name!r}: no source available ({error})") from error
    formatter = HtmlFormatter(linenostart=max(first, 1), **_FORMATTER_OPTIONS)
    try:
        shown = path.relative_to(_ROOT).as_posix()
    except ValueError:
        shown = path.name
    return {
        "name": name,
        "file": shown,
        "first_line": max(first, 1),
        "lines": len(lines),
        "html": highlight("".join(lines), PythonLexer(), formatter),
    }


def style() -> str:
    """The CSS rules of the highlighted source."""
    return HtmlFormatter(**_FORMATTER_OPTIONS).get_style_defs(".hl")
