"""The clinician tools: which catalogued operations are calculators, their page titles, and the index groups.

Calculators are read from :data:`metastasis.api.catalogue.OPERATIONS`, so an operation added to the catalogue
gets a page without any change here (it is listed under its OpenAPI group until it is given a place below).
"""

from __future__ import annotations

from dataclasses import dataclass

from metastasis.api.catalogue import OPERATIONS, operation
from metastasis.api.operations import Operation
from metastasis.web.forms import clean_hint

#: Operation groups served as calculators (simulations have their own pages).
CALCULATOR_GROUPS = ("staging", "scores", "calcium", "performance", "triage", "knowledge", "prediction")

#: The simulation pages, ``/clinician/simulate/<kind>`` for the operation ``simulate_<kind>``.
SIMULATION_KINDS = ("spread", "cascade", "bone")

#: Page titles (UI text); an operation without one is titled by its docstring's first line.
TITLES = {
    "staging_breast": "Breast cancer TNM staging",
    "scores_mirels": "Mirels' score",
    "scores_sins": "SINS (spinal instability)",
    "scores_bilsky": "Bilsky ESCC grade",
    "scores_tokuhashi": "Revised Tokuhashi score",
    "scores_tomita": "Tomita score",
    "scores_bauer": "Bauer score",
    "scores_bauer_modified": "Modified Bauer score",
    "scores_katagiri": "New Katagiri score",
    "scores_katagiri_laboratory": "Katagiri laboratory tier",
    "calcium_corrected": "Corrected calcium",
    "calcium_hypercalcaemia_grade": "Hypercalcaemia grade (CTCAE v5)",
    "performance_ecog": "ECOG performance status",
    "performance_karnofsky": "Karnofsky performance status",
    "performance_ecog_to_kps_ecog_acrin": "ECOG to Karnofsky (ECOG-ACRIN)",
    "performance_ecog_to_kps_buccheri_1996": "ECOG to Karnofsky (Buccheri 1996)",
    "performance_ecog_to_kps_prasad_2018": "ECOG to Karnofsky (Prasad 2018)",
    "performance_kps_to_ecog_ecog_acrin": "Karnofsky to ECOG (ECOG-ACRIN)",
    "performance_kps_to_ecog_buccheri_1996": "Karnofsky to ECOG (Buccheri 1996)",
    "performance_kps_to_ecog_prasad_2018": "Karnofsky to ECOG (Prasad 2018)",
    "triage": "Symptom triage",
    "treatment_options": "Treatment options to discuss",
    "knowledge_presentation": "De novo or recurrent",
    "knowledge_pattern": "Disease pattern",
    "knowledge_oligometastatic": "Oligometastatic disease",
    "predict_breast": "PREDICT Breast",
    "predict_npi": "Nottingham Prognostic Index",
    "predict_cts5": "CTS5 (late distant recurrence)",
    "predict_late_recurrence": "Late recurrence after 5 years of endocrine therapy",
    "statistics": "Reference survival statistics",
    "simulate_spread": "Spread simulation",
    "simulate_bone": "Bone lesion simulation",
    "simulate_cascade": "Metastatic cascade",
}

#: Index sections (UI headings) and the operations they list, in order.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Staging", ("staging_breast",)),
    ("Bone scores", ("scores_mirels", "scores_bauer", "scores_katagiri", "scores_katagiri_laboratory")),
    ("Spine", ("scores_sins", "scores_bilsky", "scores_tokuhashi", "scores_tomita", "scores_bauer_modified")),
    (
        "Calcium and performance status",
        (
            "calcium_corrected",
            "calcium_hypercalcaemia_grade",
            "performance_ecog",
            "performance_karnofsky",
            "performance_ecog_to_kps_ecog_acrin",
            "performance_ecog_to_kps_buccheri_1996",
            "performance_ecog_to_kps_prasad_2018",
            "performance_kps_to_ecog_ecog_acrin",
            "performance_kps_to_ecog_buccheri_1996",
            "performance_kps_to_ecog_prasad_2018",
        ),
    ),
    ("Triage", ("triage",)),
    (
        "Treatment options and disease pattern",
        ("treatment_options", "knowledge_pattern", "knowledge_presentation", "knowledge_oligometastatic"),
    ),
    ("Prediction", ("predict_breast", "predict_npi", "predict_cts5", "predict_late_recurrence", "statistics")),
)


@dataclass(frozen=True)
class Tool:
    """One entry of the clinician index."""

    title: str
    summary: str
    route: str  # route name
    params: dict[str, str]


def title_of(operation: Operation) -> str:
    """The page title of an operation."""
    return TITLES.get(operation.name, operation.summary.rstrip("."))


def summary_of(operation: Operation) -> str:
    """The first line of the library function's docstring, without markup."""
    return clean_hint(operation.summary) or operation.path


def calculators() -> dict[str, Operation]:
    """Every catalogued operation served as a calculator, by name."""
    return {op.name: op for op in OPERATIONS if op.group in CALCULATOR_GROUPS}


def _calculator(op: Operation) -> Tool:
    return Tool(title_of(op), summary_of(op), "web.clinician_calc", {"name": op.name})


def index_sections() -> list[tuple[str, list[Tool]]]:
    """The clinician index: every calculator once, then the case report and the simulations."""
    ops = calculators()
    sections = [(heading, [_calculator(ops[name]) for name in names if name in ops]) for heading, names in SECTIONS]
    placed = {name for _, names in SECTIONS for name in names}
    others = [_calculator(op) for name, op in ops.items() if name not in placed]
    if others:
        sections.append(("Other calculators", others))
    sections.append(
        (
            "Case report",
            [
                Tool(
                    "Whole-case report",
                    "Paste, upload or pick a case (JSON or YAML): every assessment the data allow, alerts, what to "
                    "do now, in the clinician or the patient view.",
                    "web.clinician_case",
                    {},
                )
            ],
        )
    )
    simulations = [operation(f"simulate_{kind}") for kind in SIMULATION_KINDS]
    sections.append(
        (
            "Simulations",
            [
                Tool(title_of(op), summary_of(op), "web.clinician_simulate", {"kind": kind})
                for kind, op in zip(SIMULATION_KINDS, simulations, strict=True)
            ],
        )
    )
    return sections
