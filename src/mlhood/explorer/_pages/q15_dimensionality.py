"""q15 page: dimension and k against distance concentration and nearest-neighbour accuracy."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from mlhood.decomposition import PCA
from mlhood.explorer._spec import (
    Page,
    SeededParams,
    bars,
    chart,
    line,
    result,
    slider,
    vline,
    worker_cache,
)
from mlhood.feature_selection import SelectKBest, f_classif
from mlhood.metrics import accuracy_score
from mlhood.neighbors import KNeighborsClassifier

DIMS = (1, 2, 5, 10, 20, 50, 100, 200)
N = 300


class Params(SeededParams):
    dimension: int = slider(10, 1, 200, 1, "Number of features (2 informative, the rest noise).")
    k: int = slider(5, 1, 50, 1, "Neighbours voting in k-NN.")
    reduce: Literal["none", "select_k_best", "pca"] = Field(
        "none",
        description="Keep 2 features before k-NN: none, the 2 best by the ANOVA F-test "
        "(supervised), or the 2 leading principal components (unsupervised).",
    )


def _distances(seed: int, d: int) -> np.ndarray:
    """Every pairwise distance of 150 uniform points in ``[0, 1]^d``, measured by mlhood's
    neighbour search (each point's neighbours, itself excluded; each pair appears twice)."""
    X = np.random.default_rng([seed, d]).uniform(0, 1, (150, d))
    search = KNeighborsClassifier().fit(X, np.zeros(len(X)))
    distances = search.kneighbors(X, n_neighbors=len(X))[0]
    return distances[:, 1:].ravel()  # column 0: the point itself


REDUCERS = {
    "select_k_best": lambda d: SelectKBest(f_classif, k=min(2, d)),
    "pca": lambda d: PCA(n_components=min(2, d)),
}

LABELS = {"none": "all features", "select_k_best": "2 best by F-test", "pca": "2 leading PCs"}
REDUCER_SOURCES = {
    "select_k_best": [
        "mlhood.feature_selection.SelectKBest.fit",
        "mlhood.feature_selection.f_classif",
    ],
    "pca": ["mlhood.decomposition.PCA.fit", "mlhood.decomposition.PCA.transform"],
}


@worker_cache(maxsize=512)
def knn_accuracy(d: int, k: int, reduce: str, seed: int) -> float:
    """Test accuracy of k-NN when the class depends on 2 of ``d`` uniform features, after
    keeping 2 features (``reduce``) fitted on the training half.

    Kept per worker process (:func:`~mlhood.explorer._spec.worker_cache`): moving one
    control reuses the other dimensions' results.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (2 * N, d))
    y = (X[:, :2].sum(axis=1) > 0).astype(int)
    train, test = X[:N], X[N:]
    if reduce != "none":
        reducer = REDUCERS[reduce](d).fit(train, y[:N])
        train, test = reducer.transform(train), reducer.transform(test)
    model = KNeighborsClassifier(n_neighbors=k).fit(train, y[:N])
    return accuracy_score(y[N:], model.predict(test))


def compute(p: Params) -> dict:
    contrast = []
    for d in DIMS:
        dist = _distances(p.seed, d)
        contrast.append((dist.max() - dist.min()) / dist.min())
    dist = _distances(p.seed, p.dimension)
    edges = np.linspace(0, 2, 41)
    hist = np.histogram(dist / dist.mean(), edges)[0]
    curves = {
        reduce: [knn_accuracy(d, p.k, reduce, p.seed) for d in DIMS]
        for reduce in dict.fromkeys(["none", p.reduce])
    }
    here = knn_accuracy(p.dimension, p.k, p.reduce, p.seed)
    knn = [
        "mlhood.neighbors.KNeighborsClassifier.fit",
        "mlhood.neighbors.KNeighborsClassifier.predict",
        "mlhood.metrics.accuracy_score",
        *REDUCER_SOURCES.get(p.reduce, []),
    ]
    charts = [
        chart(
            "distances",
            f"Pairwise distances / their mean in {p.dimension} dimensions",
            [bars((edges[:-1] + edges[1:]) / 2, hist, "pairs")],
            ["mlhood.neighbors.KNeighborsClassifier.kneighbors"],
            x="distance / mean distance",
            y="pairs",
        ),
        chart(
            "contrast",
            "(max - min) / min distance against dimension",
            [line(DIMS, contrast, "relative contrast", mode="lines+markers")],
            ["mlhood.neighbors.KNeighborsClassifier.kneighbors"],
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
                *(
                    line(DIMS, accuracy, f"{LABELS[reduce]}, k = {p.k}", mode="lines+markers")
                    for reduce, accuracy in curves.items()
                ),
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
    "k and see how much voting helps; keep 2 features first, chosen by the F-test (it finds "
    "the signal) or by PCA (it keeps variance, not signal).",
    Params,
    compute,
)
