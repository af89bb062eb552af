"""Mirels' score: research note section 1 (points 1.1, bands 1.2, worked examples 1.3)."""

import itertools

import pytest

from metastasis.assess import mirels
from metastasis.errors import InvalidInputError

# Typed from the note's table 1.1.
SITE = {"upper_limb": 1, "lower_limb": 2, "peritrochanteric": 3}
PAIN = {"mild": 1, "moderate": 2, "functional": 3}
LESION = {"blastic": 1, "mixed": 2, "lytic": 3}
SIZE = {"lt_one_third": 1, "one_third_to_two_thirds": 2, "gt_two_thirds": 3}


def expected_band(total: int) -> str:
    # Note 1.2: <= 7 low, 8 borderline, >= 9 fix.
    if total <= 7:
        return "low"
    if total == 8:
        return "borderline"
    return "high"


def test_issue_example():
    assert mirels(site="lower_limb", pain="functional", lesion="lytic", size="lt_one_third").total == 9


@pytest.mark.parametrize(
    ("site", "pain", "lesion", "size", "total", "band"),
    [
        ("upper_limb", "mild", "blastic", "lt_one_third", 4, "low"),
        ("lower_limb", "moderate", "mixed", "lt_one_third", 7, "low"),
        ("lower_limb", "moderate", "lytic", "lt_one_third", 8, "borderline"),
        ("lower_limb", "functional", "lytic", "lt_one_third", 9, "high"),
        ("peritrochanteric", "functional", "lytic", "gt_two_thirds", 12, "high"),
        # epomedicine: proximal femoral diaphysis, functional pain, lytic, half the diameter
        ("lower_limb", "functional", "lytic", "one_third_to_two_thirds", 10, "high"),
        # roentgenray: intertrochanteric, lytic, > 2/3: 9 before pain, so >= 10 with any pain
        ("peritrochanteric", "mild", "lytic", "gt_two_thirds", 10, "high"),
    ],
)
def test_worked_examples(site, pain, lesion, size, total, band):
    result = mirels(site=site, pain=pain, lesion=lesion, size=size)
    assert result.total == total
    assert result.band == band


def test_all_81_combinations():
    count = 0
    for (s, sp), (p, pp), (lesion, lp), (z, zp) in itertools.product(
        SITE.items(), PAIN.items(), LESION.items(), SIZE.items()
    ):
        result = mirels(site=s, pain=p, lesion=lesion, size=z)
        assert result.total == sp + pp + lp + zp
        assert result.band == expected_band(result.total)
        assert [b.points for b in result.breakdown] == [sp, pp, lp, zp]
        count += 1
    assert count == 81


def test_direction_range_and_sources():
    result = mirels(site="upper_limb", pain="mild", lesion="blastic", size="lt_one_third")
    assert (result.minimum, result.maximum, result.higher_is) == (4, 12, "worse")
    assert "mirels-1989" in result.sources
    assert result.outcomes and all(o.sources for o in result.outcomes)


def test_band_8_documents_original_fix_statement():
    result = mirels(site="lower_limb", pain="moderate", lesion="lytic", size="lt_one_third")
    assert result.total == 8
    assert any("8 or higher" in c and "prophylactic internal fixation" in c for c in result.caveats)
    assert any("15 %" in o.value for o in result.outcomes)


def test_size_ambiguity_is_a_caveat():
    result = mirels(site="upper_limb", pain="mild", lesion="blastic", size="lt_one_third")
    assert any("cortical thickness" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("field", "value"),
    [("site", "femur"), ("pain", "severe"), ("lesion", 3), ("size", None), ("site", "Lower_Limb"), ("pain", True)],
)
def test_invalid_values_name_the_allowed(field, value):
    kwargs = {"site": "lower_limb", "pain": "mild", "lesion": "lytic", "size": "lt_one_third", field: value}
    with pytest.raises(InvalidInputError) as info:
        mirels(**kwargs)
    assert info.value.field == field
    assert info.value.value == value
    allowed = {"site": SITE, "pain": PAIN, "lesion": LESION, "size": SIZE}[field]
    assert info.value.allowed == ", ".join(allowed)


def test_keyword_only():
    with pytest.raises(TypeError):
        mirels("lower_limb", "mild", "lytic", "lt_one_third")  # type: ignore[misc]
