"""A/B testing: hypothesis tests, power and sample size, sample-ratio mismatch, sequential and Bayesian tests."""

__all__: list[str] = []
