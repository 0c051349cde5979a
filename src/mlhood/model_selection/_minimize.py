"""Black-box minimisation over a search space: grid, random or Bayesian, parallel, resumable.

The loop asks a proposer for the next batch of points, evaluates the ones the journal does
not already hold through ``joblib.Parallel`` (so ``joblib.parallel_config(backend="dask")``
sends them to a Dask cluster), stores each finished trial in the journal as it arrives,
and repeats until ``n_trials`` are done.
"""

from __future__ import annotations

import math
import numbers
import os
import time
from dataclasses import dataclass, field

import joblib
import numpy as np
from joblib import Parallel, delayed

from mlhood._params import Interval, Options, validate_params
from mlhood.model_selection._journal import Journal, Trial
from mlhood.model_selection._proposers import BayesProposer, GridProposer, RandomProposer
from mlhood.model_selection._space import Space

METHODS = ("grid", "random", "bayes")


@dataclass
class OptimizeResult:
    """What :func:`minimize` found.

    Attributes
    ----------
    x : list
        Best point (one value per dimension).
    fun : float
        Its value.
    trials : list of Trial
        Every trial in order (``number``, ``params``, ``value``, ``info``, ``duration``).
    n_evaluated : int
        Trials evaluated by this call (the rest came from the journal).
    """

    x: list
    fun: float
    trials: list[Trial] = field(default_factory=list)
    n_evaluated: int = 0

    @property
    def func_vals(self) -> np.ndarray:
        return np.array([t.value for t in self.trials])

    @property
    def x_iters(self) -> list:
        return [t.params for t in self.trials]


def _evaluate(evaluate, number: int, params: list):
    start = time.perf_counter()
    value, info = evaluate(params)
    return number, float(value), info, time.perf_counter() - start


def _evaluate_part(objective, number: int, part: int, params: list):
    start = time.perf_counter()
    result = objective.part(params, part)
    return number, part, result, time.perf_counter() - start


def _evaluate_batch(parallel, evaluate, todo):
    """Yield ``(number, value, info, seconds)`` for each trial of ``todo`` as it finishes.

    An objective with ``n_parts`` (e.g. one part per CV fold) is dispatched part by part,
    so short trials still keep every worker busy, and combined once all parts are back.
    """
    n_parts = getattr(evaluate, "n_parts", None)
    if not n_parts:
        yield from parallel(delayed(_evaluate)(evaluate, n, p) for n, p in todo)
        return
    params = dict(todo)
    pending = {n: {} for n, _ in todo}
    seconds = dict.fromkeys(params, 0.0)
    jobs = (delayed(_evaluate_part)(evaluate, n, k, p) for n, p in todo for k in range(n_parts))
    for number, part, result, elapsed in parallel(jobs):
        pending[number][part] = result
        seconds[number] += elapsed
        if len(pending[number]) == n_parts:
            done_parts = pending.pop(number)
            parts = [done_parts[k] for k in range(n_parts)]
            value, info = evaluate.combine(params[number], parts)
            yield number, float(value), info, seconds[number]


class _Serial:
    """Runs jobs one by one in this process (no joblib start-up cost for n_jobs=1)."""

    def __enter__(self):
        return lambda jobs: (func(*args, **kwargs) for func, args, kwargs in jobs)

    def __exit__(self, *exc):
        return False


def _executor(n_jobs):
    """joblib.Parallel yielding results as they finish, or a plain loop when serial."""
    if joblib.effective_n_jobs(n_jobs) == 1:
        return _Serial()
    return Parallel(n_jobs=n_jobs, return_as="generator_unordered")


def _check_seed(random_state) -> int:
    if random_state is None:
        return int(np.random.SeedSequence().entropy % 2**63)
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    raise TypeError(
        f"random_state must be None, an int, a RandomState or a Generator, got {random_state!r}"
    )


