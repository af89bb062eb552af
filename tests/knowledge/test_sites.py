"""The site catalogue, its codes and the bone facts, checked against values typed from the research notes."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.knowledge import (
    all_sites,
    bone_primaries,
    children,
    codes_for,
    facts,
    get_primary,
    get_site,
    organ_of,
    site_frequencies,
    site_ids,
)


def _codes(site_id: str) -> dict[tuple[str, str], str]:
    return {(c.system.value, c.code): c.verification.value for c in get_site(site_id).codes}


def test_catalogue_has_the_sites_the_issue_names():
    expected = {
        "bone", "spine", "spine_cervical", "spine_thoracic", "spine_lumbar", "spine_sacral", "ribs", "pelvis",
        "sternum", "skull", "long_bones", "lung", "pleura", "liver", "brain", "nodes_regional", "nodes_distant",
        "adrenal", "skin_chest_wall", "other",
    }  # fmt: skip
    assert expected <= set(site_ids())


def test_spine_regions_are_children_of_spine_and_spine_of_bone():
    assert {s.id for s in children("spine")} == {"spine_cervical", "spine_thoracic", "spine_lumbar", "spine_sacral"}
    assert organ_of(get_site("spine_lumbar")).id == "bone"
    assert get_site("ribs").parent == "bone"


@pytest.mark.parametrize(
    ("site_id", "system", "code", "verification"),
    [
        ("bone", "icd-10-cm", "C79.51", "verified"),
        ("bone", "snomed-ct", "94222008", "corroborated"),
        ("lung", "snomed-ct", "94391008", "corroborated"),
        ("lung", "icd-10-cm", "C78.01", "verified"),
        ("liver", "snomed-ct", "94381002", "corroborated"),
        ("liver", "icd-10-cm", "C78.7", "verified"),
        ("brain", "snomed-ct", "94225005", "verified"),
        ("brain", "icd-10-cm", "C79.31", "verified"),
        ("pleura", "icd-10-cm", "C78.2", "verified"),
        ("pleura", "snomed-ct", "94493005", "unverified"),
        ("adrenal", "snomed-ct", "94161006", "unverified"),
        ("nodes_regional", "icd-10-cm", "C77.3", "verified"),
        ("skin_chest_wall", "icd-10-cm", "C79.2", "verified"),
    ],
)
def test_codes_and_their_verification_match_the_notes(site_id, system, code, verification):
    assert _codes(site_id)[(system, code)] == verification


def test_unverified_codes_are_flagged_and_verified_ones_are_not():
    pleura = {c.code: c.flagged for c in get_site("pleura").codes}
    assert pleura["94493005"] is True
    assert pleura["C78.2"] is False


def test_no_snomed_code_is_claimed_for_lymph_nodes():
    for site_id in ("nodes_regional", "nodes_distant"):
        assert not [c for c in get_site(site_id).codes if c.system.value == "snomed-ct"]


def test_each_secondary_disorder_code_belongs_to_one_site_only():
    # Disorder codes (SNOMED CT, ICD-10-CM) name one site each. ICD-O-3 topography names a body region, which
    # several subsites can share (the sacrum and the pelvis are both C41.4; ribs and sternum both C41.3).
    seen: dict[tuple[str, str], str] = {}
    for site in all_sites():
        for code in site.codes:
            if code.system.value == "icd-o-3-topography":
                continue
            key = (code.system.value, code.code)
            assert key not in seen, f"{key} on {seen.get(key)} and {site.id}"
            seen[key] = site.id


def test_subsites_report_bone_codes():
    codes = {c.code for c in codes_for("spine_lumbar")}
    assert {"C79.51", "94222008", "C41.2"} <= codes
    assert "C41.9" not in codes  # the spine's own ICD-O-3 body site replaces bone, NOS


def test_bone_is_third_after_lung_and_liver():
    rank = facts().bone_rank
    assert rank.rank == 3
    assert rank.after == ("lung", "liver")
    assert "macedo-2017-bone-mets" in rank.sources


@pytest.mark.parametrize(
    ("primary", "lesion"),
    [("breast", "osteolytic"), ("prostate", "osteoblastic"), ("lung", "mixed"), ("kidney", "osteolytic")],
)
def test_typical_lesion_type_by_primary(primary, lesion):
    assert get_primary(primary).lesion_type.value == lesion


def test_all_primaries_the_issue_names_are_listed_and_conflicts_flagged():
    ids = {p.id for p in bone_primaries()}
    assert {"breast", "prostate", "lung", "thyroid", "kidney", "melanoma", "lymphoma", "sarcoma", "uterine",
            "gastrointestinal"} <= ids  # fmt: skip
    assert get_primary("lung").lesion_verification.value == "unverified"  # sources disagree


def test_frequencies_keep_their_measures_apart():
    at_diagnosis = {row.site: row.percent for row in site_frequencies("at_diagnosis")}
    assert at_diagnosis == {"bone": 3.28, "lung": 1.52, "liver": 1.20, "brain": 0.35}
    autopsy = {row.site: row.percent for row in site_frequencies("autopsy_patients")}
    assert autopsy["bone"] == 74


def test_unknown_site_and_measure_list_the_allowed_values():
    with pytest.raises(InvalidInputError) as info:
        get_site("kidneyy")
    assert "spine_lumbar" in info.value.allowed and info.value.field == "site"
    with pytest.raises(InvalidInputError):
        site_frequencies("lifetime")
    with pytest.raises(InvalidInputError):
        get_primary("heart")
