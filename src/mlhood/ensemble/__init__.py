"""Bagging and random forests, with out-of-bag estimates."""

__all__: list[str] = []
