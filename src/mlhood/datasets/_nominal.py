"""A nominal (unordered) feature whose effect on the target is not monotone."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np

from mlhood._params import Interval, Options, validate_params
from mlhood._random import check_random_state


@validate_params(
    {
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "n_categories": [Interval(Integral, 3, None, closed="left")],
        "frequencies": [Options(["uniform", "zipf"])],
        "effect_scale": [Interval(Real, 0, np.inf, closed="neither")],
        "noise": [Interval(Real, 0, np.inf, closed="left")],
        "task": [Options(["regression", "classification"])],
        "random_state": ["random_state"],
    }
)
def make_nominal_effect(
    n_samples: int = 1000,
    n_categories: int = 8,
    *,
    frequencies: str = "uniform",
    effect_scale: float = 1.0,
    noise: float = 0.5,
    task: str = "regression",
    random_state=None,
):
    """One categorical column whose categories shift the target in no particular order.

    Categories are the strings ``"c000", "c001", ...`` (zero-padded, so sorting them as
    strings sorts them by number, and an ordinal/label encoder maps ``"c00k"`` to ``k``).
    Each category ``k`` has an effect ``a_k``: random normal values from which the best
    straight line in ``k`` (weighted by the category probabilities ``p_k``) is removed,
    then rescaled so ``sqrt(sum_k p_k a_k^2) = effect_scale``. Hence, in the population:

    - ``sum_k p_k a_k = 0`` and ``sum_k p_k k a_k = 0``: a linear model on the integer
      code ``k`` explains none of the effect (its population R^2 from the category is 0);
    - a model with one indicator per category (one-hot) can represent it exactly.

    ``task="regression"``: ``y = a_k + noise * N(0, 1)``.
    ``task="classification"``: ``y ~ Bernoulli(sigmoid(a_k))`` in ``{0, 1}``
    (``noise`` is ignored).

    Parameters
    ----------
    n_samples : int, default=1000
        Number of rows (>= 1).
    n_categories : int, default=8
        Number of categories ``K`` (>= 3).
    frequencies : {"uniform", "zipf"}, default="uniform"
        ``"uniform"``: every category has probability ``1 / K``. ``"zipf"``: probability
        proportional to ``1 / rank^1.1`` with ranks randomly assigned to categories, so a
        large ``K`` gives a few frequent and many rare (possibly unseen) categories --
        the high-cardinality case.
    effect_scale : float, default=1.0
        Root-mean-square size of the effects (> 0).
    noise : float, default=0.5
        Noise standard deviation for regression (>= 0).
    task : {"regression", "classification"}, default="regression"
    random_state : int, RandomState instance or None, default=None
        Seed; the same seed gives the same data.

    Returns
    -------
    X : ndarray of object (str), shape (n_samples, 1)
        The category of each row.
    y : ndarray of shape (n_samples,)
        Float target (regression) or int 0/1 (classification).
    effects : ndarray of shape (n_categories,)
        ``effects[k]`` is the effect ``a_k`` of category ``"c...k"``.

    Examples
    --------
    >>> from mlhood.datasets import make_nominal_effect
    >>> X, y, effects = make_nominal_effect(200, 5, random_state=0)
    >>> X[0, 0][:1], effects.shape
    ('c', (5,))
    """
    n = int(n_samples)
    k = int(n_categories)
    scale = float(effect_scale)
    noise = float(noise)
    rng = check_random_state(random_state)

    if frequencies == "uniform":
        prob = np.full(k, 1.0 / k)
    else:
        prob = 1.0 / np.arange(1, k + 1) ** 1.1
        prob = rng.permutation(prob / prob.sum())
    effects = _orthogonal_to_line(rng.standard_normal(k), prob)
    effects *= scale / np.sqrt(prob @ effects**2)

    codes = rng.choice(k, size=n, p=prob)
    width = len(str(k - 1))
    names = np.array([f"c{i:0{width}d}" for i in range(k)], dtype=object)
    X = names[codes][:, None]
    if task == "regression":
        y = effects[codes] + noise * rng.standard_normal(n)
    else:
        y = (rng.random(n) < 1.0 / (1.0 + np.exp(-effects[codes]))).astype(int)
    return X, y, effects


def _orthogonal_to_line(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Residual of the weighted least-squares line of ``values`` on ``0, ..., K-1``."""
    design = np.column_stack([np.ones(values.size), np.arange(values.size, dtype=float)])
    sw = np.sqrt(weights)
    coef, *_ = np.linalg.lstsq(design * sw[:, None], values * sw, rcond=None)
    return values - design @ coef
