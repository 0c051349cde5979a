"""Mistakes in the training diagnostics (:func:`mlhood.nn.diagnose`), caught by lab q02."""

from __future__ import annotations

import numpy as np

from mlhood.mistakes._catalogue import mistake


@mistake(
    "dead-relu-any-sample",
    title="A ReLU unit counts as dead when it outputs 0 for any sample",
    target="mlhood.nn._history:dead_unit_fraction",
    labs=["q02"],
    explanation="""
The dead-unit fraction uses 'outputs 0 for SOME probe sample' instead of 'for EVERY probe
sample'. In a healthy ReLU network about half the units are off for any given input, so
almost every unit is zero somewhere and the diagnosis reports dead ReLUs in every run,
hiding the real cause. A unit is dead only when it is off for all inputs: then it passes
no gradient and cannot recover. Check a diagnostic on a healthy run too, not only on faults.
""",
)
def dead_unit_fraction_any(relu_output: np.ndarray) -> float:
    """Wrong: ``np.any`` where ``np.all`` belongs."""
    return float(np.mean(np.any(relu_output <= 0, axis=0)))
