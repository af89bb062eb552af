"""The NAACCR item list agrees with the NAACCR base dictionaries; every registry code maps as the SEER tables say."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from lxml import etree

from metastasis.batch.codes import item_columns, items, map_tumours, mapping

DATA = Path(__file__).parent / "data"
# item numbers typed from ../shared/research/staging.md §5.1 (NAACCR dictionary)
NUMBERS = {
    "patientIdNumber": 20, "tumorRecordNumber": 60, "primarySite": 400, "tnmPathT": 880, "tnmPathN": 890,
    "tnmPathM": 900, "tnmClinT": 940, "tnmClinN": 950, "tnmClinM": 960, "eodPrimaryTumor": 772,
    "eodRegionalNodes": 774, "eodMets": 776, "gradeClinical": 3843, "gradePathological": 3844,
    "estrogenReceptorSummary": 3827, "progesteroneRecepSummary": 3915, "her2OverallSummary": 3855,
    "oncotypeDxRecurrenceScoreInvasiv": 3904, "ki67": 3863, "histologicTypeIcdO3": 522, "behaviorCodeIcdO3": 523,
}  # fmt: skip


@pytest.mark.parametrize("version", ["220", "250"])
def test_every_item_is_in_the_base_dictionary_with_its_number_and_parent(version):
    root = etree.parse(str(DATA / f"naaccr-dictionary-{version}.xml")).getroot()
    defs = {d.get("naaccrId"): d for d in root.iter("{http://naaccr.org/naaccrxml}ItemDef")}
    assert sorted(item.naaccr_id for item in items()) == sorted(NUMBERS)  # none dropped, none unlisted
    for item in items():
        found = defs[item.naaccr_id]
        assert (int(found.get("naaccrNum")), found.get("parentXmlElement")) == (item.number, item.parent)
        assert NUMBERS[item.naaccr_id] == item.number


def test_the_mapping_file_cites_sources():
    assert mapping()["sources"] == ["seer-eod-2.1-breast", "seer-tnm-1.9-breast"]


def _one(**codes: str | None) -> dict:
    row = {c: [codes.get(c)] for c in item_columns()}
    return map_tumours(pa.table(row, schema=pa.schema([(c, pa.string()) for c in item_columns()]))).to_pylist()[0]


@pytest.mark.parametrize(
    ("path", "clin", "expected", "note"),
    [
        ("p1A", "c2", "pT1A", None),
        ("88", "c2", "cT2", None),
        ("", "cX", "cTX", None),
        (None, "c4D", "cT4D", None),
        ("pIS", "", "pTIS", None),
        ("yp0", "yc2", "ypT0", None),
        ("1C", "", "T1C", None),
        ("88", "99", None, "TNM Path T not applicable; TNM Clin T unknown"),
        ("", None, None, "TNM Path T not recorded; TNM Clin T not recorded"),
    ],
)
def test_tnm_items_take_the_axis_letter_back_pathological_first(path, clin, expected, note):
    row = _one(tnm_path_t=path, tnm_clin_t=clin)
    assert (row["t"], row["t_note"]) == (expected, note)


def test_m_codes_with_suffixes_reach_the_parser():
    row = _one(tnm_path_m="c0I+", tnm_path_n="p0I+")
    assert (row["m"], row["n"]) == ("cM0I+", "pN0I+")


@pytest.mark.parametrize(
    ("path", "clin", "expected"),
    [
        ("2", "3", "2"), ("9", "3", "3"), ("L", "1", "1"), ("", "2", "2"), ("A", "B", None), ("9", "9", None),
        ("4", "2", "2"), ("4", "9", "4"), ("9", "E", "E"), (None, None, None),
    ],
)  # fmt: skip
def test_grade_is_the_pathological_one_when_nottingham_else_the_clinical_one(path, clin, expected):
    row = _one(grade_pathological=path, grade_clinical=clin)
    assert row["grade"] == expected
    assert (row["grade_note"] is None) == (expected is not None)


def test_a_grade_note_says_what_both_items_hold():
    row = _one(grade_pathological="H", grade_clinical="9")
    assert row["grade_note"] == (
        "Grade Pathological H: nuclear grade high (in situ only), not a Nottingham grade; Grade Clinical 9: unknown"
    )


@pytest.mark.parametrize(
    ("code", "er", "her2"),
    [("0", "negative", "negative"), ("1", "positive", "positive"), ("7", None, None), ("9", None, None),
     ("", None, None), (None, None, None), ("8", "8", "8")],
)  # fmt: skip
def test_receptor_and_her2_summaries(code, er, her2):
    row = _one(er_summary=code, pr_summary=code, her2_summary=code)
    assert (row["er"], row["pr"], row["her2"]) == (er, er, her2)
    if code == "7":
        assert row["er_note"] == "ER Summary 7: test ordered, results not in the chart"


@pytest.mark.parametrize(
    ("code", "score", "note_start"),
    [("000", 0.0, None), ("010", 10.0, None), ("048", 48.0, None), ("100", 100.0, None),
     ("101", None, "Oncotype Dx Recurrence Score-Invasive 101: not a score"),
     ("XX4", None, "Oncotype Dx Recurrence Score-Invasive XX4: stated as below 11"),
     ("XX9", None, "Oncotype Dx Recurrence Score-Invasive XX9: unknown"),
     ("", None, "Oncotype Dx Recurrence Score-Invasive not recorded")],
)  # fmt: skip
def test_oncotype_scores_and_codes(code, score, note_start):
    row = _one(oncotype_dx_invasive=code)
    assert row["oncotype_rs"] == score
    assert (row["oncotype_rs_note"] or "").startswith(note_start or "")
    assert (row["oncotype_rs_note"] is None) == (note_start is None)


@pytest.mark.parametrize(("code", "percent"), [("61.7", 61.7), ("5", 5.0), ("100", 100.0), ("100.1", None), ("", None)])
def test_ki67_percent(code, percent):
    assert _one(ki67=code)["ki67_percent"] == percent
