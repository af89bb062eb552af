"""Every site's codes, as a record reports them (its own and those it takes from its parent), typed here.

Expected codes are typed from the code systems, not read back from sites.yaml:

* ICD-O-3 topography (WHO ICD-O-3; as listed by SEER/IMS and other public lists): C40.0 long bones of upper
  limb, scapula and associated joints; C40.2 long bones of lower limb and associated joints; C41.0 bones of skull
  and face; C41.2 vertebral column, EXCLUDING sacrum and coccyx; C41.3 rib, sternum, clavicle; C41.4 pelvic
  bones, sacrum, coccyx and associated joints; C41.9 bone, NOS; C42.1 bone marrow; C22.0 liver; C34.9 lung, NOS;
  C38.4 pleura, NOS; C71.9 brain, NOS.
* ICD-10-CM (mCODE STU4 SecondaryCancerDisorderVS): C79.51 bone; C79.52 bone marrow; C78.00/.01/.02 lung
  (unspecified/right/left); C78.2 pleura; C78.7 liver and intrahepatic bile duct; C79.31 brain; C79.32 cerebral
  meninges; C77.0 head, face and neck nodes (supraclavicular); C77.1 intrathoracic nodes (internal mammary);
  C77.3 axilla and upper limb nodes; C77.2 intra-abdominal, C77.5 intrapelvic, C77.8 multiple regions;
  C79.70/.71/.72 adrenal; C79.2 skin; C78.6 retroperitoneum and peritoneum; C79.89 other specified; C79.9
  unspecified site.
* SNOMED CT secondary malignant neoplasm of: bone 94222008, lung 94391008, liver 94381002, brain 94225005,
  pleura 94493005 (single source: unverified), adrenal gland 94161006 (single source: unverified).
"""

from __future__ import annotations

import pytest

from metastasis.knowledge import codes_for, get_site, site_ids

ICDO3, ICD10CM, SCT = "icd-o-3-topography", "icd-10-cm", "snomed-ct"
BONE = {SCT: {"94222008"}, ICD10CM: {"C79.51"}}

EXPECTED: dict[str, dict[str, set[str]]] = {
    "bone": {**BONE, ICDO3: {"C41.9"}},
    "spine": {**BONE, ICDO3: {"C41.2"}},
    "spine_cervical": {**BONE, ICDO3: {"C41.2"}},
    "spine_thoracic": {**BONE, ICDO3: {"C41.2"}},
    "spine_lumbar": {**BONE, ICDO3: {"C41.2"}},
    "spine_sacral": {**BONE, ICDO3: {"C41.4"}},
    "ribs": {**BONE, ICDO3: {"C41.3"}},
    "sternum": {**BONE, ICDO3: {"C41.3"}},
    "pelvis": {**BONE, ICDO3: {"C41.4"}},
    "skull": {**BONE, ICDO3: {"C41.0"}},
    "long_bones": {**BONE, ICDO3: {"C40.0", "C40.2"}},
    "bone_marrow": {SCT: {"94222008"}, ICD10CM: {"C79.52"}, ICDO3: {"C42.1"}},
    "lung": {SCT: {"94391008"}, ICD10CM: {"C78.00", "C78.01", "C78.02"}, ICDO3: {"C34.9"}},
    "pleura": {SCT: {"94493005"}, ICD10CM: {"C78.2"}, ICDO3: {"C38.4"}},
    "liver": {SCT: {"94381002"}, ICD10CM: {"C78.7"}, ICDO3: {"C22.0"}},
    "brain": {SCT: {"94225005"}, ICD10CM: {"C79.31"}, ICDO3: {"C71.9"}},
    "leptomeninges": {ICD10CM: {"C79.32"}},
    "nodes_regional": {ICD10CM: {"C77.0", "C77.1", "C77.3"}},
    "nodes_distant": {ICD10CM: {"C77.2", "C77.5", "C77.8"}},
    "adrenal": {SCT: {"94161006"}, ICD10CM: {"C79.70", "C79.71", "C79.72"}},
    "skin_chest_wall": {ICD10CM: {"C79.2"}},
    "peritoneum": {ICD10CM: {"C78.6"}},
    "other": {ICD10CM: {"C79.89", "C79.9"}},
}
UNVERIFIED = {("pleura", "94493005"), ("adrenal", "94161006")}


def test_every_site_has_typed_expected_codes():
    assert set(site_ids()) == set(EXPECTED)


@pytest.mark.parametrize("site_id", list(EXPECTED))
def test_site_reports_exactly_the_expected_codes(site_id):
    found: dict[str, set[str]] = {}
    for code in codes_for(site_id):
        found.setdefault(code.system.value, set()).add(code.code)
    assert found == EXPECTED[site_id]


def test_the_sacrum_is_coded_with_the_pelvis_not_the_vertebral_column():
    topography = {c.code: c.display for c in codes_for("spine_sacral") if c.system.value == ICDO3}
    assert topography.keys() == {"C41.4"}
    assert "sacrum" in topography["C41.4"]
    vertebral = next(c for c in get_site("spine").codes if c.code == "C41.2")
    assert "excluding sacrum and coccyx" in vertebral.display


def test_only_the_single_source_snomed_codes_stay_unverified_and_flagged():
    flagged = {(site_id, c.code) for site_id in EXPECTED for c in get_site(site_id).codes if c.flagged}
    assert flagged == UNVERIFIED


@pytest.mark.parametrize(
    ("system", "code"),
    [(ICDO3, "C79.51"), (ICDO3, "C41"), (ICD10CM, "41.2"), (SCT, "C41.2"), (SCT, "0123456")],
)
def test_a_code_in_the_wrong_shape_for_its_system_fails_at_load(system, code):
    from metastasis.errors import DataIntegrityError
    from metastasis.knowledge.models import Site
    from metastasis.knowledge.sites import _check_codes

    cited = ["mcode-stu4-cancer-condition-vs"]
    site = Site.model_validate(
        {
            "id": "test_site",
            "name": "Test",
            "plain_name": "test",
            "group": "bone",
            "sources": cited,
            "codes": [{"system": system, "code": code, "display": "x", "verification": "verified", "sources": cited}],
        }
    )
    with pytest.raises(DataIntegrityError):
        _check_codes(site)
