"""The self-contained HTML report of the labs and its figure helpers."""

__all__: list[str] = []
