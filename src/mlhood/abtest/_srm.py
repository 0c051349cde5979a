"""Sample-ratio mismatch: did the randomiser really split users as designed?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

from mlhood._params import validate_params
from mlhood.abtest._checks import ALPHA


@dataclass(frozen=True)
class SRMResult:
    """Outcome of :func:`srm_test`.

    Attributes
    ----------
    statistic : float
        Pearson's chi-square.
    pvalue : float
    df : int
    expected_counts : ndarray
    observed_shares : ndarray
    mismatch : bool
        ``pvalue < alpha``: the split is broken and the experiment's results should not
        be trusted until the cause is found.
    """

    statistic: float
    pvalue: float
    df: int
    expected_counts: np.ndarray
    observed_shares: np.ndarray
    mismatch: bool

    def __iter__(self):
        yield self.statistic
        yield self.pvalue


@validate_params({"alpha": ALPHA})
def srm_test(observed_counts, expected_shares, alpha=0.001):
    """Chi-square goodness-of-fit test of the users per arm against the designed split.

    With ``N`` users in total and designed shares ``s_i`` the expected counts are
    ``E_i = N s_i`` and ``X^2 = sum (O_i - E_i)^2 / E_i`` with ``k - 1`` degrees of
    freedom (Pearson 1900). A mismatch means assignment or logging is broken (bots,
    redirects, crashes in one arm), which biases every comparison. The customary
    threshold is strict (``alpha = 0.001``) because the check runs on every experiment.

    Parameters
    ----------
    observed_counts : array-like of ints
        Users per arm.
    expected_shares : array-like of floats
        Designed share per arm (positive; normalised to sum to 1).
    alpha : float, default=0.001

    Returns
    -------
    SRMResult

    Examples
    --------
    >>> from mlhood.abtest import srm_test
    >>> result = srm_test([600, 400], [0.5, 0.5])
    >>> f"{result.pvalue:.3g}", result.mismatch
    ('2.54e-10', True)
    """
    observed = np.asarray(observed_counts, dtype=float)
    shares = np.asarray(expected_shares, dtype=float)
    if observed.ndim != 1 or shares.shape != observed.shape or observed.size < 2:
        raise ValueError(
            "observed_counts and expected_shares must be 1-D, of equal length >= 2; got "
            f"shapes {observed.shape} and {shares.shape}"
        )
    if not np.all(np.isfinite(observed)) or np.any(observed < 0):
        raise ValueError(f"observed_counts must be non-negative, got {observed.tolist()}")
    if np.any(observed != np.round(observed)):
        raise ValueError(f"observed_counts must be whole numbers, got {observed.tolist()}")
    if not np.all(np.isfinite(shares)) or np.any(shares <= 0):
        raise ValueError(f"expected_shares must be positive, got {shares.tolist()}")
    total = observed.sum()
    if total == 0:
        raise ValueError("observed_counts are all zero: no users to check")
    shares = shares / shares.sum()
    expected = total * shares
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    df = observed.size - 1
    pvalue = float(chi2.sf(statistic, df))
    return SRMResult(statistic, pvalue, df, expected, observed / total, pvalue < alpha)
