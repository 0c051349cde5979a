"""Mistakes in k-nearest neighbours (:mod:`mlhood.neighbors`), caught by lab q15."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake
from mlhood.neighbors import _search

# Held in a tuple, not as a module attribute, so applying the mistake does not swap it too.
_CORRECT = (_search.nearest,)


@mistake(
    "knn-distance-no-sqrt",
    title="The neighbour search returns squared Euclidean distances",
    target="mlhood.neighbors._search:nearest",
    labs=["q15"],
    explanation="""
Ranking by ||q - x||^2 gives the same neighbours as ranking by ||q - x||, so skipping the
square root is a fine speed-up inside the search, but the distances handed back must be
rooted. Returned squared, every distance-based quantity is off: distance weights become
1/d^2, radii and contrasts are squared, and the relative spread of distances doubles. Take
the square root of the k winners before returning them.
""",
)
def nearest_squared(Q, center, X, sq_norms, k, metric, n_jobs=None):
    """Wrong: squared distances for the Euclidean metric."""
    distances, indices = _CORRECT[0](Q, center, X, sq_norms, k, metric, n_jobs)
    return (distances**2 if metric == "euclidean" else distances), indices


@mistake(
    "knn-majority-ignores-k",
    title="The k-NN vote counts every training label, not the k neighbours' labels",
    target="mlhood.neighbors._classes:KNeighborsClassifier.predict_proba",
    labs=["q15"],
    explanation="""
The vote is taken over the labels of the whole training set instead of the labels of the
k nearest rows (the neighbour indices are computed, then not used to index y). Every query
gets the same class shares, so the classifier always predicts the majority class and its
accuracy is the majority rate whatever the features. Index the training labels with the
neighbour indices: y_train[indices], one row of k labels per query.
""",
)
def predict_proba_all_labels(self, X):
    """Wrong: the class shares of the whole training set for every query."""
    indices = self.kneighbors(X, return_distance=False)
    shares = np.bincount(self._y_codes, minlength=self.classes_.size) / self._y_codes.size
    return np.tile(shares, (indices.shape[0], 1))
