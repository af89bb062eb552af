"""Memoised staging parts give the same results as fresh ones: the parser and the reasons (immutable values)."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.staging.engine import _build_reason, _reason
from metastasis.staging.tnm import _parse, parse_category


@pytest.mark.parametrize("text", ["pT2", "ypT1c", "cN1mi", "pN0(i+)", "cM0", " p T 1 a "])
def test_cached_parse_equals_a_fresh_parse(text):
    axis = text.strip().lstrip("ycpr ")[0].upper()
    assert parse_category(text, axis) == _parse(text, axis, axis.lower())
    assert parse_category(text, axis) is parse_category(text, axis)  # the same immutable value, reused


def test_errors_are_raised_every_time_and_name_the_field():
    for field in ("t", "tumour.t"):
        with pytest.raises(InvalidInputError) as caught:
            parse_category("pT9", "T", field=field)
        assert caught.value.field == field


def test_a_reason_is_keyed_by_value_and_type():
    # 9 and 9.0 are equal in Python but must not share a text
    as_int = _reason("prognostic.oncotype_not_applied", score=9, why="a test")
    as_float = _reason("prognostic.oncotype_not_applied", score=9.0, why="a test")
    assert "9.0" not in as_int.text and "9.0" in as_float.text
    assert as_int == _build_reason("prognostic.oncotype_not_applied", (), (("score", int, 9), ("why", str, "a test")))
    assert _reason("basis.override", basis="Clinical") is _reason("basis.override", basis="Clinical")
