"""k-nearest-neighbour classification and regression."""

__all__: list[str] = []
