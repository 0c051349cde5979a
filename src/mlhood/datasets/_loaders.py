"""Thin wrappers around the small data sets that ship inside scikit-learn.

Nothing is downloaded: these files are part of the scikit-learn wheel. Each loader returns
what :mod:`sklearn.datasets` returns (a :class:`~sklearn.utils.Bunch`, or ``(X, y)`` with
``return_X_y=True``), as NumPy arrays or, with ``as_frame=True``, pandas objects.
"""

from __future__ import annotations

from sklearn import datasets as _sk

from mlhood._params import validate_params

_FLAGS = {"as_frame": ["boolean"], "return_X_y": ["boolean"]}


def _wrap(loader, as_frame: bool, return_X_y: bool):
    return loader(as_frame=as_frame, return_X_y=return_X_y)


@validate_params(_FLAGS)
def load_iris(*, as_frame: bool = False, return_X_y: bool = False):
    """Fisher's iris: 150 flowers, 4 measurements, 3 balanced classes.

    Parameters
    ----------
    as_frame : bool, default=False
        Return a pandas DataFrame / Series instead of NumPy arrays.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    Bunch or tuple
        As :func:`sklearn.datasets.load_iris`.

    Examples
    --------
    >>> from mlhood.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> X.shape
    (150, 4)
    """
    return _wrap(_sk.load_iris, as_frame, return_X_y)


@validate_params(_FLAGS)
def load_digits(*, as_frame: bool = False, return_X_y: bool = False):
    """Handwritten digits: 1,797 images of 8x8 pixels (values 0-16), 10 classes.

    Parameters and returns as in :func:`load_iris`.

    Examples
    --------
    >>> from mlhood.datasets import load_digits
    >>> X, y = load_digits(return_X_y=True)
    >>> X.shape
    (1797, 64)
    """
    return _wrap(_sk.load_digits, as_frame, return_X_y)


@validate_params(_FLAGS)
def load_breast_cancer(*, as_frame: bool = False, return_X_y: bool = False):
    """Wisconsin breast cancer: 569 samples, 30 features, binary target (1 = benign).

    Parameters and returns as in :func:`load_iris`.

    Examples
    --------
    >>> from mlhood.datasets import load_breast_cancer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X.shape
    (569, 30)
    """
    return _wrap(_sk.load_breast_cancer, as_frame, return_X_y)


@validate_params(_FLAGS)
def load_wine(*, as_frame: bool = False, return_X_y: bool = False):
    """Wine recognition: 178 samples, 13 chemical features, 3 cultivars.

    Parameters and returns as in :func:`load_iris`.

    Examples
    --------
    >>> from mlhood.datasets import load_wine
    >>> X, y = load_wine(return_X_y=True)
    >>> X.shape
    (178, 13)
    """
    return _wrap(_sk.load_wine, as_frame, return_X_y)


@validate_params(_FLAGS)
def load_diabetes(*, as_frame: bool = False, return_X_y: bool = False):
    """Diabetes progression: 442 patients, 10 (scaled) features, continuous target.

    Parameters and returns as in :func:`load_iris`.

    Examples
    --------
    >>> from mlhood.datasets import load_diabetes
    >>> X, y = load_diabetes(return_X_y=True)
    >>> X.shape
    (442, 10)
    """
    return _wrap(_sk.load_diabetes, as_frame, return_X_y)
