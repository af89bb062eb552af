"""Treatment-option families by case profile."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.knowledge.options import treatment_options


def _ids(**profile) -> list[str]:
    return [option.id for option in treatment_options(**profile).options]


def test_hr_positive_bone_only_lists_endocrine_and_bone_options():
    ids = _ids(subtype="hr+/her2-", sites=["bone"])
    assert ids[0] == "endocrine_cdk46"
    assert {"bone_targeted", "radiotherapy_pain", "surgery_bone", "pain_management", "palliative_care",
            "clinical_trials", "support_groups", "physical_therapy", "radiopharmaceuticals"} <= set(ids)  # fmt: skip
    assert "her2_targeted" not in ids and "immunotherapy" not in ids


def test_her2_positive_lists_her2_targeted_therapy():
    assert "her2_targeted" in _ids(subtype="her2+", sites=["liver"])
    both = _ids(subtype="hr+/her2+", sites=["liver"])
    assert {"her2_targeted", "endocrine_with_her2"} <= set(both)


def test_triple_negative_lists_immunotherapy_not_endocrine():
    ids = _ids(subtype="tnbc", sites=["lung"])
    assert "immunotherapy" in ids and "chemotherapy" in ids
    assert not [i for i in ids if i.startswith("endocrine")]


def test_bone_options_need_a_bone_site():
    ids = _ids(subtype="triple-negative", sites=["liver", "lung"])
    assert not {"bone_targeted", "radiotherapy_pain", "surgery_bone"} & set(ids)
    assert "bone_targeted" in _ids(subtype="triple-negative", sites=["spine_thoracic"])


def test_bone_targeted_agents_say_start_early_and_flag_the_six_month_claim():
    result = treatment_options(subtype="hr+/her2-", sites=["bone"])
    option = next(o for o in result.options if o.id == "bone_targeted")
    assert "denosumab" in option.name and "zoledronic acid" in option.name
    assert any("within 6 months" in c and "unverified" in c for c in option.caveats)
    assert "bta-early-start-6-months" in option.sources
    assert any("bta-early-start-6-months" in c for c in result.caveats)


def test_single_fraction_radiotherapy_for_uncomplicated_pain():
    result = treatment_options(subtype="hr+/her2-", sites=["ribs"])
    option = next(o for o in result.options if o.id == "radiotherapy_pain")
    assert "single 8 Gy fraction" in option.evidence


def test_scores_add_surgical_notes():
    result = treatment_options(subtype="hr+/her2-", sites=["long_bones", "spine"], mirels=9, sins=13)
    notes = next(o for o in result.options if o.id == "surgery_bone").notes
    assert any(n.startswith("Mirels 9: fixation favoured") for n in notes)
    assert any(n.startswith("SINS 13: unstable") for n in notes)
    low = treatment_options(subtype="hr+/her2-", sites=["long_bones"], mirels=7, sins=6)
    notes = next(o for o in low.options if o.id == "surgery_bone").notes
    assert any("radiotherapy and observation" in n for n in notes)
    assert any("no instability" in n for n in notes)


def test_menopausal_status_changes_the_endocrine_note():
    pre = treatment_options(subtype="hr+/her2-", sites=["bone"], menopausal_status="premenopausal")
    assert any("ovarian function suppression" in n for n in pre.options[0].notes)
    post = treatment_options(subtype="hr+/her2-", sites=["bone"], menopausal_status="postmenopausal")
    assert post.options[0].notes == []


def test_visceral_pattern_notes_chemotherapy_first_in_crisis_and_oligometastatic_adds_local_therapy():
    result = treatment_options(subtype="hr+/her2-", sites=["liver", "bone"], lesion_count=3)
    assert result.pattern.value == "visceral"
    chemo = next(o for o in result.options if o.id == "chemotherapy")
    assert any("organ function" in n for n in chemo.notes)
    assert "metastasis_directed" in [o.id for o in result.options]
    assert "metastasis_directed" not in _ids(subtype="hr+/her2-", sites=["liver"], lesion_count=8)


def test_always_says_it_is_not_a_prescription():
    result = treatment_options(subtype="hr+/her2-", sites=["bone"])
    assert "not a prescription" in result.notice and result.notice in result.caveats
    assert result.sources


@pytest.mark.parametrize(
    "profile",
    [
        {"subtype": "luminal c", "sites": ["bone"]},
        {"subtype": "hr+/her2-", "sites": ["kneecap"]},
        {"subtype": "hr+/her2-", "sites": ["bone"], "menopausal_status": "peri"},
        {"subtype": "hr+/her2-", "sites": ["bone"], "mirels": 13},
        {"subtype": "hr+/her2-", "sites": ["bone"], "sins": -1},
        {"subtype": "hr+/her2-", "sites": ["bone"], "lesion_count": 0},
    ],
)
def test_bad_profiles_are_refused(profile):
    with pytest.raises(InvalidInputError):
        treatment_options(**profile)
