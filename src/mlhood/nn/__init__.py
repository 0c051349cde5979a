"""Neural networks with every forward and backward pass written out."""

from mlhood.nn._activations import LeakyReLU, ReLU, Sigmoid, Tanh
from mlhood.nn._diagnose import Finding, diagnose, gradient_check, numerical_gradient
from mlhood.nn._history import History
from mlhood.nn._init import (
    he_normal,
    he_uniform,
    normal,
    xavier_normal,
    xavier_uniform,
    zeros,
)
from mlhood.nn._layers import Dropout, Layer, Linear
from mlhood.nn._losses import BCEWithLogitsLoss, CrossEntropyLoss, Loss, MSELoss, log_softmax
from mlhood.nn._mlp import MLPClassifier, MLPRegressor
from mlhood.nn._optim import SGD, Adam, AdamW, Optimizer, RMSProp, clip_grad_norm
from mlhood.nn._parameter import Parameter
from mlhood.nn._schedules import CosineAnnealingLR, ExponentialLR, LRScheduler, StepLR
from mlhood.nn._sequential import Sequential
from mlhood.nn._train import fit
from mlhood.nn._transfer import copy_layers, freeze, layer_param_groups, replace_head, unfreeze

__all__ = [
    "Adam",
    "AdamW",
    "BCEWithLogitsLoss",
    "CosineAnnealingLR",
    "CrossEntropyLoss",
    "Dropout",
    "ExponentialLR",
    "Finding",
    "History",
    "LRScheduler",
    "Layer",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MLPClassifier",
    "MLPRegressor",
    "MSELoss",
    "Optimizer",
    "Parameter",
    "RMSProp",
    "ReLU",
    "SGD",
    "Sequential",
    "Sigmoid",
    "StepLR",
    "Tanh",
    "clip_grad_norm",
    "copy_layers",
    "diagnose",
    "gradient_check",
    "numerical_gradient",
    "fit",
    "freeze",
    "he_normal",
    "he_uniform",
    "layer_param_groups",
    "log_softmax",
    "normal",
    "replace_head",
    "unfreeze",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]
