"""Independent correct solutions for q15 (eigendecomposition, broadcasting, loops)."""

import numpy as np


def pca_svd(X, n_components):
    # eigenvectors of the covariance matrix instead of the SVD
    covariance = np.cov(np.asarray(X, dtype=float), rowvar=False).reshape(X.shape[1], -1)
    values, vectors = np.linalg.eigh(covariance)
    order = np.argsort(values)[::-1][:n_components]
    return vectors[:, order].T, values[order]


def pairwise_distances(A, B):
    return np.sqrt(((np.asarray(A)[:, None, :] - np.asarray(B)[None, :, :]) ** 2).sum(axis=2))


def knn_predict(X_train, y_train, X_test, k):
    predictions = []
    for x in X_test:
        distances = [float(np.sum((x - row) ** 2)) for row in X_train]
        nearest = sorted(range(len(X_train)), key=lambda i: (distances[i], i))[:k]
        votes = {}
        for i in nearest:
            votes[int(y_train[i])] = votes.get(int(y_train[i]), 0) + 1
        top = max(votes.values())
        predictions.append(min(label for label, count in votes.items() if count == top))
    return predictions
