"""The explorer's pages, one module per lab: ``PAGES`` maps a lab id to its :class:`Page`.

Each lab ``qNN_<slug>`` of :data:`mlhood.labs.LABS` has a page module of the same name here.
"""

from importlib import import_module

from mlhood.explorer._spec import Page
from mlhood.labs import LABS

PAGES: dict[str, Page] = {
    lab_id: import_module(f"{__name__}.{name}").PAGE for lab_id, name in LABS.items()
}
