"""q15 page: dimension and k against distance concentration and nearest-neighbour accuracy."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from mlhood.explorer._spec import Page, SeededParams, bars, chart, line, result, slider, vline
from mlhood.metrics import accuracy_score
from mlhood.neighbors import KNeighborsClassifier

DIMS = (1, 2, 5, 10, 20, 50, 100, 200)
N = 300


class Params(SeededParams):
    dimension: int = slider(10, 1, 200, 1, "Number of features (2 informative, the rest noise).")
    k: int = slider(5, 1, 50, 1, "Neighbours voting in k-NN.")


def _distances(X: np.ndarray) -> np.ndarray:
    squared = (X**2).sum(1)
    d2 = squared[:, None] + squared[None, :] - 2 * X @ X.T
    return np.sqrt(np.maximum(d2[np.triu_indices(len(X), 1)], 0))


@lru_cache(maxsize=256)
def knn_accuracy(d: int, k: int, seed: int) -> float:
    """Test accuracy of k-NN when the class depends on 2 of ``d`` uniform features.

    Kept per worker process (:func:`functools.lru_cache`): moving one control reuses the
    other dimensions' results.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (2 * N, max(d, 1)))
    signal = X[:, 0] + (X[:, 1] if d > 1 else 0)
    y = (signal > 0).astype(int)
    model = KNeighborsClassifier(n_neighbors=k).fit(X[:N], y[:N])
    return accuracy_score(y[N:], model.predict(X[N:]))


def compute(p: Params) -> dict:
    contrast = []
    for d in DIMS:
        dist = _distances(np.random.default_rng([p.seed, d]).uniform(0, 1, (150, d)))
        contrast.append((dist.max() - dist.min()) / dist.min())
    dist = _distances(
        np.random.default_rng([p.seed, p.dimension]).uniform(0, 1, (150, p.dimension))
    )
    edges = np.linspace(0, 2, 41)
    hist = np.histogram(dist / dist.mean(), edges)[0]
    accuracy = [knn_accuracy(d, p.k, p.seed) for d in DIMS]
    here = knn_accuracy(p.dimension, p.k, p.seed)
    knn = [
        "mlhood.neighbors.KNeighborsClassifier.fit",
        "mlhood.neighbors.KNeighborsClassifier.predict",
        "mlhood.metrics.accuracy_score",
    ]
    charts = [
        chart(
            "distances",
            f"Pairwise distances / their mean in {p.dimension} dimensions",
            [bars((edges[:-1] + edges[1:]) / 2, hist, "pairs")],
            [],
            x="distance / mean distance",
            y="pairs",
        ),
        chart(
            "contrast",
            "(max - min) / min distance against dimension",
            [line(DIMS, contrast, "relative contrast", mode="lines+markers")],
            [],
            x="dimension",
            y="relative contrast",
            xlog=True,
            ylog=True,
            shapes=[vline(p.dimension)],
        ),
        chart(
            "knn",
            f"{p.k}-NN test accuracy (2 informative features)",
            [
                line(DIMS, accuracy, f"k = {p.k}", mode="lines+markers"),
                line([p.dimension], [here], "this dimension", mode="markers", marker={"size": 14}),
            ],
            knn,
            x="dimension",
            y="accuracy",
            xlog=True,
        ),
    ]
    numbers = {
        "k-NN accuracy": here,
        "relative contrast": (dist.max() - dist.min()) / dist.min(),
        "std / mean of distances": dist.std() / dist.mean(),
    }
    return result(charts, numbers)


PAGE = Page(
    "q15",
    "The curse of dimensionality",
    "Add dimensions and watch all pairwise distances crowd around their mean (the nearest "
    "point is hardly nearer than the farthest) and k-NN accuracy fall toward chance; change "
    "k and see how much voting helps.",
    Params,
    compute,
)
