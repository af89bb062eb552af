"""Shape shared by every score result, directions, and the failure of broken data tables."""

import pytest

from metastasis.assess import (
    bauer,
    bauer_modified,
    bilsky_escc,
    katagiri_new,
    mirels,
    sins,
    tokuhashi_revised,
    tomita,
)
from metastasis.assess._tables import ScoreSpec, _check
from metastasis.errors import DataIntegrityError

SAMPLES = {
    "mirels": (lambda: mirels(site="upper_limb", pain="mild", lesion="mixed", size="lt_one_third"), "worse"),
    "sins": (
        lambda: sins(
            location="mobile",
            pain="occasional",
            lesion="mixed",
            alignment="normal",
            collapse="none",
            posterolateral="none",
        ),
        "worse",
    ),
    "bilsky_escc": (lambda: bilsky_escc(grade="1b"), "worse"),
    "tokuhashi_revised": (
        lambda: tokuhashi_revised(
            kps=60,
            extraspinal_bone_metastases=2,
            vertebral_metastases=2,
            internal_organ_metastases="removable",
            primary="breast",
            palsy="none",
        ),
        "better",
    ),
    "tomita": (lambda: tomita(primary_growth="slow", visceral_metastases="none", bone_metastases="multiple"), "worse"),
    "bauer": (
        lambda: bauer(
            primary="breast", visceral_metastases=True, pathological_fracture=False, solitary_skeletal_metastasis=False
        ),
        "better",
    ),
    "bauer_modified": (
        lambda: bauer_modified(primary="lung", visceral_metastases=False, solitary_skeletal_metastasis=True),
        "better",
    ),
    "katagiri_new": (
        lambda: katagiri_new(
            primary_growth="moderate",
            visceral_metastases="none",
            laboratory="abnormal",
            ecog=2,
            previous_chemotherapy=True,
            multiple_skeletal_metastases=True,
        ),
        "worse",
    ),
}


@pytest.mark.parametrize("score", SAMPLES)
def test_common_shape(score):
    make, direction = SAMPLES[score]
    result = make()
    assert result.score == score
    assert result.higher_is == direction
    assert result.minimum <= result.total <= result.maximum
    assert result.band and result.band_label and result.interpretation and result.action
    assert result.breakdown
    assert result.reasons[-1].rule.startswith(f"{score}.band:") or score == "bilsky_escc"
    assert result.sources
    assert result.caveats
    data = result.model_dump(mode="json")
    assert data["sources"] == result.sources


def test_survival_directions():
    # Tokuhashi and Bauer: higher = better; Tomita and Katagiri: higher = worse (note section 0.5).
    best_tokuhashi = tokuhashi_revised(
        kps=100,
        extraspinal_bone_metastases=0,
        vertebral_metastases=1,
        internal_organ_metastases="none",
        primary="breast",
        palsy="none",
    )
    assert best_tokuhashi.total == best_tokuhashi.maximum and best_tokuhashi.band == "gte_1_year"
    best_bauer = bauer(
        primary="breast", visceral_metastases=False, pathological_fracture=False, solitary_skeletal_metastasis=True
    )
    assert best_bauer.total == best_bauer.maximum and best_bauer.band == "good"
    best_tomita = tomita(primary_growth="slow", visceral_metastases="none", bone_metastases="solitary")
    assert best_tomita.total == best_tomita.minimum and best_tomita.band == "long_term_control"
    best_katagiri = katagiri_new(
        primary_growth="slow",
        visceral_metastases="none",
        laboratory="normal",
        ecog=0,
        previous_chemotherapy=False,
        multiple_skeletal_metastases=False,
    )
    assert best_katagiri.total == best_katagiri.minimum and best_katagiri.band == "low"


def _spec(**changes):
    base = {
        "id": "broken",
        "name": "Broken score",
        "higher_is": "worse",
        "items": [
            {
                "id": "a",
                "label": "A",
                "choices": [{"value": "x", "label": "X", "points": 0}, {"value": "y", "label": "Y", "points": 2}],
            }
        ],
        "bands": [
            {"id": "lo", "label": "Lo", "min": 0, "max": 1, "interpretation": "-", "action": "-"},
            {"id": "hi", "label": "Hi", "min": 2, "max": 2, "interpretation": "-", "action": "-"},
        ],
    }
    base.update(changes)
    return base


def test_good_table_passes():
    spec = ScoreSpec.model_validate(_spec())
    _check(spec)  # raises DataIntegrityError on a bad table
    assert [band.id for band in spec.bands] == ["lo", "hi"]


def test_gap_in_bands_fails_loudly():
    bands = [
        {"id": "lo", "label": "Lo", "min": 0, "max": 0, "interpretation": "-", "action": "-"},
        {"id": "hi", "label": "Hi", "min": 2, "max": 2, "interpretation": "-", "action": "-"},
    ]
    with pytest.raises(DataIntegrityError):
        _check(ScoreSpec.model_validate(_spec(bands=bands)))


def test_unknown_source_fails_loudly():
    with pytest.raises(DataIntegrityError):
        ScoreSpec.model_validate(_spec(sources=["no-such-source"]))


def test_duplicate_choice_fails_loudly():
    items = [
        {
            "id": "a",
            "label": "A",
            "choices": [{"value": "x", "label": "X", "points": 0}, {"value": "x", "label": "Y", "points": 2}],
        }
    ]
    with pytest.raises(DataIntegrityError):
        _check(ScoreSpec.model_validate(_spec(items=items)))
