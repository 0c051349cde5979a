"""Bayesian comparison of two conversion rates with Beta-Binomial conjugacy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad
from scipy.stats import beta as beta_dist

from mlhood._params import Elements, validate_params
from mlhood.abtest._checks import ALPHA, POSITIVE, check_counts


@dataclass(frozen=True)
class BayesResult:
    """Outcome of :func:`beta_binomial_test` (arm A = control, arm B = treatment).

    Attributes
    ----------
    prob_b_beats_a : float
        Posterior ``P(p_B > p_A)``.
    expected_loss_a, expected_loss_b : float
        Posterior expected loss (in conversion-rate units) of shipping A, resp. B:
        ``E[max(p_B - p_A, 0)]`` and ``E[max(p_A - p_B, 0)]``.
    posterior_a, posterior_b : tuple of float
        Beta parameters ``(a, b)`` of each arm's posterior.
    credible_a, credible_b : tuple of float
        Equal-tailed ``1 - alpha`` credible intervals of each rate.
    """

    prob_b_beats_a: float
    expected_loss_a: float
    expected_loss_b: float
    posterior_a: tuple[float, float]
    posterior_b: tuple[float, float]
    credible_a: tuple[float, float]
    credible_b: tuple[float, float]


def _integrate(func, a, b):
    """``int f_B(x) func(x) dx`` over the bulk of the B posterior ``Beta(a, b)``."""
    low, high = beta_dist.ppf([1e-12, 1 - 1e-12], a, b)
    mode_region = beta_dist.ppf([0.01, 0.5, 0.99], a, b)
    value, _ = quad(
        lambda x: beta_dist.pdf(x, a, b) * func(x),
        low,
        high,
        points=mode_region,
        limit=200,
        epsabs=1e-12,
        epsrel=1e-10,
    )
    return value


def expected_shortfall(x, a, b):
    """``E[max(P - x, 0)]`` for ``P ~ Beta(a, b)``.

    Uses ``E[P 1{P > x}] = a / (a + b) * SF_{Beta(a+1, b)}(x)``, so
    ``E[(P - x)+] = a / (a + b) * SF_{a+1,b}(x) - x * SF_{a,b}(x)``.
    """
    return a / (a + b) * beta_dist.sf(x, a + 1, b) - x * beta_dist.sf(x, a, b)


@validate_params({"prior": [Elements(POSITIVE[0])], "alpha": ALPHA})
def beta_binomial_test(counts, nobs, prior=(1.0, 1.0), alpha=0.05):
    """Posterior comparison of two rates under independent Beta priors.

    With prior ``Beta(a0, b0)`` and ``x`` conversions out of ``n`` users, each rate's
    posterior is ``Beta(a0 + x, b0 + n - x)`` (conjugacy). Then, by one-dimensional
    integration over ``p_B``::

        P(p_B > p_A)     = int f_B(y) F_A(y) dy
        E[(p_A - p_B)+]  = int f_B(y) E[(p_A - y)+] dy     (loss of shipping B)
        E[(p_B - p_A)+]  = E[(p_A - p_B)+] + E[p_B] - E[p_A]  (loss of shipping A)

    The expected loss (Stucchio 2015) says how much conversion rate we expect to give
    up by shipping an arm that is in fact worse; a common rule is to ship when it falls
    below a "threshold of caring".

    Parameters
    ----------
    counts, nobs : array-like of 2 ints
        Conversions and users of A (control) and B (treatment).
    prior : tuple of 2 floats, default=(1, 1)
        ``(a0, b0)``; the default is uniform.
    alpha : float, default=0.05
        For the credible intervals.

    Returns
    -------
    BayesResult

    Examples
    --------
    >>> from mlhood.abtest import beta_binomial_test
    >>> result = beta_binomial_test([100, 120], [10_000, 10_000])
    >>> round(result.prob_b_beats_a, 3)
    0.912
    """
    counts, nobs = check_counts(counts, nobs, n_arms=2)
    a0, b0 = (float(v) for v in prior)
    a_a, b_a = a0 + counts[0], b0 + nobs[0] - counts[0]
    a_b, b_b = a0 + counts[1], b0 + nobs[1] - counts[1]
    prob = _integrate(lambda y: beta_dist.cdf(y, a_a, b_a), a_b, b_b)
    loss_b = _integrate(lambda y: expected_shortfall(y, a_a, b_a), a_b, b_b)
    loss_a = loss_b + a_b / (a_b + b_b) - a_a / (a_a + b_a)
    tails = [alpha / 2.0, 1.0 - alpha / 2.0]
    return BayesResult(
        prob_b_beats_a=float(np.clip(prob, 0.0, 1.0)),
        expected_loss_a=float(max(loss_a, 0.0)),
        expected_loss_b=float(max(loss_b, 0.0)),
        posterior_a=(float(a_a), float(b_a)),
        posterior_b=(float(a_b), float(b_b)),
        credible_a=tuple(float(v) for v in beta_dist.ppf(tails, a_a, b_a)),
        credible_b=tuple(float(v) for v in beta_dist.ppf(tails, a_b, b_b)),
    )
