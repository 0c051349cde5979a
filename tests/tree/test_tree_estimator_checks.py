"""scikit-learn's estimator contract for the trees."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.tree import DecisionTreeClassifier, DecisionTreeRegressor


@parametrize_with_checks(
    [DecisionTreeClassifier(random_state=0), DecisionTreeRegressor(random_state=0)]
)
def test_sklearn_contract(estimator, check):
    check(estimator)
