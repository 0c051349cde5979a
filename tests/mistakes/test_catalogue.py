"""The mistakes catalogue: registration rules, and a swap that always restores the code."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from mlhood import mistakes, nn
from mlhood.cli import app
from mlhood.labs import LABS
from mlhood.mistakes import _catalogue


def test_every_mistake_is_described_and_targets_real_code():
    known = mistakes.catalogue()
    assert known
    for m in known.values():
        assert m.title and m.explanation and m.labs
        assert set(m.labs) <= set(LABS)
        with m.applied():  # the target resolves and the swap works
            pass


def test_applied_swaps_and_restores_even_on_error():
    correct = nn.Dropout.backward
    with pytest.raises(RuntimeError), mistakes.applied("dropout-backward-no-mask"):
        assert nn.Dropout.backward is not correct
        raise RuntimeError("boom")
    assert nn.Dropout.backward is correct


def test_wrong_version_changes_behaviour():
    drop = nn.Dropout(0.5, random_state=0)
    X = np.ones((4, 6))
    drop.forward(X)
    right = drop.backward(np.ones_like(X)).copy()
    with mistakes.applied("dropout-backward-no-mask"):
        wrong = drop.backward(np.ones_like(X))
    assert not np.allclose(right, wrong)


def test_module_function_swap_reaches_every_alias():
    import mlhood.metrics
    from mlhood.metrics import _ranking

    correct = _ranking.roc_curve
    m = mistakes.Mistake(
        "x-y", "t", "mlhood.metrics._ranking:roc_curve", "e", ("q12",), lambda *a: "wrong"
    )
    with m.applied():
        assert _ranking.roc_curve() == "wrong"
        assert mlhood.metrics.roc_curve() == "wrong"  # the re-export is swapped too
    assert mlhood.metrics.roc_curve is correct and _ranking.roc_curve is correct


def test_unknown_id_lists_the_valid_ones():
    with pytest.raises(ValueError, match="valid ids: .*dropout-backward-no-mask"):
        mistakes.get("no-such-mistake")
    with pytest.raises(ValueError, match="unknown mistake"), mistakes.applied("nope"):
        pass


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "Bad Id"}, "kebab-case"),
        ({"target": "mlhood.nn.Dropout"}, "module:qualified.name"),
        ({"labs": ["q99"]}, "lab ids"),
        ({"labs": []}, "lab ids"),
        ({"title": ""}, "title"),
    ],
)
def test_registration_rejects_bad_declarations(kwargs, message):
    declared = {
        "id": "some-mistake",
        "title": "t",
        "target": "mlhood.nn._layers:Dropout.backward",
        "labs": ["q03"],
        "explanation": "e",
        **kwargs,
    }
    mistake_id = declared.pop("id")
    with pytest.raises(ValueError, match=message):
        mistakes.mistake(mistake_id, **declared)


def test_duplicate_registration_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        mistakes.mistake(
            "dropout-backward-no-mask",
            title="t",
            target="mlhood.nn._layers:Dropout.backward",
            labs=["q03"],
            explanation="e",
        )(lambda: None)
    assert "dropout-backward-no-mask" in _catalogue._REGISTRY


def test_cli_lists_the_catalogue_as_json():
    result = CliRunner().invoke(app, ["mistakes", "--json"])
    assert result.exit_code == 0
    listed = json.loads(result.stdout)
    assert {m["id"] for m in listed} == set(mistakes.catalogue())
    assert all(set(m) == {"id", "title", "changes", "explanation", "labs"} for m in listed)
