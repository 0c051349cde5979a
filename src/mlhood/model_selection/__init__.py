"""Splitters, cross-validation, curves, hyperparameter search and the bias-variance decomposition."""

__all__: list[str] = []
