"""Every public estimator of mlhood, and small data each can be fitted on.

Used by the smoke test (which CI also runs with every dependency at its floor) and by the
concurrent-inference test.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

AREAS = (
    "linear_model",
    "tree",
    "ensemble",
    "neighbors",
    "nn",
    "model_selection",
    "preprocessing",
    "outliers",
    "decomposition",
    "feature_selection",
)


def all_estimators() -> list[type]:
    """Every public estimator class, by area then name."""
    found = []
    for area in AREAS:
        try:
            module = importlib.import_module(f"mlhood.{area}")
        except ModuleNotFoundError:  # an area that does not exist (yet)
            continue
        for name in sorted(getattr(module, "__all__", [])):
            obj = getattr(module, name)
            if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
                found.append(obj)
    return found


def make(cls: type) -> BaseEstimator:
    """An instance with small, fast settings (searches wrap a Ridge or a tree)."""
    from mlhood.linear_model import Ridge
    from mlhood.model_selection import Real

    name = cls.__name__
    if name == "GridSearchCV":
        return cls(Ridge(), {"alpha": [0.1, 1.0]}, cv=3)
    if name == "RandomizedSearchCV":
        return cls(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, n_iter=2, cv=3, random_state=0)
    if name == "BayesSearchCV":
        return cls(
            Ridge(),
            {"alpha": Real(0.01, 10.0, log=True)},
            n_iter=4,
            cv=3,
            random_state=0,
        )
    params = inspect.signature(cls).parameters
    kwargs = {"random_state": 0} if "random_state" in params else {}
    if "n_estimators" in params:
        kwargs["n_estimators"] = 8
    if "max_iter" in params and name.startswith("MLP"):
        kwargs["max_iter"] = 100
    return cls(**kwargs)


def data_for(estimator: BaseEstimator):
    """``(X, y)`` suited to the estimator (``y`` is None for transformers and detectors)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    name = type(estimator).__name__
    if name == "LabelEncoder":
        return None, np.array(["b", "a", "c", "a"] * 30)
    if name in ("OneHotEncoder", "OrdinalEncoder", "TargetEncoder"):
        cats = rng.integers(0, 4, size=(120, 2))
        y = (cats[:, 0] % 2).astype(float) + rng.normal(0, 0.1, 120)
        return cats, y
    if isinstance(estimator, ClassifierMixin) or name == "SelectKBest":
        return X, (X[:, 0] + 0.3 * rng.normal(size=120) > 0.0).astype(int)
    if isinstance(estimator, RegressorMixin) or name.endswith("SearchCV"):
        return X, X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * rng.normal(size=120)
    return X, None


def outputs(estimator: BaseEstimator, X, y=None) -> dict[str, np.ndarray]:
    """Every inference method's output on ``X`` (``y`` for the label encoder)."""
    out = {}
    for method in ("predict", "predict_proba", "decision_function", "transform", "score_samples"):
        if hasattr(estimator, method):
            try:
                arg = y if type(estimator).__name__ == "LabelEncoder" else X
                out[method] = np.asarray(getattr(estimator, method)(arg))
            except (AttributeError, TypeError):  # method not available for this setting
                continue
    return out
