"""Loaders for data that ships with dependencies, and seeded synthetic generators."""

__all__: list[str] = []
