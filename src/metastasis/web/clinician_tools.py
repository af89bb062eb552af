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

#: What each tool answers, on its tile and under its page title (UI text in clinical language).
SUMMARIES = {
    "staging_breast": "AJCC 8th anatomic and prognostic stage, or UICC 8th anatomic stage, from TNM and receptors.",
    "scores_mirels": "Risk of pathological fracture of a long bone with a metastasis (total 4 to 12).",
    "scores_sins": "Spinal instability from a neoplastic lesion (Fisher 2010; total 0 to 18).",
    "scores_bilsky": "Grade of epidural spinal cord compression on MRI (Bilsky 2010).",
    "scores_tokuhashi": "Expected survival with spinal metastases (revised 2005; total 0 to 15, higher is better).",
    "scores_tomita": "Prognosis and surgical strategy for spinal metastases (2001; total 2 to 10).",
    "scores_bauer": "Survival with skeletal metastases (Bauer 1995; total 0 to 5, higher is better).",
    "scores_bauer_modified": "Bauer without the fracture item, for spinal metastases (2008; total 0 to 4).",
    "scores_katagiri": "Survival with skeletal metastases (Katagiri 2014; total 0 to 10).",
    "scores_katagiri_laboratory": "The laboratory item of the new Katagiri score from CRP, LDH, albumin and more.",
    "calcium_corrected": "Albumin-corrected total calcium, in SI or conventional units.",
    "calcium_hypercalcaemia_grade": "CTCAE version 5 grade of hypercalcaemia from a corrected or ionised calcium.",
    "performance_ecog": "What an ECOG grade means, and the Karnofsky scores published alongside it.",
    "performance_karnofsky": "What a Karnofsky score means, and the ECOG grades published alongside it.",
    "triage": "Urgency, likely sites and work-up from symptoms and laboratory values.",
    "treatment_options": "Treatment families to discuss for a metastatic profile, with their evidence.",
    "knowledge_presentation": "De novo or recurrent metastatic disease, from the two dates.",
    "knowledge_pattern": "Bone-only, visceral or other pattern of metastatic sites.",
    "knowledge_oligometastatic": "Whether the disease meets the oligometastatic definition.",
    "predict_breast": "Survival after surgery for early invasive breast cancer, and the benefit of each treatment.",
    "predict_npi": "Nottingham Prognostic Index from size, nodes and grade, with its band.",
    "predict_cts5": "Late distant recurrence risk (years 5 to 10) after 5 years of endocrine therapy.",
    "predict_late_recurrence": "Distant recurrence risk from year 5 to 20 in ER-positive disease.",
    "statistics": "Published survival statistics by stage, subtype and site.",
}

#: Words a clinician may type to find a tool (beyond its title and summary).
KEYWORDS = {
    "scores_mirels": "fracture femur humerus long bone prophylactic fixation",
    "scores_sins": "spine instability vertebra",
    "scores_bilsky": "escc cord compression mri epidural mscc",
    "scores_tokuhashi": "spine survival prognosis",
    "scores_tomita": "spine surgery prognosis",
    "scores_bauer": "skeletal survival",
    "scores_katagiri": "skeletal survival",
    "calcium_corrected": "albumin hypercalcaemia hypercalcemia",
    "calcium_hypercalcaemia_grade": "ctcae hypercalcemia calcium",
    "performance_ecog": "karnofsky kps who performance status",
    "staging_breast": "tnm ajcc uicc stage",
    "triage": "red flag symptoms urgency mscc",
    "predict_breast": "nhs predict survival adjuvant chemotherapy",
    "predict_npi": "npi nottingham",
    "predict_cts5": "late recurrence endocrine",
}

#: The ECOG and Karnofsky pages share one tile; each page links to the others.
PERFORMANCE = (
    "performance_ecog",
    "performance_karnofsky",
    "performance_ecog_to_kps_ecog_acrin",
    "performance_ecog_to_kps_buccheri_1996",
    "performance_ecog_to_kps_prasad_2018",
    "performance_kps_to_ecog_ecog_acrin",
    "performance_kps_to_ecog_buccheri_1996",
    "performance_kps_to_ecog_prasad_2018",
)

