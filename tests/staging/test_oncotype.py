"""The Oncotype DX recurrence score < 11 rule (staging.md §3.5): AJCC wording, eligible cases and neighbours."""

from __future__ import annotations

import pytest

from metastasis.staging import stage_breast


def _path(t="pT2", n="pN0", m="cM0", *, grade=3, er="+", pr="+", her2="-", rs=10, basis=None):
    return stage_breast(t, n, m, grade=grade, er=er, pr=pr, her2=her2, oncotype_rs=rs, basis=basis)


# Independent implementation's tests, quoted in the note (S4).
def test_pt2_n0_g3_hr_positive_rs10_is_ia():
    assert _path(rs=10).prognostic_stage == "IA"


def test_rs11_leaves_the_table_stage():
    r = _path(rs=11)
    assert r.prognostic_stage == "IB"
    assert "not below 11" in r.reasons[-1].text


def test_clinical_basis_is_unchanged():
    assert _path(t="cT2", n="cN0", rs=10).prognostic_stage == "IIA"


def test_node_positive_is_unchanged():
    # SEER EOD would give IA here; the AJCC wording (T1-2 N0) keeps IB. The caveat says so.
    r = _path(t="pT1c", n="pN1a", rs=10)
    assert r.prognostic_stage == "IB"
    assert any("SEER" in c for c in r.caveats)


def test_triple_negative_is_unchanged():
    assert _path(er="-", pr="-", rs=10).prognostic_stage == "IIA"


def test_itc_nodes_and_m0_i_plus_are_eligible():
    assert _path(n="pN0(i+)", m="cM0(i+)", rs=10).prognostic_stage == "IA"


# The four T2 N0 HER2- ER+ cells the rule changes (computed in §3.5 from the pathological table).
@pytest.mark.parametrize(
    ("grade", "pr", "without", "with_low_rs"),
    [(1, "-", "IB", "IA"), (2, "-", "IIA", "IA"), (3, "+", "IB", "IA"), (3, "-", "IIA", "IA")],
)
def test_rule_changes_exactly_these_t2_cells(grade, pr, without, with_low_rs):
    assert _path(grade=grade, pr=pr, rs=None).prognostic_stage == without
    assert _path(grade=grade, pr=pr, rs=10).prognostic_stage == with_low_rs


@pytest.mark.parametrize("t", ["pT1mi", "pT1a", "pT1b", "pT1c"])
@pytest.mark.parametrize("grade", [1, 2, 3])
@pytest.mark.parametrize("pr", ["+", "-"])
def test_t1_n0_her2_negative_er_positive_is_ia_already(t, grade, pr):
    assert _path(t=t, grade=grade, pr=pr, rs=None).prognostic_stage == "IA"
    assert _path(t=t, grade=grade, pr=pr, rs=5).prognostic_stage == "IA"


@pytest.mark.parametrize(
    ("kwargs", "stage", "why"),
    [
        ({"er": "-", "pr": "+", "grade": 1}, "IB", "ER-positive"),  # ER-/PR+ is not eligible (AJCC/SEER)
        ({"her2": "+"}, "IA", "HER2-negative"),  # HER2+ ER+ PR+ G3 T2 N0 -> IA by table
        ({"t": "pT3"}, "IIA", "T1/T2"),
        ({"n": "pN1mi"}, "IIA", "N0 M0"),
        ({"m": "cM1"}, "IV", "N0 M0"),
    ],
)
def test_non_eligible_neighbours_say_why(kwargs, stage, why):
    r = _path(**kwargs)
    assert r.prognostic_stage == stage
    assert r.reasons[-1].rule == "prognostic.oncotype_not_applied"
    assert why in r.reasons[-1].text


def test_her2_equivocal_is_eligible_as_negative():
    assert _path(her2="equivocal", rs=3).prognostic_stage == "IA"


@pytest.mark.parametrize("rs", [0, 10, 10.9])
def test_scores_below_11_qualify(rs):
    assert _path(rs=rs).prognostic_stage == "IA"
