"""Decision trees (CART) for classification and regression."""

__all__: list[str] = []
