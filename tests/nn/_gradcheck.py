"""Central finite differences shared by the nn tests: the library's own helpers, which
``tests/nn/test_nn_debugging_tools.py`` pins against closed forms."""

from mlhood.nn._diagnose import numerical_gradient as numeric_grad
from mlhood.nn._diagnose import relative_error as rel_error

__all__ = ["numeric_grad", "rel_error"]
