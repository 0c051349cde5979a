"""Independent correct solutions for q07 (other algebra than the reference)."""

import numpy as np


def soft_threshold(z, t):
    # piecewise, with np.clip: z - t above t, z + t below -t, 0 in between
    z = np.asarray(z, dtype=np.float32).astype(float)
    return z - np.clip(z, -t, t)


def lasso_coordinate_descent(X, y, alpha, n_iter):
    # covariance updates: keep G = X.T X / n and X.T y / n, never the residual
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    gram = X.T @ X / n
    xty = X.T @ np.asarray(y, dtype=float) / n
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        for j in range(len(w)):
            if gram[j, j] <= 0:
                continue
            rho = xty[j] - gram[j] @ w + gram[j, j] * w[j]
            if rho > alpha:
                w[j] = (rho - alpha) / gram[j, j]
            elif rho < -alpha:
                w[j] = (rho + alpha) / gram[j, j]
            else:
                w[j] = 0.0
    return w.tolist()


def lasso_alpha_max(X, y):
    n = len(y)
    return max(abs(sum(X[i][j] * y[i] for i in range(n))) / n for j in range(len(X[0])))


def ridge_path(X, y, alphas):
    # normal equations on centred data, one solve per alpha
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - x_mean, y - y_mean
    coefs, intercepts = [], []
    for alpha in alphas:
        w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
        coefs.append(w)
        intercepts.append(y_mean - x_mean @ w)
    return np.array(coefs), intercepts
