"""q15 - The curse of dimensionality: distances concentrate, k-NN drowns, volume moves out."""

from __future__ import annotations

import numpy as np

from mlhood.decomposition import PCA
from mlhood.labs._figures import new_figure
from mlhood.labs._result import Claim, LabResult, timed
from mlhood.neighbors import KNeighborsClassifier

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
- **Remedies:** fewer, better dimensions. Supervised feature selection (keep features
  whose class means differ) restores k-NN; PCA restores it *when* the signal lives in
  the high-variance directions (as here) -- it is unsupervised and can also throw the
  signal away. More data, metric learning and models that weight features (trees,
  regularised linear models) are the other answers.
"""


# --- 1. distance concentration -------------------------------------------------------
def pairwise_distances(X: np.ndarray) -> np.ndarray:
    """Euclidean distances of all distinct pairs (upper triangle), via the Gram matrix."""
    sq = np.einsum("ij,ij->i", X, X)
    d2 = np.maximum(sq[:, None] - 2 * X @ X.T + sq[None, :], 0.0)
    return np.sqrt(d2[np.triu_indices(X.shape[0], k=1)])


def concentration(dims, n_points: int, rng) -> list[dict]:
    rows = []
    for d in dims:
        dist = pairwise_distances(rng.uniform(size=(n_points, d)))
        sq = dist**2
        rows.append(
            {
                "dimension": d,
                "contrast (max-min)/min": (dist.max() - dist.min()) / dist.min(),
                "std/mean of squared distance": sq.std() / sq.mean(),
                "closed form 6*sqrt(7/180)/sqrt(d)": 6 * np.sqrt(7 / 180) / np.sqrt(d),
            }
        )
    return rows


# --- 2. k-NN with noise dimensions, and two remedies ----------------------------------
N_INFORMATIVE = 5


def noisy_classes(n: int, n_noise: int, rng) -> tuple[np.ndarray, np.ndarray]:
    """Two classes with means at -0.6 and +0.6 in each of 5 informative features (std 1),
    followed by ``n_noise`` pure-noise N(0, 1) features."""
    y = rng.integers(0, 2, n)
    informative = rng.normal(size=(n, N_INFORMATIVE)) + 0.6 * (2 * y[:, None] - 1)
    noise = rng.normal(size=(n, n_noise))
    return np.hstack([informative, noise]), y


def knn_accuracy(X_train, y_train, X_test, y_test, k: int = 5) -> float:
    return float(KNeighborsClassifier(n_neighbors=k).fit(X_train, y_train).score(X_test, y_test))


def top_features_by_f_score(X, y, n_keep: int) -> np.ndarray:
    """Univariate selection: ANOVA F = between-class / within-class variance per feature."""
    classes = np.unique(y)
    means = np.array([X[y == c].mean(axis=0) for c in classes])
    counts = np.array([(y == c).sum() for c in classes])
    between = (counts[:, None] * (means - X.mean(axis=0)) ** 2).sum(axis=0) / (len(classes) - 1)
    within = sum(((X[y == c] - means[i]) ** 2).sum(axis=0) for i, c in enumerate(classes))
    within /= X.shape[0] - len(classes)
    return np.sort(np.argsort(between / within)[::-1][:n_keep])


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

        n_train, n_test = (600, 600) if quick else (1500, 1500)
        noise_levels = [0, 5, 20, 50, 100, 200] if quick else [0, 5, 10, 20, 50, 100, 200]
        knn_rows = []
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
        # remedies on the noisiest data (last X_train / X_test)
        kept = top_features_by_f_score(X_train, y_train, N_INFORMATIVE)
        selected = knn_accuracy(X_train[:, kept], y_train, X_test[:, kept], y_test)
        pca = PCA(n_components=N_INFORMATIVE, svd_solver="full").fit(X_train)
        restored = knn_accuracy(pca.transform(X_train), y_train, pca.transform(X_test), y_test)
        clean, noisy = knn_rows[0]["5-NN accuracy"], knn_rows[-1]["5-NN accuracy"]
        remedy_rows = [
            {"features used": "5 informative only (no noise)", "5-NN accuracy": clean},
            {"features used": f"all {X_train.shape[1]}", "5-NN accuracy": noisy},
            {"features used": "5 selected by F-score", "5-NN accuracy": selected},
            {"features used": "5 PCA components", "5-NN accuracy": restored},
        ]

        eps = 0.05
        shell_dims = [1, 2, 3, 5, 10, 20, 50, 100, 200]
        shell = shell_fraction(shell_dims, eps, 10_000 if quick else 100_000, rng)

        contrast = [r["contrast (max-min)/min"] for r in conc]
        spread = np.array([r["std/mean of squared distance"] for r in conc])
        theory = np.array([r["closed form 6*sqrt(7/180)/sqrt(d)"] for r in conc])
        big = np.array(dims) >= 10
        result.claims = [
            Claim(
                "Distance contrast (max-min)/min falls by over 100x from 2 to 1000 "
                "dimensions and is below 0.5 at d = 1000.",
                {"contrast d=2": contrast[1], "contrast d=1000": contrast[-1]},
                contrast[1] / contrast[-1] > 100 and contrast[-1] < 0.5,
            ),
            Claim(
                "The relative spread of squared distances follows the closed form "
                "6*sqrt(7/180)/sqrt(d) within 15% for every d >= 10.",
                {"max relative deviation": float(np.max(np.abs(spread[big] / theory[big] - 1)))},
                np.max(np.abs(spread[big] / theory[big] - 1)) < 0.15,
            ),
            Claim(
                "5-NN accuracy falls by at least 10 points as 200 noise dimensions are added "
                "to 5 informative ones.",
                {"accuracy without noise": clean, "accuracy with 200 noise dims": noisy},
                clean - noisy >= 0.10,
            ),
            Claim(
                "Keeping the 5 features with the largest F-score restores accuracy to within "
                "5 points of the noise-free model.",
                {"selected": selected, "noise-free": clean, "all features": noisy},
                selected >= clean - 0.05,
            ),
            Claim(
                "Projecting on 5 PCA components recovers at least half of the lost accuracy "
                "(the class difference lies in the highest-variance direction here).",
                {"PCA": restored, "noise-free": clean, "all features": noisy},
                restored - noisy >= 0.5 * (clean - noisy),
            ),
            Claim(
                "Monte Carlo share of the cube within 0.05 of its surface matches "
                "1-(1-2*0.05)^d within 4 standard errors for every d, and exceeds 99% at "
                "d = 50.",
                {
                    "max |MC - exact| / SE": max(
                        abs(r["Monte Carlo"] - r["closed form 1-(1-2eps)^d"]) / r["standard error"]
                        for r in shell
                    ),
                    "share at d=50": shell[shell_dims.index(50)]["Monte Carlo"],
                },
                all(
                    abs(r["Monte Carlo"] - r["closed form 1-(1-2eps)^d"])
                    <= 4 * r["standard error"] + 1e-9
                    for r in shell
                )
                and shell[shell_dims.index(50)]["Monte Carlo"] > 0.99,
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
