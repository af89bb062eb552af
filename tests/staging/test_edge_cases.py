"""The edge cases the issue asks to decide and document, each with its reason (staging.md §2.1, §2.4, §3.6)."""

from __future__ import annotations

import pytest

from metastasis.staging import stage_breast

KNOWN = {"grade": 2, "er": "positive", "pr": "positive", "her2": "negative"}


def _rules(result):
    return [reason.rule for reason in result.reasons]


def test_t0_n0_m0_has_no_stage_and_says_why():
    r = stage_breast("cT0", "cN0", "cM0", **KNOWN)
    assert r.anatomic_stage is None and r.prognostic_stage is None
    assert "edge.t0_n0" in _rules(r)


@pytest.mark.parametrize("n", ["pN1mi", "pN1a", "pN2a", "pN3a", "cN3c"])
def test_tis_with_positive_nodes_has_no_stage(n):
    r = stage_breast("pTis(DCIS)", n, "cM0", **KNOWN)
    assert (r.anatomic_stage, r.prognostic_stage) == (None, None)
    assert "edge.tis_node_positive" in _rules(r)
    assert any("SEER" in c for c in r.caveats)


@pytest.mark.parametrize(
    ("t", "n"),
    [("cT0", "cN0"), ("Tis", "N1"), ("TX", "NX"), ("cT4d", "cN3c"), ("T1mi", "N0"), ("pT2", "pNX")],
)
def test_any_m1_is_stage_iv_whatever_t_and_n(t, n):
    r = stage_breast(t, n, "cM1", **KNOWN)
    assert (r.anatomic_stage, r.prognostic_stage) == ("IV", "IV")
    assert "anatomic.m1" in _rules(r)


def test_m1_is_stage_iv_even_with_unknown_biomarkers():
    r = stage_breast("cT2", "cN1", "pM1")
    assert (r.anatomic_stage, r.prognostic_stage) == ("IV", "IV")
    assert r.basis == "pathological"


@pytest.mark.parametrize("t", ["TX", "cT0", "cT1mi", "cT2", "cT3", "cT4b"])
@pytest.mark.parametrize("n", ["cN3", "cN3a", "cN3b", "cN3c"])
def test_any_t_including_tx_with_n3_m0_is_iiic(t, n):
    assert stage_breast(t, n, "cM0").anatomic_stage == "IIIC"


@pytest.mark.parametrize(("t", "n"), [("TX", "N0"), ("TX", "N1"), ("TX", "N2a"), ("T4", "NX"), ("T1c", "NX")])
def test_tx_or_nx_otherwise_gives_no_stage(t, n):
    r = stage_breast(t, n, "M0", **KNOWN)
    assert (r.anatomic_stage, r.prognostic_stage) == (None, None)
    assert _rules(r)[-1] in ("edge.tx", "edge.nx")


def test_post_neoadjuvant_gives_anatomic_group_only():
    r = stage_breast("ypT2", "ypN1a", "cM0", **KNOWN)
    assert r.post_therapy
    assert (r.anatomic_stage, r.prognostic_stage) == ("IIB", None)
    assert "post_therapy" in _rules(r)


@pytest.mark.parametrize("t", ["ypT0", "ypTis", "ypTis(DCIS)"])
@pytest.mark.parametrize("n", ["ypN0", "ypN0(i+)"])
def test_pathological_complete_response_gets_no_stage_group(t, n):
    r = stage_breast(t, n, "cM0", **KNOWN)
    assert (r.anatomic_stage, r.prognostic_stage) == (None, None)
    assert "post_therapy.complete_response" in _rules(r)


def test_m1_before_neoadjuvant_therapy_stays_iv():
    r = stage_breast("ypT0", "ypN0", "cM1")
    assert r.anatomic_stage == "IV"


def test_y_and_non_y_prefixes_cannot_be_mixed():
    from metastasis.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="mix post-neoadjuvant"):
        stage_breast("ypT2", "pN1a", "cM0")


@pytest.mark.parametrize("missing", ["grade", "er", "pr", "her2"])
def test_unknown_grade_or_biomarker_gives_anatomic_group_only(missing):
    inputs = {**KNOWN, missing: None}
    r = stage_breast("pT2", "pN1a", "cM0", **inputs)
    assert (r.anatomic_stage, r.prognostic_stage) == ("IIB", None)
    assert "prognostic.missing" in _rules(r)
    label = {"grade": "grade", "er": "ER", "pr": "PR", "her2": "HER2"}[missing]
    assert label in r.reasons[-1].text


