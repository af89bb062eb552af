"""TNM parsing: every documented spelling, every refusal, and fuzzing that only InvalidInputError escapes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.staging import parse_m, parse_n, parse_t, stage_breast


@pytest.mark.parametrize(
    ("parse", "text", "label", "group"),
    [
        (parse_t, "pT1c", "pT1c", "T1"),
        (parse_t, "T1c", "T1c", "T1"),
        (parse_t, "t1C", "T1c", "T1"),
        (parse_t, "ypT2", "ypT2", "T2"),
        (parse_t, "Tis(DCIS)", "Tis(DCIS)", "Tis"),
        (parse_t, "Tis (Paget)", "Tis(Paget)", "Tis"),
        (parse_t, "TIS(paget)", "Tis(Paget)", "Tis"),
        (parse_t, "TX", "TX", "TX"),
        (parse_t, " p T 4 d ", "pT4d", "T4"),
        (parse_t, "rpT3", "rpT3", "T3"),
        (parse_t, "ycT1mi", "ycT1mi", "T1"),
        (parse_n, "cN1mi", "cN1mi", "N1mi"),
        (parse_n, "pN0(i+)", "pN0(i+)", "N0"),
        (parse_n, "N0(mol+)", "N0(mol+)", "N0"),
        (parse_n, "pn0 (MOL+)", "pN0(mol+)", "N0"),
        (parse_n, "NX", "NX", "NX"),
        (parse_n, "pN3b", "pN3b", "N3"),
        (parse_n, "cN2b", "cN2b", "N2"),
        (parse_m, "M0(i+)", "M0(i+)", "M0"),
        (parse_m, "cM0(i+)", "cM0(i+)", "M0"),
        (parse_m, "cM1", "cM1", "M1"),
        (parse_m, "pM1", "pM1", "M1"),
        (parse_m, "m0", "M0", "M0"),
    ],
)
def test_accepted_spellings(parse, text, label, group):
    cat = parse(text)
    assert (cat.label, cat.group) == (label, group)


@pytest.mark.parametrize(
    ("parse", "field", "text", "fragment"),
    [
        (parse_t, "t", "T5", "allowed"),
        (parse_t, "t", "pT1d", "allowed"),
        (parse_t, "t", "", "allowed"),
        (parse_t, "t", "   ", "allowed"),
        (parse_t, "t", "pN1", "allowed"),
        (parse_t, "t", "xT1", "allowed"),
        (parse_n, "n", "N4", "allowed"),
        (parse_n, "n", "cN1a", "pathological category"),
        (parse_n, "n", "cN0(i+)", "pathological category"),
        (parse_n, "n", "N0(i-)", "allowed"),
        (parse_m, "m", "pM0", "not a valid category"),
        (parse_m, "m", "pM0(i+)", "not a valid category"),
        (parse_m, "m", "MX", "MX is not a category in AJCC 8th"),
        (parse_m, "m", "M2", "allowed"),
    ],
)
def test_refused_spellings_name_field_value_and_allowed(parse, field, text, fragment):
    with pytest.raises(InvalidInputError) as caught:
        parse(text)
    err = caught.value
    assert err.field == field and err.value == text
    assert fragment in str(err)
    assert "TX" in err.allowed or "NX" in err.allowed or "M1" in err.allowed


@pytest.mark.parametrize("value", [None, 2, 2.0, True, ["T2"]])
def test_non_text_is_refused(value):
    with pytest.raises(InvalidInputError):
        parse_t(value)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"grade": 4}, "grade"),
        ({"grade": "G4"}, "grade"),
        ({"grade": 2.5}, "grade"),
        ({"grade": True}, "grade"),
        ({"er": "maybe"}, "er"),
        ({"er": "equivocal"}, "er"),
        ({"pr": 1}, "pr"),
        ({"her2": "3+"}, "her2"),
        ({"oncotype_rs": -1}, "oncotype_rs"),
        ({"oncotype_rs": 101}, "oncotype_rs"),
        ({"oncotype_rs": float("nan")}, "oncotype_rs"),
        ({"oncotype_rs": "low"}, "oncotype_rs"),
        ({"system": "ajcc7"}, "system"),
        ({"basis": "surgical"}, "basis"),
    ],
)
def test_bad_options_raise_invalid_input_naming_the_field(kwargs, field):
    with pytest.raises(InvalidInputError) as caught:
        stage_breast("pT2", "pN0", "cM0", **kwargs)
    assert caught.value.field == field


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_arbitrary_text_only_ever_raises_invalid_input(text):
    for parse in (parse_t, parse_n, parse_m):
        try:
            cat = parse(text)
        except InvalidInputError:
            continue
        assert cat.axis in "TNM"


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.text(max_size=12), st.sampled_from(["pT2", "T1c", "Tis", "TX"])),
    st.one_of(st.text(max_size=12), st.sampled_from(["pN1a", "N0", "NX", "cN3"])),
    st.one_of(st.text(max_size=12), st.sampled_from(["cM0", "M1"])),
    st.one_of(st.none(), st.integers(), st.text(max_size=4)),
    st.one_of(st.none(), st.booleans(), st.text(max_size=9)),
)
def test_stage_breast_with_arbitrary_input_only_raises_invalid_input(t, n, m, grade, er):
    try:
        result = stage_breast(t, n, m, grade=grade, er=er, pr=er, her2=er)
    except InvalidInputError:
        return
    assert result.reasons