#: Index sections (UI headings) and the operations they list, in order.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Staging", ("staging_breast",)),
    ("Bone scores", ("scores_mirels", "scores_bauer", "scores_katagiri", "scores_katagiri_laboratory")),
    ("Spine", ("scores_sins", "scores_bilsky", "scores_tokuhashi", "scores_tomita", "scores_bauer_modified")),
    ("Calcium and performance status", ("calcium_corrected", "calcium_hypercalcaemia_grade", "performance_ecog")),
    ("Triage", ("triage",)),
    (
        "Treatment options and disease pattern",
        ("treatment_options", "knowledge_pattern", "knowledge_presentation", "knowledge_oligometastatic"),
    ),
    ("Prediction", ("predict_breast", "predict_npi", "predict_cts5", "predict_late_recurrence", "statistics")),
)

#: Titles of tiles that stand for more than one page.
TILE_TITLES = {"performance_ecog": "ECOG and Karnofsky performance status"}


@dataclass(frozen=True)
class Tool:
    """One entry of the clinician index."""

    title: str
    summary: str
    route: str  # route name
    params: dict[str, str]
    keywords: str = ""

    def matches(self, query: str) -> bool:
        """Whether every word of ``query`` is found in the title, summary or keywords (case-insensitive)."""
        text = f"{self.title} {self.summary} {self.keywords}".lower()
        return all(word in text for word in query.lower().split())


def title_of(operation: Operation) -> str:
    """The page title of an operation."""
    return TITLES.get(operation.name, operation.summary.rstrip("."))


def summary_of(operation: Operation) -> str:
    """What the tool answers: the hand-written line, else the library docstring's first line without markup."""
    return SUMMARIES.get(operation.name) or clean_hint(operation.summary) or operation.path


def calculators() -> dict[str, Operation]:
    """Every catalogued operation served as a calculator, by name."""
    return {op.name: op for op in OPERATIONS if op.group in CALCULATOR_GROUPS}


def related_tools(name: str) -> list[tuple[str, str]]:
    """The sibling pages of a page that shares a tile (title, operation name); none for the others."""
    if name not in PERFORMANCE:
        return []
    ops = calculators()
    return [(title_of(ops[other]), other) for other in PERFORMANCE if other in ops]


def _calculator(op: Operation) -> Tool:
    title = TILE_TITLES.get(op.name, title_of(op))
    return Tool(title, summary_of(op), "web.clinician_calc", {"name": op.name}, KEYWORDS.get(op.name, ""))


def index_sections(query: str | None = None) -> list[tuple[str, list[Tool]]]:
    """The clinician index: every calculator once (the performance pages as one tile), the case report and the
    simulations; with a ``query``, only the tools it matches, and no empty section.

    Example: ``index_sections("mir")`` holds one section, "Bone scores", with Mirels' score.
    """
    ops = calculators()
    sections = [(heading, [_calculator(ops[name]) for name in names if name in ops]) for heading, names in SECTIONS]
    placed = {name for _, names in SECTIONS for name in names} | set(PERFORMANCE)
    others = [_calculator(op) for name, op in ops.items() if name not in placed]
    if others:
        sections.append(("Other calculators", others))
    sections.append(
        (
            "Case report",
            [
                Tool(
                    "Whole-case report",
                    "Paste, upload or pick a case: every assessment the data allow, alerts and what to do now.",
                    "web.clinician_case",
                    {},
                    "case report json yaml",
                ),
                Tool(
                    "Build a case step by step",
                    "Enter a patient's tumour, lesions, labs and symptoms in a guided form, check it, then report.",
                    "web.case_builder",
                    {},
                    "case builder new form enter",
                ),
            ],
        )
    )
    sections.append(
        (
            "Clinical trials",
            [
                Tool(
                    "Clinical trials for a case",
                    "Stored ClinicalTrials.gov studies judged criterion by criterion, ranked, with what to check next.",
                    "web.clinician_trials",
                    {},
                    "trial trials clinicaltrials.gov nct eligibility criteria recruiting match",
                )
            ],
        )
    )
    simulations = [operation(f"simulate_{kind}") for kind in SIMULATION_KINDS]
    sections.append(
        (
            "Simulations",
            [
                Tool(title_of(op), summary_of(op), "web.clinician_simulate", {"kind": kind}, "simulation model")
                for kind, op in zip(SIMULATION_KINDS, simulations, strict=True)
            ],
        )
    )
    if query and query.strip():
        sections = [(heading, [t for t in tools if t.matches(query)]) for heading, tools in sections]
    return [(heading, tools) for heading, tools in sections if tools]
