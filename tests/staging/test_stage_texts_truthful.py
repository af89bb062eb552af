"""No stage-group text may say something that is false for a T, N, M combination that can give that stage.

The input space is finite and enumerated in full: every T x N x M category the parser accepts (the lists typed in
test_category_explanations.py), with every grade (1-3), ER, PR and HER2 result, unknown markers, both prognostic
tables (clinical and pathological basis), an Oncotype DX score below 11, and both systems (AJCC 8th, UICC 8th).
The stage for each combination comes from the engine; the outcome depends only on the T, N and M groups (and on
whether T is LCIS), so each group triple is staged once with every marker combination.

Why this matters: the AJCC 8th prognostic tables put very different cancers in one stage group. For example
pathological prognostic IA holds T1 N1 and T3 N0 (G1, ER+, PR+, HER2+), IB holds T3 N2, IIIC holds T4 N0 and
T3 N1. A text such as "stage 1A ... has not spread to the lymph nodes" is then false for some patients.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from functools import cache

import pytest
import textstat

from metastasis.staging import parse_m, parse_n, parse_t, stage_breast
from metastasis.staging.tables import CATEGORY_CODE, STAGES, explanations
from tests.staging.test_category_explanations import M_CODES, N_CODES, T_CODES

Combo = tuple[str, str, str]  # T group, N group, M group
NODE_POSITIVE = {"N1mi", "N1", "N2", "N3"}
MARKERS = [
    {"grade": g, "er": e, "pr": p, "her2": h}
    for g, e, p, h in itertools.product((1, 2, 3), ("+", "-"), ("+", "-"), ("+", "-"))
] + [{}]
ONCOTYPE = {"grade": 3, "er": "+", "pr": "-", "her2": "-", "oncotype_rs": 5}


@cache
def _stages(t_group: str, n_group: str, m_group: str, t_code: str) -> frozenset[str]:
    """Every stage (anatomic or prognostic) the engine gives this group triple, over all markers and tables."""
    found: set[str] = set()
    for system, basis in (("ajcc8", "clinical"), ("ajcc8", "pathological"), ("uicc8", None)):
        for markers in [*MARKERS, ONCOTYPE]:
            r = stage_breast(t_code, n_group, m_group, system=system, basis=basis, **markers)
            found.update(s for s in (r.anatomic_stage, r.prognostic_stage) if s is not None)
    return frozenset(found)


@cache
def members() -> dict[str, set[Combo]]:
    """Stage group -> every (T group, N group, M group) that can give it, from every accepted category."""
    out: dict[str, set[Combo]] = defaultdict(set)
    for t, n, m in itertools.product(T_CODES, N_CODES, M_CODES):
        combo = (parse_t(t).group, parse_n(n).group, parse_m(m).group)
        key_t = t if t == "Tis(LCIS)" else combo[0]
        for stage in _stages(combo[0], combo[1], combo[2], key_t):
            out[stage].add(combo)
    return out


def _text(stage: str) -> str:
    text = explanations()
    extra = text["stages_1_to_3"] if stage not in ("0", "IV") else ""
    return " ".join(f"{text['stage'][stage]} {extra}".split())


# A claim: a pattern in the stage text, and which member combinations it would be false for.
Claim = tuple[str, str, Callable[[set[Combo]], set[Combo]]]
CLAIMS: list[Claim] = [
    (
        "says the lymph nodes are free of cancer",
        r"not (?:spread|gone|reached)[^.]*lymph nodes|no cancer[^.]*lymph nodes|nodes (?:are|were) (?:clear|free)",
        lambda combos: {c for c in combos if c[1] in NODE_POSITIVE},
    ),
    (
        "says cancer is in the lymph nodes",
        r"(?<!not )(?:spread|reached|gone) (?:in)?to (?:the |some |a few |more |many )?(?:lymph )?nodes"
        r"|cancer in the lymph nodes|nodes (?:have|with) cancer",
        lambda combos: {c for c in combos if c[1] not in NODE_POSITIVE},
    ),
    (
        "says the cancer has spread to distant parts",
        r"(?<!not )\b(?:has|have) spread to (?:other|distant) parts",
        lambda combos: {c for c in combos if c[2] != "M1"},
    ),
    (
        "says the cancer has not spread to distant parts",
        r"not (?:been found in|spread to)[^.]*(?:distant|other) parts|no (?:distant )?spread",
        lambda combos: {c for c in combos if c[2] == "M1"},
    ),
    (
        "says the cancer is in situ",
        r"in situ|not grown into",
        lambda combos: {c for c in combos if c[0] != "Tis"},
    ),
    (
        "says the cancer is invasive",
        r"\binvasive\b",
        lambda combos: {c for c in combos if c[0] == "Tis"},
    ),
    (
        "states a tumour size",
        r"\b\d+(?:\.\d+)? ?(?:mm|cm)\b|\bsmall\b|\blarge\b|\bbig(?:ger)?\b|\bsize\b",
        lambda combos: combos if len({c[0] for c in combos}) > 1 else set(),
    ),
    (
        "names which or how many lymph nodes",
        r"\b\d+ (?:or more |to \d+ )?(?:lymph )?nodes|armpit|under the arm|breastbone|collarbone",
        lambda combos: combos if len({c[1] for c in combos}) > 1 else set(),
    ),
    (
        "says the tumour has grown into the chest wall or skin",
        r"chest wall|\bskin\b|inflammatory",
        lambda combos: {c for c in combos if c[0] != "T4"},
    ),
    (
        "uses an anatomic label ('early', 'locally advanced') that prognostic stages do not keep to",
        r"\bearly\b|locally advanced",
        lambda combos: combos,
    ),
]


def test_every_stage_group_is_reachable_and_has_a_text():
    assert set(members()) == set(STAGES)
    assert set(explanations()["stage"]) == set(STAGES)


def test_the_tables_really_mix_extents_within_one_stage():
    # Guards the premise of this file (AJCC 8th pathological prognostic table, typed from the chapter):
    # block C (T2 N1, T3 N0) G1 HER2+ ER+ PR+ is IA; block D (T0-3 N2, T3 N1) G1 HER2+ ER+ PR+ is IB.
    assert ("T3", "N0", "M0") in members()["IA"]
    assert ("T2", "N1", "M0") in members()["IA"]
    assert ("T3", "N2", "M0") in members()["IB"]
    assert ("T4", "N0", "M0") in members()["IIIC"]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("claim", CLAIMS, ids=[name for name, _, _ in CLAIMS])
def test_no_stage_text_is_false_for_a_combination_that_gives_the_stage(stage, claim):
    name, pattern, false_for = claim
    text = _text(stage)
    if re.search(pattern, text, flags=re.IGNORECASE):
        wrong = false_for(members()[stage])
        assert not wrong, f"stage {stage} text {name}, which is false for {sorted(wrong)[:6]}: {text}"


@pytest.mark.parametrize("stage", STAGES)
def test_stage_texts_are_plain_and_name_no_category(stage):
    text = _text(stage)
    assert not CATEGORY_CODE.search(text)
    assert textstat.flesch_kincaid_grade(text) <= 8.0, text


def test_the_claims_catch_the_old_wording():
    # The text this file was written to stop (stage IA, said to a patient with pN1a disease).
    old = "Stage 1A is an early cancer. The tumour is small and has not spread to the lymph nodes."
    caught = [name for name, pattern, false_for in CLAIMS
              if re.search(pattern, old, flags=re.IGNORECASE) and false_for(members()["IA"])]  # fmt: skip
    assert "says the lymph nodes are free of cancer" in caught
    assert "states a tumour size" in caught
