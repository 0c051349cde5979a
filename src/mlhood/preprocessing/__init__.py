"""Scalers, encoders and polynomial features."""

from mlhood.preprocessing._encoders import OrdinalEncoder
from mlhood.preprocessing._label import LabelEncoder
from mlhood.preprocessing._minmax import MinMaxScaler
from mlhood.preprocessing._onehot import OneHotEncoder
from mlhood.preprocessing._polynomial import PolynomialFeatures
from mlhood.preprocessing._robust import RobustScaler
from mlhood.preprocessing._scaler import StandardScaler
from mlhood.preprocessing._target import TargetEncoder

__all__: list[str] = [
    "LabelEncoder",
    "MinMaxScaler",
    "OneHotEncoder",
    "OrdinalEncoder",
    "PolynomialFeatures",
    "RobustScaler",
    "StandardScaler",
    "TargetEncoder",
]
