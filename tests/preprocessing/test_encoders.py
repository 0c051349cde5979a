"""Encoders give scikit-learn's outputs, names and errors (oracle: sklearn.preprocessing)."""

import numpy as np
import pandas as pd
import pytest
import sklearn.preprocessing as skp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from mlhood.preprocessing import LabelEncoder, OneHotEncoder, OrdinalEncoder


def _mixed_data(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = np.empty((n, 3), dtype=object)
    X[:, 0] = rng.choice(list("abcde"), n, p=[0.5, 0.3, 0.1, 0.07, 0.03])
    X[:, 1] = rng.integers(0, 6, n)
    X[:, 2] = rng.choice([1.5, 2.5], n)
    return X


DATA = {
    "object": _mixed_data(),
    "int": np.random.default_rng(1).integers(-3, 4, (300, 3)),
    "float": np.random.default_rng(2).integers(0, 5, (300, 2)) / 4.0,
    "str": np.random.default_rng(3).choice(["x", "yy", "zzz"], (300, 2)),
}
SETTINGS = [
    {},
    {"drop": "first"},
    {"drop": "if_binary"},
    {"min_frequency": 30},
    {"min_frequency": 0.2, "drop": "first"},
    {"min_frequency": 0.2, "drop": "if_binary"},
    {"max_categories": 3},
    {"max_categories": 1},
    {"max_categories": 3, "min_frequency": 50, "handle_unknown": "infrequent_if_exist"},
    {"handle_unknown": "ignore"},
]


@pytest.mark.parametrize("params", SETTINGS, ids=str)
@pytest.mark.parametrize("kind", list(DATA))
def test_onehot_matches_sklearn(kind, params):
    X = DATA[kind]
    ours = OneHotEncoder(**params).fit(X)
    ref = skp.OneHotEncoder(sparse_output=False, **params).fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))
    np.testing.assert_array_equal(OneHotEncoder(**params).fit_transform(X), ref.transform(X))
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()
    for a, b in zip(ours.categories_, ref.categories_):
        assert a.tolist() == b.tolist()
    try:
        ref_rare = ref.infrequent_categories_
    except AttributeError:  # sklearn has it only when rare-category grouping is enabled
        ref_rare = [None] * len(ours.categories_)
    for a, b in zip(ours.infrequent_categories_, ref_rare):
        assert (a is None and b is None) or a.tolist() == b.tolist()
    if ref.drop_idx_ is None:
        assert ours.drop_idx_ is None
    else:
        assert ours.drop_idx_.tolist() == ref.drop_idx_.tolist()
    encoded = ref.transform(X)
    if encoded.shape[1] > 0:  # sklearn cannot invert a 0-column encoding
        np.testing.assert_array_equal(
            ours.inverse_transform(encoded), ref.inverse_transform(encoded)
        )


@pytest.mark.parametrize("handle_unknown", ["ignore", "infrequent_if_exist"])
def test_onehot_unknown_categories_match_sklearn(handle_unknown):
    X = DATA["object"]
    new = X[:5].copy()
    new[0, 0], new[1, 1], new[2, 2] = "zzz", 99, 7.25
    kw = {"handle_unknown": handle_unknown, "min_frequency": 20}
    ours = OneHotEncoder(**kw).fit(X)
    ref = skp.OneHotEncoder(sparse_output=False, **kw).fit(X)
    np.testing.assert_array_equal(ours.transform(new), ref.transform(new))


def test_onehot_given_categories_and_sparse_output():
    X = DATA["str"]
    cats = [["zzz", "x", "yy", "w"], ["yy", "x", "zzz"]]  # user order kept, unseen allowed
    ours = OneHotEncoder(categories=cats, sparse_output=True).fit(X)
    ref = skp.OneHotEncoder(categories=cats).fit(X)
    np.testing.assert_array_equal(ours.transform(X).toarray(), ref.transform(X).toarray())
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()


def test_onehot_pandas_in_and_out():
    df = pd.DataFrame({"color": DATA["object"][:, 0].astype(str), "size": DATA["int"][:, 0]})
    ours = OneHotEncoder(drop="first").set_output(transform="pandas").fit(df)
    ref = skp.OneHotEncoder(drop="first", sparse_output=False).set_output(transform="pandas")
    out, expected = ours.transform(df), ref.fit(df).transform(df)
    assert isinstance(out, pd.DataFrame)
    pd.testing.assert_frame_equal(out, expected)
    assert ours.feature_names_in_.tolist() == ["color", "size"]


