"""The assessment of a case as FHIR: the derived stage group, the risk scores and the rendered report.

* Stage group: an ``mcode-tnm-stage-group`` Observation with the AJCC 8th method, its T, N and M observations
  as members, and a note naming how it was derived and the sources.
* Risk scores (Mirels, SINS, Bilsky ESCC per lesion; Bauer, Tokuhashi, Tomita, Katagiri per patient): one
  Observation each, coded with this package's score code (no standard code exists for most), the total as the
  value and each item's points as a component.
* The clinician report as a DiagnosticReport whose presentedForm holds the HTML page and the Markdown text.

These are outputs: the import lists them as ignored and derives them again from the case.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from metastasis import __version__

if TYPE_CHECKING:
    from metastasis.assess.case.models import Report
    from metastasis.interop.fhir.exporter import _Writer


def add_assessment(w: _Writer, tnm_refs: list[str]) -> None:
    """Assess the case and add the stage group, risk scores and report to the bundle being written."""
    from metastasis.assess.case import assess_case

    report = assess_case(w.case)
    results = []
    stage = _stage_group(w, report, tnm_refs)
    if stage is not None:
        results.append(stage)
    results += _scores(w, report)
    _report(w, report, results)


def _stage_group(w: _Writer, report: Report, tnm_refs: list[str]) -> str | None:
    result = report.staging.stage if report.staging is not None else None
    if result is None or result.stage is None:
        return None
    codes = w.codes
    basis = "pathological" if result.basis == "pathological" else "clinical"
    which = "prognostic" if result.prognostic_stage else "anatomic"
    value: dict[str, Any] = {"coding": [w.coding("ajcc", result.stage)], "text": f"Stage {result.stage} ({which})"}
    if result.stage in codes.stage_values_export:
        value["coding"].append(w.coding("snomed", codes.stage_values_export[result.stage]))
    sources = ", ".join(result.sources)
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "preliminary",
        "code": {"coding": [codes.tnm_observation_export[("stage", basis)].to_fhir()]},
        "subject": w.patient,
        "focus": [w.primary],
        "method": {
            "coding": [codes.staging_method.to_fhir()],
            "text": f"AJCC 8th edition {which} stage group, derived by metastasis {__version__} ({result.system})",
        },
        "valueCodeableConcept": value,
        "note": [{"text": f"Decision support, not a medical device. Sources: {sources}."}],
    }
    if tnm_refs:
        resource["hasMember"] = [{"reference": ref} for ref in tnm_refs]
    if w.case.as_of is not None:
        resource["effectiveDateTime"] = w.case.as_of.isoformat()
    return w.add("assessment-stage", resource, w.mcode("stage_group"))


def _score_observation(w: _Writer, name: str, score: Any, subject: str | None) -> str:
    components = [
        {
            "code": {"coding": [w.coding("local_score", f"{score.score}.{item.item}")], "text": item.label},
            "valueInteger": item.points,
        }
        for item in score.breakdown
    ]
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "preliminary",
        "code": {"coding": [w.coding("local_score", score.score, score.name)], "text": score.name},
        "subject": w.patient,
        "valueInteger": score.total,
        "interpretation": [{"text": score.band_label}],
        "note": [{"text": f"{score.interpretation} Sources: {', '.join(score.sources)}."}],
    }
    if isinstance(score.total, float):
        resource.pop("valueInteger")
        resource["valueQuantity"] = {"value": score.total}
    if components:
        resource["component"] = components
    if subject:
        resource["bodySite"] = {"text": subject}
    return w.add(name, resource, w.codes.us_core["clinical_result"])


def _scores(w: _Writer, report: Report) -> list[str]:
    section = report.bone_scores
    if section is None:
        return []
    refs = []
    for lesion in section.lesions:
        for key, score in lesion.scores.items():
            refs.append(_score_observation(w, f"score-lesion-{lesion.index}-{key}", score, lesion.label))
    for key, scores in section.patient_scores.items():
        for i, score in enumerate(scores):
            refs.append(_score_observation(w, f"score-{key}-{i}", score, None))
    return refs


def _attachment(content_type: str, text: str, title: str) -> dict[str, Any]:
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return {"contentType": content_type, "data": data, "title": title}


def _report(w: _Writer, report: Report, results: list[str]) -> None:
    from metastasis.report.render import render

    html = render(report, audience="clinician", fmt="html")
    markdown = render(report, audience="clinician", fmt="markdown")
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": "preliminary",
        "code": {"text": "Metastatic breast cancer case assessment (decision support, not a medical device)"},
        "subject": w.patient,
        "presentedForm": [
            _attachment("text/html; charset=utf-8", html, "Case report (HTML)"),
            _attachment("text/markdown; charset=utf-8", markdown, "Case report (Markdown)"),
        ],
    }
    if results:
        resource["result"] = [{"reference": ref} for ref in results]
    if w.case.as_of is not None:
        resource["effectiveDateTime"] = w.case.as_of.isoformat()
    w.add("assessment-report", resource, w.codes.us_core["report"])
