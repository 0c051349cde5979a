"""Logistic regression (binary and multinomial) with L2, L1, elastic-net or no penalty.

Objective, with sample weights ``sᵢ`` (times class weights) and ``S = Σ sᵢ``::

    F(W, b) = 1/S Σᵢ sᵢ ℓ(yᵢ, Wxᵢ + b) + 1/(C·S) [ (1-ρ)/2 ‖W‖² + ρ ‖W‖₁ ]

``ℓ`` is the binary log-loss (one weight vector) for two classes and the multinomial
(softmax) log-loss for more; ``ρ`` is 0 for ``"l2"``, 1 for ``"l1"`` and ``l1_ratio`` for
``"elasticnet"``; intercepts are not penalised. This is scikit-learn's objective
``C Σ sᵢ ℓᵢ + penalty`` divided by ``C·S``, so the minimiser is the same.

Smooth cases (``"l2"``, ``None``) are solved by L-BFGS (Nocedal & Wright, *Numerical
Optimization*, §7.2, via ``scipy.optimize``); L1 and elastic net by a proximal Newton method
with a coordinate-descent inner solver (:mod:`mlhood.linear_model._prox_newton`).
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import optimize
from scipy.special import expit, log_expit, logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Interval, Options, ValidatedParamsMixin
from mlhood.linear_model._base import check_weights
from mlhood.linear_model._logistic_loss import LogisticLoss
from mlhood.linear_model._prox_newton import prox_newton

PENALTIES = ("l2", "l1", "elasticnet", None)


def penalty_strengths(penalty, C, l1_ratio, weight_sum):
    """``(l2, l1)`` strengths of the averaged objective for the given hyperparameters."""
    if penalty is None or C == np.inf:
        return 0.0, 0.0
    rho = {"l2": 0.0, "l1": 1.0}.get(penalty, l1_ratio)
    return (1.0 - rho) / (C * weight_sum), rho / (C * weight_sum)


class LogisticRegression(ValidatedParamsMixin, ClassifierMixin, BaseEstimator):
    """Logistic regression classifier (binary, or multinomial softmax for > 2 classes).

    Minimises ``1/S Σ sᵢ ℓᵢ + 1/(C·S)[(1-ρ)/2‖W‖² + ρ‖W‖₁]`` (see the module docstring),
    by L-BFGS for smooth penalties and by proximal Newton with coordinate descent for L1
    and elastic net. Probabilities are ``σ(wᵀx + b)`` for two classes and
    ``softmax(Wx + b)`` otherwise.

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
    C : float, default=1.0
        Inverse penalty strength ``> 0``; ``np.inf`` means no penalty.
    l1_ratio : float, default=None
        Mix ``ρ`` in [0, 1], used only with ``penalty="elasticnet"``.
    fit_intercept : bool, default=True
    class_weight : dict, "balanced" or None, default=None
        Multiplies each sample's weight by its class's weight.
    max_iter : int, default=100
        Maximum number of L-BFGS or Newton iterations.
    tol : float, default=1e-4
        Stop when the max-norm of the (projected/sub-) gradient is ``<= tol``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_iter_ : ndarray of shape (1,)
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.linear_model import LogisticRegression
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> clf = LogisticRegression().fit(X, [0, 0, 1, 1])
    >>> clf.predict([[-3.0], [3.0]])
    array([0, 1])
    """

    _parameter_constraints = {
        "penalty": [Options(PENALTIES)],
        "C": [Interval(Real, 0, None, closed="neither")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both"), None],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, Options(["balanced"]), None],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        penalty="l2",
        *,
        C=1.0,
        l1_ratio=None,
        fit_intercept=True,
        class_weight=None,
        max_iter=100,
        tol=1e-4,
    ):
        self.penalty = penalty
        self.C = C
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : LogisticRegression
        """
        self._validate_params()
        if self.penalty == "elasticnet" and self.l1_ratio is None:
            raise ValueError("l1_ratio must be a float in [0, 1] when penalty='elasticnet'.")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y_code = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(
                "y must contain samples of at least 2 classes; got only one class: "
                f"{self.classes_[0]!r}."
            )
        weights = check_weights(sample_weight, X)
        weights = np.ones(len(y)) if weights is None else weights.astype(np.float64)
        if self.class_weight is not None:
            # "balanced" uses the weighted class counts, as scikit-learn does
            per_class = compute_class_weight(
                self.class_weight, classes=self.classes_, y=y, sample_weight=weights
            )
            weights = weights * per_class[y_code]
        weight_sum = float(weights.sum())
        if weight_sum <= 0:
            raise ValueError("sample_weight must have a positive sum.")
        loss = LogisticLoss(X, y_code, n_classes, weights / weight_sum, self.fit_intercept)
        l2, l1 = penalty_strengths(self.penalty, self.C, self.l1_ratio, weight_sum)
        mask = loss.penalised_mask().astype(float)
        theta0 = np.zeros(loss.size)

        def smooth(theta):
            value, grad = loss.loss_gradient(theta)
            shrunk = l2 * mask * theta
            return value + 0.5 * float(shrunk @ theta), grad + shrunk

        if l1 == 0.0:
            result = optimize.minimize(
                smooth,
                theta0,
                method="L-BFGS-B",
                jac=True,
                options={
                    "maxiter": self.max_iter,
                    "maxls": 50,
                    "gtol": self.tol,
                    "ftol": 64 * np.finfo(float).eps,
                },
            )
            theta, n_iter, converged = result.x, result.nit, result.nit < self.max_iter
        else:
            theta, n_iter, converged = prox_newton(
                smooth,
                lambda t: loss.hessian(t) + np.diag(l2 * mask),
                l1 * mask,
                theta0,
                max_iter=self.max_iter,
                tol=self.tol,
            )
        if not converged:
            warnings.warn(
                f"LogisticRegression did not converge in max_iter={self.max_iter} "
                "iterations; increase max_iter or scale the features.",
                ConvergenceWarning,
                stacklevel=2,
            )
        W, b = loss.split(theta)
        self.coef_ = W.copy()
        self.intercept_ = b.copy()
        self.n_iter_ = np.array([n_iter])
        return self

    def decision_function(self, X):
        """Scores ``Xwᵀ + b``: shape (n_samples,) for two classes, else (n_samples, n_classes)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Most probable class of each sample."""
        scores = self.decision_function(X)
        index = (scores > 0).astype(int) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_[index]

    def predict_log_proba(self, X):
        """Log-probabilities of shape (n_samples, n_classes), computed stably."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return scores - logsumexp(scores, axis=1, keepdims=True)

    def predict_proba(self, X):
        """Class probabilities of shape (n_samples, n_classes); rows sum to 1."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            positive = expit(scores)
            return np.column_stack([1.0 - positive, positive])
        return np.exp(scores - logsumexp(scores, axis=1, keepdims=True))
