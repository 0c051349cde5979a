"""scikit-learn's estimator contract for bagging and forests."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.ensemble import (
    BaggingClassifier,
    BaggingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

BOOTSTRAP_WEIGHTS = (
    "a bootstrap draws rows, so a row of weight 2 is not resampled like two copies of it; "
    "scikit-learn's own forests fail this check for the same reason"
)


def expected_failures(estimator):
    if isinstance(estimator, (RandomForestClassifier, RandomForestRegressor)):
        return {"check_sample_weight_equivalence_on_dense_data": BOOTSTRAP_WEIGHTS}
    return {}


@parametrize_with_checks(
    [
        BaggingClassifier(n_estimators=5, random_state=0),
        BaggingRegressor(n_estimators=5, random_state=0),
        RandomForestClassifier(n_estimators=10, random_state=0),
        RandomForestRegressor(n_estimators=10, random_state=0),
    ],
    expected_failed_checks=expected_failures,
)
def test_sklearn_contract(estimator, check):
    check(estimator)
