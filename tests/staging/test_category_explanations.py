"""What each T, N and M category means, for patients: no gaps, no codes in the sentences, plain words.

The category lists below are typed from the AJCC 8th edition breast chapter (2018 update; UICC 8th adds
Tis(LCIS)), as the parser documents them; a test checks they are exactly what the parser accepts, so a new
category cannot be added without its explanation. Expected wording is typed from the AJCC definitions
(Hortobagyi et al., AJCC Cancer Staging Manual 8th ed., breast chapter), not read back from the data:

* pN1a: metastases in 1-3 axillary nodes, at least one > 2.0 mm; pN2a: 4-9 axillary nodes (one > 2.0 mm);
  pN3a: >= 10 axillary nodes or infraclavicular (level III) nodes; N3c: ipsilateral supraclavicular nodes.
* cN2a: axillary nodes fixed to one another (matted) or to other structures; cN2b: internal mammary nodes
  without axillary nodes; pN1b: internal mammary sentinel nodes.
* pN1mi: micrometastases, none > 2.0 mm; pN0(i+): isolated tumour cells, clusters <= 0.2 mm (counted as N0).
* T1c: > 10 mm, <= 20 mm; T3: > 50 mm; T4d: inflammatory carcinoma.
* cM0(i+): no clinical or radiographic distant metastases, but tumour cells found in blood, marrow or
  non-regional nodes (counted as M0); pM1: histologically proven distant metastases.
"""

from __future__ import annotations

import itertools

import pytest
import textstat

from metastasis.errors import InvalidInputError
from metastasis.staging import explain_categories, explain_category, explain_tnm, parse_m, parse_n, parse_t
from metastasis.staging.tables import CATEGORY_CODE, categories
from metastasis.staging.tnm import PREFIXES

T_CODES = ("TX", "T0", "Tis", "Tis(DCIS)", "Tis(Paget)", "Tis(LCIS)", "T1", "T1mi", "T1a", "T1b", "T1c", "T2",
           "T3", "T4", "T4a", "T4b", "T4c", "T4d")  # fmt: skip
N_CODES = ("NX", "N0", "N0(i+)", "N0(mol+)", "N1mi", "N1", "N1a", "N1b", "N1c", "N2", "N2a", "N2b", "N3", "N3a",
           "N3b", "N3c")  # fmt: skip
M_CODES = ("M0", "M0(i+)", "M1")
PARSERS = {"T": parse_t, "N": parse_n, "M": parse_m}
MAX_GRADE = 8.0


def _accepted(axis: str, codes: tuple[str, ...]) -> list[str]:
    """Every prefixed spelling of the codes that the parser accepts (p on M0, c on N1a ... are refused)."""
    found = []
    for prefix, code in itertools.product(PREFIXES, codes):
        try:
            PARSERS[axis](prefix + code)
        except InvalidInputError:
            continue
        found.append(prefix + code)
    return found


ACCEPTED = [(axis, label) for axis, codes in (("T", T_CODES), ("N", N_CODES), ("M", M_CODES))
            for label in _accepted(axis, codes)]  # fmt: skip


def test_the_typed_lists_are_exactly_what_the_parser_accepts():
    assert tuple(categories()["T"]) == T_CODES
    assert tuple(categories()["N"]) == N_CODES
    assert tuple(categories()["M"]) == M_CODES


@pytest.mark.parametrize(("axis", "label"), ACCEPTED)
def test_every_accepted_category_is_explained_in_plain_words_without_codes(axis, label):
    explained = explain_category(PARSERS[axis](label))
    assert explained.label == label
    assert explained.text and explained.text.endswith(".")
    assert not CATEGORY_CODE.search(explained.text), explained.text
    assert textstat.flesch_kincaid_grade(explained.text) <= MAX_GRADE, explained.text
    assert explained.sources


@pytest.mark.parametrize("combo", list(itertools.product(T_CODES, N_CODES, M_CODES)))
def test_every_t_n_m_combination_has_one_sentence_per_category_and_a_stage_text(combo):
    t, n, m = combo
    explained = explain_tnm(t, n, m, grade=2, er="+", pr="+", her2="-")
    assert [c.axis for c in explained.categories] == ["T", "N", "M"]
    assert [c.label for c in explained.categories] == [t, n, m]
    for text in [explained.stage_text, *(c.text for c in explained.categories), explained.markers or ""]:
        assert not CATEGORY_CODE.search(text), text
    assert "ajcc8-breast" in explained.sources


