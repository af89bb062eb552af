"""HER2 IHC/ISH on the tumour and the predictive tests of a case (schema 1.1).

Expected values are typed from the ASCO/CAP HER2 testing guideline (2018 focused update, affirmed 2023): IHC 3+
is HER2-positive, IHC 2+ is equivocal until ISH decides, IHC 1+ and 0 are negative, and a positive ISH (final
call) is HER2-positive; HER2-low (IHC 1+, or 2+ with negative ISH) is the DESTINY-Breast04 entry criterion. PD-L1
is positive for pembrolizumab at a 22C3 combined positive score of 10 or more (KEYNOTE-355).
"""

from __future__ import annotations

import itertools
import json

import pytest
from pydantic import ValidationError

from metastasis.domain import (
    CASE_SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS,
    Case,
    Tumour,
    case_json_schema,
    validate_case,
)
from metastasis.domain.biomarkers import ReceptorStatus, her2_from_tests, her2_ihc_score, her2_low
from metastasis.domain.predictive import Biomarkers
from metastasis.errors import InvalidInputError

IHC = (None, "0", "1+", "2+", "3+")
ISH = (None, "positive", "negative", "equivocal", "unknown")
HER2 = (None, "positive", "negative", "equivocal", "unknown")

# (IHC, ISH) -> the HER2 status the tests call (None: they call nothing). ISH is the final call.
CALL = {
    (None, None): None,
    (None, "unknown"): None,
    (None, "positive"): "positive",
    (None, "negative"): "negative",
    (None, "equivocal"): "equivocal",
    ("0", None): "negative",
    ("0", "unknown"): "negative",
    ("0", "positive"): "positive",
    ("0", "negative"): "negative",
    ("0", "equivocal"): "negative",
    ("1+", None): "negative",
    ("1+", "unknown"): "negative",
    ("1+", "positive"): "positive",
    ("1+", "negative"): "negative",
    ("1+", "equivocal"): "negative",
    ("2+", None): "equivocal",
    ("2+", "unknown"): "equivocal",
    ("2+", "positive"): "positive",
    ("2+", "negative"): "negative",
    ("2+", "equivocal"): "equivocal",
    ("3+", None): "positive",
    ("3+", "unknown"): "positive",
    ("3+", "positive"): "positive",
    ("3+", "negative"): "positive",
    ("3+", "equivocal"): "positive",
}
# (IHC, ISH) -> HER2-low (None: not known)
LOW = {
    **dict.fromkeys([(i, s) for i, s in CALL if i is None], None),
    **dict.fromkeys([("0", s) for s in ISH], False),
    **dict.fromkeys([("1+", s) for s in ISH], True),
    **{("2+", s): None for s in ISH},
    **dict.fromkeys([("3+", s) for s in ISH], False),
}
LOW[("1+", "positive")] = False  # ISH positive is HER2-positive
LOW[("2+", "negative")] = True
LOW[("2+", "positive")] = False
LOW[(None, "positive")] = False


def _status(value):
    return None if value is None else ReceptorStatus(value)


def test_the_tables_cover_every_combination():
    assert set(CALL) == set(LOW) == set(itertools.product(IHC, ISH))


@pytest.mark.parametrize(("ihc", "ish"), list(itertools.product(IHC, ISH)))
def test_her2_call_and_her2_low(ihc, ish):
    call = her2_from_tests(ihc, _status(ish))
    assert (call.value if call else None) == CALL[(ihc, ish)]
    assert her2_low(ihc, _status(ish)) is LOW[(ihc, ish)]


def _expected(her2, ihc, ish):
    """(severity, rule) of the HER2 consistency problem, or None."""
    call = CALL[(ihc, ish)]
    recorded = her2 or "unknown"
    if call is None:
        return None
    if recorded == "unknown":
        return ("warning", "tumour.her2_not_recorded")
    if call == "equivocal":
        return None if recorded == "equivocal" else ("warning", "tumour.her2_ihc2_without_ish")
    return None if recorded == call else ("error", "tumour.her2_tests_mismatch")


@pytest.mark.parametrize(("her2", "ihc", "ish"), list(itertools.product(HER2, IHC, ISH)))
def test_her2_consistency_every_combination(her2, ihc, ish):
    tumour = {k: v for k, v in {"her2": her2, "her2_ihc": ihc, "her2_ish": ish}.items() if v is not None}
    report = validate_case({"schema_version": "1.1", "tumour": tumour})
    found = [(p.severity.value, p.rule) for p in report.problems if p.rule.startswith("tumour.her2")]
    expected = _expected(her2, ihc, ish)
    assert found == ([] if expected is None else [expected])
    if expected and expected[0] == "error":
        (problem,) = [p for p in report.problems if p.rule == expected[1]]
        assert problem.path == "$.tumour.her2" and problem.allowed == CALL[(ihc, ish)]
        assert "wolff-2018-asco-cap-her2" in problem.sources
        with pytest.raises(ValidationError):
            Tumour(**tumour)
    else:
        Tumour(**tumour)


