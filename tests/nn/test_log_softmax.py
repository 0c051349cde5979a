"""log_softmax (used by CrossEntropyLoss) against SciPy, at ordinary and at huge logits."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import log_softmax as scipy_log_softmax

from mlhood.nn import CrossEntropyLoss, log_softmax


@settings(max_examples=50, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 5)),
        elements=st.floats(-1e4, 1e4, allow_nan=False),
    )
)
def test_log_softmax_equals_scipy_and_normalises_each_row(logits):
    ours = log_softmax(logits)
    np.testing.assert_allclose(ours, scipy_log_softmax(logits, axis=1), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.exp(ours).sum(axis=1), 1.0, rtol=1e-12)


def test_cross_entropy_stays_finite_for_logits_in_the_thousands():
    logits = np.array([[3000.0, 0.0, -3000.0], [-5000.0, 5000.0, 4990.0]])
    loss_fn = CrossEntropyLoss()
    value = loss_fn.forward(logits, np.array([1, 2]))
    assert value == pytest.approx(np.mean([3000.0, 10.0 + np.log1p(np.exp(-10.0))]), rel=1e-12)
    assert np.all(np.isfinite(loss_fn.backward()))
