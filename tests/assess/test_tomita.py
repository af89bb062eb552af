"""Tomita: research note section 4.2."""

import itertools

import pytest

from metastasis.assess import tomita
from metastasis.errors import InvalidInputError

GROWTH = {"slow": 1, "moderate": 2, "rapid": 4}  # rapid = 4, not 3 (note section 0.4)
VISCERAL = {"none": 0, "treatable": 2, "untreatable": 4}
BONE = {"solitary": 1, "multiple": 2}


def expected_band(total: int) -> str:
    if total <= 3:
        return "long_term_control"
    if total <= 5:
        return "middle_term_control"
    if total <= 7:
        return "short_term_palliation"
    return "terminal_care"


@pytest.mark.parametrize(
    ("growth", "visceral", "bone", "total", "band"),
    [
        ("slow", "none", "solitary", 2, "long_term_control"),
        ("moderate", "none", "solitary", 3, "long_term_control"),
        ("moderate", "none", "multiple", 4, "middle_term_control"),
        ("moderate", "treatable", "solitary", 5, "middle_term_control"),
        ("rapid", "none", "multiple", 6, "short_term_palliation"),
        ("rapid", "treatable", "solitary", 7, "short_term_palliation"),
        ("rapid", "treatable", "multiple", 8, "terminal_care"),
        ("rapid", "untreatable", "multiple", 10, "terminal_care"),
        ("slow", "treatable", "multiple", 5, "middle_term_control"),  # constructed breast example
    ],
)
def test_examples_and_boundaries(growth, visceral, bone, total, band):
    result = tomita(primary_growth=growth, visceral_metastases=visceral, bone_metastases=bone)
    assert result.total == total
    assert result.band == band


def test_all_combinations_and_range():
    totals = set()
    for (g, gp), (v, vp), (b, bp) in itertools.product(GROWTH.items(), VISCERAL.items(), BONE.items()):
        result = tomita(primary_growth=g, visceral_metastases=v, bone_metastases=b)
        assert result.total == gp + vp + bp
        assert result.band == expected_band(result.total)
        totals.add(result.total)
    assert (min(totals), max(totals)) == (2, 10)


def test_direction_and_outcomes():
    result = tomita(primary_growth="slow", visceral_metastases="none", bone_metastases="solitary")
    assert result.higher_is == "worse"
    assert [o.value for o in result.outcomes] == ["34.0 months"]
    assert "gong-2021-tomita" in result.sources
    assert "en-bloc" in result.action
    worst = tomita(primary_growth="rapid", visceral_metastases="untreatable", bone_metastases="multiple")
    assert [o.value for o in worst.outcomes] == ["12.0 months"]


@pytest.mark.parametrize(
    ("field", "value"), [("primary_growth", "fast"), ("visceral_metastases", 2), ("bone_metastases", "single")]
)
def test_invalid(field, value):
    kwargs = {"primary_growth": "slow", "visceral_metastases": "none", "bone_metastases": "solitary", field: value}
    with pytest.raises(InvalidInputError) as info:
        tomita(**kwargs)
    assert info.value.field == field
