"""Regression, classification and ranking metrics."""

__all__: list[str] = []
