"""scikit-learn's estimator contract for k-nearest neighbours."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.neighbors import KNeighborsClassifier, KNeighborsRegressor


@parametrize_with_checks(
    [
        KNeighborsClassifier(),
        KNeighborsRegressor(weights="distance", metric="manhattan"),
    ]
)
def test_sklearn_contract(estimator, check):
    check(estimator)
