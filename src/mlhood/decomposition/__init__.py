"""Principal component analysis."""

__all__: list[str] = []
