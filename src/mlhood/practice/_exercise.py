"""What an exercise is, and how one is graded (the contract every exercise module follows).

Writing exercises for a question ``qNN``
----------------------------------------
Put them in ``src/mlhood/practice/exercises/qNN.py``; the module exposes
``EXERCISES: tuple[Exercise, ...]`` and is collected automatically (no registration).
Keep a module under 400 lines (``qNN_more.py`` is fine; any module of the package that
exposes ``EXERCISES`` is collected). ``exercises/q03.py`` is the worked example.

For each exercise write, in the module:

1. ``reference``: the correct function, named as the exercise id, with exactly the
   brief's signature, NumPy in and out, a numpydoc docstring with the maths (objective,
   formula, conventions). ``mlhood practice reveal ID`` prints its source (plus that of
   ``reveal`` extras), so it is mlhood's own implementation shown to the learner: clear
   first, vectorised where natural. It may call the library (``mlhood.nn``...).
2. ``graders``: a tuple of :class:`~mlhood.practice._graders.Grader` (>= 2 is typical):
   comparison with ``reference`` on hypothesis-generated cases
   (:func:`~mlhood.practice._graders.against_reference`), finite differences for every
   gradient, invariances (permutation, scaling, ties), edge cases (``sigma = 0``, logits
   of +-1e4). A grader raises :class:`~mlhood.practice._graders.Fail` with a message that
   shows the smallest failing input with expected and got (``search`` does that). Judge
   the maths, not the style: accept lists, float32, tuples or lists; tolerance ~1e-6
   relative. Keep grading of a correct solution well under 1 s (``max_examples`` ~ 30-80).
3. ``mistakes``: ``{catalogue id: wrong version}``; each wrong version has the exercise's
   signature and a one-line docstring saying what it does wrong (shown if the catalogue
   lacks the id). Only ids from the brief's list. The grader names the mistake when a
   failing solution's output matches the wrong version on every ``probes`` input.
4. ``probes(solution) -> list[tuple]``: fixed argument tuples (build them from a seeded
   ``np.random.default_rng(...)`` *inside* the function so every call gets fresh, equal
   inputs, including fresh ``rng`` arguments). ``solution`` is a :class:`Solution`, for
   exercises whose inputs come from another of the learner's functions (the ``cache``
   of ``dropout_backward`` comes from their ``dropout_forward``). Every wrong version
   must differ from ``reference`` on at least one probe (a test checks it).
5. ``same(got, wrong_output) -> bool``: how a learner's output is matched to a wrong
   version's output on a probe; default :func:`~mlhood.practice._graders.outputs_match`.
   Override it for random outputs (compare summaries: kept fraction, scale).
6. ``hints``: at least three, from a nudge to nearly the answer.
7. ``requires``: ids of other exercises whose functions the learner's file must also
   define (``dropout_backward`` requires ``dropout_forward``); ``start`` writes their
   stubs too.

Write ``id="..."`` as a literal in each ``Exercise(...)`` call: a check finds the module
of its exercise by reading the sources, and imports only that one in its child process.
Keep modules light to import: ``scipy.special`` rather than ``scipy.stats``; the library
(which pulls in scikit-learn) costs about a second per check.

Grading helpers pass copies of the inputs (:func:`~mlhood.practice._graders.call`), so a
solution may overwrite its arguments; a float32 answer is judged at float32's precision
(:func:`~mlhood.practice._graders.single_precision`). A mistake is never named for an
output holding NaN or inf that its wrong version does not give.

Tests for every exercise are generic (``tests/practice/test_exercises.py``): the
reference passes, an independently written correct solution in
``tests/practice/solutions/qNN*.py`` passes, every mistake fails and is named, and
``tests/practice/test_bad_solutions.py`` feeds garbage to every exercise.

Examples
--------
>>> from mlhood.practice import exercises
>>> ex = exercises.get("dropout_backward")
>>> ex.question, ex.requires
('q03', ('dropout_forward',))
>>> grade(ex, Solution.from_functions(ex.reference, dropout_forward=exercises.get(
...     "dropout_forward").reference)).passed
True
"""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mlhood.practice._graders import Fail, Grader, outputs_match
from mlhood.practice._report import Check, Report

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_QUESTION = re.compile(r"^q(0[1-9]|1[0-5])$")


