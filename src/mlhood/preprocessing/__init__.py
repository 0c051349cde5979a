"""Scalers, encoders and polynomial features."""

__all__: list[str] = []
