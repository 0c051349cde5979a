"""Neural networks with every forward and backward pass written out."""

__all__: list[str] = []