def test_her2_equivocal_counts_as_negative():
    equivocal = stage_breast("cT2", "cN0", "cM0", grade=3, er="+", pr="-", her2="equivocal")
    negative = stage_breast("cT2", "cN0", "cM0", grade=3, er="+", pr="-", her2="-")
    # Clinical table, block B, G3, HER2- ER+ PR-: IIB (staging.md §3.3)
    assert equivocal.prognostic_stage == negative.prognostic_stage == "IIB"
    assert "her2.equivocal" in _rules(equivocal)


def test_lcis_is_stage_0_in_uicc8_and_not_staged_in_ajcc8():
    uicc = stage_breast("pTis(LCIS)", "pN0", "cM0", system="uicc8")
    ajcc = stage_breast("pTis(LCIS)", "pN0", "cM0", system="ajcc8", **KNOWN)
    assert uicc.anatomic_stage == "0"
    assert (ajcc.anatomic_stage, ajcc.prognostic_stage) == (None, None)
    assert "edge.lcis_ajcc8" in _rules(ajcc)


def test_uicc8_gives_no_prognostic_group():
    r = stage_breast("pT2", "pN1a", "cM0", system="uicc8", **KNOWN)
    assert (r.anatomic_stage, r.prognostic_stage) == ("IIB", None)
    assert "prognostic.uicc8" in _rules(r)
    assert "uicc8-tnm" in r.sources


def test_tis_n0_is_stage_0_in_both_prognostic_tables_without_biomarkers():
    for t, n in (("cTis", "cN0"), ("pTis(Paget)", "pN0(i+)")):
        r = stage_breast(t, n, "cM0")
        assert (r.anatomic_stage, r.prognostic_stage) == ("0", "0")


@pytest.mark.parametrize(
    ("t", "n", "m", "basis"),
    [
        ("pT2", "cN0", "cM0", "pathological"),
        ("cT2", "pN0", "cM0", "pathological"),
        ("cT2", "cN0", "pM1", "pathological"),
        ("ypT2", "ypN0", "cM0", "pathological"),
        ("cT2", "cN0", "cM0", "clinical"),
        ("T2", "N0", "M0", "clinical"),
        ("ycT2", "ycN0", "cM0", "clinical"),
        ("rT2", "N0", "M0", "clinical"),
    ],
)
def test_basis_is_pathological_when_any_category_has_p_or_yp(t, n, m, basis):
    assert stage_breast(t, n, m).basis == basis


def test_caller_can_override_the_basis():
    # T2 N0 G1 HER2- ER+ PR-: clinical table IIA, pathological table IB (staging.md §3.3/§3.4, block B)
    kw = {"grade": 1, "er": "+", "pr": "-", "her2": "-"}
    assert stage_breast("pT2", "pN0", "cM0", basis="clinical", **kw).prognostic_stage == "IIA"
    assert stage_breast("cT2", "cN0", "cM0", basis="pathological", **kw).prognostic_stage == "IB"
    r = stage_breast("pT2", "pN0", "cM0", basis="clinical", **kw)
    assert r.reasons[0].rule == "basis.override"


# AJCC webinar anchors and the SEER unit-test case (staging.md §3.7): independent spot checks.
@pytest.mark.parametrize(
    ("t", "n", "grade", "er", "pr", "her2", "expected"),
    [
        ("cT2", "cN0", 2, "+", "+", "-", "IB"),
        ("cT2", "cN0", 3, "+", "+", "-", "IIA"),
        ("cT3", "cN0", 2, "-", "-", "-", "IIIB"),
        ("cT1c", "cN0", 2, "+", "+", "-", "IA"),
        ("cT2", "cN1", 2, "+", "+", "-", "IIA"),
        ("pT2", "pN1a", 1, "+", "-", "-", "IIB"),
    ],
)
def test_published_anchor_cases(t, n, grade, er, pr, her2, expected):
    assert stage_breast(t, n, "cM0", grade=grade, er=er, pr=pr, her2=her2).prognostic_stage == expected


def test_every_result_carries_reasons_and_known_sources():
    from metastasis.evidence import all_sources

    r = stage_breast("pT1c", "pN0", "cM0", **KNOWN)
    assert r.reasons and r.sources
    assert set(r.sources) <= set(all_sources())
    dumped = r.model_dump(mode="json")
    assert dumped["sources"] == r.sources and dumped["reasons"][0]["rule"] == "basis.prefix"
