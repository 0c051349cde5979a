"""Principal component analysis by exact or randomized singular value decomposition."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._linalg import centered_gram
from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood.decomposition._randomized import randomized_svd

_SOLVERS = ("auto", "full", "covariance_eigh", "randomized")


def flip_signs(components: np.ndarray) -> np.ndarray:
    """Make the largest-magnitude entry of each component (row) positive.

    A principal direction is only defined up to sign; this rule (the one scikit-learn
    uses) makes the output deterministic and comparable.
    """
    biggest = np.argmax(np.abs(components), axis=1)
    signs = np.sign(components[np.arange(components.shape[0]), biggest])
    signs[signs == 0] = 1.0
    return components * signs[:, None]


class PCA(ValidatedParamsMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Principal component analysis: project on the directions of largest variance.

    With centred data ``Xc = X - mean`` (n x p) and its SVD ``Xc = U S V^T``, the
    principal axes are the rows of ``V^T`` and the variance along axis ``i`` is
    ``s_i^2 / (n - 1)`` -- equivalently, ``V`` and ``s_i^2 / (n - 1)`` are the
    eigenvectors and eigenvalues of the sample covariance ``Xc^T Xc / (n - 1)``.
    ``transform`` maps ``x`` to ``V_k^T (x - mean)``; with ``whiten`` each coordinate is
    further divided by its standard deviation. (Jolliffe, *Principal Component
    Analysis*, 2nd ed., 2002, ch. 1-3; randomized solver: Halko, Martinsson & Tropp 2011.)

    All linear algebra goes through NumPy's LAPACK (mixing SciPy's separately bundled
    BLAS with NumPy's made their threads compete, 10x slower on a loaded machine), and
    the small p x p eigendecomposition runs on one BLAS thread: it is latency-bound, and
    on a busy machine extra threads made it 3-6x slower.

    Solvers: ``"full"`` is the exact LAPACK SVD of ``Xc``. ``"covariance_eigh"`` forms
    the p x p matrix ``Xc^T Xc`` (one BLAS pass over the data) and takes its symmetric
    eigendecomposition -- much faster when ``n >> p``; because forming the product
    squares the condition number, it falls back to the SVD when a kept eigenvalue is below
    ``1e-8`` times the largest. ``"randomized"`` computes only the top ``n_components``.
    ``"auto"``: covariance_eigh when ``p <= 1000`` and ``n >= 10 p``; else randomized when
    an integer ``n_components`` is below ``0.8 min(n, p)`` and ``max(n, p) > 500``; else
    full.

    Parameters
    ----------
    n_components : int, float or None, default=None
        Number of components kept; a float in (0, 1) keeps the fewest components whose
        explained variance ratios sum to more than it; None keeps ``min(n, p)``.
    whiten : bool, default=False
        Scale transformed coordinates to unit variance.
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default="auto"
    iterated_power : int or "auto", default="auto"
        Power iterations of the randomized solver ("auto": 7 if ``n_components`` is
        below 10% of ``min(n, p)``, else 4).
    n_oversamples : int, default=10
        Extra random directions of the randomized solver.
    random_state : int, RandomState instance or None, default=None
        Seed of the randomized solver.
    copy : bool, default=True
        Kept for scikit-learn compatibility; ``X`` is never modified.

    Attributes
    ----------
    components_ : ndarray of shape (n_components_, n_features)
        Principal axes, by decreasing variance; the largest-magnitude entry of each is
        positive (deterministic signs).
    explained_variance_ : ndarray of shape (n_components_,)
    explained_variance_ratio_ : ndarray of shape (n_components_,)
        Share of the total variance along each axis.
    singular_values_ : ndarray of shape (n_components_,)
    mean_ : ndarray of shape (n_features,)
    n_components_ : int
    noise_variance_ : float
        Mean variance of the discarded directions (probabilistic PCA noise estimate).
    n_samples_, n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.decomposition import PCA
    >>> X = np.array([[2.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -1.0]])
    >>> pca = PCA(n_components=1).fit(X)
    >>> pca.components_.tolist(), pca.explained_variance_ratio_.round(6).tolist()
    ([[1.0, 0.0]], [0.8])
    """

    _parameter_constraints = {
        "n_components": [
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="neither"),
            None,
        ],
        "whiten": ["boolean"],
        "svd_solver": [Options(_SOLVERS)],
        "iterated_power": [Interval(Integral, 0, None, closed="left"), Options(["auto"])],
        "n_oversamples": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
        "copy": ["boolean"],
    }

    def __init__(
        self,
        n_components=None,
        *,
        whiten=False,
        svd_solver="auto",
        iterated_power="auto",
        n_oversamples=10,
        random_state=None,
        copy=True,
    ):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state
        self.copy = copy

    def _check_n_components(self, n: int, p: int):
        k = self.n_components
        if k is None:
            return min(n, p)
        if not isinstance(k, Integral):
            return float(k)  # a fraction of the variance to keep
        if k > min(n, p):
            raise ValueError(
                f"n_components={k} must be between 1 and min(n_samples, n_features)={min(n, p)}"
            )
        return int(k)

    def _choose_solver(self, n: int, p: int, k) -> str:
        if self.svd_solver != "auto":
            return self.svd_solver
        if p <= 1000 and n >= 10 * p:
            return "covariance_eigh"
        if isinstance(k, int) and k < 0.8 * min(n, p) and max(n, p) > 500:
            return "randomized"
        return "full"

    def fit(self, X, y=None):
        """Find the principal axes of ``X``; ``y`` is ignored."""
        self._validate_params()
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
        n, p = X.shape
        k = self._check_n_components(n, p)
        solver = self._choose_solver(n, p, k)
        self.mean_ = X.mean(axis=0)
        if solver == "randomized":
            if not isinstance(k, int):
                raise ValueError("svd_solver='randomized' needs an integer n_components")
            variances, components, total = self._fit_randomized(X, k)
        else:
            variances, components = self._fit_exact(X, solver, k)
            total = variances.sum()
        ratios = variances / total if total > 0 else np.zeros_like(variances)
        if isinstance(k, float):
            k = int(np.searchsorted(np.cumsum(ratios), k, side="right")) + 1
            k = min(k, variances.size)
        rest = min(n, p) - k
        if solver == "randomized":
            self.noise_variance_ = (total - variances.sum()) / rest if rest > 0 else 0.0
        else:
            self.noise_variance_ = float(variances[k:].mean()) if rest > 0 else 0.0
        self.n_samples_, self.n_components_ = n, k
        self.components_ = components[:k]
        self.explained_variance_ = variances[:k]
        self.explained_variance_ratio_ = ratios[:k]
        self.singular_values_ = np.sqrt(variances[:k] * (n - 1))
        return self

    def _fit_exact(self, X, solver: str, k):
        """All ``min(n, p)`` variances and axes, largest first."""
        n = X.shape[0]
        if solver == "covariance_eigh":
            gram, _ = centered_gram(X, self.mean_)
            eigvals, eigvecs = np.linalg.eigh(gram)
            eigvals, eigvecs = np.maximum(eigvals[::-1], 0.0), eigvecs[:, ::-1].T
            eigvals, eigvecs = eigvals[: min(X.shape)], eigvecs[: min(X.shape)]
            kept = eigvals.size if isinstance(k, float) else k
            if eigvals[kept - 1] >= 1e-8 * eigvals[0]:  # accurate enough: done
                return eigvals / (n - 1), flip_signs(eigvecs)
        _, s, Vt = np.linalg.svd(X - self.mean_, full_matrices=False)
        return s**2 / (n - 1), flip_signs(Vt)

    def _fit_randomized(self, X, k: int):
        n, p = X.shape
        n_iter = self.iterated_power
        if n_iter == "auto":
            n_iter = 7 if k < 0.1 * min(n, p) else 4
        _, s, Vt = randomized_svd(
            X - self.mean_,
            k,
            n_oversamples=self.n_oversamples,
            n_iter=n_iter,
            random_state=self.random_state,
        )
        total = float(np.var(X, axis=0, ddof=1).sum())
        return s**2 / (n - 1), flip_signs(Vt), total

    def transform(self, X):
        """Coordinates of ``X`` on the principal axes, shape ``(n_samples, n_components_)``."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z /= np.sqrt(np.maximum(self.explained_variance_, np.finfo(float).tiny))
        return Z

    def inverse_transform(self, X):
        """Map coordinates back to feature space (exact when no component was dropped)."""
        check_is_fitted(self)
        Z = np.asarray(X, dtype=np.float64)
        if Z.ndim != 2 or Z.shape[1] != self.n_components_:
            raise ValueError(f"X must have shape (n, {self.n_components_}), got {Z.shape}")
        axes = self.components_
        if self.whiten:
            axes = np.sqrt(self.explained_variance_)[:, None] * axes
        return Z @ axes + self.mean_

    @property
    def _n_features_out(self):
        return self.n_components_
