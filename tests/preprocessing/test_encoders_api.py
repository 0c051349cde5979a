"""Every mlhood preprocessing estimator of this module group passes scikit-learn's checks."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from mlhood.preprocessing import MinMaxScaler, OneHotEncoder, OrdinalEncoder, RobustScaler


@parametrize_with_checks(
    [
        OneHotEncoder(),
        OneHotEncoder(handle_unknown="ignore", sparse_output=True),
        OrdinalEncoder(),
        MinMaxScaler(),
        RobustScaler(),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
