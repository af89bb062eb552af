"""The whole-case report tells the patient what their own T, N and M mean, next to the stage.

The example 'spinal-cord-compression' is pT1c pN1a cM0, grade 2, ER+, PR+, HER2-: AJCC 8th anatomic stage IIA
(T1 N1 M0) and pathological prognostic stage IA (block B, G2, HER2-, ER+, PR+), typed from the AJCC 8th tables.
The patient has cancer in 1 to 3 axillary nodes (pN1a), so no text may say the nodes are free of cancer.
"""

from __future__ import annotations

import textstat

from metastasis import assess_case
from metastasis.examples.cases import load_example_case


def test_stage_ia_with_pn1a_names_the_nodes_and_why_the_stage_is_lower():
    report = assess_case(load_example_case("spinal-cord-compression"))
    assert report.staging.stage.prognostic_stage == "IA"
    statement = report.statement("staging.stage")
    plain = statement.plain
    assert plain.startswith("When the cancer was first found, it was stage 1A.")
    # each category in words; the codes themselves stay out of the sentences (they are the statement's values)
    assert "The tumour is bigger than 1 cm but not bigger than 2 cm." in plain
    assert "Cancer was found in 1 to 3 lymph nodes under the arm." in plain
    assert "pT1c" not in plain and "pN1a" not in plain
    assert "not spread to the lymph nodes" not in plain
    assert "the stage would be 2A" in plain
    assert "ER, PR and HER2" in plain
    assert textstat.flesch_kincaid_grade(plain) <= 8.0
    assert {"ajcc8-breast", "radiopaedia-breast-staging", "cruk-breast-tnm"} <= set(statement.sources)


def test_metastatic_case_explains_m1_and_stage_4():
    report = assess_case(load_example_case("de-novo-bone-only"))
    plain = report.statement("staging.stage").plain
    assert "stage 4" in plain
    assert "The cancer has spread to distant parts of the body" in plain and "cM1" not in plain
