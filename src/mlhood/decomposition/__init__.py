"""Principal component analysis."""

from mlhood.decomposition._pca import PCA

__all__: list[str] = ["PCA"]
