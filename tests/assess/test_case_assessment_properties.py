"""Property: any valid case - an example with any parts missing - gives a complete report that renders.

Whatever is left out, ``assess_case`` never fails: each assessment is done, not run (listing what to record) or
not applicable (saying why), what to do now is never empty, and both audiences render.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from metastasis import assess_case
from metastasis.assess.case import AssessmentStatus
from metastasis.domain import Case, CaseValidationError
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report.render import render_markdown

SECTIONS = (
    "patient",
    "dates",
    "metastatic_sites",
    "bone_lesions",
    "labs",
    "symptoms",
    "performance_status",
    "treatments",
    "events",
    "reviews",
)
TUMOUR = ("t", "n", "m", "grade", "er", "pr", "her2", "size_mm", "nodes_positive", "ki67", "oncotype_rs")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(example_case_names()),
    drop=st.sets(st.sampled_from(SECTIONS)),
    drop_tumour=st.sets(st.sampled_from(TUMOUR)),
)
def test_any_valid_reduction_of_an_example_reports(name, drop, drop_tumour):
    data = json.loads(load_example_case(name).to_json())
    for key in drop:
        data.pop(key, None)
    for key in drop_tumour:
        data.get("tumour", {}).pop(key, None)
    try:
        case = Case.from_data(data)
    except CaseValidationError:
        assume(False)
    report = assess_case(case)
    assert report.actions
    for item in report.assessments:
        if item.status is AssessmentStatus.NOT_RUN:
            assert item.missing and all(m.path.startswith("$.") for m in item.missing)
        if item.status is AssessmentStatus.NOT_APPLICABLE:
            assert item.note
    for audience in ("clinician", "patient"):
        assert "What to do now" in render_markdown(report, audience=audience)


def test_a_laboratory_uln_that_ctcae_refuses_is_reported_not_fatal():
    data = json.loads(load_example_case("hypercalcaemia").to_json())
    for lab in data["labs"]:
        if lab["analyte"] == "calcium":
            lab["uln"] = 3.2  # above the CTCAE grade-2 limit (2.9 mmol/L): most likely a wrong unit or typo
    report = assess_case(Case.from_data(data))
    assert report.calcium.points[-1].grade is None
    assert "not graded" in report.statement("calcium.latest").text
    assert report.triage.triage is not None  # the triage used its default ULN, and says so
    assert any("ULN was not used" in c for c in report.triage.caveats)
