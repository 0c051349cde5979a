"""Linear models: least squares, Ridge, Lasso, ElasticNet, logistic regression, robust regression and regularization paths."""

from mlhood.linear_model._huber import HuberRegressor
from mlhood.linear_model._ransac import RANSACRegressor

__all__: list[str] = [
    "HuberRegressor",
    "RANSACRegressor",
]
