"""Every public estimator and function declares its parameters, and a bad one is named.

For each estimator: every ``__init__`` parameter has a constraint, and for each parameter
values that break its constraints (derived from the constraints: just outside a range,
a string that is no option, an object of no accepted type) make ``fit`` raise
InvalidParameterError naming the parameter and the class. Splitters, which have no fit,
raise when built. Functions decorated with ``@validate_params`` are checked the same way.
"""

from __future__ import annotations

import importlib
import inspect
import math
from numbers import Integral

import numpy as np
import pytest
from tests._estimators import all_estimators, data_for, make

from mlhood._params import (
    Elements,
    Interval,
    InvalidParameterError,
    Options,
    RealNotInt,
    check_params,
)
from mlhood.linear_model import Ridge
from mlhood.model_selection import KFold
from mlhood.model_selection._split import BaseSplitter

FUNCTION_AREAS = ("abtest", "datasets", "metrics", "model_selection", "linear_model")


class _Nothing:
    """Of no accepted type: no fit, no split, not iterable, not a number."""

    def __repr__(self) -> str:
        return "<nothing>"


def _near_misses(interval: Interval) -> list:
    """Values just outside ``interval``, of its own kind and of the other kind."""
    values = []
    for bound, open_, step in (
        (interval.left, interval.closed in ("right", "neither"), -1),
        (interval.right, interval.closed in ("left", "neither"), 1),
    ):
        if bound is None or math.isinf(bound):
            continue
        values += [bound + step, bound + 0.5 * step]
        if open_:
            values += [bound, float(bound)]
    if interval.kind is Integral:
        values.append(1.5)
    if interval.kind is RealNotInt:  # an int where only a float is a share
        values += [int(b) for b in (interval.left, interval.right) if b is not None]
    return values


def invalid_values(constraints: list) -> list:
    """Values that satisfy none of ``constraints``: near misses first, then a stranger."""
    candidates = ["__no_such_option__", np.nan]
    for constraint in constraints:
        if isinstance(constraint, Elements):
            candidates += [[v] for v in _near_misses(constraint.interval)] + [[]]
        if isinstance(constraint, Interval):
            candidates += _near_misses(constraint)
    candidates.append(_Nothing())
    bad = []
    for value in candidates:
        try:
            check_params({"p": constraints}, {"p": value}, "probe")
        except InvalidParameterError:
            bad.append(value)
    return bad


def valid_value(constraints: list):
    """One value satisfying ``constraints`` (for a function's required arguments)."""
    for constraint in constraints:
        if isinstance(constraint, Options):
            return constraint.options[0]
        if isinstance(constraint, Interval):
            low = constraint.left if constraint.left is not None else 0
            return low + 1 if constraint.right is None or low + 1 <= constraint.right else low
        if isinstance(constraint, Elements):
            return [valid_value([constraint.interval])]
        named = {
            "boolean": True,
            "random_state": 0,
            "array-like": [1.0, 2.0],
            "estimator": Ridge(),
            "cv_object": KFold(2),
            None: None,
            callable: len,
            str: "x",
        }
        if constraint in named:
            return named[constraint]
    raise AssertionError(f"no valid value known for {constraints}")


# ---------------------------------------------------------------------- estimators
ESTIMATORS = all_estimators()


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_every_init_parameter_is_declared(cls):
    params = set(inspect.signature(cls).parameters)
    declared = set(getattr(cls, "_parameter_constraints", {}))
    assert params == declared, f"{cls.__name__}: undeclared {params - declared}"


CASES = [
    (cls, name)
    for cls in ESTIMATORS
    for name in sorted(getattr(cls, "_parameter_constraints", {}))
]


@pytest.mark.parametrize(("cls", "name"), CASES, ids=lambda c: getattr(c, "__name__", c))
def test_bad_parameter_fails_fit_naming_it(cls, name):
    values = invalid_values(cls._parameter_constraints[name])
    assert values, f"no invalid value for {cls.__name__}.{name}: it accepts anything"
    for value in values:
        estimator = make(cls).set_params(**{name: value})  # accepted until fit
        X, y = data_for(estimator)
        args = (y,) if cls.__name__ == "LabelEncoder" else (X, y)
        message = rf"^The '{name}' parameter of {cls.__name__} must be .+; got .+\.$"
        with pytest.raises(InvalidParameterError, match=message):
            estimator.fit(*args)


