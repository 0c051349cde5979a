"""Scalers, encoders and polynomial features."""

from mlhood.preprocessing._encoders import OrdinalEncoder
from mlhood.preprocessing._label import LabelEncoder
from mlhood.preprocessing._minmax import MinMaxScaler
from mlhood.preprocessing._onehot import OneHotEncoder
from mlhood.preprocessing._robust import RobustScaler

__all__: list[str] = [
    "LabelEncoder",
    "MinMaxScaler",
    "OneHotEncoder",
    "OrdinalEncoder",
    "RobustScaler",
]