@pytest.mark.parametrize(
    ("label", "expected", "absent"),
    [
        ("pN1a", ["1 to 3 lymph nodes under the arm", "bigger than 2 mm"], ["has not spread", "No cancer"]),
        ("pN2a", ["4 to 9 lymph nodes under the arm"], ["stuck"]),
        ("cN2a", ["under the arm", "stuck to each other"], ["4 to 9"]),
        ("pN3a", ["10 or more lymph nodes under the arm", "below the collarbone"], []),
        ("cN3a", ["below the collarbone"], ["10 or more"]),
        ("pN3c", ["above the collarbone"], []),
        ("cN3c", ["above the collarbone"], []),
        ("pN1b", ["along the breastbone", "sentinel"], ["under the arm"]),
        ("pN1c", ["1 to 3 lymph nodes under the arm", "along the breastbone"], []),
        ("cN2b", ["along the breastbone", "not to the lymph nodes under the arm"], []),
        ("pN3b", ["under the arm", "along the breastbone"], []),
        ("pN1mi", ["Very small areas of cancer", "bigger than 2 mm"], []),
        ("pN0(i+)", ["0.2 mm", "counts as no spread to the lymph nodes"], []),
        ("pN0", ["No cancer was found in the lymph nodes"], []),
        ("NX", ["could not be checked"], []),
        ("N2a", ["4 to 9", "stuck to each other"], []),  # no prefix: both AJCC meanings
        ("pT1c", ["bigger than 1 cm but not bigger than 2 cm"], []),
        ("cT3", ["bigger than 5 cm"], []),
        ("T4d", ["inflammatory breast cancer", "red and swollen"], []),
        ("Tis(DCIS)", ["only inside the milk ducts", "in situ"], []),
        ("cM0", ["No spread to distant parts of the body was found."], []),
        ("cM0(i+)", ["a few cancer cells", "still counts as no distant spread"], []),
        ("pM1", ["spread to distant parts of the body", "sample of tissue"], []),
        ("cM1", ["spread to distant parts of the body", "scans"], []),
    ],
)
def test_typed_meanings_of_categories(label, expected, absent):
    axis = label.lstrip("cpyr")[0]
    text = explain_category(PARSERS[axis](label)).text
    for phrase in expected:
        assert phrase in text, (label, phrase, text)
    for phrase in absent:
        assert phrase not in text, (label, phrase, text)


def test_the_reported_patient_hears_about_the_nodes_and_why_the_stage_is_lower():
    # pT1c pN1a cM0, G1, ER+, PR+, HER2-: AJCC 8th pathological prognostic stage IA; anatomic stage IIA.
    explained = explain_tnm("pT1c", "pN1a", "cM0", grade=1, er="+", pr="+", her2="-")
    assert explained.stage == "IA"
    whole = " ".join(explained.paragraphs())
    assert "1 to 3 lymph nodes under the arm" in whole
    assert "not spread to the lymph nodes" not in whole
    assert explained.markers is not None
    assert "would be 2A" in explained.markers
    assert "grade" in explained.markers and "ER, PR and HER2" in explained.markers
    assert "lower" in explained.markers


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        # Oncotype DX RS < 11 makes pathological T2 N0 HER2- ER+ stage IA (anatomic IIA).
        (("pT2", "pN0", "cM0"), {"grade": 3, "er": "+", "pr": "+", "her2": "-", "oncotype_rs": 10}, "Oncotype DX"),
        # Clinical T2 N0 G3 triple negative: prognostic IIB, higher than anatomic IIA.
        (("cT2", "cN0", "cM0"), {"grade": 3, "er": "-", "pr": "-", "her2": "-"}, "higher"),
        # Clinical T2 N1 G1 HER2- ER+ PR-: prognostic IIB, the same as anatomic IIB.
        (("cT2", "cN1", "cM0"), {"grade": 1, "er": "+", "pr": "-", "her2": "-"}, "the same stage"),
        # No grade or receptor results: anatomic stage only, and the patient is told it could change.
        (("cT2", "cN0", "cM0"), {}, "could be lower or higher"),
    ],
)
def test_the_markers_note_says_what_the_grade_and_tests_did(args, kwargs, expected):
    markers = explain_tnm(*args, **kwargs).markers
    assert markers is not None and expected in markers
    assert textstat.flesch_kincaid_grade(markers) <= MAX_GRADE


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("cT2", "cN1", "cM1"), {}), (("T2", "N1", "M0"), {"system": "uicc8"}), (("ypT2", "ypN1a", "cM0"), {})],
)
def test_no_markers_note_where_the_markers_play_no_part(args, kwargs):
    assert explain_tnm(*args, **kwargs).markers is None


@pytest.mark.parametrize(("t", "n", "m", "word"), [("ypT2", "ypN1a", "cM0", "before surgery"),
                                                   ("rpT2", "rpN1a", "rcM1", "came back")])  # fmt: skip
def test_y_and_r_prefixes_are_explained_once(t, n, m, word):
    explained = explain_tnm(t, n, m)
    assert explained.prefix_note is not None and word in explained.prefix_note
    assert textstat.flesch_kincaid_grade(explained.prefix_note) <= MAX_GRADE


def test_explain_categories_parses_any_spelling():
    t, n, m = explain_categories("pt1C", "pN0 (i+)", "cM0")
    assert (t.label, n.label, m.label) == ("pT1c", "pN0(i+)", "cM0")
    with pytest.raises(InvalidInputError):
        explain_categories("T5", "N0", "M0")
