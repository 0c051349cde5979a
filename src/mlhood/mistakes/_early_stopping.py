"""Mistakes in early stopping (:func:`mlhood.nn.fit`), caught by lab q13."""

from __future__ import annotations

from mlhood.mistakes._catalogue import mistake


@mistake(
    "early-stopping-on-training-loss",
    title="Early stopping watches the training loss instead of the validation loss",
    target="mlhood.nn._train:_EarlyStopping.monitored",
    labs=["q13"],
    explanation="""
The stopping rule reads the training loss, which gradient descent keeps pushing down, so
the 'best' epoch is (nearly) always the last one: training never stops early and the
model overfits exactly as without early stopping. Early stopping is model selection over
epochs; like any selection it must use data the weights were not fit on: monitor the
validation loss.
""",
)
def monitored(self, history) -> float:
    """Wrong: the training loss, even when validation data is given."""
    return history.train_loss[-1]


@mistake(
    "early-stopping-keeps-last",
    title="With restore_best=True the model keeps the last epoch's weights",
    target="mlhood.nn._train:_EarlyStopping.restore",
    labs=["q13"],
    explanation="""
The best weights are recorded but never put back, so the returned model is the one of
the last epoch: `patience` epochs past the best with early stopping, or the fully
overfitted end point with a long patience. The history reports the best epoch while the
model is another one. Load the stored state of the best epoch before returning.
""",
)
def restore(self, model) -> None:
    """Wrong: the stored best weights are left unused."""
