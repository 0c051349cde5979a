"""Independent correct solutions for q10 (explicit quantile interpolation, loops, inverses)."""

import numpy as np


def _quantile(sorted_values, q):
    # linear interpolation between order statistics at position q * (n - 1)
    position = q * (len(sorted_values) - 1)
    low = int(np.floor(position))
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (position - low) * (sorted_values[high] - sorted_values[low])


def iqr_outliers(x, k=1.5):
    ordered = sorted(float(v) for v in x)
    q1, q3 = _quantile(ordered, 0.25), _quantile(ordered, 0.75)
    low, high = q1 - k * (q3 - q1), q3 + k * (q3 - q1)
    return [v < low or v > high for v in x]


def modified_zscore(x):
    # 1 / 1.4826 is the same consistency constant as 0.6745, to four digits
    x = np.asarray(x, dtype=np.float64)
    centre = np.percentile(x, 50)
    mad = np.percentile(np.abs(x - centre), 50)
    return (x - centre) / (1.4826 * mad)


def mahalanobis_distances(X, location, covariance):
    precision = np.linalg.inv(covariance)
    return [float(np.sqrt((x - location) @ precision @ (x - location))) for x in X]
