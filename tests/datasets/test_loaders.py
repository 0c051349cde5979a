"""The loaders return exactly what scikit-learn ships."""

import numpy as np
import pytest
from sklearn import datasets as sk

import mlhood.datasets as ml

NAMES = ["load_iris", "load_digits", "load_breast_cancer", "load_wine", "load_diabetes"]


@pytest.mark.parametrize("name", NAMES)
def test_arrays_equal_sklearn(name):
    X, y = getattr(ml, name)(return_X_y=True)
    X_ref, y_ref = getattr(sk, name)(return_X_y=True)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(y, y_ref)
    bunch = getattr(ml, name)()
    np.testing.assert_array_equal(bunch.data, X_ref)


@pytest.mark.parametrize("name", NAMES)
def test_as_frame_gives_pandas(name):
    X, y = getattr(ml, name)(as_frame=True, return_X_y=True)
    assert X.shape[0] == y.shape[0] and hasattr(X, "columns")


def test_bad_flag_type():
    with pytest.raises(TypeError, match="as_frame"):
        ml.load_iris(as_frame="yes")
