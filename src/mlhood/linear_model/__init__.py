"""Linear models: least squares, Ridge, Lasso, ElasticNet, logistic regression, robust
regression and regularization paths."""

from mlhood.linear_model._coordinate_descent import ElasticNet, Lasso
from mlhood.linear_model._huber import HuberRegressor
from mlhood.linear_model._least_squares import LinearRegression
from mlhood.linear_model._logistic import LogisticRegression
from mlhood.linear_model._paths import enet_path, lasso_path, ridge_path
from mlhood.linear_model._ransac import RANSACRegressor
from mlhood.linear_model._ridge import Ridge

__all__: list[str] = [
    "ElasticNet",
    "HuberRegressor",
    "Lasso",
    "LinearRegression",
    "LogisticRegression",
    "RANSACRegressor",
    "Ridge",
    "enet_path",
    "lasso_path",
    "ridge_path",
]
