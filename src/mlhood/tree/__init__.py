"""Decision trees (CART) for classification and regression."""

from mlhood.tree._classes import DecisionTreeClassifier, DecisionTreeRegressor
from mlhood.tree._export import export_text
from mlhood.tree._tree import Tree

__all__ = ["DecisionTreeClassifier", "DecisionTreeRegressor", "Tree", "export_text"]
