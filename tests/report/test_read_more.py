"""The patient's report lists the explainers its case calls for (docs/education.md); the clinician's does not."""

from __future__ import annotations

from metastasis import assess_case
from metastasis.examples.cases import load_example_case
from metastasis.report.render import render, render_html_body
from metastasis.report.view import build_view


def test_denosumab_brings_jaw_care_and_low_calcium_to_the_patient() -> None:
    report = assess_case(load_example_case("de-novo-bone-only"))  # letrozole, palbociclib, denosumab; bone only
    topics = [r.topic for r in build_view(report, "patient").read_more]
    assert {"jaw_care", "low_calcium_denosumab", "hormone_therapy", "bone_lesions"} <= set(topics)
    assert "chemotherapy" not in topics and len(topics) == len(set(topics))
    assert build_view(report, "clinician").read_more == []


def test_no_bone_drug_means_no_denosumab_leaflet() -> None:
    report = assess_case(load_example_case("hypercalcaemia"))  # docetaxel earlier; no bone-targeted drug yet
    topics = {r.topic for r in build_view(report, "patient").read_more}
    assert "low_calcium_denosumab" not in topics and "chemotherapy" in topics


def test_links_on_the_site_and_titles_in_files() -> None:
    report = assess_case(load_example_case("de-novo-bone-only"))
    body = str(render_html_body(report, audience="patient"))
    assert 'href="/patient/learn/jaw-care"' in body and 'id="read-more"' in body
    standalone = render(report, audience="patient", fmt="html")
    assert "/patient/learn/" not in standalone and "Read more about your situation" in standalone
    assert 'under "Learn more" on the patient pages' in standalone.replace("&#34;", '"')
    assert "## Read more about your situation" in render(report, audience="patient", fmt="markdown")
