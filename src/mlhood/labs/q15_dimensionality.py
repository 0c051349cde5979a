"""q15 - The curse of dimensionality: distances concentrate, k-NN drowns, volume moves out."""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import cdist

from mlhood.decomposition import PCA
from mlhood.feature_selection import SelectKBest, f_classif
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Check, Claim, LabResult, timed
from mlhood.neighbors import KNeighborsClassifier, KNeighborsRegressor

QUESTION = "What is the curse of dimensionality, and what can you do about it?"

ANSWER = """\
As the number of dimensions grows, the geometry that distance-based methods rely on
falls apart:

- **Distances concentrate.** For random points the gap between the nearest and the
  farthest neighbour shrinks relative to the distances themselves: the contrast
  `(max - min) / min` heads towards 0. For independent coordinates the relative spread of
  squared distances falls like `1/sqrt(d)` (for the unit cube exactly
  `sqrt(7/180) * 6 / sqrt(d)`), so "near" and "far" stop meaning much.
- **Volume moves to the boundary.** The share of a unit hypercube lying within `eps` of
  its surface is `1 - (1 - 2 eps)^d`: with `eps = 0.05` it is 10% in one dimension and
  over 99% in 50. Data in high dimensions are sparse and almost all "at the edge", so
  a fixed number of samples covers the space ever more thinly.
- **Consequence for k-NN** (and kernels, clustering): irrelevant (noise) dimensions add
  distance that has nothing to do with the label, so the neighbours become random and
  accuracy falls towards chance even though the informative features are all still there.
- **Remedies:** fewer, better dimensions. Supervised feature selection (keep the features
  whose class means differ most relative to their spread: the ANOVA F-test,
  `SelectKBest(f_classif)`) restores k-NN; PCA restores it *when* the signal lives in
  the high-variance directions (as here) -- it is unsupervised and can also throw the
  signal away. More data, metric learning and models that weight features (trees,
  regularised linear models) are the other answers.
"""


# --- 1. distance concentration, measured with mlhood's neighbour search ---------------
def query_distances(n_points: int, d: int, rng) -> np.ndarray:
    """Distances from ``n_points`` uniform queries to ``n_points`` uniform reference points
    in ``[0, 1]^d``: every neighbour of every query, from :meth:`kneighbors`."""
    reference, queries = rng.uniform(size=(n_points, d)), rng.uniform(size=(n_points, d))
    search = KNeighborsRegressor(n_neighbors=n_points).fit(reference, np.zeros(n_points))
    return search.kneighbors(queries)[0]


def concentration(dims, n_points: int, rng) -> list[dict]:
    """Per dimension: the mean over queries of (farthest - nearest) / nearest, and the
    relative spread std/mean of all squared distances with its closed form."""
    rows = []
    for d in dims:
        dist = query_distances(n_points, d, rng)
        sq = dist**2
        rows.append(
            {
                "dimension": d,
                "contrast (max-min)/min": float(np.mean((dist[:, -1] - dist[:, 0]) / dist[:, 0])),
                "std/mean of squared distance": float(sq.std() / sq.mean()),
                "closed form 6*sqrt(7/180)/sqrt(d)": 6 * np.sqrt(7 / 180) / np.sqrt(d),
            }
        )
    return rows


# --- 2. k-NN with noise dimensions, and two remedies ----------------------------------
N_INFORMATIVE = 5
HALF_GAP = 0.6  # class means at -0.6 and +0.6 in each informative feature
OFFSET = 3.0  # every feature is a reading around a baseline of 3, so the data are not centred


def noisy_classes(
    n: int, n_noise: int, rng, positive_rate: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """Two classes whose means differ by 1.2 in each of 5 informative features (std 1),
    followed by ``n_noise`` pure-noise N(0, 1) features; every feature is shifted by 3."""
    y = (rng.random(n) < positive_rate).astype(int)
    informative = rng.normal(size=(n, N_INFORMATIVE)) + HALF_GAP * (2 * y[:, None] - 1)
    noise = rng.normal(size=(n, n_noise))
    return np.hstack([informative, noise]) + OFFSET, y


def knn_accuracy(X_train, y_train, X_test, y_test, k: int = 5) -> float:
    return float(KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_test, y_test))


