"""Per-concept recognisers on real criteria text (from the bundled records), expected values typed by hand."""

from __future__ import annotations

import pytest

from metastasis.trials.recognise import recognise


def concepts(text: str) -> list[tuple[str, bool]]:
    return [(f.concept, f.negated) for f in recognise(text).findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # receptors (NCT01176916, NCT03761914, NCT05452798, NCT05573893)
        ("ER positive.", [("receptor.er_positive", False)]),
        (
            "Histologically proven metastatic breast carcinoma with triple negative receptor status.",
            [("setting", False), ("receptor.triple_negative", False)],
        ),
        (
            "A diagnosis of HR+/HER2- locally advanced or metastatic breast cancer",
            [("receptor.hr_positive", False), ("receptor.her2_negative", False), ("setting", False)],
        ),
        (
            "has confirmed HER2+, HER2-low or HER2-ultralow tumor status by local pathology",
            [("receptor.her2_positive", False), ("receptor.her2_low", False)],
        ),
        # sites (NCT00364754, NCT01142661, NCT01922921)
        ("Known brain or meningeal metastases", [("site.brain", False)]),
        ("Subjects with meningeal carcinomatosis.", [("site.leptomeninges", False)]),
        ("Stable bone only disease after definitive therapy", [("site.bone_only", False)]),
        # performance (NCT00364754, NCT00243165, NCT01922921, NCT01724606)
        ("ECOG status of 0, 1 or 2.", [("performance.ecog", False)]),
        ("PS = 2 or less", [("performance.ecog", False)]),
        ("Patients must have Zubrod performance status score of =< 2", [("performance.ecog", False)]),
        ("Karnofsky Performance Status (KPS) of ≥70%", [("performance.karnofsky", False)]),
        # demographics (NCT00286117, NCT01176916, NCT00732433)
        ("Post-menopausal status; age ≤75 years;", [("postmenopausal", False), ("age", False)]),
        ("The patient must be postmenopausal woman.", [("postmenopausal", False)]),
        ("No subject under 18 years of age", [("age", True)]),
        # prior treatment (NCT00364754, NCT00386685)
        (
            "No previous exposure to anthracycline/anthracenedione-based chemotherapy.",
            [("prior.anthracycline", True), ("prior.anthracycline", True)],
        ),  # "-based chemotherapy": one class
        ("Patients must not have had previous chemotherapy for metastatic disease.", [("prior.chemotherapy", True)]),
        ("More than one previous chemotherapy regimen for metastatic disease", [("prior.lines", False)]),
        # labs (NCT01922921, NCT01147016, NCT01246102)
        ("Total bilirubin =< 1.5 mg/dl", [("lab.bilirubin", False)]),
        ("Platelet count must be >= 100,000/mm^3", [("lab.platelets", False)]),
        (
            "AST (SGOT)/ALT (SGPT) less than or equal to 2.5 times institutional ULN",
            [("lab.ast", False), ("lab.ast", False), ("lab.alt", False), ("lab.alt", False)],
        ),
        # life expectancy and measurable disease (NCT00364754, NCT01246102)
        ("Life expectancy of at least 6 months.", [("life_expectancy", False)]),
        ("Patients must have measurable or evaluable disease.", [("measurable", False), ("measurable", False)]),
        # not recognised: stays without findings (NCT01922921)
        ("Patients who have received a previous HER2 breast cancer vaccine", []),
    ],
)
def test_concepts_in_real_criteria(text, expected):
    assert concepts(text) == expected


def test_performance_thresholds_and_direction():
    assert recognise("ECOG status of 0, 1 or 2.").findings[0].params == {"allowed": (0, 1, 2)}
    assert recognise("PS = 2 or less").findings[0].params == {"allowed": (0, 1, 2)}
    assert recognise("ECOG performance status 0-1").findings[0].params == {"allowed": (0, 1)}
    assert recognise("Karnofsky score <= 70").findings[0].params == {"allowed": (0, 10, 20, 30, 40, 50, 60, 70)}
    assert recognise("Karnofsky 80-100%").findings[0].params == {"allowed": (80, 90, 100)}


def test_lab_thresholds_with_units_and_uln_multiples():
    assert recognise("Total bilirubin =< 1.5 mg/dl").findings[0].params == {"op": "<=", "value": 1.5, "unit": "mg/dL"}
    assert recognise("Platelet count must be >= 100,000/mm^3").findings[0].params == {
        "op": ">=",
        "value": 100000.0,
        "unit": "/µL",
    }
    sgot = "Serum glutamic oxaloacetic transaminase (SGOT) =< 2.5 times the upper limit of normal"
    assert recognise(sgot).findings[0].params == {"op": "<=", "value": 2.5, "uln": True}


def test_lines_limits_read_the_direction():
    assert recognise("More than one previous chemotherapy regimen for metastatic disease").findings[0].params == {
        "min": 2.0,
        "kind": "chemotherapy",
    }
    assert recognise("no more than one prior regimen of chemotherapy for metastatic disease").findings[0].params == {
        "max": 1.0,
        "kind": "chemotherapy",
    }


def test_ages_in_text():
    assert recognise("Female, aged 18 to 55 years.").findings[1].params == {"min": 18.0, "max": 55.0}
    assert recognise("Patients aged less than 20 years old").findings[0].params == {"max_exclusive": 20.0}


def test_alternatives_conditions_and_permissions():
    assert recognise("ECOG performance status (PS) of 0 or 1 and/or Karnofsky PS of >= 70%").any_of
    assert not recognise("A diagnosis of HR+/HER2- locally advanced or metastatic breast cancer").any_of
    assert recognise(
        "Total bilirubin ≤1.5 × ULN if no liver metastases or liver < 3 if liver metastases are present."  # noqa: RUF001 - NCT06974604 as written
    ).conditional
    assert recognise("Asymptomatic or treated brain metastases are allowed.").permission
    assert recognise("patients without brain metastases").findings[0].negated
