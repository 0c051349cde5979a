"""Small argument checks shared by the generators."""

from __future__ import annotations

import numbers


def check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an int after checking it is an integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def check_float(name: str, value, low: float, high: float, *, closed: str = "both") -> float:
    """Return ``value`` as a float after checking it lies in ``[low, high]``.

    ``closed`` is ``"both"``, ``"left"``, ``"right"`` or ``"neither"``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    value = float(value)
    left_ok = value >= low if closed in ("both", "left") else value > low
    right_ok = value <= high if closed in ("both", "right") else value < high
    if not (left_ok and right_ok) or value != value:
        lb = "[" if closed in ("both", "left") else "("
        rb = "]" if closed in ("both", "right") else ")"
        raise ValueError(f"{name} must be in {lb}{low}, {high}{rb}, got {value}")
    return value
