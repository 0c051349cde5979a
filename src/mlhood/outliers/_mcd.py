"""FAST-MCD: the Minimum Covariance Determinant estimator (Rousseeuw & Van Driessen 1999)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from mlhood._random import check_random_state

_WORK_SIZE = 1500  # random starts are screened on at most this many rows
_SINGULAR = 1e-12  # smallest / largest eigenvalue below this counts as singular


@dataclass
class MCDResult:
    """Output of :func:`fast_mcd`.

    Attributes
    ----------
    location, covariance : ndarray
        Reweighted robust estimates (the ones to use).
    support : ndarray of bool
        Rows kept by the reweighting step.
    raw_location, raw_covariance : ndarray
        The MCD h-subset estimates, covariance multiplied by the consistency factor.
    raw_support : ndarray of bool
        The h-subset with the smallest covariance determinant found.
    """

    location: np.ndarray
    covariance: np.ndarray
    support: np.ndarray
    raw_location: np.ndarray
    raw_covariance: np.ndarray
    raw_support: np.ndarray


def _mean_and_cov(subsets):
    """Means (T, p) and maximum-likelihood covariances (T, p, p) of subsets (T, m, p)."""
    means = subsets.mean(axis=1)
    centered = subsets - means[:, None, :]
    covs = np.matmul(centered.transpose(0, 2, 1), centered) / subsets.shape[1]
    return means, covs


def _distances(X, means, covs):
    """Squared Mahalanobis distances (T, n) of every row to each of T (mean, cov) pairs.

    Also returns the log-determinants (T,) and a mask of singular covariances.
    """
    eigval, eigvec = np.linalg.eigh(covs)
    singular = eigval[:, 0] <= _SINGULAR * np.maximum(eigval[:, -1], np.finfo(float).tiny)
    safe = np.where(singular[:, None], 1.0, eigval)
    whitening = eigvec / np.sqrt(safe)[:, None, :]  # Sigma^{-1} = W W^T
    whitened = np.matmul(X, whitening) - np.matmul(means[:, None, :], whitening)
    d2 = np.square(whitened).sum(axis=2)
    logdet = np.where(singular, -np.inf, np.log(safe).sum(axis=1))
    return d2, logdet, singular


def _c_steps(X, means, covs, h, n_steps):
    """Apply ``n_steps`` concentration steps to T starts at once (chunked over T).

    One C-step: compute the distances of all rows to the current (mean, cov), keep the
    ``h`` rows with the smallest distances, recompute mean and cov from them. The
    determinant never increases (Rousseeuw & Van Driessen 1999, Theorem 1).
    """
    n, p = X.shape
    chunk = max(1, int(5e5 // (n * p)))  # keep each (T, n, p) block near 4 MB
    out_means, out_covs, out_logdet, out_idx = [], [], [], []
    for start in range(0, means.shape[0], chunk):
        m, c = means[start : start + chunk], covs[start : start + chunk]
        idx = None
        for _ in range(n_steps):
            d2, logdet, singular = _distances(X, m, c)
            if singular.any():
                break
            idx = np.argpartition(d2, h - 1, axis=1)[:, :h]
            m, c = _mean_and_cov(X[idx])
        d2, logdet, singular = _distances(X, m, c)
        if idx is None:
            idx = np.argpartition(d2, h - 1, axis=1)[:, :h]
        out_means.append(m)
        out_covs.append(c)
        out_logdet.append(logdet)
        out_idx.append(idx)
    return (
        np.concatenate(out_means),
        np.concatenate(out_covs),
        np.concatenate(out_logdet),
        np.concatenate(out_idx),
    )


def _random_starts(X, n_trials, h, rng):
    """(p + 1)-point random subsets; a singular one is replaced by a random h-subset."""
    n, p = X.shape
    order = rng.random((n_trials, n)).argsort(axis=1)
    means, covs = _mean_and_cov(X[order[:, : p + 1]])
    eigval = np.linalg.eigvalsh(covs)
    singular = eigval[:, 0] <= _SINGULAR * np.maximum(eigval[:, -1], np.finfo(float).tiny)
    if singular.any():
        bigger_m, bigger_c = _mean_and_cov(X[order[singular, :h]])
        means[singular], covs[singular] = bigger_m, bigger_c
    return means, covs


def consistency_factor(d2, n_features):
    """``median(d^2) / chi2_p.ppf(0.5)``: what the h-subset covariance must be scaled by.

    The h-subset holds the rows closest to the centre, so its covariance underestimates
    the inliers' covariance; for normal inliers the squared distances ``d^2`` would
    follow ``chi2_p``, whose median is ``chi2_p.ppf(0.5)``, and the ratio of medians
    rescales it (Rousseeuw & Van Driessen 1999, step 4 of FAST-MCD).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy.stats import chi2
    >>> from mlhood.outliers._mcd import consistency_factor
    >>> d2 = chi2.ppf(np.linspace(0.01, 0.99, 99), 2)  # distances of normal inliers
    >>> round(consistency_factor(0.25 * d2, 2), 3)  # a covariance 4 times too small
    0.25
    """
    return float(np.median(d2) / chi2.ppf(0.5, n_features))


def fast_mcd(X, support_fraction=None, n_trials=500, n_best=10, random_state=None):
    """Robust location and covariance by FAST-MCD.

    The Minimum Covariance Determinant estimate is the mean and covariance of the
    ``h``-subset of rows whose covariance has the smallest determinant,
    ``h = floor((n + p + 1) / 2)`` by default (50% breakdown). FAST-MCD searches it as
    Rousseeuw & Van Driessen (1999) describe:

    1. draw ``n_trials`` random ``(p + 1)``-subsets (on at most 1500 random rows);
    2. apply two C-steps to each (a C-step keeps the ``h`` rows closest in Mahalanobis
       distance to the current estimate and re-estimates from them; it never increases
       the determinant);
    3. keep the ``n_best`` starts with the smallest determinants and iterate C-steps on
       all rows until the determinant stops decreasing; keep the best;
    4. consistency: scale the raw covariance by ``median(d^2) / chi2_p.ppf(0.5)`` so it
       estimates the covariance of normal inliers;
    5. reweighting: keep rows with ``d^2 <= c = chi2_p.ppf(0.975)`` and return their mean
       and covariance, the latter times ``0.975 / P(chi2_{p+2} <= c)`` so it stays
       consistent for normal inliers (Croux & Haesbroeck 1999).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    support_fraction : float in (0, 1] or None, default=None
        ``h / n``; ``None`` uses ``floor((n + p + 1) / 2)``.
    n_trials : int, default=500
    n_best : int, default=10
    random_state : int, RandomState or None

    Returns
    -------
    MCDResult

    Raises
    ------
    ValueError
        If the best h-subset has a singular covariance (more than ``h`` rows lie on a
        hyperplane, e.g. a constant feature), where Mahalanobis distances are undefined.
    """
    X = np.asarray(X, dtype=np.float64)
    n, p = X.shape
    if support_fraction is None:
        h = (n + p + 1) // 2
    else:
        if not 0.0 < support_fraction <= 1.0:
            raise ValueError(f"support_fraction must be in (0, 1], got {support_fraction!r}")
        h = int(np.ceil(support_fraction * n))
    if h <= p:
        raise ValueError(f"MCD needs h > n_features; got h={h} with n_samples={n}, n_features={p}")
    rng = check_random_state(random_state)
    work = X if n <= _WORK_SIZE else X[rng.choice(n, size=_WORK_SIZE, replace=False)]
    h_work = max(p + 1, int(np.ceil(h * work.shape[0] / n)))

    means, covs = _random_starts(work, n_trials, h_work, rng)
    means, covs, logdet, _ = _c_steps(work, means, covs, h_work, n_steps=2)
    best = np.argsort(logdet)[:n_best]
    means, covs = means[best], covs[best]

    previous = np.full(means.shape[0], np.inf)
    for _ in range(100):
        means, covs, logdet, idx = _c_steps(X, means, covs, h, n_steps=1)
        if np.all(logdet >= previous - 1e-12):
            break
        previous = logdet
    winner = int(np.argmin(logdet))
    if not np.isfinite(logdet[winner]):
        raise ValueError(
            f"the covariance of the best h-subset (h={h}) is singular: at least h rows lie "
            "on a hyperplane (for instance a constant feature), so Mahalanobis distances "
            "are undefined"
        )
    raw_support = np.zeros(n, dtype=bool)
    raw_support[idx[winner]] = True
    raw_location, raw_cov = means[winner], covs[winner]

    d2 = _distances(X, raw_location[None], raw_cov[None])[0][0]
    raw_cov = raw_cov * consistency_factor(d2, p)
    d2 = _distances(X, raw_location[None], raw_cov[None])[0][0]
    cutoff = chi2.ppf(0.975, p)
    support = d2 <= cutoff
    location, covariance = _mean_and_cov(X[support][None])
    # Truncating a normal at the 97.5% ellipsoid shrinks its covariance by
    # P(chi2_{p+2} <= cutoff) / 0.975 (Croux & Haesbroeck 1999, eq. 4.2): undo that.
    covariance = covariance[0] * (0.975 / chi2.cdf(cutoff, p + 2))
    return MCDResult(location[0], covariance, support, raw_location, raw_cov, raw_support)
