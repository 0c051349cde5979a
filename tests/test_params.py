"""The declarative parameter checks: constraints, messages, the mixin and the decorator."""

from numbers import Integral, Real

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlhood._params import (
    Interval,
    InvalidParameterError,
    Options,
    ValidatedParamsMixin,
    check_params,
    describe,
    validate_params,
)


@pytest.mark.parametrize(
    ("interval", "inside", "outside"),
    [
        (Interval(Real, 0, None, closed="left"), [0, 0.0, 1e300, 3], [-1e-12, -1, np.nan, True]),
        (Interval(Real, 0, 1, closed="neither"), [0.5, 1e-9], [0, 1, 1.5, np.nan]),
        (Interval(Integral, 1, None, closed="left"), [1, np.int64(5)], [0, 1.0, 2.5, False]),
        (Interval(Integral, 2, 256, closed="both"), [2, 256], [1, 257]),
    ],
)
def test_interval(interval, inside, outside):
    assert all(interval.is_satisfied_by(v) for v in inside)
    assert not any(interval.is_satisfied_by(v) for v in outside)


def test_descriptions_read_well():
    assert str(Interval(Real, 0, None, closed="left")) == "a float in the range [0, inf)"
    assert str(Interval(Integral, 1, 5, closed="both")) == "an int in the range [1, 5]"
    assert str(Interval(Real, 0, 1, closed="neither")) == "a float in the range (0, 1)"
    assert describe([Options(["l1", "l2"]), None]) == "one of 'l1', 'l2' or None"
    assert describe(["boolean"]) == "a bool"


@pytest.mark.parametrize(
    ("spec", "good", "bad"),
    [
        ("boolean", [True, np.bool_(False)], [1, "yes", None]),
        (
            "random_state",
            [None, 0, 2**32 - 1, np.random.RandomState(0), np.random.default_rng()],
            [-1, 2**32, 1.5, "0", True],
        ),
        (callable, [len, lambda: 0], [1, "f"]),
        (None, [None], [0, ""]),
        ("array-like", [[1], np.ones(2), (1,)], [1, None]),
        (Options({"a", None}), ["a", None], ["b", ["a"]]),
    ],
)
def test_named_constraints(spec, good, bad):
    constraints = {"x": [spec]}
    for value in good:
        check_params(constraints, {"x": value}, "f()")
    for value in bad:
        with pytest.raises(InvalidParameterError, match="The 'x' parameter of f()"):
            check_params(constraints, {"x": value}, "f()")


def test_error_is_both_value_and_type_error_and_names_the_value():
    with pytest.raises(ValueError, match=r"must be a float in the range \[0, inf\); got -2"):
        check_params({"alpha": [Interval(Real, 0, None, closed="left")]}, {"alpha": -2}, "Ridge")
    with pytest.raises(TypeError):
        check_params({"alpha": [Interval(Real, 0, None, closed="left")]}, {"alpha": "x"}, "R")


class _Model(ValidatedParamsMixin):
    _parameter_constraints = {"k": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, k=3):
        self.k = k

    def get_params(self, deep=False):
        return {"k": self.k}


def test_mixin_checks_current_params():
    _Model(2)._validate_params()
    with pytest.raises(InvalidParameterError, match="The 'k' parameter of _Model"):
        _Model(0)._validate_params()


@validate_params({"p": [Interval(Real, 0, 1, closed="left")], "name": [str]})
def _scaled(x, p=0.5, *, name="n"):
    return x * p


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_decorator_accepts_exactly_the_interval(p):
    if 0 <= p < 1:
        assert _scaled(2.0, p) == 2.0 * p
    else:
        with pytest.raises(InvalidParameterError, match=r"The 'p' parameter of _scaled\(\)"):
            _scaled(2.0, p)


def test_decorator_checks_keywords_and_rejects_unknown_names():
    with pytest.raises(InvalidParameterError, match="'name'"):
        _scaled(1.0, name=3)
    with pytest.raises(ValueError, match="name no parameter"):
        validate_params({"nope": [None]})(lambda x: x)
