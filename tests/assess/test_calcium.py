"""Corrected calcium and unit conversions: research note section 5.1."""

import math

import pytest

from metastasis.assess import convert_albumin, convert_calcium, corrected_calcium
from metastasis.errors import InvalidInputError


def test_issue_example_is_exact():
    assert corrected_calcium(calcium=8.0, albumin=2.0, units="conventional").value == 9.6


@pytest.mark.parametrize(
    ("calcium", "albumin", "units", "method", "expected", "unit"),
    [
        (8.0, 2.0, "conventional", "common", 9.6, "mg/dL"),
        (8.0, 2.5, "conventional", "common", 9.2, "mg/dL"),
        (7.0, 4.0, "conventional", "common", 7.0, "mg/dL"),
        (11.0, 1.5, "conventional", "common", 13.0, "mg/dL"),
        (1.83, 26, "si", "common", 2.11, "mmol/L"),
        (8.0, 2.0, "conventional", "payne_original", 10.0, "mg/dL"),
        (10.5, 2.0, "conventional", "common", 12.1, "mg/dL"),
    ],
)
def test_worked_examples(calcium, albumin, units, method, expected, unit):
    result = corrected_calcium(calcium=calcium, albumin=albumin, units=units, method=method)
    assert result.value == expected
    assert result.unit == unit
    assert result.method == method
    assert result.sources


def test_default_method_is_common_and_payne_is_distinct():
    common = corrected_calcium(calcium=8.0, albumin=2.0, units="conventional")
    assert common.method == "common"
    assert any("slope of 1.0" in c for c in common.caveats)
    payne = corrected_calcium(calcium=8.0, albumin=2.0, units="conventional", method="payne_original")
    assert payne.sources == ["payne-1973"]


def test_rounding_keeps_unrounded():
    result = corrected_calcium(calcium=8.03, albumin=2.17, units="conventional")
    assert result.unrounded == pytest.approx(8.03 + 0.8 * (4.0 - 2.17))
    assert result.value == 9.49  # 9.494 rounded to 2 decimals
    assert result.decimals == 2


def test_si_and_conventional_forms_agree_after_conversion():
    si = corrected_calcium(calcium=2.0, albumin=25, units="si")
    conventional = corrected_calcium(calcium=2.0 * 4.008, albumin=2.5, units="conventional")
    assert si.unrounded * 4.008 == pytest.approx(conventional.unrounded, abs=0.01)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (2.5, "si", "conventional", 10.02),
        (10.02, "conventional", "si", 2.5),
        (1.0, "si", "conventional", 4.008),
        (4.008, "conventional", "si", 1.0),
        (2.4, "si", "si", 2.4),
    ],
)
def test_calcium_conversion_both_directions(value, source, target, expected):
    assert convert_calcium(value=value, from_units=source, to_units=target) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [(3.5, "conventional", "si", 35.0), (35.0, "si", "conventional", 3.5), (4.0, "conventional", "conventional", 4.0)],
)
def test_albumin_conversion_both_directions(value, source, target, expected):
    assert convert_albumin(value=value, from_units=source, to_units=target) == pytest.approx(expected)


def test_round_trip():
    there = convert_calcium(value=2.37, from_units="si", to_units="conventional")
    assert convert_calcium(value=there, from_units="conventional", to_units="si") == pytest.approx(2.37)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"units": "mg/dL"}, "units"),
        ({"units": "SI"}, "units"),
        ({"method": "payne"}, "method"),
        ({"calcium": math.nan}, "calcium"),
        ({"calcium": math.inf}, "calcium"),
        ({"calcium": -8.0}, "calcium"),
        ({"calcium": True}, "calcium"),
        ({"calcium": "8.0"}, "calcium"),
        ({"albumin": -1.0}, "albumin"),
        ({"albumin": 35.0}, "albumin"),  # g/L given as g/dL
        ({"calcium": 2.4}, "calcium"),  # mmol/L given as mg/dL
        ({"albumin": None}, "albumin"),
    ],
)
def test_invalid_conventional(kwargs, field):
    args = {"calcium": 8.0, "albumin": 2.0, "units": "conventional", **kwargs}
    with pytest.raises(InvalidInputError) as info:
        corrected_calcium(**args)
    assert info.value.field == field
    assert info.value.allowed


@pytest.mark.parametrize(("kwargs", "field"), [({"calcium": 9.6}, "calcium"), ({"albumin": 3.5}, "albumin")])
def test_invalid_si_unit_mixups(kwargs, field):
    args = {"calcium": 2.2, "albumin": 35.0, "units": "si", **kwargs}
    with pytest.raises(InvalidInputError) as info:
        corrected_calcium(**args)
    assert info.value.field == field


def test_payne_original_has_no_si_form():
    with pytest.raises(InvalidInputError) as info:
        corrected_calcium(calcium=2.2, albumin=35.0, units="si", method="payne_original")
    assert info.value.field == "units"
    assert info.value.allowed == "conventional"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"from_units": "mmol"}, "from_units"),
        ({"to_units": 1}, "to_units"),
        ({"value": -2.5}, "calcium"),
        ({"value": math.nan}, "calcium"),
    ],
)
def test_invalid_conversion(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        convert_calcium(**{"value": 2.5, "from_units": "si", "to_units": "conventional", **kwargs})
    assert info.value.field == field
