"""SINS: research note section 2 (points 2.1, bands 2.2, examples 2.3)."""

import itertools

import pytest

from metastasis.assess import sins
from metastasis.errors import InvalidInputError

LOCATION = {"junctional": 3, "mobile": 2, "semi_rigid": 1, "rigid": 0}
PAIN = {"mechanical": 3, "occasional": 1, "none": 0}
LESION = {"lytic": 2, "mixed": 1, "blastic": 0}
ALIGNMENT = {"subluxation": 4, "de_novo_deformity": 2, "normal": 0}
COLLAPSE = {"gt_50": 3, "lt_50": 2, "no_collapse_gt_50_involved": 1, "none": 0}
POSTEROLATERAL = {"bilateral": 3, "unilateral": 1, "none": 0}


def expected_band(total: int) -> str:
    if total <= 6:
        return "stable"
    if total <= 12:
        return "potentially_unstable"
    return "unstable"


@pytest.mark.parametrize(
    ("loc", "pain", "lesion", "align", "collapse", "pl", "total", "band"),
    [
        ("rigid", "none", "blastic", "normal", "none", "none", 0, "stable"),
        ("mobile", "mechanical", "mixed", "normal", "none", "none", 6, "stable"),
        ("mobile", "mechanical", "lytic", "normal", "none", "none", 7, "potentially_unstable"),
        ("junctional", "mechanical", "blastic", "normal", "none", "unilateral", 7, "potentially_unstable"),
        ("junctional", "mechanical", "lytic", "de_novo_deformity", "lt_50", "none", 12, "potentially_unstable"),
        ("junctional", "mechanical", "lytic", "de_novo_deformity", "gt_50", "none", 13, "unstable"),
        ("junctional", "mechanical", "lytic", "subluxation", "gt_50", "bilateral", 18, "unstable"),
    ],
)
def test_worked_examples(loc, pain, lesion, align, collapse, pl, total, band):
    result = sins(location=loc, pain=pain, lesion=lesion, alignment=align, collapse=collapse, posterolateral=pl)
    assert result.total == total
    assert result.band == band


def test_issue_example():
    result = sins(
        location="junctional",
        pain="mechanical",
        lesion="lytic",
        alignment="subluxation",
        collapse="gt_50",
        posterolateral="bilateral",
    )
    assert result.total == 18


def test_all_combinations():
    tables = (LOCATION, PAIN, LESION, ALIGNMENT, COLLAPSE, POSTEROLATERAL)
    count = 0
    for combo in itertools.product(*(t.items() for t in tables)):
        (loc, a), (pain, b), (lesion, c), (align, d), (coll, e), (pl, f) = combo
        result = sins(location=loc, pain=pain, lesion=lesion, alignment=align, collapse=coll, posterolateral=pl)
        assert result.total == a + b + c + d + e + f
        assert result.band == expected_band(result.total)
        count += 1
    assert count == 4 * 3 * 3 * 3 * 4 * 3


def test_direction_and_action():
    result = sins(
        location="mobile", pain="mechanical", lesion="lytic", alignment="normal", collapse="none", posterolateral="none"
    )
    assert result.higher_is == "worse"
    assert "consultation" in result.action.lower()
    assert any("95.7" in o.value for o in result.outcomes)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pain", 2),
        ("pain", "yes"),
        ("location", "thoracic"),
        ("collapse", "50"),
        ("posterolateral", ""),
        ("alignment", float("nan")),
    ],
)
def test_invalid_values(field, value):
    kwargs = {
        "location": "rigid",
        "pain": "none",
        "lesion": "blastic",
        "alignment": "normal",
        "collapse": "none",
        "posterolateral": "none",
    }
    kwargs[field] = value
    with pytest.raises(InvalidInputError) as info:
        sins(**kwargs)
    assert info.value.field == field
    table = {
        "pain": PAIN,
        "location": LOCATION,
        "collapse": COLLAPSE,
        "posterolateral": POSTEROLATERAL,
        "alignment": ALIGNMENT,
    }[field]
    assert info.value.allowed == ", ".join(table)