def test_unknown_category_error_names_column_and_value():
    df = pd.DataFrame({"color": ["red", "blue", "red"], "size": [1, 2, 3]})
    enc = OneHotEncoder().fit(df)
    with pytest.raises(ValueError, match=r"'purple'.*'color'"):
        enc.transform(pd.DataFrame({"color": ["purple"], "size": [1]}))
    with pytest.raises(ValueError, match=r"\[7\] in column 'size'"):
        enc.transform(pd.DataFrame({"color": ["red"], "size": [7]}))
    enc = OrdinalEncoder().fit(np.array([["a"], ["b"]]))
    with pytest.raises(ValueError, match=r"'c'.* column 0"):
        enc.transform(np.array([["c"]]))
    with pytest.raises(ValueError, match=r"'q'.*during fit"):
        OneHotEncoder(categories=[["a", "b"]]).fit(np.array([["a"], ["q"]]))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"handle_unknown": "warn_me"}, "handle_unknown"),
        ({"drop": "last"}, "drop"),
        ({"min_frequency": 0}, "min_frequency"),
        ({"min_frequency": 1.5}, "min_frequency"),
        ({"max_categories": 0}, "max_categories"),
        ({"categories": [["a"], ["b"]]}, "categories"),
        ({"categories": "sorted"}, "categories"),
    ],
)
def test_onehot_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        OneHotEncoder(**params).fit(np.array([["a"], ["b"]]))


def test_mixed_types_in_one_column_is_a_type_error():
    X = np.array([["a"], [1]], dtype=object)
    with pytest.raises(TypeError, match="mixes value types"):
        OneHotEncoder().fit(X)


@pytest.mark.parametrize("unknown_value", [-1, 10, np.nan])
def test_ordinal_matches_sklearn(unknown_value):
    X = DATA["object"]
    new = X[:6].copy()
    new[0, 0], new[3, 1] = "zzz", 42
    kw = {"handle_unknown": "use_encoded_value", "unknown_value": unknown_value}
    ours, ref = OrdinalEncoder(**kw).fit(X), skp.OrdinalEncoder(**kw).fit(X)
    np.testing.assert_array_equal(ours.transform(new), ref.transform(new))
    np.testing.assert_array_equal(
        ours.inverse_transform(ours.transform(new)), ref.inverse_transform(ref.transform(new))
    )
    assert ours.get_feature_names_out().tolist() == ref.get_feature_names_out().tolist()


def test_ordinal_bad_unknown_value():
    X = np.array([["a"], ["b"], ["c"]])
    with pytest.raises(ValueError, match="already the code"):
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=1).fit(X)
    with pytest.raises(TypeError, match="unknown_value"):
        OrdinalEncoder(handle_unknown="use_encoded_value").fit(X)
    with pytest.raises(ValueError, match="unknown_value is only used"):
        OrdinalEncoder(unknown_value=-1).fit(X)


@settings(max_examples=25, deadline=None)
@given(y=arrays(np.int64, st.integers(1, 40), elements=st.integers(-5, 5)))
def test_label_encoder_matches_sklearn(y):
    ours, ref = LabelEncoder().fit(y), skp.LabelEncoder().fit(y)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_array_equal(ours.transform(y), ref.transform(y))
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(y)), y)
    np.testing.assert_array_equal(LabelEncoder().fit_transform(y), ref.fit_transform(y))


def test_label_encoder_strings_and_unseen():
    y = ["tokyo", "paris", "paris", "amsterdam"]
    enc = LabelEncoder().fit(y)
    assert enc.transform(["paris"]).tolist() == skp.LabelEncoder().fit(y).transform(["paris"])
    with pytest.raises(ValueError, match="unseen labels.*'rome'"):
        enc.transform(["rome", "paris"])
    with pytest.raises(ValueError, match="outside"):
        enc.inverse_transform([3])


@settings(max_examples=25, deadline=None)
@given(
    X=arrays(
        np.int64, st.tuples(st.integers(1, 30), st.integers(1, 4)), elements=st.integers(0, 9)
    )
)
def test_onehot_random_integer_tables(X):
    ours = OneHotEncoder(min_frequency=2, drop="if_binary").fit(X)
    ref = skp.OneHotEncoder(min_frequency=2, drop="if_binary", sparse_output=False).fit(X)
    np.testing.assert_array_equal(ours.transform(X), ref.transform(X))


@pytest.mark.parametrize(
    "X",
    [
        np.array([["a"], [None]], dtype=object),
        np.array([["a"], [np.nan]], dtype=object),
        np.array([[1.0], [np.nan]]),
    ],
)
@pytest.mark.parametrize("encoder", [OneHotEncoder, OrdinalEncoder])
def test_missing_values_are_rejected_clearly(encoder, X):
    with pytest.raises(ValueError, match="NaN|missing"):
        encoder().fit(X)


def test_unknown_nan_at_transform_is_an_unknown_category():
    enc = OneHotEncoder(handle_unknown="ignore").fit(np.array([["a"], ["b"]], dtype=object))
    out = enc.transform(np.array([["a"], [None]], dtype=object))
    np.testing.assert_array_equal(out, [[1.0, 0.0], [0.0, 0.0]])
