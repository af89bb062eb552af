"""Hand-written page specs of the clinician forms: labels, help in clinical language, choices, groups, defaults.

The controls still come from each operation's request model (:func:`metastasis.web.forms.form_fields`), so the
form cannot offer a parameter the library lacks. A :class:`FormSpec` decides presentation only: the words on the
page, which control each parameter gets (radio choices showing points, a TNM picker), the groups, and the
defaults. Every clinical value (allowed choices, their points, category definitions, symptom and site names)
is read from the library's data, never typed here.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from metastasis.api.operations import Operation
from metastasis.web.forms import Choices, choice_text


@dataclass(frozen=True)
class FormSpec:
    """Presentation of one operation's form.

    ``widgets`` maps a parameter to ``"radio"`` (a choice group showing each option, with its points when
    ``points`` has them) or ``"tnm"`` (prefix and category pickers). ``groups`` are fieldsets, in order;
    parameters in no group follow in a last one. ``library_hints`` keeps the function's own parameter text as
    help where ``hints`` says nothing (simulations only: a calculator page shows only the text written here).
    """

    choices: Mapping[str, Choices] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    hide: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)
    widgets: Mapping[str, str] = field(default_factory=dict)
    points: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    groups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    library_hints: bool = False


def _plain(values: typing.Iterable[str]) -> Choices:
    return tuple((str(v), choice_text(str(v))) for v in values)


_STATUS = {"positive": "Positive", "negative": "Negative", "equivocal": "Equivocal", "unknown": "Not known"}


def _receptors(*, equivocal: bool, unknown: bool = True) -> Choices:
    from metastasis.domain.biomarkers import ReceptorStatus

    skip = {ReceptorStatus.EQUIVOCAL} if not equivocal else set()
    if not unknown:
        skip.add(ReceptorStatus.UNKNOWN)
    return tuple((s.value, _STATUS.get(s.value, s.value)) for s in ReceptorStatus if s not in skip)


def _sites() -> Choices:
    from metastasis.knowledge.sites import all_sites

    return tuple((site.id, site.name) for site in all_sites())


def _symptoms() -> Choices:
    from metastasis.assess.triage import symptom_vocabulary

    return tuple(symptom_vocabulary().items())


def _bone_schedules() -> Choices:
    from metastasis.simulate.bone.drugs import drug_data

    data = drug_data()
    drugs = (("denosumab", data.denosumab.schedules), ("zoledronic acid", data.zoledronic_acid.schedules))
    return tuple((key, f"{drug}: {preset.label}") for drug, schedules in drugs for key, preset in schedules.items())


#: Point wording the score tables put inside a choice's label; the page shows points in their own badge.
_POINT_WORDS = re.compile(r"\s*\((?:\+\d+|no points?)\)$")

#: The score table behind each score operation.
SCORE_TABLES = {
    "scores_mirels": "mirels",
    "scores_sins": "sins",
    "scores_tokuhashi": "tokuhashi_revised",
    "scores_tomita": "tomita",
    "scores_bauer": "bauer",
    "scores_bauer_modified": "bauer_modified",
    "scores_katagiri": "katagiri_new",
}


def _score_spec(op_name: str, labels: Mapping[str, str], hints: Mapping[str, str] | None = None) -> FormSpec:
    """A score page: every item a choice group showing the table's own choices and points.

    A numeric item with a closed range (Karnofsky 10-100, ECOG 0-4) becomes a choice of each value, scored by
    the row that covers it; an open count (bone foci) stays a number box whose help lists the rows.
    """
    from metastasis.assess._tables import score_spec

    table = score_spec(SCORE_TABLES[op_name])
    choices: dict[str, Choices] = {}
    points: dict[str, dict[str, int]] = {}
    widgets: dict[str, str] = {}
    help_text = dict(hints or {})
    for item in table.items:
        widgets[item.id] = "radio"
        if item.kind != "number":
            choices[item.id] = tuple((c.value, _POINT_WORDS.sub("", c.label)) for c in item.choices)
            points[item.id] = {c.value: c.points for c in item.choices}
        elif item.minimum is not None and item.maximum is not None:
            values = [str(v) for v in range(item.minimum, item.maximum + 1, item.step or 1)]
            choices[item.id] = tuple((v, v) for v in values)
            points[item.id] = {v: _row(item.choices, int(v)).points for v in values}
        else:
            del widgets[item.id]
            rows = "; ".join(f"{_range_text(c.min, c.max)}: {_points_text(c.points)}" for c in item.choices)
            help_text[item.id] = f"{help_text.get(item.id, '')} {rows}.".strip()
    return FormSpec(choices=choices, labels=labels, hints=help_text, widgets=widgets, points=points)


def _row(rows: typing.Sequence[Any], value: int) -> Any:
    """The row of a numeric score item that covers ``value``."""
    return next(r for r in rows if (r.min is None or r.min <= value) and (r.max is None or value <= r.max))


def _range_text(low: int | None, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low} to {high}"


def _points_text(points: int) -> str:
    return f"{points} point{'' if points == 1 else 's'}"


def _tnm_categories(axis: str) -> Choices:
    from metastasis.staging.tables import categories

    return tuple((code, f"{code}: {cat.definition}") for code, cat in categories()[axis].items())


#: TNM prefixes offered by the picker (the library reads more spellings; these are the ones in daily use).
TNM_PREFIXES: Choices = (
    ("c", "c: clinical"),
    ("p", "p: pathological"),
    ("yc", "yc: clinical, after neoadjuvant therapy"),
    ("yp", "yp: pathological, after neoadjuvant therapy"),
)

_SUBTYPES = {
    "hr+/her2-": "HR-positive, HER2-negative",
    "hr+/her2+": "HR-positive, HER2-positive",
    "hr-/her2+": "HR-negative, HER2-positive",
    "triple-negative": "Triple-negative",
}
_MENOPAUSAL = {"premenopausal": "Premenopausal", "postmenopausal": "Postmenopausal", "unknown": "Not known"}
_PRIOR = {
    "chemotherapy_metastatic": "Chemotherapy for metastatic disease",
    "taxane": "A taxane",
    "trastuzumab": "Trastuzumab",
    "endocrine": "Endocrine therapy",
    "aromatase_inhibitor": "An aromatase inhibitor",
    "cdk46_inhibitor": "A CDK4/6 inhibitor",
}
_TESTED = (("unknown", "Not known"), ("positive", "Positive"), ("negative", "Negative"))
_YES_NO = (("true", "Yes"), ("false", "No"))
_UNITS = (("si", "SI (mmol/L, g/L)"), ("conventional", "Conventional (mg/dL, g/dL)"))
_GRADES = (("1", "1"), ("2", "2"), ("3", "3"))


def _described(text_by_value: Mapping[Any, str]) -> Choices:
    return tuple((str(value), f"{value}: {text}") for value, text in text_by_value.items())


def _literal_order(operation: str, name: str) -> tuple[Any, ...]:
    from metastasis.api.catalogue import operation as find

    return typing.get_args(find(operation).request_model.model_fields[name].annotation)


def _staging() -> FormSpec:
    return FormSpec(
        choices={
            "t": _tnm_categories("T"),
            "n": _tnm_categories("N"),
            "m": _tnm_categories("M"),
            "grade": _GRADES,
            "er": _receptors(equivocal=False),
            "pr": _receptors(equivocal=False),
            "her2": _receptors(equivocal=True),
            "system": (("ajcc8", "AJCC 8th edition"), ("uicc8", "UICC 8th edition")),
            "basis": (("clinical", "Clinical"), ("pathological", "Pathological")),
        },
        widgets={"t": "tnm", "n": "tnm", "m": "tnm", "system": "radio", "grade": "radio"},
        labels={
            "t": "Primary tumour (T)",
            "n": "Regional nodes (N)",
            "m": "Distant metastasis (M)",
            "grade": "Histologic grade (Nottingham)",
            "er": "Oestrogen receptor (ER)",
            "pr": "Progesterone receptor (PR)",
            "her2": "HER2",
            "oncotype_rs": "Oncotype DX recurrence score",
            "system": "Staging system",
            "basis": "Prognostic table",
        },
        hints={
            "t": "Prefix, then the category: size of the invasive tumour, or in situ disease.",
            "n": "Prefix, then the category: pathological N counts involved axillary nodes; clinical N uses "
            "imaging and examination.",
            "m": "Prefix, then the category: M0 unless distant metastasis is proven or seen on imaging.",
            "grade": "Needed, with ER, PR and HER2, for the prognostic stage.",
            "her2": "Equivocal counts as negative for staging.",
            "oncotype_rs": "0 to 100. A score below 11 down-stages a pathologically staged T1-2 N0 M0, "
            "ER-positive, HER2-negative cancer.",
            "system": "UICC gives the anatomic stage only.",
            "basis": "Leave as decided by the prefixes: pathological when any category is p or yp.",
        },
        defaults={"system": "ajcc8"},
        groups=(
            ("TNM", ("t", "n", "m")),
            ("Grade and receptors", ("grade", "er", "pr", "her2", "oncotype_rs")),
            ("Options", ("system", "basis")),
        ),
    )


def _predict() -> FormSpec:
    versions = _literal_order("predict_breast", "version")
    newest = versions[-1]
    return FormSpec(
        choices={
            "grade": (*_GRADES, ("unknown", "Not known")),
            "er": _receptors(equivocal=False, unknown=False),
            "her2": _receptors(equivocal=False),
            "ki67": _receptors(equivocal=False),
            "pr": _receptors(equivocal=False),
            "detection": (("screen", "Screening"), ("clinical", "Symptoms"), ("unknown", "Not known")),
            "chemo": (
                ("none", "None"),
                ("second_generation", "Second generation (anthracycline)"),
                ("third_generation", "Third generation (taxane-containing)"),
            ),
            "hormone_years": (("0", "None"), ("5", "5 years"), ("10", "10 years")),
            "smoker": (("unknown", "Not known"), ("yes", "Current smoker"), ("no", "Non-smoker")),
            "version": tuple((v, f"Version {v}" + (" (newest)" if v == newest else "")) for v in reversed(versions)),
        },
        widgets={
            "grade": "radio",
            "er": "radio",
            "her2": "radio",
            "chemo": "radio",
            "hormone_years": "radio",
            "detection": "radio",
        },
        labels={
            "age": "Age at diagnosis (years)",
            "size_mm": "Invasive tumour size (mm)",
            "nodes": "Positive axillary nodes",
            "micrometastases_only": "The one positive node holds micrometastases only",
            "grade": "Histologic grade",
            "er": "ER status",
            "her2": "HER2 status",
            "ki67": "Ki67 positive (more than 10%)",
            "pr": "PR status",
            "detection": "Detected by",
            "chemo": "Chemotherapy",
            "hormone_years": "Hormone therapy",
            "trastuzumab": "Trastuzumab",
            "bisphosphonates": "Bisphosphonates",
            "radiotherapy": "Radiotherapy",
            "heart_dose_gy": "Mean heart dose of radiotherapy (Gy)",
            "smoker": "Smoking",
            "version": "PREDICT version",
            "extended_hormone_log_hr": "Effect of years 6 to 10 of hormone therapy (log hazard ratio)",
        },
        hints={
            "age": "25 to 85.",
            "size_mm": "Largest invasive focus.",
            "micrometastases_only": "Counted as half a node.",
            "ki67": "Used in ER-positive disease only.",
            "pr": "Used by versions 2.2 and 3.",
            "trastuzumab": "Acts in HER2-positive disease only.",
            "heart_dose_gy": "Version 3 only; leave blank for the 2 Gy the model assumes.",
            "smoker": "Version 3 only.",
            "version": "Version 3 adds PR, smoking and the heart dose of radiotherapy.",
            "extended_hormone_log_hr": "Advanced: leave blank for the model's own value.",
        },
        defaults={"version": newest, "chemo": "third_generation", "hormone_years": 5, "her2": "unknown"},
        groups=(
            ("Patient and tumour", ("age", "size_mm", "nodes", "micrometastases_only", "grade", "detection")),
            ("Receptors", ("er", "her2", "pr", "ki67")),
            (
                "Treatments to compare",
                ("chemo", "hormone_years", "trastuzumab", "bisphosphonates", "radiotherapy"),
            ),
            ("Model", ("version", "smoker", "heart_dose_gy", "extended_hormone_log_hr")),
        ),
    )


def _performance() -> dict[str, FormSpec]:
    from metastasis.assess._tables import load_yaml

    table = load_yaml("performance")
    ecog = FormSpec(
        choices={"grade": _described(table["ecog"]["grades"])},
        labels={"grade": "ECOG grade"},
        widgets={"grade": "radio"},
    )
    kps = FormSpec(
        choices={"score": _described(dict(sorted(table["karnofsky"]["scores"].items(), reverse=True)))},
        labels={"score": "Karnofsky score"},
        widgets={"score": "radio"},
    )
    specs = {"performance_ecog": ecog, "performance_karnofsky": kps}
    for mapping in PERFORMANCE_MAPPINGS:
        rows = table["mappings"][mapping]["rows"]
        # a mapping offers only the values its published table covers (Buccheri has no ECOG 5 or KPS 0)
        grades = {g for row in rows for g in row["ecog"]}
        scores = {k for row in rows for k in row["kps"]}
        specs[f"performance_ecog_to_kps_{mapping}"] = _only(ecog, "grade", grades)
        specs[f"performance_kps_to_ecog_{mapping}"] = _only(kps, "score", scores)
    return specs


def _only(spec: FormSpec, name: str, values: set[int]) -> FormSpec:
    kept = tuple((v, t) for v, t in spec.choices[name] if int(v) in values)
    return FormSpec(choices={name: kept}, labels=spec.labels, widgets=spec.widgets)


#: The published ECOG-Karnofsky correspondences the library offers (operation name suffixes).
PERFORMANCE_MAPPINGS = ("ecog_acrin", "buccheri_1996", "prasad_2018")


@cache
def _specs() -> dict[str, FormSpec]:
    """Every operation's page spec (built once, on first use)."""
    from metastasis.assess._tables import load_yaml
    from metastasis.predict.statistics import TOPIC_TITLES
    from metastasis.simulate.bone.lesions import lesions
    from metastasis.simulate.bone.scenario import TREATMENTS
    from metastasis.simulate.spread.defaults import SUBTYPES as SPREAD_SUBTYPES
    from metastasis.simulate.spread.defaults import breast_model

    bilsky = {g["grade"]: g["definition"] for g in load_yaml("bilsky_escc")["grades"]}
    specs = {
        "staging_breast": _staging(),
        "scores_mirels": _score_spec(
            "scores_mirels",
            {"site": "Site", "pain": "Pain", "lesion": "Lesion on plain radiograph", "size": "Size"},
            {"size": "Fraction of the bone's diameter involved on plain radiograph."},
        ),
        "scores_sins": _score_spec(
            "scores_sins",
            {
                "location": "Location",
                "pain": "Pain",
                "lesion": "Bone lesion",
                "alignment": "Radiographic alignment",
                "collapse": "Vertebral body collapse",
                "posterolateral": "Posterolateral involvement",
            },
            {"posterolateral": "Facet, pedicle or costovertebral joint fracture or tumour."},
        ),
        "scores_tokuhashi": _score_spec(
            "scores_tokuhashi",
            {
                "kps": "Karnofsky performance status",
                "extraspinal_bone_metastases": "Extraspinal bone metastasis foci",
                "vertebral_metastases": "Vertebral body metastases",
                "internal_organ_metastases": "Metastases to major internal organs",
                "primary": "Primary site",
                "palsy": "Palsy (Frankel grade)",
            },
            {
                "extraspinal_bone_metastases": "Number of foci.",
                "vertebral_metastases": "Number of vertebral bodies involved, at least 1.",
            },
        ),
        "scores_tomita": _score_spec(
            "scores_tomita",
            {
                "primary_growth": "Primary tumour growth",
                "visceral_metastases": "Visceral metastases",
                "bone_metastases": "Bone metastases (including spine)",
            },
        ),
        "scores_bauer": _score_spec(
            "scores_bauer",
            {
                "primary": "Primary tumour",
                "visceral_metastases": "Visceral or brain metastases",
                "pathological_fracture": "Pathological fracture",
                "solitary_skeletal_metastasis": "Skeletal metastases",
            },
        ),
        "scores_bauer_modified": _score_spec(
            "scores_bauer_modified",
            {
                "primary": "Primary tumour",
                "visceral_metastases": "Visceral or brain metastases",
                "solitary_skeletal_metastasis": "Skeletal metastases",
            },
        ),
        "scores_katagiri": _score_spec(
            "scores_katagiri",
            {
                "primary_growth": "Primary lesion",
                "visceral_metastases": "Visceral or cerebral metastases",
                "laboratory": "Laboratory data",
                "ecog": "ECOG performance status",
                "previous_chemotherapy": "Previous chemotherapy",
                "multiple_skeletal_metastases": "Skeletal metastases",
            },
            {"laboratory": "The Katagiri laboratory tier calculator derives this from CRP, LDH and other values."},
        ),
        "scores_bilsky": FormSpec(
            choices={"grade": _described(bilsky)},
            labels={"grade": "ESCC grade on axial T2-weighted MRI"},
            hints={"grade": "At the level of the most severe compression."},
            widgets={"grade": "radio"},
        ),
        "scores_katagiri_laboratory": FormSpec(
            labels={
                "crp_mg_dl": "CRP (mg/dL)",
                "ldh_iu_l": "LDH (IU/L)",
                "albumin_g_dl": "Albumin (g/dL)",
                "platelets_per_ul": "Platelets (per µL)",
                "calcium_mg_dl": "Calcium (mg/dL)",
                "bilirubin_mg_dl": "Total bilirubin (mg/dL)",
            },
            hints={
                "crp_mg_dl": "Divide mg/L by 10.",
                "albumin_g_dl": "Divide g/L by 10.",
                "platelets_per_ul": "For example 250000.",
                "bilirubin_mg_dl": "Divide µmol/L by 17.1.",
            },
            groups=(
                ("Abnormal tier", ("crp_mg_dl", "ldh_iu_l", "albumin_g_dl")),
                ("Critical tier", ("platelets_per_ul", "calcium_mg_dl", "bilirubin_mg_dl")),
            ),
        ),
        "calcium_corrected": FormSpec(
            choices={
                "units": _UNITS,
                "method": (("common", "Common albumin correction"), ("payne_original", "Payne 1973 as published")),
            },
            widgets={"units": "radio", "method": "radio"},
            labels={"calcium": "Total serum calcium", "albumin": "Serum albumin", "units": "Units"},
            hints={
                "calcium": "mmol/L (SI) or mg/dL (conventional).",
                "albumin": "g/L (SI) or g/dL (conventional).",
            },
            defaults={"units": "si", "method": "common"},
            groups=(("Laboratory values", ("units", "calcium", "albumin")), ("Formula", ("method",))),
        ),
        "calcium_hypercalcaemia_grade": FormSpec(
            choices={
                "units": _UNITS,
                "measure": (("corrected_total", "Albumin-corrected total calcium"), ("ionised", "Ionised calcium")),
            },
            widgets={"units": "radio", "measure": "radio"},
            labels={"calcium": "Calcium", "units": "Units", "uln": "Upper limit of normal", "measure": "Measure"},
            hints={
                "calcium": "Corrected total or ionised, as chosen below.",
                "uln": "The laboratory's upper limit of normal for the same measure and unit.",
            },
            defaults={"units": "si", "measure": "corrected_total"},
        ),
        **_performance(),
        "triage": FormSpec(
            choices={"symptoms": _symptoms(), "units": _UNITS},
            widgets={"units": "radio"},
            hints={
                "symptoms": "Tick each symptom present. Give at least one symptom or a laboratory value.",
                "albumin": "Measured with the calcium, to correct it (same unit system).",
                "units": "Needed with a calcium.",
                "uln": "Leave blank to use a default upper limit, which the result flags.",
                "alp_uln": "Same unit as ALP.",
                "alt_uln": "Same unit as ALT.",
                "ast_uln": "Same unit as AST.",
            },
            labels={
                "symptoms": "Symptoms present",
                "calcium": "Total serum calcium",
                "albumin": "Serum albumin",
                "units": "Units",
                "uln": "Calcium upper limit of normal",
                "alp": "Alkaline phosphatase (ALP)",
                "alp_uln": "ALP upper limit of normal",
                "alt": "ALT",
                "alt_uln": "ALT upper limit of normal",
                "ast": "AST",
                "ast_uln": "AST upper limit of normal",
            },
            groups=(
                ("Symptoms", ("symptoms",)),
                ("Calcium", ("units", "calcium", "albumin", "uln")),
                ("Liver tests", ("alp", "alp_uln", "alt", "alt_uln", "ast", "ast_uln")),
            ),
        ),
        "treatment_options": FormSpec(
            choices={
                "subtype": tuple(_SUBTYPES.items()),
                "sites": _sites(),
                "menopausal_status": tuple(_MENOPAUSAL.items()),
                "her2_ihc": (("unknown", "Not known"), ("0", "0"), ("1+", "1+"), ("2+", "2+"), ("3+", "3+")),
                "her2_ish": (*_TESTED, ("equivocal", "Equivocal")),
                **dict.fromkeys(("gbrca", "pdl1", "pik3ca", "akt1", "pten", "esr1"), _TESTED),
                "prior_treatments": tuple(_PRIOR.items()),
            },
            widgets={"subtype": "radio", "menopausal_status": "radio", "her2_ihc": "radio"},
            labels={
                "subtype": "Subtype",
                "sites": "Metastatic sites",
                "menopausal_status": "Menopausal status",
                "mirels": "Mirels total",
                "sins": "SINS total",
                "lesion_count": "Number of metastatic lesions",
                "her2_ihc": "HER2 IHC score",
                "her2_ish": "HER2 ISH",
                "gbrca": "Germline BRCA1/2 pathogenic variant",
                "pdl1": "PD-L1 (CPS 10 or more, 22C3)",
                "pik3ca": "PIK3CA mutation",
                "akt1": "AKT1 alteration",
                "pten": "PTEN alteration",
                "esr1": "ESR1 mutation",
                "prior_treatments": "Treatments already given",
            },
            hints={
                "mirels": "4 to 12, when a long bone is involved.",
                "sins": "0 to 18, when the spine is involved.",
                "lesion_count": "Flags possible oligometastatic disease.",
                "her2_ihc": "Tells HER2-low (1+, or 2+ with a negative ISH) from HER2 0.",
                "prior_treatments": "Leave all unticked when not known.",
            },
            defaults={"menopausal_status": "unknown", "her2_ihc": "unknown"},
            groups=(
                ("Disease", ("subtype", "sites", "menopausal_status", "lesion_count", "mirels", "sins")),
                ("Biomarkers", ("her2_ihc", "her2_ish", "gbrca", "pdl1", "pik3ca", "akt1", "pten", "esr1")),
                ("History", ("prior_treatments",)),
            ),
        ),
        "knowledge_pattern": FormSpec(
            choices={"sites": _sites()},
            labels={"sites": "Metastatic sites"},
            hints={"sites": "Tick every site with metastasis."},
        ),
        "knowledge_presentation": FormSpec(
            labels={
                "diagnosis_date": "Date of the primary diagnosis",
                "metastasis_date": "Date metastasis was found",
                "window_months": "De novo window (months)",
            },
            hints={
                "window_months": "Metastasis found within this many months of diagnosis counts as de novo; "
                "leave blank for the library's default."
            },
        ),
        "knowledge_oligometastatic": FormSpec(
            choices={"all_treatable_locally": _YES_NO},
            labels={
                "lesion_count": "Number of metastatic lesions",
                "all_treatable_locally": "Every lesion treatable by surgery or radiotherapy",
            },
            hints={"all_treatable_locally": "Leave as not given when not yet decided."},
        ),
        "predict_breast": _predict(),
        "predict_npi": FormSpec(
            choices={"grade": _GRADES},
            widgets={"grade": "radio"},
            labels={"size_mm": "Invasive tumour size (mm)", "nodes": "Positive lymph nodes", "grade": "Grade"},
        ),
        "predict_cts5": FormSpec(
            choices={"grade": _GRADES},
            widgets={"grade": "radio"},
            labels={
                "size_mm": "Invasive tumour size (mm)",
                "nodes": "Positive lymph nodes",
                "grade": "Histologic grade",
                "age": "Age at diagnosis (years)",
            },
            hints={
                "age": "For postmenopausal women with ER-positive disease, free of recurrence after 5 years "
                "of endocrine therapy."
            },
        ),
        "predict_late_recurrence": FormSpec(
            labels={"size_mm": "Tumour size at diagnosis (mm)", "nodes": "Positive axillary nodes at diagnosis"},
            hints={
                "size_mm": "T1 up to 20 mm; T2 over 20 and up to 50 mm.",
                "nodes": "0 to 9; the published table stops at 9.",
            },
        ),
        "statistics": FormSpec(
            choices={"topic": tuple(TOPIC_TITLES.items())},
            labels={"topic": "Topic", "group": "Group contains"},
            hints={
                "topic": "Leave as not given for every topic.",
                "group": "Text to find in the group, for example triple.",
            },
        ),
        "simulate_spread": FormSpec(
            choices={"subtype": _plain(SPREAD_SUBTYPES), "start": _plain(breast_model("all").chain().sites)},
            labels={
                "start": "Start site",
                "steps": "Model steps",
                "patients": "Simulated patients",
                "seed": "Random seed",
                "top": "Pathways listed",
                "years": "Convert steps to years (a modelling assumption)",
            },
            hints={
                "subtype": "Breast cancer subtype whose published site frequencies set the model.",
                "start": "Leave as not given to start from the breast.",
                "steps": "How many moves between sites the model follows.",
                "patients": "More patients give steadier simulated shares and take longer.",
                "seed": "The same seed gives the same simulation; leave blank for a new one each run.",
                "top": "How many of the likeliest one- and two-step pathways to list.",
                "years": "The clock is an assumption, flagged in the caveats.",
            },
            defaults={"patients": 10_000, "seed": 1},
        ),
        "simulate_cascade": FormSpec(
            labels={"cells": "Shed cells", "replicates": "Simulated runs", "seed": "Random seed"},
            hints={
                "cells": "Cells entering the first quantified step: shed cells entering the circulation.",
                "replicates": "Independent simulated runs.",
                "seed": "The same seed gives the same simulation; leave blank for a new one each run.",
            },
            hide=("fractions",),
            defaults={"seed": 1},
        ),
        "simulate_bone": FormSpec(
            choices={
                "lesion_name": tuple((item.id, item.label) for item in lesions()),
                "treatment": _plain(TREATMENTS),
                "schedule": _bone_schedules(),
            },
            labels={
                "lesion_name": "Lesion",
                "start_day": "Treatment starts on day",
                "dose_mg": "Dose per administration (mg)",
                "interval_days": "Days between doses",
                "floor": "Hold bone mass at 0 once reached",
                "sre": "Also estimate the assumed risk of skeletal-related events",
            },
            hints={
                "treatment": "The bone-targeted drug compared with no treatment.",
                "start_day": "Days after the lesion starts.",
                "years": "How long both runs last.",
                "dose_mg": "Leave blank for the chosen schedule's dose.",
                "interval_days": "Leave blank for the chosen schedule's interval.",
                "schedule": "Leave as not given for the drug's usual oncology schedule.",
                "floor": "Stops the modelled bone mass at zero instead of letting it go negative.",
                "sre": "A calibrated modelling assumption for the year after the start, flagged in the caveats.",
            },
        ),
    }
    return specs


def spec_of(operation: Operation) -> FormSpec:
    """The page spec of an operation (an empty spec, library hints kept, for one not written yet)."""
    return _specs().get(operation.name, FormSpec(library_hints=True))
