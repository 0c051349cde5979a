"""fit (batch modes, validation, early stopping, history), diagnose and transfer."""

import numpy as np
import pytest

from mlhood import nn

FAULTS = [
    "lr_too_small",
    "lr_too_large",
    "symmetric_init",
    "dead_relu",
    "vanishing_gradients",
    "no_label_signal",
]


def _blobs(seed, n=600, d=10, k=4):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((k, d)) * 1.5
    y = rng.integers(0, k, n)
    return centers[y] + rng.standard_normal((n, d)), y


def _mlp(seed, act=nn.ReLU, init="he_normal", d=10, k=4, h=32):
    return nn.Sequential(
        nn.Linear(d, h, init=init, random_state=seed),
        act(),
        nn.Linear(h, h, init=init, random_state=seed + 1),
        act(),
        nn.Linear(h, k, init=init, random_state=seed + 2),
    )


def _train_with_fault(fault, seed):
    X, y = _blobs(seed)
    lr, model = 0.1, _mlp(seed)
    if fault == "lr_too_small":
        lr = 1e-6
    elif fault == "lr_too_large":
        lr = 50.0
    elif fault == "symmetric_init":
        model = _mlp(seed, init="zeros")
    elif fault == "dead_relu":
        model[0].bias.data[:] = model[2].bias.data[:] = -10.0
    elif fault == "vanishing_gradients":
        model = _mlp(seed, act=nn.Sigmoid, init=lambda s, r: nn.normal(s, r, std=5.0))
    elif fault == "no_label_signal":
        y = np.random.default_rng(seed + 100).permutation(y)
    history = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.SGD(model.parameters(), lr=lr),
        batch_size=32,
        epochs=8,
        validation_split=0.25,
        random_state=seed,
    )
    return history, model


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("fault", FAULTS)
def test_diagnose_names_the_injected_fault(fault, seed):
    findings = nn.diagnose(*_train_with_fault(fault, seed))
    assert findings and findings[0].cause == fault
    assert findings[0].evidence and findings[0].fix
    assert fault in str(findings[0])


@pytest.mark.parametrize("seed", [0, 1])
def test_diagnose_is_quiet_on_healthy_training(seed):
    history, model = _train_with_fault("none", seed)
    assert history.val_accuracy[-1] > 0.8
    assert nn.diagnose(history, model) == []


def test_batch_minibatch_and_stochastic_step_counts():
    X, y = _blobs(0, n=100)
    for batch_size, steps in [(None, 1), (32, 4), (1, 100)]:
        model = _mlp(0)
        h = nn.fit(
            model,
            X,
            y,
            nn.CrossEntropyLoss(),
            nn.SGD(model.parameters(), lr=0.01),
            batch_size=batch_size,
            epochs=2,
            monitor=False,
            random_state=0,
        )
        assert len(h.batch_loss) == 2 * steps


def test_full_batch_epoch_equals_one_gradient_step():
    X, y = _blobs(1, n=50)
    model, ref = _mlp(1), _mlp(1)
    nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.SGD(model.parameters(), lr=0.1),
        batch_size=None,
        epochs=1,
        shuffle=False,
        monitor=False,
    )
    loss = nn.CrossEntropyLoss()
    loss.forward(ref.forward(X), y)
    ref.backward(loss.backward())
    for p, q in zip(model.parameters(), ref.parameters()):
        np.testing.assert_allclose(p.data, q.data - 0.1 * q.grad, rtol=1e-12)


def test_same_seed_same_history_and_early_stopping():
    X, y = _blobs(2)

    def run():
        model = nn.Sequential(
            nn.Linear(10, 64, random_state=0),
            nn.ReLU(),
            nn.Dropout(0.3, random_state=1),
            nn.Linear(64, 4, random_state=2),
        )
        h = nn.fit(
            model,
            X,
            y,
            nn.CrossEntropyLoss(),
            nn.Adam(model.parameters(), lr=0.05),
            batch_size=16,
            epochs=60,
            validation_split=0.3,
            early_stopping=True,
            patience=3,
            random_state=4,
        )
        return h, model

    (h1, _), (h2, _) = run(), run()
    assert h1.train_loss == h2.train_loss and h1.val_loss == h2.val_loss
    assert h1.stopped_epoch < 60 and h1.stopped_epoch == h1.best_epoch + 3
    assert len(h1.grad_norm["0.Linear"]) == h1.stopped_epoch
    assert set(h1.dead_fraction) == {"1.ReLU"}
    assert h1.chance_loss == pytest.approx(np.log(4), abs=0.05)