def test_her2_examples_from_the_brief():
    with pytest.raises(ValidationError, match="IHC 3\\+ means HER2 positive"):
        Tumour(her2="negative", her2_ihc="3+")
    with pytest.raises(ValidationError, match="IHC 1\\+ means HER2 negative"):
        Tumour(her2="positive", her2_ihc="1+")
    assert Tumour(her2="positive", her2_ihc="1+", her2_ish="positive").her2_ish is ReceptorStatus.POSITIVE
    assert Tumour(her2="negative", her2_ihc="2+", her2_ish="negative").issues() == []
    (issue,) = Tumour(her2="negative", her2_ihc="2+").issues()
    assert issue.rule == "tumour.her2_ihc2_without_ish" and issue.severity.value == "warning"


@pytest.mark.parametrize(
    ("given", "score"),
    [("0", "0"), ("0+", "0"), (0, "0"), ("1+", "1+"), ("IHC 1+", "1+"), ("1", "1+"), (2, "2+"), (" 3+ ", "3+"),
     ("unknown", None), (None, None)],
)  # fmt: skip
def test_ihc_spellings(given, score):
    assert her2_ihc_score(given) == score
    assert Tumour(her2_ihc=given).her2_ihc == score


@pytest.mark.parametrize("bad", ["4+", "1++", "low", True, 4, -1, 1.5])
def test_bad_ihc_scores_are_refused(bad):
    with pytest.raises(InvalidInputError) as caught:
        her2_ihc_score(bad)
    assert caught.value.field == "her2_ihc"
    report = validate_case({"schema_version": "1.1", "tumour": {"her2_ihc": bad}})
    assert [p.path for p in report.problems] == ["$.tumour.her2_ihc"]


# --- predictive tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("cps", "status"), [(0, "negative"), (9.9, "negative"), (10, "positive"), (55, "positive")])
def test_pdl1_status_from_the_cps_at_10(cps, status):
    assert Biomarkers(pdl1_cps=cps).pdl1_status().value == status
    assert Biomarkers(pdl1_cps=cps, pdl1=status).issues() == []


def test_pdl1_status_alone_and_unknown():
    assert Biomarkers(pdl1="+").pdl1_status() is ReceptorStatus.POSITIVE
    assert Biomarkers().pdl1_status() is ReceptorStatus.UNKNOWN
    assert Biomarkers(pdl1_cps=3, pdl1="unknown").issues() == []


def test_pdl1_contradicting_the_cps_is_an_error_at_its_path():
    report = validate_case({"schema_version": "1.1", "biomarkers": {"pdl1_cps": 12, "pdl1": "negative"}})
    (problem,) = report.problems
    assert problem.path == "$.biomarkers.pdl1" and problem.rule == "biomarkers.pdl1_cps_mismatch"
    assert problem.severity.value == "error" and "cortes-2020-keynote-355" in problem.sources
    with pytest.raises(ValidationError):
        Biomarkers(pdl1_cps=5, pdl1="positive")


@pytest.mark.parametrize("field", ["gbrca", "pdl1", "pik3ca", "akt1", "pten", "esr1"])
def test_each_test_is_positive_negative_or_unknown(field):
    assert getattr(Biomarkers(**{field: "+"}), field) is ReceptorStatus.POSITIVE
    assert getattr(Biomarkers(**{field: False}), field) is ReceptorStatus.NEGATIVE
    assert getattr(Biomarkers(**{field: "unknown"}), field) is ReceptorStatus.UNKNOWN
    report = validate_case({"schema_version": "1.1", "biomarkers": {field: "equivocal"}})
    assert [p.path for p in report.problems] == [f"$.biomarkers.{field}"]


def test_negative_cps_and_unknown_fields_are_refused():
    report = validate_case({"schema_version": "1.1", "biomarkers": {"pdl1_cps": -1, "brca": "positive"}})
    assert sorted(p.path for p in report.problems) == ["$.biomarkers.brca", "$.biomarkers.pdl1_cps"]


# --- schema version 1.1 ---------------------------------------------------------------------------------------


def test_schema_1_1_adds_optional_fields_and_still_reads_1_0():
    assert CASE_SCHEMA_VERSION == "1.1" and SUPPORTED_SCHEMA_VERSIONS == ("1.0", "1.1")
    assert Case(schema_version="1.0").schema_version == "1.0"
    data = {"schema_version": "1.1", "tumour": {"her2": "negative", "her2_ihc": "1+"}, "biomarkers": {"gbrca": "-"}}
    case = Case.from_data(data)
    assert json.loads(case.to_json()) == {**data, "biomarkers": {"gbrca": "negative"}}
    assert validate_case({"schema_version": "1.2"}).problems[0].path == "$.schema_version"


def test_published_schema_lists_the_new_fields():
    schema = case_json_schema()
    tumour = schema["$defs"]["Tumour"]["properties"]
    ihc = next(o for o in tumour["her2_ihc"]["anyOf"] if o.get("type") != "null")
    assert ihc["enum"] == ["0", "1+", "2+", "3+"]
    assert tumour["her2_ish"]["anyOf"][0] == {"$ref": "#/$defs/ReceptorStatus"}  # as her2: equivocal allowed
    assert "equivocal" in schema["$defs"]["ReceptorStatus"]["enum"]
    markers = schema["$defs"]["Biomarkers"]["properties"]
    assert set(markers) == {"gbrca", "pdl1_cps", "pdl1", "pik3ca", "akt1", "pten", "esr1"}
    assert markers["gbrca"]["anyOf"][0]["enum"] == ["positive", "negative", "unknown"]
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1"]
