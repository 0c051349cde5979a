"""Independent correct solutions for q03 (loops and other conventions than the reference)."""

import numpy as np


def dropout_forward(x, p, rng):
    # float32 output, a dict cache, mask from integers drawn with `random`: still correct.
    x = np.asarray(x, dtype=np.float32)
    keep = 1.0 - p
    draws = rng.random(x.shape)
    out = np.zeros_like(x)
    mask = np.zeros(x.shape, dtype=bool)
    for index in np.ndindex(x.shape):
        if draws[index] < keep:
            mask[index] = True
            out[index] = x[index] / keep
    return out.tolist(), {"mask": mask, "keep": keep}


def dropout_backward(dout, cache):
    return np.where(cache["mask"], np.asarray(dout) / cache["keep"], 0.0)


def dropout_layer(x, p, rng, training):
    if training:
        return dropout_forward(x, p, rng)[0]
    return [list(row) for row in np.asarray(x)] if np.ndim(x) == 2 else x