def run_trials(
    evaluate,
    space: Space,
    *,
    n_trials: int,
    method: str,
    random_state=None,
    n_jobs=None,
    journal=None,
    n_initial=None,
    tag: str = "minimize",
):
    """Shared engine of :func:`minimize` and the ``*SearchCV`` estimators.

    ``evaluate(params) -> (value, info)`` with ``value`` to minimise and ``info`` a
    JSON-serialisable dict; or an object with ``n_parts``, ``part(params, k)`` and
    ``combine(params, parts) -> (value, info)`` whose parts run as separate jobs.
    Returns an :class:`OptimizeResult`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if isinstance(n_trials, bool) or not isinstance(n_trials, numbers.Integral) or n_trials < 1:
        raise ValueError(f"n_trials must be a positive integer, got {n_trials!r}")
    if random_state is None and journal is not None:
        random_state = Journal.stored_seed(journal)
    seed = _check_seed(random_state)
    if method == "grid":
        proposer = GridProposer(space, space.grid(n_trials))
        n_trials = min(n_trials, len(proposer.points))
        batch = n_trials
    elif method == "random":
        proposer = RandomProposer(space, seed)
        batch = n_trials
    else:
        if n_initial is None:
            n_initial = int(min(10, max(5, 2 * space.n_unit)))
        proposer = BayesProposer(space, seed, int(n_initial))
        batch = max(1, joblib.effective_n_jobs(n_jobs))
    store = None
    if journal is not None:
        signature = {
            "tag": tag,
            "method": method,
            "space": space.signature(),
            "n_initial": n_initial if method == "bayes" else None,
            "seed": seed if method != "grid" else None,
        }
        store = Journal(journal, signature)
    try:
        done = store.load() if store is not None else {}
        for trial in done.values():
            trial.params = space.from_json(trial.params)
        history: list[Trial] = []
        n_evaluated = 0
        with _executor(n_jobs) as parallel:
            for start in range(0, n_trials, batch):
                count = min(batch, n_trials - start)
                points = proposer.propose(start, count, history)
                todo = []
                for number, point in enumerate(points, start):
                    if number not in done:
                        todo.append((number, point))
                    elif space.to_json(done[number].params) != space.to_json(point):
                        raise ValueError(
                            f"journal trial {number} holds {done[number].params!r} but this "
                            f"search proposes {point!r}: the journal comes from another search"
                        )
                points_by_number = dict(todo)
                for number, value, info, seconds in _evaluate_batch(parallel, evaluate, todo):
                    trial = Trial(number, points_by_number[number], value, info, seconds)
                    if store is not None:
                        store.record(trial, space.to_json(trial.params))
                    done[number] = trial
                    n_evaluated += 1
                history.extend(done[n] for n in range(start, start + count))
    finally:
        if store is not None:
            store.close()
    values = np.array([t.value for t in history], dtype=float)
    if np.all(np.isnan(values)):
        raise ValueError("every trial returned NaN")
    best = int(np.nanargmin(values))
    return OptimizeResult(history[best].params, history[best].value, history, n_evaluated)


@validate_params(
    {
        "func": [callable],
        "n_trials": [Interval(numbers.Integral, 1, None, closed="left")],
        "method": [Options(["grid", "random", "bayes"])],
        "random_state": ["random_state"],
        "journal": [str, os.PathLike, None],
        "n_jobs": [numbers.Integral, None],
        "n_initial": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }
)
def minimize(
    func,
    space,
    n_trials: int = 50,
    *,
    method: str = "bayes",
    random_state=None,
    journal=None,
    n_jobs=None,
    n_initial=None,
):
    """Minimise a black-box function over a search space.

    Parameters
    ----------
    func : callable
        ``func(x) -> float`` with ``x`` a list of values, one per dimension. It must be
        picklable (e.g. defined at module level) when ``n_jobs`` is not 1.
    space : list of Real / Integer / Categorical (or a :class:`Space`)
    n_trials : int, default=50
        Evaluation budget. For ``"grid"``, a full-factorial grid of at most this many
        points is built (categorical dimensions use all their values).
    method : {"grid", "random", "bayes"}, default="bayes"
        ``"bayes"``: Gaussian-process surrogate (Matérn 5/2 ARD, MAP hyperparameters)
        with log expected improvement maximised by multi-start L-BFGS-B, after
        ``n_initial`` Sobol points.
    random_state : int, RandomState or None
        Same seed (and same ``n_jobs`` for ``"bayes"``) ⇒ same trials.
    journal : str or path or None
        SQLite file storing every finished trial. Rerunning with the same journal and
        settings evaluates only the missing trials; a journal of another search raises
        ``ValueError`` and is left unchanged.
    n_jobs : int or None
        Parallel evaluations through joblib. ``"bayes"`` proposes batches of this size.
    n_initial : int or None
        Sobol points before the GP takes over (default ``min(10, max(5, 2 D))``).

    Returns
    -------
    OptimizeResult
        ``x``, ``fun``, ``trials``, ``n_evaluated``.

    Examples
    --------
    >>> from mlhood.model_selection import Real
    >>> res = minimize(lambda x: (x[0] - 0.3) ** 2, [Real(0, 1)], 15, random_state=0)
    >>> bool(res.fun < 1e-3)
    True
    """
    space = Space(space)

    def evaluate(params):
        value = func(params)
        if not isinstance(value, numbers.Real):
            raise TypeError(f"func must return a real number, got {value!r}")
        return (math.nan if value != value else float(value)), {}

    return run_trials(
        evaluate,
        space,
        n_trials=n_trials,
        method=method,
        random_state=random_state,
        n_jobs=n_jobs,
        journal=journal,
        n_initial=n_initial,
    )
