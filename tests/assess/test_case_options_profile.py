"""The whole-case options section reads HER2 IHC/ISH, the predictive tests and the treatment history.

Expected values are typed from the trials (DESTINY-Breast03/04, ASCENT, KEYNOTE-355: PD-L1 CPS 10 or more,
OlympiAD/EMBRACA: germline BRCA) and from the case records, not read back from options.yaml.
"""

from __future__ import annotations

from typing import Any

import pytest

from metastasis import assess_case
from metastasis.assess.case.options import prior_treatments
from metastasis.domain import Case
from metastasis.examples.cases import load_example_case


def _case(tumour: dict[str, Any], *, biomarkers: dict[str, Any] | None = None, treatments=()) -> Case:
    return Case.from_data(
        {
            "schema_version": "1.1",
            "as_of": "2024-06-01",
            "patient": {"age_at_diagnosis": 50, "sex": "female", "menopausal_status": "postmenopausal"},
            "tumour": {"m": "cM1", **tumour},
            "dates": {"diagnosis": "2023-01-10", "metastasis": "2023-01-20"},
            "metastatic_sites": [{"site": "lung", "date": "2023-01-20"}],
            "biomarkers": biomarkers or {},
            "treatments": list(treatments),
        }
    )


def _options(case: Case):
    section = assess_case(case).options
    return section.options, {o.id: o for o in section.options.options}, section


TNBC = {"er": "negative", "pr": "negative", "her2": "negative"}


def test_tnbc_with_pdl1_cps_12_and_metastatic_chemotherapy():
    case = _case(
        {**TNBC, "her2_ihc": "0"},
        biomarkers={"pdl1_cps": 12, "gbrca": "negative"},
        treatments=[{"kind": "chemotherapy", "drug": "nab-paclitaxel", "start": "2023-02-01", "end": "2023-08-01"}],
    )
    result, by_id, section = _options(case)
    assert result.biomarkers["pdl1"] == "positive"  # CPS 12 >= 10 (KEYNOTE-355)
    assert "immunotherapy" in by_id
    assert any("already include chemotherapy for metastatic disease" in n for n in by_id["immunotherapy"].notes)
    assert "bardia-2021-ascent" in by_id["sacituzumab_govitecan"].sources
    assert any(
        n.endswith("recorded: chemotherapy for metastatic disease.") for n in by_id["sacituzumab_govitecan"].notes
    )
    # germline BRCA negative: no PARP inhibitor; HER2 IHC 0: no trastuzumab deruxtecan for HER2-low
    assert set(result.left_out) == {"parp_inhibitor", "tdxd_her2_low"}
    rules = {r.rule: r.text for r in section.reasons}
    assert "germline BRCA1/2 result is negative" in rules["options.parp_inhibitor.left_out"]
    assert "IHC 0" in rules["options.tdxd_her2_low.left_out"]
    statements = {s.id: s for s in section.statements}
    assert "options.sacituzumab_govitecan" in statements and "options.parp_inhibitor" not in statements


def test_tnbc_with_cps_below_10_leaves_pembrolizumab_out_and_her2_low_lists_deruxtecan():
    case = _case({**TNBC, "her2_ihc": "2+", "her2_ish": "negative"}, biomarkers={"pdl1_cps": 5})
    result, by_id, _ = _options(case)
    assert "immunotherapy" not in by_id and "immunotherapy" in result.left_out
    assert result.her2_low is True and "tdxd_her2_low" in by_id
    # nothing recorded: the option stays, with what it usually follows
    assert any("not found in the recorded treatments" in n for n in by_id["tdxd_her2_low"].notes)


def test_her2_positive_after_trastuzumab_and_docetaxel():
    case = _case(
        {"er": "negative", "pr": "negative", "her2": "positive", "her2_ihc": "3+"},
        treatments=[
            {"kind": "her2_targeted", "drug": "trastuzumab + pertuzumab + docetaxel", "start": "2023-02-01"},
        ],
    )
    result, by_id, _ = _options(case)
    assert result.prior_treatments == ["taxane", "trastuzumab"]
    assert any("recorded: trastuzumab and a taxane" in n for n in by_id["tdxd_her2_positive"].notes)
    assert "tdxd_her2_low" not in by_id and result.her2_low is False


def test_the_de_novo_example_is_her2_low_on_first_line_cdk46():
    case = load_example_case("de-novo-bone-only")
    assert case.tumour.her2_ihc == "1+"
    result, by_id, _ = _options(case)
    assert result.her2_low is True and "tdxd_her2_low" in by_id
    assert any("already include a CDK4/6 inhibitor" in n for n in by_id["endocrine_cdk46"].notes)
    assert any("Needs a germline BRCA1/2 test" in n for n in by_id["parp_inhibitor"].notes)


@pytest.mark.parametrize(
    ("treatment", "expected"),
    [
        ({"kind": "chemotherapy", "drug": "capecitabine", "start": "2023-03-01"}, ["chemotherapy_metastatic"]),
        ({"kind": "chemotherapy", "drug": "paclitaxel", "start": "2023-01-12"}, ["taxane"]),  # before metastasis
        ({"kind": "chemotherapy", "start": "2023-01-20"}, ["chemotherapy_metastatic"]),  # on the metastasis date
        ({"kind": "her2_targeted", "drug": "Trastuzumab emtansine", "start": "2023-03-01"}, ["trastuzumab"]),
        ({"kind": "her2_targeted", "start": "2023-03-01"}, []),  # which HER2 drug is not guessed
        ({"kind": "endocrine", "drug": "anastrozole", "start": "2023-03-01"}, ["endocrine", "aromatase_inhibitor"]),
        ({"kind": "endocrine", "drug": "fulvestrant", "start": "2023-03-01"}, ["endocrine"]),
        ({"kind": "other", "drug": "ribociclib", "start": "2023-03-01"}, ["cdk46_inhibitor"]),
        ({"kind": "bone_targeted", "drug": "denosumab", "start": "2023-03-01"}, []),
    ],
)
def test_reading_the_treatment_history(treatment, expected):
    case = _case({"er": "positive", "her2": "negative"}, treatments=[treatment])
    assert prior_treatments(case) == expected
