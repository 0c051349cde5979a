"""Linear models: least squares, Ridge, Lasso, ElasticNet, logistic regression, robust regression and regularization paths."""

__all__: list[str] = []
