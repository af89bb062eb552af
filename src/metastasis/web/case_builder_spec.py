"""The page spec of the case builder: its sections, controls, labels, help and choices.

This module decides presentation only. The allowed values come from the library (the case schema's types and
vocabularies, the score tables with their points); the labels and help are interface text written for
clinicians. Field names are the case's own paths, dotted (``tumour.t``; ``labs.0.unit`` in a row), so that a
problem of :func:`metastasis.domain.validate_case` lands at its control.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, get_args

Kind = Literal["text", "textarea", "int", "number", "date", "select", "yesno", "unit"]
Choices = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Control:
    """One control: ``key`` is its path inside the section (``spine.level``), ``kind`` how it is read."""

    key: str
    label: str
    kind: Kind = "text"
    hint: str | Callable[[], str] | None = None
    choices: Callable[[], Choices] | None = None
    group: str | None = None

    def help(self) -> str | None:
        """The help text under the label (some are built from the library's lists)."""
        return self.hint() if callable(self.hint) else self.hint

    def options(self) -> Choices:
        """The choices of a select (empty for other kinds)."""
        return self.choices() if self.choices else ()


@dataclass(frozen=True)
class Section:
    """A part of the case: ``key`` is its top-level field; ``rows`` sections are lists with "add another"."""

    key: str
    title: str
    intro: str
    controls: tuple[Control, ...]
    rows: bool = False
    row_label: str = ""
    groups: dict[str, str] = field(default_factory=dict)


_WORDS = {
    "female": "Female",
    "male": "Male",
    "unknown": "Unknown",
    "positive": "Positive",
    "negative": "Negative",
    "equivocal": "Equivocal",
    "premenopausal": "Premenopausal",
    "postmenopausal": "Postmenopausal",
    "screen": "Screen-detected",
    "clinical": "Symptomatic (clinical)",
    "osteolytic": "Osteolytic",
    "osteoblastic": "Osteoblastic",
    "mixed": "Mixed",
    "invasive_nst": "Invasive carcinoma of no special type (ductal)",
    "invasive_lobular": "Invasive lobular carcinoma",
    "mixed_nst_lobular": "Mixed ductal and lobular",
    "invasive_special_type": "Invasive carcinoma of a special type",
    "dcis": "Ductal carcinoma in situ only",
    "other": "Other",
    "left": "Left",
    "right": "Right",
    "bilateral": "Both breasts",
    "upper_inner": "Upper inner quadrant",
    "lower_inner": "Lower inner quadrant",
    "upper_outer": "Upper outer quadrant",
    "lower_outer": "Lower outer quadrant",
    "axillary_tail": "Axillary tail",
    "overlapping": "Overlapping quadrants",
    "nipple": "Nipple",
    "central": "Central",
    "ecog": "ECOG (0 to 5)",
    "karnofsky": "Karnofsky (0 to 100)",
    "surgery": "Surgery",
    "radiotherapy": "Radiotherapy",
    "chemotherapy": "Chemotherapy",
    "endocrine": "Endocrine therapy",
    "her2_targeted": "HER2-targeted therapy",
    "cdk46_inhibitor": "CDK4/6 inhibitor",
    "bone_targeted": "Bone-targeted agent",
    "immunotherapy": "Immunotherapy",
    "parp_inhibitor": "PARP inhibitor",
    "pathological_fracture": "Pathological fracture",
    "spinal_cord_compression": "Spinal cord compression",
    "radiation_to_bone": "Radiation to bone",
    "surgery_to_bone": "Surgery to bone",
    "hypercalcemia_of_malignancy": "Hypercalcaemia of malignancy",
    "orthopaedic_surgery": "Orthopaedic surgery",
    "spinal_surgery": "Spinal surgery",
    "radiation_oncology": "Radiation oncology",
    "medical_oncology": "Medical oncology",
    "palliative_care": "Palliative care",
    "dental": "Dental",
}


def _word(value: str) -> str:
    return _WORDS.get(value, value.replace("_", " ").capitalize())


def _plain(values: tuple[str, ...]) -> Choices:
    return tuple((v, _word(v)) for v in values)


def _literal(annotation: object) -> Callable[[], Choices]:
    return lambda: _plain(tuple(str(v) for v in get_args(annotation)))


def _receptor(*, equivocal: bool) -> Callable[[], Choices]:
    def choices() -> Choices:
        from metastasis.domain.biomarkers import ReceptorStatus

        return _plain(tuple(s.value for s in ReceptorStatus if equivocal or s is not ReceptorStatus.EQUIVOCAL))

    return choices


def _vocabulary(name: str) -> Callable[[], Choices]:
    def choices() -> Choices:
        from metastasis.domain import vocabularies

        return _plain(getattr(vocabularies, name)())

    return choices


@cache
def _sites(bone_only: bool) -> Choices:
    from metastasis.domain.vocabularies import bone_site_ids
    from metastasis.knowledge.sites import all_sites

    wanted = set(bone_site_ids()) if bone_only else None
    return tuple((s.id, s.name) for s in all_sites() if wanted is None or s.id in wanted)


def _score_items(score: str, item: str) -> Callable[[], Choices]:
    """A score item's choices with their points, as the score's table gives them."""

    def choices() -> Choices:
        from metastasis.assess._tables import load_yaml

        (found,) = [i for i in load_yaml(score)["items"] if i["id"] == item]
        return tuple((str(c["value"]), f"{c['label']} ({c['points']})") for c in found["choices"])

    return choices


def _escc() -> Choices:
    from metastasis.assess._tables import load_yaml

    return tuple((str(g["grade"]), f"{g['grade']}: {g['definition']}") for g in load_yaml("bilsky_escc")["grades"])


def _analytes() -> Choices:
    from metastasis.domain.vocabularies import lab_analytes, lab_label

    return tuple((a, lab_label(a)) for a in lab_analytes())


def _symptoms() -> Choices:
    from metastasis.assess.triage import symptom_vocabulary

    return tuple(symptom_vocabulary().items())


def _kinds(enum_name: str) -> Callable[[], Choices]:
    def choices() -> Choices:
        from metastasis.domain import events, treatments

        module = events if enum_name == "SkeletalEventKind" else treatments
        return _plain(tuple(k.value for k in getattr(module, enum_name)))

    return choices


def _her2_ihc() -> Choices:
    from metastasis.domain.biomarkers import Her2Ihc

    return tuple((str(v), f"IHC {v}") for v in get_args(Her2Ihc))


def _grades() -> Choices:
    return (("1", "Grade 1"), ("2", "Grade 2"), ("3", "Grade 3"))


def _literals() -> dict[str, object]:
    from metastasis.domain.patient import Sex
    from metastasis.domain.tumour import BreastLocation, Histology, Laterality

    return {"sex": Sex, "location": BreastLocation, "histology": Histology, "laterality": Laterality}


def _lit(name: str) -> Callable[[], Choices]:
    return lambda: _literal(_literals()[name])()


def _drug_hint() -> str:
    from metastasis.domain.vocabularies import bone_targeted_drugs

    *first, last = (d.replace("_", " ") for d in bone_targeted_drugs())
    return f"For a bone-targeted agent: {', '.join(first)} or {last}."


def _scales() -> Choices:
    from metastasis.domain.clinical import PerformanceStatus

    return _plain(tuple(get_args(PerformanceStatus.model_fields["scale"].annotation)))


_TNM_HINT = "With its prefix: c (clinical), p (pathological), yc/yp (after neoadjuvant therapy), r (recurrence)."

SECTIONS: tuple[Section, ...] = (
    Section(
        "case",
        "About the case",
        "A label and a title help you find the case again. Use no names or hospital numbers.",
        (
            Control("id", "Case label", hint="Letters, digits and dashes; not a patient identifier."),
            Control("title", "Title", hint="One line, e.g. the main problem."),
            Control("as_of", "Date the case describes", "date", hint="No date in the case may be later."),
            Control("description", "The story in brief", "textarea"),
        ),
    ),
    Section(
        "patient",
        "Patient",
        "Age, sex and menopausal status change the staging, PREDICT and treatment options.",
        (
            Control("age_at_diagnosis", "Age at first diagnosis (years)", "int"),
            Control("sex", "Sex", "select", choices=_lit("sex")),
            Control("menopausal_status", "Menopausal status now", "select", choices=_vocabulary("menopausal_statuses")),
        ),
    ),
    Section(
        "tumour",
        "Primary tumour at diagnosis",
        "TNM, grade and receptors of the breast tumour when it was first diagnosed.",
        (
            Control("laterality", "Breast", "select", choices=_lit("laterality")),
            Control("location", "Location in the breast", "select", choices=_lit("location")),
            Control("histology", "Histology", "select", choices=_lit("histology")),
            Control("size_mm", "Invasive size (mm)", "number"),
            Control("t", "T category", hint=_TNM_HINT + " E.g. pT2.", group="tnm"),
            Control("n", "N category", hint="E.g. pN1a, cN0, pN0(i+).", group="tnm"),
            Control("m", "M category", hint="cM0, cM1 or pM1.", group="tnm"),
            Control("nodes_positive", "Positive axillary nodes", "int", group="nodes"),
            Control("nodes_examined", "Axillary nodes examined", "int", group="nodes"),
            Control("micrometastases_only", "One positive node, micrometastases only", "yesno", group="nodes"),
            Control("grade", "Histological grade", "select", choices=_grades),
            Control("er", "Oestrogen receptor", "select", choices=_receptor(equivocal=False), group="receptors"),
            Control("pr", "Progesterone receptor", "select", choices=_receptor(equivocal=False), group="receptors"),
            Control("her2", "HER2", "select", choices=_receptor(equivocal=True), group="receptors"),
            Control("her2_ihc", "HER2 IHC score", "select", choices=_her2_ihc, group="receptors"),
            Control(
                "her2_ish", "HER2 ISH (final call)", "select", choices=_receptor(equivocal=True), group="receptors"
            ),
            Control("ki67", "Ki67 (high or low)", "select", choices=_receptor(equivocal=False)),
            Control("ki67_percent", "Ki67 index (%)", "number"),
            Control("oncotype_rs", "Oncotype DX recurrence score", "number"),
            Control("detection", "How it was found", "select", choices=_vocabulary("detection_modes")),
        ),
        groups={"tnm": "TNM", "nodes": "Axillary nodes", "receptors": "Receptors"},
    ),
    Section(
        "biomarkers",
        "Predictive tests",
        "Tests that select targeted or immune treatment for metastatic disease.",
        (
            Control("gbrca", "Germline BRCA1/2 variant", "select", choices=_receptor(equivocal=False)),
            Control("pdl1_cps", "PD-L1 combined positive score (22C3)", "number"),
            Control("pdl1", "PD-L1 (when no score is recorded)", "select", choices=_receptor(equivocal=False)),
            Control("pik3ca", "PIK3CA mutation", "select", choices=_receptor(equivocal=False)),
            Control("akt1", "AKT1 alteration", "select", choices=_receptor(equivocal=False)),
            Control("pten", "PTEN alteration", "select", choices=_receptor(equivocal=False)),
            Control("esr1", "ESR1 mutation", "select", choices=_receptor(equivocal=False)),
        ),
    ),
    Section(
        "dates",
        "Key dates",
        "The dates of the disease course.",
        (
            Control("diagnosis", "First diagnosis", "date"),
            Control("surgery", "Surgery of the primary", "date"),
            Control("metastasis", "First distant metastasis", "date"),
        ),
    ),
    Section(
        "metastatic_sites",
        "Sites of metastasis",
        "One row per organ or bone region with distant metastasis.",
        (
            Control("site", "Site", "select", choices=lambda: _sites(False)),
            Control("date", "Diagnosed on", "date"),
            Control("biopsy_confirmed", "Biopsy-confirmed", "yesno"),
            Control("lesion_count", "Number of lesions", "int"),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Site",
    ),
    Section(
        "bone_lesions",
        "Bone lesions",
        "One row per bone metastasis you want scored: Mirels for long bones, SINS and Bilsky for the spine.",
        (
            Control("site", "Bone site", "select", choices=lambda: _sites(True)),
            Control("subsite", "Bone and part", hint="E.g. left femur, neck; T8 vertebral body."),
            Control("lesion_type", "Lesion type", "select", choices=_vocabulary("lesion_types")),
            Control("date", "Found on", "date"),
            Control("limb", "Mirels site", "select", choices=_score_items("mirels", "site"), group="mirels"),
            Control("pain", "Mirels pain", "select", choices=_score_items("mirels", "pain"), group="mirels"),
            Control("size_fraction", "Mirels size", "select", choices=_score_items("mirels", "size"), group="mirels"),
            Control("spine.level", "Level", hint="A vertebra or a range, top to bottom: T8, T7-T9.", group="spine"),
            Control(
                "spine.location", "SINS location", "select", choices=_score_items("sins", "location"), group="spine"
            ),
            Control("spine.pain", "SINS pain", "select", choices=_score_items("sins", "pain"), group="spine"),
            Control(
                "spine.alignment", "SINS alignment", "select", choices=_score_items("sins", "alignment"), group="spine"
            ),
            Control(
                "spine.collapse", "SINS collapse", "select", choices=_score_items("sins", "collapse"), group="spine"
            ),
            Control(
                "spine.posterolateral",
                "SINS posterolateral involvement",
                "select",
                choices=_score_items("sins", "posterolateral"),
                group="spine",
            ),
            Control("spine.escc_grade", "Bilsky ESCC grade (MRI)", "select", choices=_escc, group="spine"),
            Control(
                "spine.palsy",
                "Neurological deficit",
                "select",
                choices=_score_items("tokuhashi_revised", "palsy"),
                group="spine",
            ),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Lesion",
        groups={"mirels": "Long bone (Mirels; points in brackets)", "spine": "Spine (SINS points in brackets)"},
    ),
    Section(
        "labs",
        "Laboratory results",
        "Each value with its unit and the date of the sample.",
        (
            Control("analyte", "Test", "select", choices=_analytes),
            Control("value", "Value", "number"),
            Control("unit", "Unit", "unit", hint="E.g. mmol/L or mg/dL for calcium, g/L for albumin, U/L for ALP."),
            Control("date", "Sample date", "date"),
            Control("uln", "Upper limit of normal", "number", hint="The laboratory's, in the same unit."),
        ),
        rows=True,
        row_label="Result",
    ),
    Section(
        "symptoms",
        "Symptoms now",
        "Symptoms the patient has now; they drive the red-flag triage.",
        (
            Control("id", "Symptom", "select", choices=_symptoms),
            Control("onset", "Started on", "date"),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Symptom",
    ),
    Section(
        "performance_status",
        "Performance status",
        "ECOG or Karnofsky, with the date of each assessment.",
        (
            Control("scale", "Scale", "select", choices=_scales),
            Control("value", "Grade or score", "int", hint="ECOG 0 to 5; Karnofsky 0 to 100 in steps of 10."),
            Control("date", "Assessed on", "date"),
        ),
        rows=True,
        row_label="Assessment",
    ),
    Section(
        "treatments",
        "Treatments",
        "Courses of treatment with their start and end dates (no end date while ongoing).",
        (
            Control("kind", "Kind", "select", choices=_kinds("TreatmentKind")),
            Control("drug", "Drug or regimen", hint=_drug_hint),
            Control("site", "Aimed at (metastasis)", "select", choices=lambda: _sites(False)),
            Control("start", "Start", "date"),
            Control("end", "End", "date"),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Treatment",
    ),
    Section(
        "events",
        "Skeletal-related events",
        "Fractures, cord compression, radiation or surgery to bone, hypercalcaemia.",
        (
            Control("kind", "Event", "select", choices=_kinds("SkeletalEventKind")),
            Control("date", "Date", "date"),
            Control("site", "Bone or level"),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Event",
    ),
    Section(
        "reviews",
        "Specialist reviews",
        "Reviews or referrals, e.g. a spinal surgical opinion.",
        (
            Control("kind", "Review", "select", choices=_kinds("ReviewKind")),
            Control("date", "Date", "date"),
            Control("note", "Note"),
        ),
        rows=True,
        row_label="Review",
    ),
)
"""The builder's sections, in page order."""

SECTION_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}
ROW_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if s.rows)
MAX_ROWS = 40
"""Most rows one list may have in the builder (bounded work for every request)."""


def all_units() -> tuple[str, ...]:
    """Every unit a lab result may carry, for the unit control's suggestions."""
    from metastasis.domain.vocabularies import lab_units

    return tuple(dict.fromkeys(u for units in lab_units().values() for u in units))
