"""CTCAE v5 hypercalcaemia grade and severity bands: research note section 5.2."""

import math

import pytest

from metastasis.assess import corrected_calcium, hypercalcemia_grade
from metastasis.errors import InvalidInputError


def test_issue_example():
    assert hypercalcemia_grade(calcium=12.6, units="conventional", uln=10.5).grade == 3


@pytest.mark.parametrize(
    ("calcium", "grade"),
    [(10.5, 0), (10.6, 1), (11.5, 1), (11.6, 2), (12.5, 2), (12.6, 3), (13.5, 3), (13.6, 4), (18.0, 4), (9.0, 0)],
)
def test_boundaries_mg_dl(calcium, grade):
    assert hypercalcemia_grade(calcium=calcium, units="conventional", uln=10.5).grade == grade


@pytest.mark.parametrize(
    ("calcium", "grade"), [(2.6, 0), (2.61, 1), (2.9, 1), (3.0, 2), (3.1, 2), (3.2, 3), (3.4, 3), (3.5, 4)]
)
def test_boundaries_mmol_l(calcium, grade):
    assert hypercalcemia_grade(calcium=calcium, units="si", uln=2.6).grade == grade


@pytest.mark.parametrize(
    ("calcium", "grade"),
    [(1.3, 0), (1.31, 1), (1.5, 1), (1.51, 2), (1.6, 2), (1.61, 3), (1.8, 3), (1.81, 4)],
)
def test_boundaries_ionised(calcium, grade):
    result = hypercalcemia_grade(calcium=calcium, units="si", uln=1.3, measure="ionised")
    assert result.grade == grade
    assert result.band is None


@pytest.mark.parametrize(
    ("grade_value", "qualifier"),
    [
        (10.0, None),
        (11.0, None),
        (12.0, "symptomatic"),
        (13.0, "hospitalization indicated"),
        (14.0, "life-threatening consequences"),
    ],
)
def test_qualifiers_named(grade_value, qualifier):
    result = hypercalcemia_grade(calcium=grade_value, units="conventional", uln=10.5)
    assert result.qualifier == qualifier
    assert result.lab_only is True
    if qualifier:
        assert qualifier in result.action


def test_graded_in_unit_supplied_not_converted():
    # 11.6 mg/dL is grade 2 in mg/dL; the same concentration in mmol/L (11.6 / 4.008 = 2.894) is <= 2.9: grade 1.
    assert hypercalcemia_grade(calcium=11.6, units="conventional", uln=10.5).grade == 2
    assert hypercalcemia_grade(calcium=round(11.6 / 4.008, 3), units="si", uln=2.6).grade == 1


def test_pipeline_corrected_then_graded():
    corrected = corrected_calcium(calcium=10.5, albumin=2.0, units="conventional")
    assert corrected.value == 12.1
    result = hypercalcemia_grade(calcium=corrected.value, units=corrected.units, uln=10.5)
    assert result.grade == 2
    assert result.qualifier == "symptomatic"


def test_rounded_corrected_value_does_not_cross_a_limit():
    # 9.9 + 0.8 x (4.0 - 2.0) is 11.5 on paper but 11.500000000000002 in binary floating point.
    corrected = corrected_calcium(calcium=9.9, albumin=2.0, units="conventional")
    assert corrected.value == 11.5
    assert hypercalcemia_grade(calcium=corrected.value, units="conventional", uln=10.5).grade == 1


@pytest.mark.parametrize(
    ("calcium", "band"),
    [(10.5, "not_raised"), (11.9, "mild"), (12.0, "moderate"), (13.9, "moderate"), (14.0, "severe")],
)
def test_severity_bands_mg_dl(calcium, band):
    assert hypercalcemia_grade(calcium=calcium, units="conventional", uln=10.5).band == band


@pytest.mark.parametrize(
    ("calcium", "band"), [(2.6, "not_raised"), (2.99, "mild"), (3.0, "moderate"), (3.49, "moderate"), (3.5, "severe")]
)
def test_severity_bands_mmol_l(calcium, band):
    assert hypercalcemia_grade(calcium=calcium, units="si", uln=2.6).band == band


def test_result_carries_criterion_sources_and_caveats():
    result = hypercalcemia_grade(calcium=3.2, units="si", uln=2.6)
    assert result.criterion == "Corrected serum calcium > 3.1 - 3.4 mmol/L"
    assert result.sources == ["ctcae-v5", "hypercalcemia-severity-common"]
    assert any("2.87" in c for c in result.caveats)
    assert hypercalcemia_grade(calcium=13.6, units="conventional", uln=10.5).criterion.endswith("> 13.5 mg/dL")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"units": "mg/dL"}, "units"),
        ({"measure": "total"}, "measure"),
        ({"uln": 2.6}, "uln"),  # mmol/L ULN with mg/dL calcium
        ({"uln": 12.0}, "uln"),  # above the grade-2 limit
        ({"uln": math.nan}, "uln"),
        ({"uln": True}, "uln"),
        ({"calcium": 3.0}, "calcium"),  # mmol/L given as mg/dL
        ({"calcium": -1.0}, "calcium"),
        ({"calcium": math.nan}, "calcium"),
        ({"calcium": False}, "calcium"),
        ({"calcium": "12"}, "calcium"),
    ],
)
def test_invalid(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        hypercalcemia_grade(**{"calcium": 12.0, "units": "conventional", "uln": 10.5, **kwargs})
    assert info.value.field == field
    assert info.value.allowed


def test_ionised_only_in_mmol_l():
    with pytest.raises(InvalidInputError) as info:
        hypercalcemia_grade(calcium=6.0, units="conventional", uln=5.2, measure="ionised")
    assert info.value.field == "units"
    assert info.value.allowed == "si"
