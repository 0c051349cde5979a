"""Mistakes in transfer learning (:mod:`mlhood.nn._transfer`), caught by lab q09."""

from __future__ import annotations

from mlhood.mistakes._catalogue import mistake
from mlhood.nn._init import get_initialiser
from mlhood.nn._layers import Linear


@mistake(
    "freeze-still-updates",
    title="Freezing a layer does not stop the optimizer from updating it",
    target="mlhood.nn._transfer:freeze",
    labs=["q09"],
    explanation="""
freeze sets a 'frozen' flag on the layer object, but the optimizer only skips parameters
whose requires_grad is False, so the 'frozen' layers keep learning at the head's (large)
learning rate: the features being reused drift away and the comparison 'frozen features
+ new head' silently becomes full fine-tuning. Freeze the parameters themselves (or leave
them out of the optimizer) and check that their values are unchanged after training.
""",
)
def freeze_layer_flag(model, layers=None):
    """Wrong: marks the layers, not their parameters."""
    chosen = range(len(model)) if layers is None else layers
    for i in chosen:
        model[i].frozen = True
    return model


@mistake(
    "copy-layers-reinitialises",
    title="Copying layers for transfer re-initialises them instead of copying the weights",
    target="mlhood.nn._transfer:copy_layers",
    labs=["q09"],
    explanation="""
The 'copied' layers are rebuilt from their shapes (a fresh Linear of the same size), so the
target network gets the source's architecture but not what it learned: 'transfer' becomes
training from random weights (frozen random features, in the frozen variant). The shapes
all agree and nothing crashes; only the numbers show it. Copy the parameter values
(target_param.data[...] = source_param.data) and compare them after copying.
""",
)
def copy_layers_fresh(source, target, layers=None):
    """Wrong: re-draws each layer's weights (He normal, bias 0) instead of copying them."""
    chosen = range(len(source)) if layers is None else layers
    for i in chosen:
        layer = source[i]
        if isinstance(layer, Linear):
            fresh = get_initialiser("he_normal")(layer.weight.shape, i)
            target[i].weight.data[...] = fresh
            target[i].bias.data[...] = 0.0
    return target


@mistake(
    "copy-layers-aliases",
    title="Copying layers shares the source's arrays instead of copying them",
    target="mlhood.nn._transfer:copy_layers",
    labs=["q09"],
    explanation="""
copy_layers assigns target_param.data = source_param.data, so both networks now hold the
SAME array: training the target (fine-tuning) rewrites the source network in place, and
every later transfer starts from weights already tuned on another target draw. Python
assignment never copies an array; write into the target's own array
(target_param.data[...] = source_param.data) or copy explicitly.
""",
)
def copy_layers_shared(source, target, layers=None):
    """Wrong: the target's parameters point at the source's arrays."""
    chosen = range(len(source)) if layers is None else layers
    for i in chosen:
        for p_src, p_dst in zip(source[i].parameters(), target[i].parameters()):
            p_dst.data = p_src.data
    return target


@mistake(
    "layer-lr-groups-ignored",
    title="Per-layer learning rates are built but every layer gets the default rate",
    target="mlhood.nn._transfer:layer_param_groups",
    labs=["q09"],
    explanation="""
The helper that should give the transferred layers their own, smaller learning rate puts
every parameter into one group at the head's rate. Fine-tuning then moves the copied
layers as fast as the fresh head, whose random early gradients can wreck the features
before the head has settled. Check the optimizer's param_groups (one lr per group) and
measure how far each layer moved: the copied ones should move much less.
""",
)
def layer_param_groups_flat(model, lr, lr_by_layer):
    """Wrong: one group, ``lr`` for every layer; ``lr_by_layer`` is ignored."""
    return [{"params": model.parameters(), "lr": float(lr)}]