@dataclass(frozen=True)
class Exercise:
    """One exercise: a function to write, graded by properties and oracles.

    Attributes
    ----------
    id : str
        The name of the function to write, e.g. ``"dropout_backward"``.
    question : str
        The lab/question it belongs to, ``"q01"`` .. ``"q15"``.
    title : str
        One line shown by ``mlhood practice list``.
    signature : str
        The parameter list as written in the ``def`` line, e.g. ``"(dout, cache)"``.
    statement : str
        The task: what to compute, shapes, conventions (goes into the starter docstring).
    hints : tuple of str
        At least three, shown one at a time by ``mlhood practice hint``.
    reference : callable
        mlhood's correct implementation, named as ``id``, with the maths in its docstring.
    graders : tuple of Grader
        The checks; each raises :class:`Fail` when the solution is wrong.
    mistakes : mapping of str to callable
        ``{catalogue id: wrong version in the exercise's signature}``.
    probes : callable
        ``probes(solution) -> list of argument tuples`` on which mistakes are matched.
    same : callable
        ``same(got, wrong_output) -> bool``; matching rule for mistakes.
    requires : tuple of str
        Other exercise ids whose functions the learner's file must define.
    reveal : tuple of callable
        Extra functions printed by ``reveal`` after ``reference`` (library helpers).
    """

    id: str
    question: str
    title: str
    signature: str
    statement: str
    hints: tuple[str, ...]
    reference: Callable[..., Any]
    graders: tuple[Grader, ...]
    mistakes: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    probes: Callable[[Solution], list[tuple]] = lambda solution: []
    same: Callable[[Any, Any], bool] = outputs_match
    requires: tuple[str, ...] = ()
    reveal: tuple[Callable[..., Any], ...] = ()

    def __post_init__(self) -> None:
        if not _ID.match(self.id) or not _QUESTION.match(self.question):
            raise ValueError(f"bad exercise id {self.id!r} or question {self.question!r}")
        if len(self.hints) < 3 or not self.graders:
            raise ValueError(f"exercise {self.id!r} needs >= 3 hints and at least one grader")
        if self.reference.__name__ != self.id:
            raise ValueError(f"reference of {self.id!r} is named {self.reference.__name__!r}")

    def stub(self) -> str:
        """The starter code: signature, the statement as docstring, a NotImplementedError."""
        body = inspect.cleandoc(self.statement).replace('"""', "'''")
        indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
        return (
            f"def {self.id}{self.signature}:\n"
            f'    """{indented.lstrip()}\n    """\n'
            f'    raise NotImplementedError("write {self.id}")\n'
        )


class Solution:
    """The learner's functions, by name; calling it calls the graded function.

    Built from a loaded file's namespace (:meth:`from_namespace`) or, in tests, from
    functions (:meth:`from_functions`).
    """

    def __init__(self, graded: Callable[..., Any], functions: Mapping[str, Any]) -> None:
        self.graded = graded
        self.functions = dict(functions)

    @classmethod
    def from_functions(cls, graded: Callable[..., Any], **others: Callable[..., Any]):
        return cls(graded, others)

    def __call__(self, *args: Any) -> Any:
        return self.graded(*args)

    def get(self, name: str) -> Callable[..., Any]:
        """The learner's function ``name`` (one the exercise ``requires``)."""
        function = self.functions.get(name)
        if not callable(function):
            raise Fail(f"your file must also define `{name}` (this exercise uses it)")
        return function


def run_grader(grader: Grader, solution: Solution) -> Check:
    """Run one grader; any exception (even ``sys.exit``) becomes a failed check."""
    try:
        grader.run(solution)
    except Fail as error:
        return Check(grader.name, False, str(error))
    except NotImplementedError as error:
        return Check(grader.name, False, f"not written yet (NotImplementedError: {error})")
    except SystemExit as error:
        return Check(grader.name, False, f"your code called sys.exit({error.code!r})")
    except MemoryError:
        return Check(grader.name, False, "your code ran out of memory (the memory limit)")
    except Exception as error:
        return Check(grader.name, False, f"your code raised {type(error).__name__}: {error}")
    return Check(grader.name, True, "ok")


def identify_mistake(exercise: Exercise, solution: Solution) -> str | None:
    """The catalogue id whose wrong version the solution matches on every probe, if any."""
    for mistake_id, wrong in exercise.mistakes.items():
        try:
            learner_probes = exercise.probes(solution)
            wrong_probes = exercise.probes(solution)
            if learner_probes and all(
                _matches(exercise, solution(*mine), wrong(*theirs))
                for mine, theirs in zip(learner_probes, wrong_probes)
            ):
                return mistake_id
        except (Exception, SystemExit):  # the learner's code raised: it matches nothing
            continue
    return None


def _matches(exercise: Exercise, got: Any, wrong_output: Any) -> bool:
    """``exercise.same``, except that NaN or inf the wrong version does not give never match."""
    return (not _nonfinite(got) or _nonfinite(wrong_output)) and exercise.same(got, wrong_output)


def _nonfinite(value: Any) -> bool:
    """True when any number in ``value`` (arrays, tuples, lists, nested) is NaN or inf."""
    if isinstance(value, (tuple, list)):
        return any(_nonfinite(v) for v in value)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return False
    return not bool(np.isfinite(array).all())


def describe_mistake(exercise: Exercise, mistake_id: str) -> str:
    """The sentence naming the mistake, from the catalogue (or the wrong version's doc)."""
    from mlhood import mistakes

    try:
        known = mistakes.get(mistake_id)
        title, explanation = known.title, known.explanation
    except ValueError:  # not registered (yet): the wrong version's docstring says it
        doc = inspect.getdoc(exercise.mistakes[mistake_id]) or ""
        title, _, explanation = doc.partition("\n")
        title = title.removeprefix("Wrong: ")
    message = f"your output matches the mistake `{mistake_id}`: {title.rstrip('.')}."
    return message + (f"\n{explanation.strip()}" if explanation.strip() else "")


def grade(
    exercise: Exercise, solution: Solution, on_check: Callable[[Check], None] | None = None
) -> Report:
    """Run every grader (reporting each through ``on_check``), then name the mistake."""
    checks = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow, 0/0: judged by value
        for grader in exercise.graders:
            check = run_grader(grader, solution)
            checks.append(check)
            if on_check is not None:
                on_check(check)
        if all(c.passed for c in checks):
            return Report(exercise.id, tuple(checks))
        mistake_id = identify_mistake(exercise, solution)
    message = describe_mistake(exercise, mistake_id) if mistake_id else ""
    return Report(exercise.id, tuple(checks), mistake_id, message)
