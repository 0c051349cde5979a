"""MLPClassifier and MLPRegressor: scikit-learn estimators on top of mlhood.nn."""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from mlhood._params import Elements, Interval, Options, ValidatedParamsMixin
from mlhood._random import as_generator
from mlhood.nn._activations import LeakyReLU, ReLU, Sigmoid, Tanh
from mlhood.nn._layers import Dropout, Linear
from mlhood.nn._losses import CrossEntropyLoss, MSELoss
from mlhood.nn._optim import SGD, Adam, AdamW, RMSProp
from mlhood.nn._sequential import Sequential
from mlhood.nn._train import fit

_ACTIVATIONS = {
    "relu": (ReLU, "he_normal"),
    "leaky_relu": (LeakyReLU, "he_normal"),
    "tanh": (Tanh, "xavier_uniform"),
    "logistic": (Sigmoid, "xavier_uniform"),
    "identity": (None, "xavier_uniform"),
}
_OPTIMIZERS = {"adam": Adam, "adamw": AdamW, "rmsprop": RMSProp, "sgd": SGD}
_POSITIVE_INT = Interval(Integral, 1, None, closed="left")


class _BaseMLP(ValidatedParamsMixin, BaseEstimator):
    """Shared parameters, network construction and training of the MLP estimators."""

    _parameter_constraints = {
        "hidden_layer_sizes": [_POSITIVE_INT, Elements(_POSITIVE_INT)],
        "activation": [Options(_ACTIVATIONS)],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [_POSITIVE_INT, Options(["auto"])],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [_POSITIVE_INT],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [_POSITIVE_INT],
        "tol": [Interval(Real, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "optimizer": [Options(_OPTIMIZERS)],
        "dtype": [Options([np.float32, np.float64])],
        "random_state": ["random_state"],
        "verbose": ["boolean", Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        alpha=1e-4,
        batch_size="auto",
        learning_rate_init=1e-3,
        max_iter=200,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        dropout=0.0,
        optimizer="adam",
        dtype=np.float32,
        random_state=None,
        verbose=False,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.dropout = dropout
        self.optimizer = optimizer
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose

    def _build(self, n_in: int, n_out: int, rng: np.random.Generator) -> Sequential:
        activation, init = _ACTIVATIONS[self.activation]
        layers, width = [], n_in
        for size in np.atleast_1d(self.hidden_layer_sizes):
            layers.append(Linear(width, int(size), init=init, dtype=self.dtype, random_state=rng))
            if activation is not None:
                layers.append(activation())
            if self.dropout > 0:
                layers.append(Dropout(self.dropout, random_state=rng))
            width = int(size)
        layers.append(
            Linear(width, n_out, init="xavier_uniform", dtype=self.dtype, random_state=rng)
        )
        return Sequential(*layers)

    def _optimizer(self, model: Sequential):
        weights = [layer.weight for layer in model if isinstance(layer, Linear)]
        biases = [layer.bias for layer in model if isinstance(layer, Linear)]
        groups = [
            {"params": weights, "weight_decay": self.alpha},
            {"params": biases, "weight_decay": 0.0},
        ]
        extra = {"momentum": 0.9, "nesterov": True} if self.optimizer == "sgd" else {}
        return _OPTIMIZERS[self.optimizer](groups, lr=self.learning_rate_init, **extra)

    def _train(self, X, y, n_out: int, loss) -> None:
        rng = as_generator(self.random_state)
        self.model_ = self._build(X.shape[1], n_out, rng)
        batch = min(200, X.shape[0]) if self.batch_size == "auto" else self.batch_size
        use_val = self.early_stopping and X.shape[0] >= 10
        self.history_ = fit(
            self.model_,
            X,
            y,
            loss,
            self._optimizer(self.model_),
            batch_size=batch,
            epochs=int(self.max_iter),
            validation_split=self.validation_fraction if use_val else 0.0,
            early_stopping=True,
            patience=self.n_iter_no_change,
            min_delta=self.tol,
            restore_best=use_val,
            monitor=False,
            progress=bool(self.verbose),
            random_state=rng,
        )
        self.n_iter_ = self.history_.n_epochs
        self.loss_curve_ = list(self.history_.train_loss)
        self.validation_loss_curve_ = list(self.history_.val_loss)
        self.model_.eval()

    def _forward(self, X) -> np.ndarray:
        """Network output, computed in float64 so it does not depend on the batch split."""
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        out = X
        for layer in self.model_:
            if isinstance(layer, Linear):
                out = out @ layer.weight.data.T.astype(np.float64) + layer.bias.data
            else:
                out = np.array(layer.forward(out), dtype=np.float64)
        return out


class MLPClassifier(ClassifierMixin, _BaseMLP):
    """Multi-layer perceptron classifier trained with softmax cross-entropy.

    Network: ``Linear -> activation [-> Dropout]`` per hidden layer, then a ``Linear``
    output with one logit per class. Objective, minimised by mini-batch ``optimizer``
    steps (``max_iter`` epochs)::

        (1/N) sum_i -log softmax(f(x_i))_{y_i}  +  (alpha/2) sum ||W||^2

    (the L2 term is applied as weight decay on the weights, not the biases). Training stops
    early when the training loss (validation loss with ``early_stopping``) has not improved
    by ``tol`` for ``n_iter_no_change`` epochs. Trained in float32 by default.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default=(100,)
    activation : {"relu", "leaky_relu", "tanh", "logistic", "identity"}, default="relu"
    alpha : float, default=1e-4
        L2 penalty (weight decay) on the weights.
    batch_size : int or "auto", default="auto"
        ``"auto"`` is ``min(200, n_samples)``.
    learning_rate_init : float, default=1e-3
    max_iter : int, default=200
        Number of epochs.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows and stop on their loss.
    validation_fraction : float, default=0.1
    n_iter_no_change : int, default=10
    tol : float, default=1e-4
    dropout : float in [0, 1), default=0
        Drop probability after each hidden activation.
    optimizer : {"adam", "adamw", "rmsprop", "sgd"}, default="adam"
        ``"sgd"`` uses Nesterov momentum 0.9.
    dtype : numpy dtype, default=np.float32
        Training precision.
    random_state : None, int, RandomState or Generator
    verbose : bool, default=False
        Show a progress bar.

    Attributes
    ----------
    classes_ : ndarray
    model_ : Sequential
    history_ : History
    loss_curve_, validation_loss_curve_ : list of float
    n_iter_ : int
        Epochs run.
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from mlhood.nn import MLPClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = MLPClassifier((64,), max_iter=100, random_state=0).fit(X[:1000] / 16, y[:1000])
    >>> clf.score(X[1000:] / 16, y[1000:]) > 0.9
    True
    """

    def fit(self, X, y):
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=self.dtype)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if self.classes_.size < 2:
            raise ValueError(
                f"y must contain at least 2 classes, got 1 class: {self.classes_[0]!r}"
            )
        self._train(X, y_index, self.classes_.size, CrossEntropyLoss())
        return self

    def predict_proba(self, X) -> np.ndarray:
        logits = self._forward(X)
        logits -= logits.max(axis=1, keepdims=True)
        np.exp(logits, out=logits)
        return logits / logits.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X) -> np.ndarray:
        return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        logits = self._forward(X)
        return self.classes_[np.argmax(logits, axis=1)]


class MLPRegressor(RegressorMixin, _BaseMLP):
    """Multi-layer perceptron regressor trained with mean squared error.

    Same network and parameters as :class:`MLPClassifier` with a linear output of one
    unit per target. Targets are standardised for training (``(y - mean) / std``) and
    predictions mapped back. Objective::

        (1/N) sum_i ||f(x_i) - y_i||^2  +  (alpha/2) sum ||W||^2

    Attributes
    ----------
    model_ : Sequential
    history_ : History
    loss_curve_ : list of float
    n_iter_, n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from mlhood.nn import MLPRegressor
    >>> X = np.linspace(-1, 1, 200).reshape(-1, 1)
    >>> reg = MLPRegressor((32,), max_iter=1000, random_state=0).fit(X, X[:, 0] ** 2)
    >>> reg.score(X, X[:, 0] ** 2) > 0.9
    True
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, y):
        self._validate_params()
        X, y = validate_data(self, X, y, dtype=self.dtype, multi_output=True, y_numeric=True)
        y2 = y.reshape(y.shape[0], -1).astype(self.dtype)
        self._y_mean = y2.mean(axis=0)
        self._y_scale = y2.std(axis=0)
        self._y_scale[self._y_scale == 0] = 1.0
        self._train(X, (y2 - self._y_mean) / self._y_scale, y2.shape[1], MSELoss())
        self._y_ndim = y.ndim
        return self

    def predict(self, X) -> np.ndarray:
        out = self._forward(X) * self._y_scale + self._y_mean
        return out[:, 0] if self._y_ndim == 1 else out
