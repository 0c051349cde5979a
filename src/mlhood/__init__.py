"""mlhood: machine learning with the hood open.

Classic machine-learning techniques implemented from scratch in NumPy/SciPy behind
scikit-learn's estimator API, and fifteen labs that prove each interview answer with
measured numbers (``mlhood labs``).

Subpackages mirror scikit-learn's module names: :mod:`mlhood.linear_model`,
:mod:`mlhood.tree`, :mod:`mlhood.ensemble`, :mod:`mlhood.neighbors`, :mod:`mlhood.nn`,
:mod:`mlhood.model_selection`, :mod:`mlhood.preprocessing`, :mod:`mlhood.outliers`,
:mod:`mlhood.decomposition`, :mod:`mlhood.metrics`, :mod:`mlhood.abtest`,
:mod:`mlhood.datasets` and :mod:`mlhood.labs`.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