def brute_force_knn(X_train, y_train, X_test, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Independent k-NN: all distances with SciPy's ``cdist``, a full sort, a majority vote.

    Returns the sorted distances of the ``k`` neighbours and the predicted labels
    (labels 0/1, odd ``k``, so the vote never ties)."""
    dist = cdist(X_test, X_train)
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]
    votes = y_train[order].sum(axis=1)
    return np.take_along_axis(dist, order, axis=1), (2 * votes > k).astype(int)


def pooled_t_squared(X, y) -> np.ndarray:
    """Square of the two-sample t statistic with pooled variance, per column.

    For two classes the one-way ANOVA F equals this ``t^2`` exactly: an independent
    formula for :func:`f_classif`."""
    a, b = X[y == 0], X[y == 1]
    n_a, n_b = len(a), len(b)
    pooled = ((n_a - 1) * a.var(axis=0, ddof=1) + (n_b - 1) * b.var(axis=0, ddof=1)) / (
        n_a + n_b - 2
    )
    return (a.mean(axis=0) - b.mean(axis=0)) ** 2 / (pooled * (1 / n_a + 1 / n_b))


# --- 3. volume near the surface of a hypercube ----------------------------------------
def shell_fraction(dims, eps: float, n_points: int, rng) -> list[dict]:
    rows = []
    for d in dims:
        inside = 0
        for start in range(0, n_points, 2000):  # chunks keep memory small for large d
            m = min(2000, n_points - start)
            U = rng.uniform(size=(m, d))
            inside += np.count_nonzero(np.all((U > eps) & (U < 1 - eps), axis=1))
        measured = 1 - inside / n_points
        exact = 1 - (1 - 2 * eps) ** d
        rows.append(
            {
                "dimension": d,
                "Monte Carlo": measured,
                "closed form 1-(1-2eps)^d": exact,
                "standard error": np.sqrt(max(exact * (1 - exact), 1e-12) / n_points),
            }
        )
    return rows


def run(*, quick: bool = True, seed: int = 0) -> LabResult:
    result = LabResult(
        id="q15", title="The curse of dimensionality", question=QUESTION, answer=ANSWER
    )
    with timed(result):
        rng = np.random.default_rng(seed)
        dims = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
        conc = concentration(dims, 150 if quick else 400, rng)

        n_train, n_test = (600, 2000) if quick else (1500, 3000)
        noise_levels = [0, 5, 20, 50, 100, 200] if quick else [0, 5, 10, 20, 50, 100, 200]
        knn_rows, reference = [], {}
        for n_noise in noise_levels:
            X_train, y_train = noisy_classes(n_train, n_noise, rng)
            X_test, y_test = noisy_classes(n_test, n_noise, rng)
            knn_rows.append(
                {
                    "noise dimensions": n_noise,
                    "total dimensions": N_INFORMATIVE + n_noise,
                    "5-NN accuracy": knn_accuracy(X_train, y_train, X_test, y_test),
                }
            )
            if n_noise in (0, noise_levels[-1]):
                model = KNeighborsClassifier(n_neighbors=5).fit(X_train, y_train)
                ref_dist, ref_pred = brute_force_knn(X_train, y_train, X_test)
                reference[n_noise] = (
                    float(np.max(np.abs(model.kneighbors(X_test)[0] - ref_dist) / ref_dist)),
                    int(np.count_nonzero(model.predict(X_test) != ref_pred)),
                )
        # remedies on the noisiest data (last X_train / X_test)
        selector = SelectKBest(f_classif, k=N_INFORMATIVE).fit(X_train, y_train)
        kept = selector.get_support(indices=True)
        selected = knn_accuracy(
            selector.transform(X_train), y_train, selector.transform(X_test), y_test
        )
        pca = PCA(n_components=N_INFORMATIVE, svd_solver="covariance_eigh").fit(X_train)
        restored = knn_accuracy(pca.transform(X_train), y_train, pca.transform(X_test), y_test)
        clean, noisy = knn_rows[0]["5-NN accuracy"], knn_rows[-1]["5-NN accuracy"]
        remedy_rows = [
            {"features used": "5 informative only (no noise)", "5-NN accuracy": clean},
            {"features used": f"all {X_train.shape[1]}", "5-NN accuracy": noisy},
            {"features used": "5 selected by F-score", "5-NN accuracy": selected},
            {"features used": "5 PCA components", "5-NN accuracy": restored},
        ]
        cov = np.cov(X_train, rowvar=False)
        top = np.linalg.eigvalsh(cov)[::-1][:N_INFORMATIVE]
        scores = pca.transform(X_train)
        residual = np.linalg.norm(
            pca.components_ @ cov - pca.explained_variance_[:, None] * pca.components_, axis=1
        )

        # the F-test's null distribution: many pure-noise features, unequal classes
        X_null, y_null = noisy_classes(n_train, 5000 if quick else 10000, rng, positive_rate=0.3)
        F, pvalues = f_classif(X_null, y_null)
        t_squared = pooled_t_squared(X_null, y_null)
        null_p = pvalues[N_INFORMATIVE:]

        eps = 0.05
        shell_dims = [1, 2, 3, 5, 10, 20, 50, 100, 200]
        shell = shell_fraction(shell_dims, eps, 10_000 if quick else 100_000, rng)

        contrast = [r["contrast (max-min)/min"] for r in conc]
        spread = np.array([r["std/mean of squared distance"] for r in conc])
        theory = np.array([r["closed form 6*sqrt(7/180)/sqrt(d)"] for r in conc])
        big = np.array(dims) >= 10
        result.claims = [
            Claim(
                "Distances concentrate (measured with mlhood's neighbour search): the relative "
                "spread of squared distances follows 6*sqrt(7/180)/sqrt(d) for every d >= 10, "
                "and a query's farthest point is less than 50% farther than its nearest at "
                "d = 1000, against over 10 times farther at d = 2.",
                {"contrast d=2": contrast[1], "contrast d=1000": contrast[-1]},
                checks=[
                    Check(
                        "max |spread / closed form - 1|",
                        float(np.max(np.abs(spread[big] / theory[big] - 1))),
                        "<",
                        0.1,
                    ),
                    Check("contrast d=2", contrast[1], ">", 10.0),
                    Check("contrast d=1000", contrast[-1], "<", 0.5),
                ],
                catches=["knn-distance-no-sqrt"],
            ),
            Claim(
                "mlhood's 5-NN classifier agrees with an independent brute force (SciPy's "
                "cdist, a full sort, a majority vote): same neighbour distances and the same "
                "prediction for every test point, without noise and with 200 noise features.",
                {
                    f"{n} noise: {what}": v
                    for n, pair in reference.items()
                    for what, v in zip(("max relative distance error", "disagreements"), pair)
                },
                checks=[
                    Check(f"{n} noise: max relative distance error", pair[0], "<", 1e-8)
                    for n, pair in reference.items()
                ]
                + [
                    Check(f"{n} noise: disagreements", pair[1], "==", 0)
                    for n, pair in reference.items()
                ],
                catches=["knn-distance-no-sqrt", "knn-majority-ignores-k"],
            ),
            Claim(
                "5-NN accuracy falls by at least 10 points as 200 noise dimensions are added "
                "to 5 informative ones.",
                {"accuracy without noise": clean, "accuracy with 200 noise dims": noisy},
                checks=[Check("accuracy drop", clean - noisy, ">=", 0.10)],
                catches=["knn-majority-ignores-k"],
            ),
            Claim(
                "f_classif's F is the pooled two-sample t statistic squared, its p-values "
                "are uniform on pure noise (about 5% below 0.05 among 5000 noise features, "
                "classes of 30% / 70%) and tiny on the 5 informative features.",
                {
                    "noise features": null_p.size,
                    "share of noise p < 0.05": float(np.mean(null_p < 0.05)),
                },
                checks=[
                    Check(
                        "max |F - t^2| / (1 + t^2)",
                        float(np.max(np.abs(F - t_squared) / (1 + t_squared))),
                        "<",
                        1e-9,
                    ),
                    Check(
                        "|share of noise p < 0.05 - 0.05|",
                        abs(float(np.mean(null_p < 0.05)) - 0.05),
                        "<",
                        0.015,
                    ),
                    Check(
                        "largest informative p-value",
                        float(pvalues[:N_INFORMATIVE].max()),
                        "<",
                        1e-6,
                    ),
                ],
                catches=["f-classif-ratio-inverted", "f-classif-between-dof"],
            ),
            Claim(
                "SelectKBest(f_classif, k=5) keeps exactly the 5 informative features of 205, "
                "and 5-NN on them is within 5 points of the noise-free model.",
                {"kept": kept.tolist(), "selected": selected, "noise-free": clean, "all": noisy},
                checks=[
                    Check("informative kept", int(np.sum(kept < N_INFORMATIVE)), "==", 5),
                    Check("noise-free - selected", clean - selected, "<", 0.05),
                ],
                catches=["f-classif-ratio-inverted"],
            ),
            Claim(
                "PCA's components are eigenvectors of the sample covariance (computed "
                "independently with NumPy), its explained variances are the 5 largest "
                "eigenvalues, and the transformed training data have mean 0 and those "
                "variances, on data that are not centred (every feature around 3).",
                {"explained variance": pca.explained_variance_.tolist(), "eigenvalues": top},
                checks=[
                    Check(
                        "max ||C v - lambda v|| / lambda",
                        float(np.max(residual / pca.explained_variance_)),
                        "<",
                        1e-8,
                    ),
                    Check(
                        "max |variance / eigenvalue - 1|",
                        float(np.max(np.abs(pca.explained_variance_ / top - 1))),
                        "<",
                        1e-8,
                    ),
                    Check(
                        "max |mean score| / std",
                        float(np.max(np.abs(scores.mean(axis=0)) / np.sqrt(top))),
                        "<",
                        1e-8,
                    ),
                    Check(
                        "max |score variance / eigenvalue - 1|",
                        float(np.max(np.abs(scores.var(axis=0, ddof=1) / top - 1))),
                        "<",
                        1e-8,
                    ),
                ],
                catches=["pca-no-centering", "pca-eigenvectors-as-rows"],
            ),
            Claim(
                "Projecting on 5 PCA components wins back at least 5 of the accuracy points "
                "that 200 noise dimensions cost (the class difference lies in the "
                "highest-variance direction here; PCA does not know the labels).",
                {"PCA": restored, "noise-free": clean, "all features": noisy},
                checks=[Check("PCA - all features", restored - noisy, ">=", 0.05)],
                catches=["pca-eigenvectors-as-rows", "knn-majority-ignores-k"],
            ),
        ]
        result.tables = {
            "distance concentration": conc,
            "k-NN accuracy vs noise dimensions": knn_rows,
            "remedies": remedy_rows,
            "volume near the surface": shell,
        }
        result.figures = {"curse of dimensionality": _figure(conc, knn_rows, remedy_rows, shell)}
    return result


def _figure(conc, knn_rows, remedy_rows, shell):
    fig, axes = new_figure(ncols=2, nrows=2, width=5.0, height=3.6)
    ax = axes[0, 0]
    dims = [r["dimension"] for r in conc]
    ax.loglog(dims, [r["contrast (max-min)/min"] for r in conc], "o-", label="(max-min)/min")
    ax.loglog(dims, [r["std/mean of squared distance"] for r in conc], "s-", label="std/mean d²")
    ax.loglog(
        dims,
        [r["closed form 6*sqrt(7/180)/sqrt(d)"] for r in conc],
        "k--",
        label="6·sqrt(7/180)/sqrt(d)",
    )
    ax.set(xlabel="dimension d", ylabel="relative contrast", title="Distances concentrate")
    ax.legend(fontsize=8)
    ax = axes[0, 1]
    ax.plot(
        [r["total dimensions"] for r in knn_rows], [r["5-NN accuracy"] for r in knn_rows], "o-"
    )
    ax.axhline(0.5, color="grey", ls=":", label="chance")
    ax.set(
        xscale="log",
        xlabel="dimensions (5 informative + noise)",
        ylabel="test accuracy",
        title="5-NN drowns in noise dimensions",
    )
    ax.legend(fontsize=8)
    ax = axes[1, 0]
    labels = [r["features used"] for r in remedy_rows]
    ax.barh(labels, [r["5-NN accuracy"] for r in remedy_rows], color="tab:blue")
    ax.set(xlim=(0.4, 1.0), xlabel="test accuracy", title="Fewer, better dimensions restore it")
    ax.tick_params(axis="y", labelsize=8)
    ax = axes[1, 1]
    sd = [r["dimension"] for r in shell]
    ax.plot(sd, [r["closed form 1-(1-2eps)^d"] for r in shell], "k-", label="1-(1-2ε)^d")
    ax.plot(sd, [r["Monte Carlo"] for r in shell], "o", label="Monte Carlo")
    ax.set(
        xscale="log",
        xlabel="dimension d",
        ylabel="share of volume",
        title="Volume within ε=0.05 of the surface",
    )
    ax.legend(fontsize=8)
    return fig
