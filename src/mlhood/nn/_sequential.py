"""Sequential: a stack of layers run in order forward and in reverse order backward."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from mlhood.nn._layers import Dropout, Layer, Linear
from mlhood.nn._parameter import Parameter


def _check_widths(layers: list[Layer]) -> None:
    """Raise when a Linear layer's input width differs from the width flowing into it."""
    width, source = None, None
    for i, layer in enumerate(layers):
        if isinstance(layer, Linear):
            if width is not None and layer.in_features != width:
                raise ValueError(
                    f"shape mismatch between layers: layer {source} ({layers[source]!r}) "
                    f"outputs shape (n_samples, {width}) but layer {i} ({layer!r}) expects "
                    f"shape (n_samples, {layer.in_features})"
                )
            width, source = layer.out_features, i


class Sequential(Layer):
    """Layers applied one after another.

    ``forward`` runs ``X -> layer_0 -> layer_1 -> ...``; ``backward`` takes ``dL/d(output)``
    and runs the layers in reverse, each turning the gradient w.r.t. its output into the
    gradient w.r.t. its input (the chain rule) and storing its parameter gradients.

    Parameters
    ----------
    *layers : Layer

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import Linear, ReLU, Sequential
    >>> model = Sequential(Linear(4, 8, random_state=0), ReLU(), Linear(8, 3, random_state=1))
    >>> model.forward(np.ones((5, 4))).shape
    (5, 3)
    >>> [p.name for p in model.parameters()]
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *layers: Layer) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(f"layer {i} must be an mlhood.nn layer, got {type(layer)!r}")
        _check_widths(list(layers))
        self.layers = list(layers)
        self._name_parameters()

    def _name_parameters(self) -> None:
        for i, layer in enumerate(self.layers):
            for attr in ("weight", "bias"):
                param = getattr(layer, attr, None)
                if isinstance(param, Parameter):
                    param.name = f"{i}.{attr}"

    # -- container protocol -------------------------------------------------------------
    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __setitem__(self, index: int, layer: Layer) -> None:
        layers = list(self.layers)
        layers[index] = layer
        _check_widths(layers)
        self.layers = layers
        self._name_parameters()

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.layers)

    def append(self, layer: Layer) -> Sequential:
        _check_widths([*self.layers, layer])
        self.layers.append(layer)
        self._name_parameters()
        return self

    def __repr__(self) -> str:
        inner = ",\n  ".join(f"({i}) {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n  {inner}\n)"

    # -- passes ------------------------------------------------------------------------
    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output of the last layer (a fresh array, safe to keep)."""
        out = X
        for layer in self.layers:
            out = layer.forward(out)
        return out.copy() if out is not X else out

    def backward(self, grad: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Back-propagate ``grad = dL/d(output)``; return ``dL/dX`` (or None)."""
        last = len(self.layers) - 1
        for i in range(last, -1, -1):
            grad = self.layers[i].backward(grad, need_input_grad=need_input_grad or i > 0)
        return grad

    def train(self, mode: bool = True) -> Sequential:
        self.training = bool(mode)
        for layer in self.layers:
            layer.train(mode)
        return self

    def parameters(self) -> list[Parameter]:
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad.fill(0)

    @property
    def dtype(self) -> np.dtype:
        params = self.parameters()
        return params[0].dtype if params else np.dtype(np.float64)

    def astype(self, dtype) -> Sequential:
        """Convert every parameter (and its gradient) to ``dtype`` in place."""
        for layer in self.layers:
            if isinstance(layer, Linear):
                layer.dtype = np.dtype(dtype)
            for p in layer.parameters():
                p.data = p.data.astype(dtype)
                p.grad = p.grad.astype(dtype)
        return self

    def dropout_layers(self) -> list[Dropout]:
        return [layer for layer in self.layers if isinstance(layer, Dropout)]

    # -- persistence -------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Parameter name -> a copy of its values."""
        return {p.name: p.data.copy() for p in self.parameters()}

    def load_state_dict(self, state: dict[str, np.ndarray], strict: bool = True) -> None:
        """Copy values from ``state`` into the parameters (shapes must agree)."""
        params = {p.name: p for p in self.parameters()}
        missing = sorted(set(params) - set(state))
        unexpected = sorted(set(state) - set(params))
        if strict and (missing or unexpected):
            raise ValueError(f"state_dict mismatch: missing {missing}, unexpected {unexpected}")
        for name, values in state.items():
            if name not in params:
                continue
            values = np.asarray(values)
            if values.shape != params[name].shape:
                raise ValueError(
                    f"state_dict[{name!r}] has shape {values.shape}, "
                    f"parameter has shape {params[name].shape}"
                )
            params[name].data[...] = values

    def save(self, path: str | Path) -> None:
        """Save :meth:`state_dict` to an ``.npz`` file (plain arrays, no pickle)."""
        np.savez(path, **self.state_dict())

    def load(self, path: str | Path, strict: bool = True) -> None:
        """Load parameters saved by :meth:`save` (read with ``allow_pickle=False``)."""
        with np.load(path, allow_pickle=False) as data:
            self.load_state_dict({k: data[k] for k in data.files}, strict=strict)
