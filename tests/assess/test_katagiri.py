"""New Katagiri (2014): research note section 4.5."""

import itertools
import math

import pytest

from metastasis.assess import katagiri_laboratory, katagiri_new
from metastasis.errors import InvalidInputError

GROWTH = {"slow": 0, "moderate": 2, "rapid": 3}
VISCERAL = {"none": 0, "nodular": 1, "disseminated": 2}
LAB = {"normal": 0, "abnormal": 1, "critical": 2}


def expected_band(total: int) -> str:
    return "low" if total <= 3 else "intermediate" if total <= 6 else "high"


def call(growth="slow", visceral="none", lab="normal", ecog=0, chemo=False, multiple=False):
    return katagiri_new(
        primary_growth=growth,
        visceral_metastases=visceral,
        laboratory=lab,
        ecog=ecog,
        previous_chemotherapy=chemo,
        multiple_skeletal_metastases=multiple,
    )


def test_worked_examples():
    assert call().total == 0
    breast = call("slow", "none", "normal", 1, False, True)
    assert (breast.total, breast.band) == (1, "low")
    rapid_nodular = call("rapid", "nodular")
    assert (rapid_nodular.total, rapid_nodular.band) == (4, "intermediate")
    maximum = call("rapid", "disseminated", "critical", 4, True, True)
    assert (maximum.total, maximum.band) == (10, "high")


def test_band_boundaries():
    assert call("rapid").band == "low"  # 3
    assert call("rapid", "nodular").band == "intermediate"  # 4
    assert call("rapid", "nodular", "critical").total == 6
    assert call("rapid", "nodular", "critical").band == "intermediate"
    assert call("rapid", "nodular", "critical", ecog=3).band == "high"  # 7


def test_all_combinations():
    for g, v, lab, ecog, chemo, multiple in itertools.product(
        GROWTH, VISCERAL, LAB, range(5), (True, False), (True, False)
    ):
        result = call(g, v, lab, ecog, chemo, multiple)
        total = GROWTH[g] + VISCERAL[v] + LAB[lab] + (ecog >= 3) + chemo + multiple
        assert result.total == total
        assert result.band == expected_band(total)


def test_direction_outcomes_and_caveats():
    low = call()
    assert low.higher_is == "worse"
    assert any("91 %" in o.value for o in low.outcomes)
    high = call("rapid", "disseminated", "critical", 4, True, True)
    assert any("27 %" in o.value and "6 %" in o.value for o in high.outcomes)
    assert any("single secondary" in c for c in low.caveats)
    assert "katagiri-2014-table" in low.sources


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("ecog", {"ecog": 5}),
        ("ecog", {"ecog": -1}),
        ("ecog", {"ecog": "3"}),
        ("ecog", {"ecog": True}),
        ("laboratory", {"lab": "high"}),
        ("primary_growth", {"growth": "hormone_dependent"}),
        ("previous_chemotherapy", {"chemo": "y"}),
    ],
)
def test_invalid(field, kwargs):
    with pytest.raises(InvalidInputError) as info:
        call(**kwargs)
    assert info.value.field == field


# --- laboratory tiers ---------------------------------------------------------------------------------


def test_lab_tiers_from_the_note():
    assert katagiri_laboratory(crp_mg_dl=0.5, albumin_g_dl=3.5).tier == "abnormal"
    assert katagiri_laboratory(crp_mg_dl=0.5, albumin_g_dl=3.5).points == 1
    assert katagiri_laboratory(platelets_per_ul=90_000).points == 2
    both = katagiri_laboratory(crp_mg_dl=0.5, platelets_per_ul=90_000)
    assert (both.tier, both.points) == ("critical", 2)  # not 3


@pytest.mark.parametrize(
    ("kwargs", "tier"),
    [
        ({"crp_mg_dl": 0.4}, "abnormal"),
        ({"crp_mg_dl": 0.39}, "normal"),
        ({"ldh_iu_l": 250}, "abnormal"),
        ({"ldh_iu_l": 249}, "normal"),
        ({"albumin_g_dl": 3.7}, "normal"),
        ({"albumin_g_dl": 3.69}, "abnormal"),
        ({"platelets_per_ul": 100_000}, "normal"),
        ({"platelets_per_ul": 99_999}, "critical"),
        ({"calcium_mg_dl": 10.3}, "critical"),
        ({"calcium_mg_dl": 10.29}, "normal"),
        ({"bilirubin_mg_dl": 1.4}, "critical"),
        ({"bilirubin_mg_dl": 1.39}, "normal"),
    ],
)
def test_lab_thresholds(kwargs, tier):
    assert katagiri_laboratory(**kwargs).tier == tier


def test_lab_not_assessed_listed():
    result = katagiri_laboratory()
    assert result.tier == "normal"
    assert len(result.not_assessed) == 6
    assert any("Not assessed" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("platelets_per_ul", 90),
        ("albumin_g_dl", 35),
        ("crp_mg_dl", math.nan),
        ("crp_mg_dl", -1),
        ("ldh_iu_l", True),
        ("calcium_mg_dl", 2.6),
        ("bilirubin_mg_dl", "1.0"),
    ],
)
def test_lab_invalid(field, value):
    with pytest.raises(InvalidInputError) as info:
        katagiri_laboratory(**{field: value})
    assert info.value.field == field
