"""Per-operation presentation of the clinician forms: choices from the library's data, labels, hints, defaults.

The controls come from each operation's request model (:func:`metastasis.web.forms.form_fields`); a
:class:`FormSpec` adds only what the model cannot say: the allowed values of free-text or list parameters that
live in the library's data (symptom codes, site ids, subtypes, receptor statuses, lesion phenotypes, drug
schedules), labels where the generated ones are terse, shorter hints, and smaller default simulation sizes so
that a page answers in about a second. Labels and hints are interface text; every clinical value comes from the
library.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from metastasis.api.operations import Operation
from metastasis.web.forms import Choices, choice_text


@dataclass(frozen=True)
class FormSpec:
    """Presentation of one operation's form (see :func:`metastasis.web.forms.form_fields`)."""

    choices: Mapping[str, Choices] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    hints: Mapping[str, str] = field(default_factory=dict)
    hide: tuple[str, ...] = ()
    defaults: Mapping[str, Any] = field(default_factory=dict)


def _plain(values: typing.Iterable[str]) -> Choices:
    return tuple((str(v), choice_text(str(v))) for v in values)


def _receptors(*, equivocal: bool, unknown: bool = True) -> Choices:
    from metastasis.domain.biomarkers import ReceptorStatus

    skip = {ReceptorStatus.EQUIVOCAL} if not equivocal else set()
    if not unknown:
        skip.add(ReceptorStatus.UNKNOWN)
    return _plain(s.value for s in ReceptorStatus if s not in skip)


def _sites() -> Choices:
    from metastasis.knowledge.sites import all_sites

    return tuple((site.id, f"{site.name} ({site.id})") for site in all_sites())


def _symptoms() -> Choices:
    from metastasis.assess.triage import symptom_vocabulary

    return tuple((code, f"{label} ({code})") for code, label in symptom_vocabulary().items())


def _bone_schedules() -> Choices:
    from metastasis.simulate.bone.drugs import drug_data

    data = drug_data()
    drugs = (("denosumab", data.denosumab.schedules), ("zoledronic acid", data.zoledronic_acid.schedules))
    return tuple((key, f"{drug}: {preset.label}") for drug, schedules in drugs for key, preset in schedules.items())


_TNM = {"t": "T category", "n": "N category", "m": "M category"}
_RECEPTORS = {"er": "ER status", "pr": "PR status", "her2": "HER2 status", "ki67": "Ki67"}


@cache
def _specs() -> dict[str, FormSpec]:
    """Every operation whose form needs more than its request model says (built once, on first use)."""
    from metastasis.assess.calcium import UNITS
    from metastasis.knowledge.options import MENOPAUSAL, SUBTYPES
    from metastasis.predict.statistics import TOPIC_TITLES
    from metastasis.simulate.bone.lesions import lesions
    from metastasis.simulate.bone.scenario import TREATMENTS
    from metastasis.simulate.spread.defaults import SUBTYPES as SPREAD_SUBTYPES
    from metastasis.simulate.spread.defaults import breast_model

    grades = (("1", "1"), ("2", "2"), ("3", "3"))
    specs = {
        "staging_breast": FormSpec(
            choices={
                "grade": grades,
                "er": _receptors(equivocal=False),
                "pr": _receptors(equivocal=False),
                "her2": _receptors(equivocal=True),
                "system": (("ajcc8", "AJCC 8th edition"), ("uicc8", "UICC 8th edition")),
                "basis": _plain(("clinical", "pathological")),
            },
            labels={
                **_TNM,
                **_RECEPTORS,
                "grade": "Histologic grade",
                "oncotype_rs": "Oncotype DX recurrence score",
                "system": "Staging system",
                "basis": "Basis of staging",
            },
        ),
        "triage": FormSpec(
            choices={"symptoms": _symptoms(), "units": _plain(UNITS)},
            hints={
                "symptoms": "Tick each symptom present. Give at least one symptom or a laboratory value.",
                "albumin": "Measured with the calcium, to correct it (same unit system).",
                "units": "Unit system of calcium, albumin and their upper limit of normal; required with calcium.",
                "uln": "The laboratory's upper limit of normal for calcium; a default is assumed (and flagged) "
                "when left empty.",
                "alp_uln": "Same unit as ALP.",
                "alt_uln": "Same unit as ALT.",
                "ast_uln": "Same unit as AST.",
            },
            labels={
                "symptoms": "Symptoms present",
                "calcium": "Total serum calcium",
                "albumin": "Serum albumin",
                "uln": "Calcium upper limit of normal",
                "alp": "Alkaline phosphatase (ALP)",
                "alp_uln": "ALP upper limit of normal",
                "alt": "ALT",
                "alt_uln": "ALT upper limit of normal",
                "ast": "AST",
                "ast_uln": "AST upper limit of normal",
            },
        ),
        "treatment_options": FormSpec(
            choices={"subtype": _plain(SUBTYPES), "sites": _sites(), "menopausal_status": _plain(MENOPAUSAL)},
            labels={
                "sites": "Metastatic sites",
                "mirels": "Mirels total",
                "sins": "SINS total",
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
        ),
        "knowledge_pattern": FormSpec(choices={"sites": _sites()}, labels={"sites": "Metastatic sites"}),
        "knowledge_presentation": FormSpec(
            labels={"metastasis_date": "Date metastasis was found", "window_months": "De novo window (months)"}
        ),
        "predict_breast": FormSpec(
            choices={
                "grade": (*grades, ("unknown", "unknown")),
                "er": _receptors(equivocal=False, unknown=False),
                "her2": _receptors(equivocal=False),
                "ki67": _receptors(equivocal=False),
                "pr": _receptors(equivocal=False),
            },
            labels={
                **_RECEPTORS,
                "age": "Age at diagnosis",
                "size_mm": "Invasive tumour size (mm)",
                "nodes": "Positive axillary nodes",
                "grade": "Histologic grade",
                "detection": "Detected by",
                "chemo": "Chemotherapy",
                "hormone_years": "Years of hormone therapy",
                "version": "PREDICT version",
                "micrometastases_only": "The one node holds micrometastases only",
                "heart_dose_gy": "Mean heart dose (Gy)",
                "extended_hormone_log_hr": "Extended hormone therapy effect (log hazard ratio)",
            },
        ),
        "statistics": FormSpec(choices={"topic": tuple(TOPIC_TITLES.items())}, labels={"group": "Group contains"}),
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
            defaults={"patients": 10_000, "seed": 1},
        ),
        "simulate_cascade": FormSpec(
            labels={"cells": "Shed cells", "replicates": "Simulated runs", "seed": "Random seed"},
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
        ),
    }
    for name in ("performance_ecog", *(f"performance_ecog_to_kps_{m}" for m in _MAPPINGS)):
        specs[name] = FormSpec(labels={"grade": "ECOG grade"})
    for name in ("performance_karnofsky", *(f"performance_kps_to_ecog_{m}" for m in _MAPPINGS)):
        specs[name] = FormSpec(labels={"score": "Karnofsky score"})
    return specs


_MAPPINGS = ("ecog_acrin", "buccheri_1996", "prasad_2018")


def spec_of(operation: Operation) -> FormSpec:
    """The presentation of an operation's form (an empty spec when the request model says it all)."""
    return _specs().get(operation.name, FormSpec())
