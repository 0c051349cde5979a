"""Transfer learning: reuse trained layers, replace the head, freeze or slow down layers.

The recipe: train a network on a source task, copy its hidden layers into a new network
for the target task, put a fresh output layer (the *head*) on top, then either

- freeze the copied layers (``requires_grad = False``) and train only the head (the
  copied layers act as a fixed feature extractor), or
- fine-tune everything, with a smaller learning rate for the copied layers so the head
  can settle before the features move much (Yosinski et al., 2014, "How transferable are
  features in deep neural networks?").
"""

from __future__ import annotations

import copy

from mlhood.nn._layers import Linear
from mlhood.nn._sequential import Sequential


def _layer_indices(model: Sequential, layers) -> list[int]:
    if layers is None:
        return list(range(len(model)))
    if isinstance(layers, slice):
        return list(range(len(model)))[layers]
    indices = [int(i) % len(model) for i in layers]
    return indices


def copy_layers(source: Sequential, target: Sequential, layers=None) -> Sequential:
    """Copy the parameters of ``source[i]`` into ``target[i]`` for each index in ``layers``.

    ``layers`` is a list of indices or a slice (default: all); shapes must agree. Returns
    ``target``. The values are copied, so later training of one model leaves the other alone.
    """
    for i in _layer_indices(source, layers):
        src, dst = source[i].parameters(), target[i].parameters()
        if len(src) != len(dst):
            raise ValueError(f"layer {i}: {source[i]!r} and {target[i]!r} differ in parameters")
        for p_src, p_dst in zip(src, dst):
            if p_src.shape != p_dst.shape:
                raise ValueError(
                    f"layer {i}: source {p_src.name} has shape {p_src.shape}, "
                    f"target has shape {p_dst.shape}"
                )
            p_dst.data[...] = p_src.data
    return target


def replace_head(model: Sequential, n_outputs: int, init="xavier_uniform", random_state=None):
    """A copy of ``model`` whose last Linear layer is a fresh ``Linear(in, n_outputs)``.

    Everything before the head is deep-copied (values and frozen flags).
    """
    heads = [i for i, layer in enumerate(model) if isinstance(layer, Linear)]
    if not heads:
        raise ValueError("model has no Linear layer to replace")
    i = heads[-1]
    body = copy.deepcopy(model.layers[:i])
    old = model[i]
    head = Linear(
        old.in_features, n_outputs, init=init, dtype=old.dtype, random_state=random_state
    )
    return Sequential(*body, head, *copy.deepcopy(model.layers[i + 1 :]))


def freeze(model: Sequential, layers=None) -> Sequential:
    """Set ``requires_grad = False`` on the parameters of the given layers."""
    for i in _layer_indices(model, layers):
        for p in model[i].parameters():
            p.requires_grad = False
    return model


def unfreeze(model: Sequential, layers=None) -> Sequential:
    """Set ``requires_grad = True`` on the parameters of the given layers."""
    for i in _layer_indices(model, layers):
        for p in model[i].parameters():
            p.requires_grad = True
    return model


def layer_param_groups(model: Sequential, lr: float, lr_by_layer: dict[int, float]) -> list:
    """Optimizer parameter groups: layer ``i`` gets ``lr_by_layer[i]``, the rest ``lr``.

    Examples
    --------
    >>> from mlhood.nn import Adam, Linear, ReLU, Sequential
    >>> model = Sequential(Linear(4, 8), ReLU(), Linear(8, 2))
    >>> opt = Adam(layer_param_groups(model, 1e-3, {0: 1e-4}))
    >>> [g["lr"] for g in opt.param_groups]
    [0.0001, 0.001]
    """
    special = {int(i) % len(model): float(v) for i, v in lr_by_layer.items()}
    groups = [
        {"params": model[i].parameters(), "lr": v}
        for i, v in special.items()
        if model[i].parameters()
    ]
    rest = [p for i, layer in enumerate(model) if i not in special for p in layer.parameters()]
    if rest:
        groups.append({"params": rest, "lr": float(lr)})
    return groups
