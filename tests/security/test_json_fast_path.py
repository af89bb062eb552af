"""The guard's fast path for plain JSON gives the same data as the full check, and never skips a check."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.domain.reading import _NOT_PLAIN, _loads_plain_json, loads_json
from metastasis.errors import InvalidInputError

values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**12), 10**12) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(values)
def test_same_data_either_way(value):
    text = json.dumps(value)
    assert loads_json(text) == value


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',  # duplicate key
        '{"a": "\\ud800"}',  # lone surrogate, as an escape
        '{"a": ' + "9" * 101 + "}",  # a number over the digit limit
        "[" * 40 + "]" * 40,  # deeper than the depth limit
    ],
)
def test_every_bound_still_applies(text):
    assert _loads_plain_json(text) is _NOT_PLAIN
    with pytest.raises(InvalidInputError):
        loads_json(text)
