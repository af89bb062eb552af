"""Revised Tokuhashi: research note section 4.1 (and the vertebral-item conflict, section 0.3)."""

import itertools

import pytest

from metastasis.assess import tokuhashi_revised
from metastasis.errors import InvalidInputError

PRIMARY = {
    "lung": 0,
    "osteosarcoma": 0,
    "stomach": 0,
    "bladder": 0,
    "esophagus": 0,
    "pancreas": 0,
    "liver": 1,
    "gallbladder": 1,
    "unidentified": 1,
    "other": 2,
    "kidney": 3,
    "uterus": 3,
    "rectum": 4,
    "thyroid": 5,
    "breast": 5,
    "prostate": 5,
    "carcinoid": 5,
}
ORGANS = {"unremovable": 0, "removable": 1, "none": 2}
PALSY = {"complete": 0, "incomplete": 1, "none": 2}


def kps_points(kps: int) -> int:
    return 0 if kps <= 40 else 1 if kps <= 70 else 2


def extraspinal_points(n: int) -> int:
    return 2 if n == 0 else 1 if n <= 2 else 0


def vertebral_points(n: int) -> int:  # the >=3 / 2 / 1 reading chosen by the package
    return 2 if n == 1 else 1 if n == 2 else 0


def expected_band(total: int) -> str:
    return "lt_6_months" if total <= 8 else "gte_6_months" if total <= 11 else "gte_1_year"


def call(kps=80, extra=0, vert=1, organs="none", primary="other", palsy="none"):
    return tokuhashi_revised(
        kps=kps,
        extraspinal_bone_metastases=extra,
        vertebral_metastases=vert,
        internal_organ_metastases=organs,
        primary=primary,
        palsy=palsy,
    )


@pytest.mark.parametrize(
    ("kps", "extra", "vert", "organs", "primary", "palsy", "total", "band"),
    [
        (30, 3, 3, "unremovable", "lung", "complete", 0, "lt_6_months"),
        (90, 1, 2, "removable", "other", "incomplete", 8, "lt_6_months"),
        (90, 1, 1, "removable", "other", "incomplete", 9, "gte_6_months"),
        (90, 0, 1, "none", "other", "incomplete", 11, "gte_6_months"),
        (90, 0, 1, "none", "other", "none", 12, "gte_1_year"),
        (100, 0, 1, "none", "breast", "none", 15, "gte_1_year"),
        (80, 2, 1, "none", "breast", "none", 14, "gte_1_year"),  # constructed breast example
    ],
)
def test_worked_examples(kps, extra, vert, organs, primary, palsy, total, band):
    result = call(kps, extra, vert, organs, primary, palsy)
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize(("kps", "points"), [(10, 0), (40, 0), (50, 1), (70, 1), (80, 2), (100, 2)])
def test_kps_boundaries(kps, points):
    assert call(kps=kps).breakdown[0].points == points


@pytest.mark.parametrize(("n", "points"), [(0, 2), (1, 1), (2, 1), (3, 0), (12, 0)])
def test_extraspinal_boundaries(n, points):
    assert call(extra=n).breakdown[1].points == points


@pytest.mark.parametrize(("n", "points"), [(1, 2), (2, 1), (3, 0), (9, 0)])
def test_vertebral_item_reading(n, points):
    assert call(vert=n).breakdown[2].points == points


def test_vertebral_conflict_flagged_when_it_matters():
    assert any("Conflicting" in c for c in call(vert=1).caveats)
    assert not any("Conflicting" in c for c in call(vert=2).caveats)


def test_exhaustive_over_every_row():
    for kps, extra, vert, organs, primary, palsy in itertools.product(
        (20, 60, 90), (0, 2, 4), (1, 2, 5), ORGANS, PRIMARY, PALSY
    ):
        result = call(kps, extra, vert, organs, primary, palsy)
        total = (
            kps_points(kps)
            + extraspinal_points(extra)
            + vertebral_points(vert)
            + ORGANS[organs]
            + PRIMARY[primary]
            + PALSY[palsy]
        )
        assert result.total == total
        assert result.band == expected_band(total)


def test_higher_is_better():
    best, worst = call(100, 0, 1, "none", "breast", "none"), call(10, 5, 5, "unremovable", "lung", "complete")
    assert best.higher_is == worst.higher_is == "better"
    assert best.total > worst.total
    assert (best.band, worst.band) == ("gte_1_year", "lt_6_months")
    assert best.action == "Excisional surgery."


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("vertebral_metastases", {"vert": 0}),  # impossible in a spinal-metastasis score
        ("kps", {"kps": 0}),
        ("kps", {"kps": 45}),
        ("kps", {"kps": 110}),
        ("kps", {"kps": True}),
        ("kps", {"kps": "80"}),
        ("kps", {"kps": 80.0}),
        ("extraspinal_bone_metastases", {"extra": -1}),
        ("extraspinal_bone_metastases", {"extra": 1.5}),
        ("primary", {"primary": "Breast"}),
        ("primary", {"primary": "colon"}),
        ("palsy", {"palsy": "frankel_e"}),
        ("internal_organ_metastases", {"organs": "yes"}),
    ],
)
def test_invalid_values(field, kwargs):
    with pytest.raises(InvalidInputError) as info:
        call(**kwargs)
    assert info.value.field == field
    assert info.value.allowed
