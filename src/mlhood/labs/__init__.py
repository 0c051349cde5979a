"""The fifteen labs: each interview answer proven with measured numbers."""

__all__: list[str] = []
