"""scikit-learn's estimator checks for every linear model of issue 2."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)

ESTIMATORS = [
    LinearRegression(),
    Ridge(),
    Lasso(alpha=0.01),
    ElasticNet(alpha=0.01),
    LogisticRegression(),
    LogisticRegression(penalty="elasticnet", l1_ratio=0.5),  # the proximal Newton solver
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible(estimator, check):
    check(estimator)
