"""Mistakes in the categorical encoders (one-hot and target encoding), caught by lab q14."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


@mistake(
    "onehot-unknown-to-known",
    title="With handle_unknown='ignore', an unseen category lights up a known category's column",
    target="mlhood.preprocessing._onehot:OneHotEncoder._build_slots",
    labs=["q14"],
    explanation="""
Unknown values get the code -1, and the code-to-column table has no entry for it, so
table[-1] silently returns the column of the last known category. An unseen category is
then encoded exactly like that category and the model predicts that category's effect
for it. 'ignore' promises an all-zero row (the model's baseline): give the table an
explicit slot for -1 that maps to "no column", and test an unseen value.
""",
)
def _build_slots(self, infrequent: list[np.ndarray]) -> None:
    """Wrong: the table has no slot for code -1, so -1 wraps to the last category."""
    self._slots, self._widths, drop_idx = [], [], []
    for cats, rare in zip(self.categories_, infrequent):
        slot = np.full(cats.size, -1, dtype=np.intp)
        slot[np.flatnonzero(~rare)] = np.arange((~rare).sum())
        width = int((~rare).sum())
        if rare.any():
            slot[np.flatnonzero(rare)] = width
            width += 1
        drop = self.drop == "first" or (self.drop == "if_binary" and width == 2)
        drop_idx.append(int(np.flatnonzero(slot == 0)[0]) if drop else None)
        if drop:
            slot[slot == 0] = -1
            slot[slot > 0] -= 1
            width -= 1
        self._slots.append(slot)
        self._widths.append(width)
    self._offsets = np.r_[0, np.cumsum(self._widths)].astype(np.intp)
    self._absolute_slots = [
        np.where(slot >= 0, slot + offset, -1) for slot, offset in zip(self._slots, self._offsets)
    ]
    self.drop_idx_ = None if self.drop is None else np.array(drop_idx, dtype=object)


@mistake(
    "onehot-min-frequency-off-by-one",
    title="Categories with exactly min_frequency rows are grouped as infrequent",
    target="mlhood.preprocessing._onehot:OneHotEncoder._infrequent_mask",
    labs=["q14"],
    explanation="""
min_frequency is the smallest count a category needs to keep its own column; the test
for "rare" must be count < min_frequency. Writing count <= min_frequency also groups the
categories that have exactly min_frequency rows, so the encoder is narrower than asked
and those categories lose their own coefficient. Boundary values are where such an
off-by-one shows: count the levels that should survive and compare with the width.
""",
)
def _infrequent_mask(self, counts: np.ndarray, n_samples: int) -> np.ndarray:
    """Wrong: ``counts <= limit`` instead of ``counts < limit``."""
    mask = np.zeros(counts.size, dtype=bool)
    if self.min_frequency is not None:
        limit = self.min_frequency
        if isinstance(limit, float):
            limit = limit * n_samples
        mask = counts <= limit
    return mask


@mistake(
    "target-encoder-no-crossfit",
    title="TargetEncoder.fit_transform encodes each training row with its own target",
    target="mlhood.preprocessing._target:TargetEncoder.fit_transform",
    labs=["q14"],
    explanation="""
fit_transform computes the category means on all the training rows and encodes those same
rows with them, so each row's encoding contains its own target. For a category with one
or two rows the encoding nearly is the label: the model trusts the column, its training
score soars and the test score drops. Encode each training row with means from the other
folds only (cross-fitting), and keep fit + transform for new data.
""",
)
def fit_transform(self, X, y):
    """Wrong: in-sample encodings for the training rows."""
    return self.fit(X, y).transform(X)


@mistake(
    "target-encoder-smooth-ignored",
    title="The target encoder uses raw category means and ignores smooth",
    target="mlhood.preprocessing._target:category_encoding",
    labs=["q14"],
    explanation="""
The encoding of a category is its plain target mean, whatever smooth says. A category
seen once is then encoded by that one noisy target, with the same confidence as a
category seen a thousand times. Shrink towards the overall mean in proportion to the
evidence: (n_c·ȳ_c + m·ȳ)/(n_c + m), so rare categories stay close to the prior.
""",
)
def category_encoding(codes, y, n_categories, smooth, y_mean, y_variance):
    """Wrong: ``smooth`` is ignored; unseen categories still get ``y_mean``."""
    known = codes >= 0
    counts = np.bincount(codes[known], minlength=n_categories)
    sums = np.bincount(codes[known], weights=y[known], minlength=n_categories)
    return np.where(counts > 0, sums / np.maximum(counts, 1), y_mean)
