"""The result type of the frequentist tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TestResult:
    """Outcome of a hypothesis test.

    Unpacks as ``statistic, pvalue = result``, like SciPy's and statsmodels' tuples.

    Attributes
    ----------
    statistic : float
        Test statistic (z, t or chi-square).
    pvalue : float
    estimate : float
        The effect the test is about (e.g. difference of rates or means).
    confidence_interval : tuple of float
        ``(low, high)`` for ``estimate`` at level ``1 - alpha``.
    alternative : str
    method : str
        Short description of the test.
    df : float or None
        Degrees of freedom where the test has them.
    """

    __test__ = False  # not a pytest test class

    statistic: float
    pvalue: float
    estimate: float
    confidence_interval: tuple[float, float]
    alternative: str
    method: str
    df: float | None = None

    def __iter__(self):
        yield self.statistic
        yield self.pvalue
