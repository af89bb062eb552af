"""ECOG, Karnofsky and the published mappings: research note section 6."""

import pytest

from metastasis.assess import (
    ecog,
    ecog_to_kps_buccheri_1996,
    ecog_to_kps_ecog_acrin,
    ecog_to_kps_prasad_2018,
    karnofsky,
    kps_to_ecog_buccheri_1996,
    kps_to_ecog_ecog_acrin,
    kps_to_ecog_prasad_2018,
)
from metastasis.errors import InvalidInputError

ECOG_WORDS = {
    0: "Fully active",
    1: "strenuous",
    2: "self-care",
    3: "limited self-care",
    4: "Completely disabled",
    5: "Dead",
}
KPS_WORDS = {
    100: "no complaints",
    90: "minor signs",
    80: "with effort",
    70: "unable to carry on normal activity",
    60: "occasional assistance",
    50: "considerable assistance",
    40: "special care",
    30: "Severely disabled",
    20: "Very sick",
    10: "Moribund",
    0: "Dead",
}
KPS_GROUP = {
    **dict.fromkeys((100, 90, 80), "normal_activity"),
    **dict.fromkeys((70, 60, 50), "unable_to_work"),
    **dict.fromkeys((40, 30, 20, 10), "unable_to_self_care"),
    0: "dead",
}

# Typed from the note's table 6.3: ECOG grade -> KPS values.
ECOG_ACRIN = {0: {100, 90}, 1: {80, 70}, 2: {60, 50}, 3: {40, 30}, 4: {20, 10}, 5: {0}}
BUCCHERI = {0: {100, 90, 80}, 1: {100, 90, 80}, 2: {70, 60}, 3: {50, 40, 30, 20, 10}, 4: {50, 40, 30, 20, 10}}
PRASAD = {0: {100}, 1: {90, 80}, 2: {70}, 3: {60, 50}, 4: {40, 30, 20, 10}}


@pytest.mark.parametrize(("grade", "words"), ECOG_WORDS.items())
def test_ecog_descriptors(grade, words):
    result = ecog(grade=grade)
    assert words in result.description
    assert result.sources == ["oken-1982-ecog"]


@pytest.mark.parametrize(("score", "words"), KPS_WORDS.items())
def test_karnofsky_descriptors_and_groups(score, words):
    result = karnofsky(score=score)
    assert words in result.description
    assert result.band == KPS_GROUP[score]


@pytest.mark.parametrize("value", [-1, 6, 2.0, "2", True, None])
def test_ecog_invalid(value):
    with pytest.raises(InvalidInputError) as info:
        ecog(grade=value)
    assert info.value.field == "grade"


@pytest.mark.parametrize("value", [-10, 75, 110, 70.0, "70", False])
def test_karnofsky_invalid(value):
    with pytest.raises(InvalidInputError) as info:
        karnofsky(score=value)
    assert info.value.field == "score"


@pytest.mark.parametrize(
    ("forward", "backward", "table", "source"),
    [
        (ecog_to_kps_ecog_acrin, kps_to_ecog_ecog_acrin, ECOG_ACRIN, "ecog-acrin-kps-comparison"),
        (ecog_to_kps_buccheri_1996, kps_to_ecog_buccheri_1996, BUCCHERI, "buccheri-1996"),
        (ecog_to_kps_prasad_2018, kps_to_ecog_prasad_2018, PRASAD, "prasad-2018"),
    ],
)
def test_each_mapping_both_directions(forward, backward, table, source):
    for grade, kps_values in table.items():
        result = forward(grade=grade)
        assert set(result.to_values) == kps_values
        assert result.approximate is True
        assert result.sources == [source]
        for kps in kps_values:
            back = backward(score=kps)
            expected = {g for g, values in table.items() if kps in values}
            assert set(back.to_values) == expected


@pytest.mark.parametrize(
    ("function", "kwargs"),
    [
        (ecog_to_kps_buccheri_1996, {"grade": 5}),
        (kps_to_ecog_buccheri_1996, {"score": 0}),
        (ecog_to_kps_prasad_2018, {"grade": 5}),
        (kps_to_ecog_prasad_2018, {"score": 0}),
        (ecog_to_kps_ecog_acrin, {"grade": 7}),
        (kps_to_ecog_ecog_acrin, {"score": 85}),
    ],
)
def test_mappings_refuse_uncovered_values(function, kwargs):
    with pytest.raises(InvalidInputError):
        function(**kwargs)


def test_mappings_disagree_which_is_why_they_are_separate():
    assert ecog_to_kps_ecog_acrin(grade=2).to_values != ecog_to_kps_prasad_2018(grade=2).to_values
    assert kps_to_ecog_ecog_acrin(score=70).to_values == [1]
    assert kps_to_ecog_prasad_2018(score=70).to_values == [2]
