"""Find the categories of one column and map values to category codes, fast.

Three paths, chosen by the column's dtype:

- small-range integers (and bools): one ``bincount`` pass finds the present values and a
  lookup table maps values to codes -- O(n) with no sort;
- other numbers and fixed-width strings: ``np.unique`` (a C sort) and ``searchsorted``;
- Python objects (e.g. strings in an object array): a hash set for the categories and a
  dict lookup for the codes -- O(n), avoiding a sort with Python comparisons.

Every path returns sorted categories and codes in ``0 .. K-1``, with ``-1`` for a value
that is not a category. Missing values (NaN, None) are rejected with a ValueError.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np


def _small_int_range(col: np.ndarray) -> tuple[int, int] | None:
    """``(lo, hi)`` when ``col`` holds integers spanning at most ``2 n + 1024`` values."""
    if col.dtype.kind not in "iub" or col.size == 0:
        return None
    lo, hi = int(col.min()), int(col.max())
    fits = -(2**62) < lo and hi < 2**62
    return (lo, hi) if fits and hi - lo <= 2 * col.size + 1024 else None


def factorize(col: np.ndarray, *, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct values of ``col`` and the code of every value."""
    if col.dtype.kind == "f" and not np.all(np.isfinite(col)):
        raise ValueError(f"column {name} contains NaN or infinity; impute it first")
    span = _small_int_range(col)
    if span is not None:
        lo, _ = span
        shifted = col.astype(np.intp) - lo
        present = np.flatnonzero(np.bincount(shifted))
        lut = np.empty(span[1] - lo + 1, dtype=np.intp)
        lut[present] = np.arange(present.size)
        return (present + lo).astype(col.dtype), lut[shifted]
    if col.dtype.kind != "O":
        return np.unique(col, return_inverse=True)
    values = col.tolist()
    distinct = set(values)
    missing = [v for v in distinct if v is None or (isinstance(v, float) and v != v)]
    if missing:
        raise ValueError(f"column {name} contains missing values ({missing[0]!r}); impute first")
    try:
        categories = sorted(distinct)
    except TypeError as err:
        kinds = sorted({type(v).__name__ for v in distinct})
        raise TypeError(
            f"column {name} mixes value types {kinds}; use one type per column"
        ) from err
    cats = np.empty(len(categories), dtype=object)
    cats[:] = categories
    return cats, _lookup(values, cats)


def _lookup(values: list, cats: np.ndarray) -> np.ndarray:
    table = {value: code for code, value in enumerate(cats.tolist())}
    try:
        return np.fromiter(map(table.__getitem__, values), dtype=np.intp, count=len(values))
    except KeyError:  # some values are not categories: code them -1
        codes = list(map(table.get, values, repeat(-1)))
        return np.fromiter(codes, dtype=np.intp, count=len(codes))
    except TypeError as err:  # unhashable values
        raise TypeError(f"categories must be hashable values: {err}") from err


def encode_column(col: np.ndarray, categories: np.ndarray) -> np.ndarray:
    """Code of each value of ``col`` in ``categories`` (any order); ``-1`` if not found."""
    if categories.size > 1 and categories.dtype.kind != "O":
        order = np.argsort(categories, kind="stable")
        if np.any(order != np.arange(order.size)):
            codes = _encode_sorted(col, categories[order])
            return np.where(codes >= 0, order[codes], -1)
    return _encode_sorted(col, categories)


def _encode_sorted(col: np.ndarray, categories: np.ndarray) -> np.ndarray:
    if categories.size == 0:
        return np.full(col.shape[0], -1, dtype=np.intp)
    if col.dtype.kind == "O" or categories.dtype.kind == "O":
        return _lookup(col.tolist(), categories)
    span = _small_int_range(col)
    if span is not None and categories.dtype.kind in "iub":
        lo, hi = span
        lut = np.full(hi - lo + 1, -1, dtype=np.intp)
        inside = (categories >= lo) & (categories <= hi)
        lut[(categories[inside] - lo).astype(np.intp)] = np.flatnonzero(inside)
        return lut[col.astype(np.intp) - lo]
    try:
        idx = np.searchsorted(categories, col).clip(max=categories.size - 1)
        found = categories[idx] == col
    except TypeError as err:
        raise TypeError(
            f"cannot compare values of dtype {col.dtype} with categories of dtype "
            f"{categories.dtype}"
        ) from err
    return np.where(found, idx, -1)
