"""Mistakes in hyperparameter search and nested CV (:mod:`mlhood.model_selection`).

Caught by labs q04 (grid, random and Bayesian search) and q13 (selection, nested CV).
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone

from mlhood.mistakes._catalogue import mistake
from mlhood.model_selection._gp import GaussianProcess
from mlhood.model_selection._split import _take

_CORRECT_PREDICT = GaussianProcess.predict


@mistake(
    "ei-maximisation-form",
    title="Expected improvement uses mu - best (the maximisation form) on a minimisation",
    target="mlhood.model_selection._acquisition:standardised_improvement",
    labs=["q04"],
    explanation="""
For a loss to minimise the improvement over the incumbent f* is f* - mu(x): a point is
promising when its predicted loss is *below* f*. Writing mu - best (the textbook form for
maximisation) rewards points predicted to be *worse*, so Bayesian optimisation hunts for
high losses and does worse than random search. Write the improvement in the direction of
the objective, and check EI against a Monte-Carlo mean of max(f* - f, 0).
""",
)
def standardised_improvement(mu, sigma, best: float):
    """Wrong: ``(mu - best) / sigma``, the improvement of a maximisation."""
    return (mu - best) / sigma, 1.0 / sigma


@mistake(
    "random-search-reuses-draw",
    title="Random search seeds a fresh generator with the same seed for every trial",
    target="mlhood.model_selection._proposers:RandomProposer.propose",
    labs=["q04"],
    explanation="""
Each trial builds its generator from the search seed alone, so every trial draws the
same point: a budget of B trials evaluates one configuration B times. Seed per trial
(e.g. from (seed, trial number)) or draw all trials from one generator; then check that
the trials are distinct.
""",
)
def propose_same_draw(self, start: int, count: int, history: list) -> list:
    """Wrong: ``default_rng(seed)`` for every trial, so all trials coincide."""
    return [self.space.sample(np.random.default_rng(self.seed)) for _ in range(count)]


@mistake(
    "gp-variance-prior-only",
    title="The Gaussian process returns the prior variance, without the data's reduction",
    target="mlhood.model_selection._gp:GaussianProcess.predict",
    labs=["q04"],
    explanation="""
The posterior variance is k(x, x) - k_x^T K^-1 k_x; dropping the second term returns the
prior variance k(x, x) = s_f everywhere. The surrogate then claims to be as unsure at an
evaluated point as far from every point, so expected improvement cannot tell explored
from unexplored regions and Bayesian optimisation loses its exploration. Check that the
variance is near zero at training points (small noise) and grows with distance.
""",
)
def predict_prior_variance(self, X, return_grad: bool = False):
    """Wrong: variance ``s_f`` (prior), gradient of the variance zero."""
    out = list(_CORRECT_PREDICT(self, X, return_grad))
    out[1] = np.full_like(out[1], self.signal_ * self.y_std_**2)
    if return_grad:
        out[3] = np.zeros_like(out[3])
    return tuple(out)


@mistake(
    "search-best-by-lowest-score",
    title="The search ranks candidates by the lowest score instead of the highest",
    target="mlhood.model_selection._search:rank_scores",
    labs=["q04", "q13"],
    explanation="""
Scores follow the 'greater is better' convention (accuracy, negative MSE), but the ranks
are computed as if lower were better, so best_params_ is the worst candidate and
best_score_ its score. It is a sign error that hides easily behind neg_mean_squared_error.
Rank by decreasing score, and check the chosen candidate against the argmax of the
mean test scores.
""",
)
def rank_ascending(mean_scores) -> np.ndarray:
    """Wrong: rank 1 for the lowest mean score."""
    means = np.asarray(mean_scores, dtype=float)
    means = np.where(np.isnan(means), np.inf, means)
    return (1 + np.sum(means[None, :] < means[:, None], axis=1)).astype(np.int32)


@mistake(
    "nested-cv-leaks-outer-test",
    title="Nested CV tunes the inner search on all rows, the outer test fold included",
    target="mlhood.model_selection._validation:outer_fold",
    labs=["q13"],
    explanation="""
The inner search is fit on the whole data set and only then scored on the outer test
fold, so the fold has already taken part in choosing the hyperparameters and in fitting
the refit model. The outer score is then as optimistic as the inner best score, which
nested cross-validation exists to avoid. Fit the inner search on the outer training rows
only.
""",
)
def outer_fold_on_all_rows(search, X, y, train, test, scorer):
    """Wrong: ``search.fit(X, y)`` on every row, then scored on the outer test fold."""
    model = clone(search).fit(X, y)
    score = scorer(model, _take(X, test), None if y is None else _take(y, test))
    return float(score), float(model.best_score_), model.best_params_