def test_an_int_is_a_count_and_a_float_a_share():
    """min_samples_split=1 is one row (too few: refused by the declaration, with the
    common message); 1.0 is all the rows (accepted), as in scikit-learn."""
    from sklearn.tree import DecisionTreeClassifier as Oracle

    from mlhood.tree import DecisionTreeClassifier

    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 2
    message = (
        "The 'min_samples_split' parameter of DecisionTreeClassifier must be an int in the "
        r"range \[2, inf\) or a float in the range \(0, 1\]; got 1\."
    )
    with pytest.raises(InvalidParameterError, match=message):
        DecisionTreeClassifier(min_samples_split=1).fit(X, y)
    for share in (1.0, 0.5, 0.2):
        ours = DecisionTreeClassifier(min_samples_split=share).fit(X, y)
        assert ours.get_depth() == Oracle(min_samples_split=share).fit(X, y).get_depth()
    half = DecisionTreeClassifier(min_samples_split=0.5).fit(X, y)
    single = DecisionTreeClassifier(min_samples_split=np.float32(0.5)).fit(X, y)  # NumPy floats
    assert single.get_depth() == half.get_depth()


SPLITTERS = [
    obj
    for obj in vars(importlib.import_module("mlhood.model_selection")).values()
    if inspect.isclass(obj) and issubclass(obj, BaseSplitter) and obj is not BaseSplitter
]


@pytest.mark.parametrize("cls", SPLITTERS, ids=lambda c: c.__name__)
def test_splitters_declare_and_reject_bad_parameters_when_built(cls):
    assert set(inspect.signature(cls).parameters) == set(cls._parameter_constraints)
    for name, constraints in cls._parameter_constraints.items():
        for value in invalid_values(constraints):
            with pytest.raises(
                InvalidParameterError, match=f"'{name}' parameter of {cls.__name__}"
            ):
                cls(**{name: value})


# ----------------------------------------------------------------------- functions
def _decorated_functions():
    for area in FUNCTION_AREAS:
        module = importlib.import_module(f"mlhood.{area}")
        for name in sorted(module.__all__):
            func = getattr(module, name)
            if inspect.isfunction(func) and hasattr(func, "__wrapped_constraints__"):
                yield func


FUNCTIONS = list(_decorated_functions())
FUNCTION_CASES = [(f, n) for f in FUNCTIONS for n in f.__wrapped_constraints__]


def _valid_call(func) -> dict:
    """Keyword arguments binding every required parameter of ``func`` to a valid value."""
    constraints = func.__wrapped_constraints__
    kwargs = {}
    for p in inspect.signature(func).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        kwargs[p.name] = valid_value(constraints[p.name]) if p.name in constraints else None
    return kwargs


@pytest.mark.parametrize(("func", "name"), FUNCTION_CASES, ids=lambda x: getattr(x, "__name__", x))
def test_bad_argument_fails_naming_it_and_the_function(func, name):
    values = invalid_values(func.__wrapped_constraints__[name])
    assert values, f"no invalid value for {func.__name__}({name}=): it accepts anything"
    for value in values:
        kwargs = {**_valid_call(func), name: value}
        message = rf"^The '{name}' parameter of {func.__name__}\(\) must be .+; got .+\.$"
        with pytest.raises(InvalidParameterError, match=message):
            func(**kwargs)


# Arguments that take any label or a free-form value, so no constraint can be stated.
FREE_ARGUMENTS = {"pos_label", "warn_for", "zero_division", "ar_coef"}


def _public_functions():
    for area in FUNCTION_AREAS:
        module = importlib.import_module(f"mlhood.{area}")
        for name in sorted(module.__all__):
            func = getattr(module, name)
            if inspect.isfunction(func) and func.__module__.startswith("mlhood."):
                yield func


@pytest.mark.parametrize("func", list(_public_functions()), ids=lambda f: f.__name__)
def test_every_scalar_argument_of_a_public_function_is_declared(func):
    scalars = {
        p.name
        for p in inspect.signature(func).parameters.values()
        if isinstance(p.default, (bool, int, float, str)) and p.name not in FREE_ARGUMENTS
    }
    declared = set(getattr(func, "__wrapped_constraints__", {}))
    assert scalars <= declared, f"{func.__name__}: undeclared {scalars - declared}"
