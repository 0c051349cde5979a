"""How the next points are chosen: grid order, independent random draws, or a GP + log EI.

Every proposer is deterministic: the points of trials ``start .. start + count - 1`` are a
function of the seed and of the finished trials ``0 .. start - 1`` only. That is what lets
a killed search resume from its journal and still end exactly where an uninterrupted run
with the same seed ends.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import qmc

from mlhood._threads import single_threaded_blas
from mlhood.model_selection._acquisition import maximize_acquisition
from mlhood.model_selection._gp import GaussianProcess


class GridProposer:
    """Trial ``i`` is grid point ``i`` (full factorial, last dimension fastest)."""

    def __init__(self, space, points: list):
        self.space, self.points = space, points

    def propose(self, start: int, count: int, history: list) -> list:
        return [list(p) for p in self.points[start : start + count]]


class RandomProposer:
    """Trial ``i`` is a draw from ``numpy.random.default_rng([seed, i])``: no history used."""

    def __init__(self, space, seed: int):
        self.space, self.seed = space, seed

    def propose(self, start: int, count: int, history: list) -> list:
        return [
            self.space.sample(np.random.default_rng([self.seed, i]))
            for i in range(start, start + count)
        ]


class BayesProposer:
    """Gaussian-process Bayesian optimisation (Snoek, Larochelle & Adams 2012).

    The first ``n_initial`` trials are points of a scrambled Sobol sequence. After that,
    each batch fits a :class:`GaussianProcess` to the finished trials (points in the unit
    cube, values), and picks the point maximising log expected improvement. A batch of
    ``count > 1`` points (parallel workers) is chosen greedily with the "kriging
    believer" heuristic: each chosen point is added to the GP with its predicted mean as
    a pretend observation before the next is chosen (Ginsbourger et al. 2010).
    Integer and categorical coordinates are rounded after optimisation; a rounded point
    that was already evaluated is replaced by the next-best candidate, then by a random
    point.
    """

    def __init__(self, space, seed: int, n_initial: int):
        if not space.encodable:
            raise ValueError("Bayesian search needs Real, Integer or Categorical dimensions")
        self.space, self.seed, self.n_initial = space, seed, n_initial
        m = int(np.ceil(np.log2(max(n_initial, 2))))
        sobol = qmc.Sobol(space.n_unit, scramble=True, seed=np.random.default_rng([seed, 0]))
        self.initial = sobol.random_base2(m)[:n_initial]

    def _snap(self, u: np.ndarray) -> np.ndarray:
        """Round a unit-cube point to the point its decoded values encode to."""
        return self.space.encode(self.space.decode(u))

    def propose(self, start: int, count: int, history: list) -> list:
        # The matrices are tiny (n <= a few hundred): multi-threaded BLAS only adds
        # thread wake-up cost (10x slower on a busy machine), so use one thread (a
        # process-wide limit shared safely by overlapping calls: mlhood._threads).
        with single_threaded_blas():
            return self._propose(start, count, history)

    def _propose(self, start: int, count: int, history: list) -> list:
        points = []
        n_sobol = max(0, min(count, self.n_initial - start))
        for i in range(start, start + n_sobol):
            points.append(self.space.decode(self.initial[i]))
        if n_sobol == count:
            return points
        finished = [t for t in history if np.isfinite(t.value)]
        X = np.array(
            [self.space.encode(t.params) for t in finished]
            + [self.space.encode(p) for p in points]
        ).reshape(-1, self.space.n_unit)
        y = np.array([t.value for t in finished], dtype=float)
        if len(y) < 2:
            rng = np.random.default_rng([self.seed, start, 2])
            return points + [self.space.sample(rng) for _ in range(count - n_sobol)]
        gp = GaussianProcess().fit(X[: len(y)], y)
        for x in X[len(y) :]:
            gp = gp.condition_on(x, gp.predict(x)[0][0])
        seen = {tuple(np.round(row, 12)) for row in X}
        for i in range(start + n_sobol, start + count):
            rng = np.random.default_rng([self.seed, i, 1])
            candidates, _ = maximize_acquisition(gp, float(y.min()), gp.X_, rng)
            choice = None
            for u in candidates:
                snapped = self._snap(u)
                if tuple(np.round(snapped, 12)) not in seen:
                    choice = snapped
                    break
            if choice is None:
                choice = self._snap(rng.random(self.space.n_unit))
            seen.add(tuple(np.round(choice, 12)))
            points.append(self.space.decode(choice))
            if i + 1 < start + count:
                gp = gp.condition_on(choice, gp.predict(choice)[0][0])
        return points
