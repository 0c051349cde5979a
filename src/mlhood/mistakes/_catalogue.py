"""The catalogue: each named mistake is a wrong version of one function of the library.

A mistake is registered with :func:`mistake`, a decorator placed on the wrong version::

    @mistake(
        "dropout-backward-no-mask",
        title="Dropout backward ignores the mask",
        target="mlhood.nn._layers:Dropout.backward",
        labs=["q03"],
        explanation="The gradient flows through units that were dropped ...",
    )
    def backward(self, grad, need_input_grad=True):
        return grad

``target`` is ``"module:qualified.name"`` of the correct code. :meth:`Mistake.applied`
swaps the wrong version in and restores the correct one on exit, in this process only.
A module-level function is also replaced wherever another ``mlhood`` module imported it
by name, so the swap reaches every caller. Code compiled by numba and called from other
compiled code cannot be swapped: a mistake targets the Python function that calls it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
_LAB_ID = re.compile(r"^q(0[1-9]|1[0-5])$")
# The estimator layer: what a mistake may patch (never labs, report, practice, explorer).
_LIBRARY = (
    "abtest",
    "datasets",
    "decomposition",
    "ensemble",
    "feature_selection",
    "linear_model",
    "metrics",
    "model_selection",
    "neighbors",
    "nn",
    "outliers",
    "preprocessing",
    "tree",
)

_REGISTRY: dict[str, Mistake] = {}
_ACTIVE: list[str] = []  # ids of the mistakes applied right now, in the order applied


@dataclass(frozen=True)
class Mistake:
    """A plausible implementation mistake, held as the wrong version of one function.

    Attributes
    ----------
    id : str
        Kebab-case name, e.g. ``"dropout-backward-no-mask"``.
    title : str
        One line saying what the wrong code does.
    target : str
        ``"module:qualified.name"`` of the correct code it replaces.
    explanation : str
        What goes wrong and why, in words a learner can act on.
    labs : tuple of str
        The labs whose claims catch it.
    wrong : callable
        The wrong version.
    """

    id: str
    title: str
    target: str
    explanation: str
    labs: tuple[str, ...]
    wrong: Callable[..., Any]

    @property
    def changes(self) -> str:
        """The dotted name of the function the mistake changes."""
        return self.target.replace(":", ".")

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "title", "changes", "explanation", "labs"}``, as ``mlhood mistakes --json``."""
        return {
            "id": self.id,
            "title": self.title,
            "changes": self.changes,
            "explanation": self.explanation,
            "labs": list(self.labs),
        }

    @contextmanager
    def applied(self) -> Iterator[Mistake]:
        """Swap the wrong version in for the duration of the ``with`` block."""
        swaps = _swaps(self)
        for owner, name, _, wrong in swaps:
            setattr(owner, name, wrong)
        _ACTIVE.append(self.id)
        try:
            yield self
        finally:
            _ACTIVE.remove(self.id)
            for owner, name, correct, _ in reversed(swaps):
                setattr(owner, name, correct)


def mistake(
    id: str, *, title: str, target: str, labs: Sequence[str], explanation: str
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the wrong version of ``target`` (see module doc)."""
    if not _ID.match(id):
        raise ValueError(f"mistake id must be kebab-case like 'dropout-backward-no-mask': {id!r}")
    if ":" not in target:
        raise ValueError(f"target must be 'module:qualified.name', got {target!r}")
    labs = tuple(labs)
    if not labs or not all(_LAB_ID.match(lab) for lab in labs):
        raise ValueError(f"labs must be lab ids q01..q15, got {labs!r}")
    if not title or not explanation:
        raise ValueError(f"mistake {id!r} needs a title and an explanation")

    def register(wrong: Callable[..., Any]) -> Callable[..., Any]:
        if id in _REGISTRY:
            raise ValueError(f"mistake {id!r} is registered twice")
        _REGISTRY[id] = Mistake(id, title, target, explanation.strip(), labs, wrong)
        return wrong

    return register


def _load_catalogue() -> None:
    """Import every module of this package, each of which registers its mistakes."""
    package = sys.modules[__name__.rpartition(".")[0]]
    for info in pkgutil.iter_modules(package.__path__):
        if info.name != "_catalogue":
            importlib.import_module(f"{package.__name__}.{info.name}")


def catalogue() -> dict[str, Mistake]:
    """Every registered mistake by id, sorted by id."""
    _load_catalogue()
    return dict(sorted(_REGISTRY.items()))


def get(mistake_id: str) -> Mistake:
    """The mistake ``mistake_id``; a ValueError lists the valid ids when it is unknown."""
    known = catalogue()
    if mistake_id not in known:
        raise ValueError(f"unknown mistake {mistake_id!r}; valid ids: {', '.join(known)}")
    return known[mistake_id]


@contextmanager
def applied(*mistake_ids: str) -> Iterator[list[Mistake]]:
    """Apply the mistakes ``mistake_ids`` (all checked before any is applied) in a block.

    Examples
    --------
    >>> from mlhood import mistakes, nn
    >>> correct = nn.Dropout.backward
    >>> with mistakes.applied("dropout-backward-no-mask"):
    ...     nn.Dropout.backward is correct
    False
    >>> nn.Dropout.backward is correct
    True
    """
    chosen = [get(i) for i in mistake_ids]
    with ExitStack() as stack:
        yield [stack.enter_context(m.applied()) for m in chosen]


def active() -> tuple[str, ...]:
    """The ids of the mistakes applied at this moment (empty when the code is correct).

    A cache of results computed by the library must key on this, or a result computed
    under a mistake would be served to a correct run and the other way round.

    Examples
    --------
    >>> from mlhood import mistakes
    >>> with mistakes.applied("dropout-backward-no-mask"):
    ...     mistakes.active()
    ('dropout-backward-no-mask',)
    >>> mistakes.active()
    ()
    """
    return tuple(_ACTIVE)


def _import_library() -> None:
    """Import every estimator-layer module, so that each alias of a target can be found."""
    root = importlib.import_module("mlhood")
    for area in _LIBRARY:
        package = importlib.import_module(f"{root.__name__}.{area}")
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(info.name)


def _swaps(m: Mistake) -> list[tuple[Any, str, Any, Any]]:
    """``(owner, attribute, correct, wrong)`` for the target and every alias of it."""
    module_name, _, qualname = m.target.partition(":")
    owner: Any = importlib.import_module(module_name)
    *path, name = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    if isinstance(owner, ModuleType):
        correct = getattr(owner, name)
        _import_library()
        swaps = [
            (module, attr, value, m.wrong)
            for module_key, module in list(sys.modules.items())
            if module_key.split(".")[0] == "mlhood" and module is not None
            for attr, value in list(vars(module).items())
            if value is correct
        ]
        return swaps
    correct = inspect.getattr_static(owner, name)
    wrong: Any = m.wrong
    if isinstance(correct, staticmethod):
        wrong = staticmethod(m.wrong)
    elif isinstance(correct, classmethod):
        wrong = classmethod(m.wrong)
    if name not in vars(owner):
        raise ValueError(f"{m.target!r} is inherited; target the class that defines it")
    return [(owner, name, correct, wrong)]