def test_validation_data_and_bad_data():
    X, y = _blobs(3, n=80)
    model = _mlp(0)
    opt = nn.SGD(model.parameters(), lr=0.01)
    h = nn.fit(model, X, y, nn.CrossEntropyLoss(), opt, epochs=2, validation_data=(X[:10], y[:10]))
    assert len(h.val_loss) == 2 and len(h.val_accuracy) == 2
    X_nan = X.copy()
    X_nan[3, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        nn.fit(model, X_nan, y, nn.CrossEntropyLoss(), opt)
    with pytest.raises(ValueError, match="labels"):
        nn.fit(model, X, y + 4, nn.CrossEntropyLoss(), opt)
    with pytest.raises(ValueError, match="rows"):
        nn.fit(model, X, y[:-1], nn.CrossEntropyLoss(), opt)
    with pytest.raises(ValueError, match="batch_size"):
        nn.fit(model, X, y, nn.CrossEntropyLoss(), opt, batch_size=0)


def test_lr_schedule_and_clipping_in_fit():
    X, y = _blobs(4, n=64)
    model = _mlp(0)
    opt = nn.SGD(model.parameters(), lr=0.1)
    h = nn.fit(
        model,
        X,
        y,
        nn.CrossEntropyLoss(),
        opt,
        epochs=4,
        clip_norm=0.5,
        scheduler=nn.StepLR(opt, step_size=2, gamma=0.1),
    )
    np.testing.assert_allclose(h.lr, [0.1, 0.1, 0.01, 0.01])


def test_transfer_copy_freeze_head_and_param_groups():
    X, y = _blobs(5)
    source = _mlp(0)
    nn.fit(
        source,
        X,
        y,
        nn.CrossEntropyLoss(),
        nn.Adam(source.parameters(), lr=0.01),
        epochs=3,
        monitor=False,
        random_state=0,
    )
    target = nn.replace_head(source, 2, random_state=1)
    assert target[-1].out_features == 2 and target[-1] is not source[-1]
    np.testing.assert_array_equal(target[0].weight.data, source[0].weight.data)
    assert target[0].weight.data is not source[0].weight.data
    fresh = nn.copy_layers(source, _mlp(9), layers=[0, 2])
    np.testing.assert_array_equal(fresh[2].weight.data, source[2].weight.data)
    nn.freeze(target, [0, 2])
    frozen = target[0].weight.data.copy()
    nn.fit(
        target,
        X,
        y % 2,
        nn.CrossEntropyLoss(),
        nn.Adam(target.parameters(), lr=0.01),
        epochs=2,
        random_state=0,
    )
    np.testing.assert_array_equal(target[0].weight.data, frozen)
    nn.unfreeze(target)
    groups = nn.layer_param_groups(target, 1e-2, {0: 1e-4, 2: 1e-4})
    assert [g["lr"] for g in groups] == [1e-4, 1e-4, 1e-2]
    assert sum(len(g["params"]) for g in groups) == 6
    with pytest.raises(ValueError, match="shape"):
        nn.copy_layers(source, _mlp(0, d=5), layers=[0])


def _linear_fit(restore_best, validation=True, patience=200, epochs=200):
    rng = np.random.default_rng(7)
    X, X_val = rng.normal(size=(40, 30)), rng.normal(size=(40, 30))
    w = np.r_[rng.normal(size=5), np.zeros(25)]
    y, y_val = X @ w + rng.normal(size=40), X_val @ w + rng.normal(size=40)
    model = nn.Sequential(nn.Linear(30, 1, init="zeros"))
    history = nn.fit(
        model,
        X,
        y[:, None],
        nn.MSELoss(),
        nn.SGD(model.parameters(), lr=0.1),
        batch_size=None,
        epochs=epochs,
        validation_data=(X_val, y_val[:, None]) if validation else None,
        early_stopping=True,
        patience=patience,
        restore_best=restore_best,
        monitor=False,
    )
    val_now = float(np.mean((model.forward(X_val)[:, 0] - y_val) ** 2))
    return history, val_now


def test_early_stopping_monitors_validation_loss_and_restores_the_best_epoch():
    history, val_now = _linear_fit(restore_best=True)
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == best + 1 < len(history.val_loss)  # a real minimum
    assert val_now == pytest.approx(history.val_loss[best], rel=1e-12)
    history, val_now = _linear_fit(restore_best=False)
    assert val_now == pytest.approx(history.val_loss[-1], rel=1e-12)
    assert val_now > min(history.val_loss)


def test_early_stopping_without_validation_watches_training_loss_and_stops_on_patience():
    history, _ = _linear_fit(restore_best=True, validation=False, epochs=50)
    assert history.best_epoch == int(np.argmin(history.train_loss)) + 1
    history, _ = _linear_fit(restore_best=True, patience=3)
    assert history.stopped_epoch == history.best_epoch + 3
