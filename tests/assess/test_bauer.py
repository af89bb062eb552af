"""Bauer and modified Bauer: research note section 4.3."""

import itertools

import pytest

from metastasis.assess import bauer, bauer_modified
from metastasis.errors import InvalidInputError

# "not lung" +1 and "breast, kidney, lymphoma or myeloma" +1, combined per primary.
PRIMARY = {"breast": 2, "kidney": 2, "lymphoma": 2, "myeloma": 2, "other": 1, "lung": 0}


def original_band(total: int) -> str:
    return "poor" if total <= 1 else "intermediate" if total <= 3 else "good"


def modified_band(total: int) -> str:
    return "supportive" if total <= 1 else "short_term_palliation" if total == 2 else "middle_term_control"


def test_all_combinations_both_versions():
    count = 0
    for primary, visceral, fracture, solitary in itertools.product(
        PRIMARY, (True, False), (True, False), (True, False)
    ):
        original = bauer(
            primary=primary,
            visceral_metastases=visceral,
            pathological_fracture=fracture,
            solitary_skeletal_metastasis=solitary,
        )
        modified = bauer_modified(primary=primary, visceral_metastases=visceral, solitary_skeletal_metastasis=solitary)
        expected_modified = PRIMARY[primary] + (not visceral) + solitary
        assert modified.total == expected_modified
        assert original.total == expected_modified + (not fracture)
        assert original.band == original_band(original.total)
        assert modified.band == modified_band(modified.total)
        count += 1
    assert count == 48


def test_worked_examples():
    best = {"primary": "breast", "visceral_metastases": False, "solitary_skeletal_metastasis": True}
    assert bauer(**best, pathological_fracture=False).total == 5
    assert bauer_modified(**best).total == 4
    worst = {"primary": "lung", "visceral_metastases": True, "solitary_skeletal_metastasis": False}
    assert bauer(**worst, pathological_fracture=True).total == 0
    assert bauer_modified(**worst).total == 0


def test_disagreement_cases():
    # no fracture + no visceral only -> original 2 (palliative) vs modified 1 (supportive)
    only = {"primary": "lung", "visceral_metastases": False, "solitary_skeletal_metastasis": False}
    original, modified = bauer(**only, pathological_fracture=False), bauer_modified(**only)
    assert (original.total, original.band) == (2, "intermediate")
    assert (modified.total, modified.band) == (1, "supportive")
    # fracture + no visceral + solitary + not lung -> both 3, different bands
    case = {"primary": "other", "visceral_metastases": False, "solitary_skeletal_metastasis": True}
    original, modified = bauer(**case, pathological_fracture=True), bauer_modified(**case)
    assert original.total == modified.total == 3
    assert (original.band, modified.band) == ("intermediate", "middle_term_control")


def test_higher_is_better():
    assert (
        bauer(
            primary="breast", visceral_metastases="no", pathological_fracture="no", solitary_skeletal_metastasis="yes"
        ).higher_is
        == "better"
    )
    good = bauer_modified(primary="breast", visceral_metastases=False, solitary_skeletal_metastasis=True)
    assert good.higher_is == "better"
    assert good.band == "middle_term_control"


def test_yes_no_strings_equal_booleans():
    a = bauer(
        primary="kidney", visceral_metastases="yes", pathological_fracture="no", solitary_skeletal_metastasis="no"
    )
    b = bauer(
        primary="kidney", visceral_metastases=True, pathological_fracture=False, solitary_skeletal_metastasis=False
    )
    assert a.total == b.total == 3


def test_cutoffs_flagged_unverified():
    result = bauer(
        primary="breast", visceral_metastases=False, pathological_fracture=False, solitary_skeletal_metastasis=True
    )
    assert any("not verified" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("primary", "colon"),
        ("visceral_metastases", 1),
        ("visceral_metastases", "Yes"),
        ("visceral_metastases", None),
        ("solitary_skeletal_metastasis", 0),
    ],
)
def test_invalid(field, value):
    kwargs = {"primary": "breast", "visceral_metastases": False, "solitary_skeletal_metastasis": True}
    kwargs[field] = value
    with pytest.raises(InvalidInputError) as info:
        bauer_modified(**kwargs)
    assert info.value.field == field
    assert info.value.allowed


def test_modified_has_no_fracture_item():
    with pytest.raises(TypeError):
        bauer_modified(
            primary="breast", visceral_metastases=False, solitary_skeletal_metastasis=True, pathological_fracture=False
        )  # type: ignore[call-arg]
