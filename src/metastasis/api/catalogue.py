"""Every library capability offered over HTTP: one :class:`Operation` per function.

The list is declarative: the function, its URL, the parameters not offered over HTTP, and the documented
maxima of caller-supplied simulation sizes. Request and response models come from the functions themselves
(:mod:`metastasis.api.operations`); the web calculators read the same list.
"""

from __future__ import annotations

from metastasis import assess
from metastasis.api.operations import Limit, Operation
from metastasis.assess.triage import triage
from metastasis.knowledge import assess_oligometastatic, classify_pattern, classify_presentation
from metastasis.knowledge.options import treatment_options
from metastasis.knowledge.quiz import score_quiz
from metastasis.predict import predict_breast
from metastasis.predict.late_recurrence import late_recurrence
from metastasis.predict.scores import cts5, nottingham_prognostic_index
from metastasis.predict.statistics import reference_statistics
from metastasis.simulate.bone import BoneSolverError, simulate_lesion
from metastasis.simulate.bone.scenario import LesionScenario, LesionSummary
from metastasis.simulate.cascade import cascade
from metastasis.simulate.spread import spread_report
from metastasis.staging import stage_breast

# Largest simulation sizes a caller may ask for. The largest allowed request of each stays under a second on
# a 2-core machine (spread: 250,000 patients x 50 steps about 0.8 s; 1,000,000 patients took about 2.7 s);
# timings in docs/api.md.
#: Monte Carlo walkers of the spread simulation.
MAX_SPREAD_PATIENTS = 250_000
#: Markov steps of the spread simulation.
MAX_SPREAD_STEPS = 50
#: Most frequent pathways listed by the spread simulation.
MAX_SPREAD_TOP = 20
#: Disseminated cells per replicate of the metastatic cascade.
MAX_CASCADE_CELLS = 10_000_000
#: Replicates of the metastatic cascade.
MAX_CASCADE_REPLICATES = 100_000
#: Horizon of the bone-lesion simulation. The treated Ayati 2010 model leaves its representable range after
#: about 5.1 years with zoledronic acid from day 0 (9.5 with denosumab), so longer runs would fail.
MAX_BONE_YEARS = 5.0


def lesion_summary(scenario: LesionScenario) -> LesionSummary:
    """The summary of a bone-lesion scenario (the full trajectories are for plots)."""
    return scenario.summary


_SCORES = [
    Operation(
        "scores/mirels",
        assess.mirels,
        "scores",
        example={"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"},
    ),
    Operation(
        "scores/sins",
        assess.sins,
        "scores",
        example={
            "location": "junctional",
            "pain": "mechanical",
            "lesion": "lytic",
            "alignment": "normal",
            "collapse": "lt_50",
            "posterolateral": "unilateral",
        },
    ),
    Operation("scores/bilsky", assess.bilsky_escc, "scores", example={"grade": "2"}),
    Operation(
        "scores/tokuhashi",
        assess.tokuhashi_revised,
        "scores",
        example={
            "kps": 70,
            "extraspinal_bone_metastases": 1,
            "vertebral_metastases": 1,
            "internal_organ_metastases": "none",
            "primary": "breast",
            "palsy": "none",
        },
    ),
    Operation(
        "scores/tomita",
        assess.tomita,
        "scores",
        example={"primary_growth": "slow", "visceral_metastases": "none", "bone_metastases": "solitary"},
    ),
    Operation(
        "scores/bauer",
        assess.bauer,
        "scores",
        example={
            "primary": "breast",
            "visceral_metastases": "no",
            "pathological_fracture": "no",
            "solitary_skeletal_metastasis": "yes",
        },
    ),
    Operation(
        "scores/bauer-modified",
        assess.bauer_modified,
        "scores",
        example={"primary": "breast", "visceral_metastases": "no", "solitary_skeletal_metastasis": "yes"},
    ),
    Operation(
        "scores/katagiri",
        assess.katagiri_new,
        "scores",
        example={
            "primary_growth": "moderate",
            "visceral_metastases": "none",
            "laboratory": "normal",
            "ecog": 1,
            "previous_chemotherapy": "no",
            "multiple_skeletal_metastases": "yes",
        },
    ),
    Operation(
        "scores/katagiri-laboratory",
        assess.katagiri_laboratory,
        "scores",
        example={"crp_mg_dl": 0.5, "ldh_iu_l": 200, "albumin_g_dl": 4.0},
    ),
]

_CALCIUM_AND_PERFORMANCE = [
    Operation(
        "calcium/corrected", assess.corrected_calcium, "calcium", example={"calcium": 2.6, "albumin": 30, "units": "si"}
    ),
    Operation(
        "calcium/hypercalcaemia-grade",
        assess.hypercalcemia_grade,
        "calcium",
        example={"calcium": 3.2, "units": "si", "uln": 2.6},
    ),
    Operation("performance/ecog", assess.ecog, "performance", example={"grade": 1}),
    Operation("performance/karnofsky", assess.karnofsky, "performance", example={"score": 80}),
    *(
        Operation(
            f"performance/{direction}-{mapping.replace('_', '-')}",
            getattr(assess, f"{direction.replace('-', '_')}_{mapping}"),
            "performance",
            example={"grade": 2} if direction == "ecog-to-kps" else {"score": 70},
        )
        for direction in ("ecog-to-kps", "kps-to-ecog")
        for mapping in ("ecog_acrin", "buccheri_1996", "prasad_2018")
    ),
]

_STAGING_AND_KNOWLEDGE = [
    Operation(
        "staging/breast",
        stage_breast,
        "staging",
        example={
            "t": "pT2",
            "n": "pN1a",
            "m": "cM0",
            "grade": 2,
            "er": "positive",
            "pr": "negative",
            "her2": "negative",
        },
    ),
    Operation("triage", triage, "triage", example={"symptoms": ["back_pain", "limb_weakness"]}),
    Operation(
        "treatment-options",
        treatment_options,
        "knowledge",
        example={"subtype": "hr+/her2-", "sites": ["bone"], "menopausal_status": "postmenopausal"},
    ),
    Operation(
        "knowledge/presentation",
        classify_presentation,
        "knowledge",
        example={"diagnosis_date": "2020-03-01", "metastasis_date": "2024-06-01"},
    ),
    Operation("knowledge/pattern", classify_pattern, "knowledge", example={"sites": ["bone", "liver"]}),
    Operation(
        "knowledge/oligometastatic",
        assess_oligometastatic,
        "knowledge",
        example={"lesion_count": 3, "all_treatable_locally": True},
    ),
    Operation(
        "quiz/score",
        score_quiz,
        "education",
        example={"answers": ["a"] * 10},  # not the key: GET /api/v1/quiz keeps the answers back
    ),
]

_PREDICTION = [
    Operation(
        "predict/breast",
        predict_breast,
        "prediction",
        example={
            "age": 55,
            "size_mm": 22,
            "nodes": 1,
            "grade": 2,
            "er": "positive",
            "her2": "negative",
            "chemo": "third_generation",
            "hormone_years": 5,
            "radiotherapy": True,
        },
    ),
    Operation(
        "predict/npi", nottingham_prognostic_index, "prediction", example={"size_mm": 22, "nodes": 1, "grade": 2}
    ),
    Operation("predict/cts5", cts5, "prediction", example={"size_mm": 22, "nodes": 1, "grade": 2, "age": 55}),
    Operation("predict/late-recurrence", late_recurrence, "prediction", example={"size_mm": 15, "nodes": 0}),
    Operation("statistics", reference_statistics, "prediction", example={"topic": "stage"}),
]

_SIMULATION = [
    Operation(
        "simulate/spread",
        spread_report,
        "simulation",
        exclude=frozenset({"chain", "calendar"}),
        limits={
            "patients": Limit(ge=1, le=MAX_SPREAD_PATIENTS),
            "steps": Limit(ge=1, le=MAX_SPREAD_STEPS),
            "top": Limit(ge=1, le=MAX_SPREAD_TOP),
        },
        example={"subtype": "all", "steps": 5, "patients": 10_000, "seed": 1},
    ),
    Operation(
        "simulate/cascade",
        cascade,
        "simulation",
        limits={"cells": Limit(ge=1, le=MAX_CASCADE_CELLS), "replicates": Limit(ge=1, le=MAX_CASCADE_REPLICATES)},
        example={"cells": 10_000, "replicates": 1_000, "seed": 1},
    ),
    Operation(
        "simulate/bone",
        simulate_lesion,
        "simulation",
        exclude=frozenset({"step", "t_eval"}),
        overrides={"treatment": str},
        limits={"years": Limit(ge=0.1, le=MAX_BONE_YEARS), "start_day": Limit(ge=0)},
        present=lesion_summary,
        beyond_model={BoneSolverError: ("years", "a shorter horizon, or the preset dose and interval")},
        example={"lesion_name": "osteolytic", "treatment": "denosumab", "start_day": 180, "years": 5},
    ),
]

OPERATIONS: tuple[Operation, ...] = (
    *_SCORES,
    *_CALCIUM_AND_PERFORMANCE,
    *_STAGING_AND_KNOWLEDGE,
    *_PREDICTION,
    *_SIMULATION,
)


def operation(name: str) -> Operation:
    """The operation with this :attr:`Operation.name` (``"scores_mirels"``); KeyError when there is none."""
    return _BY_NAME[name]


_BY_NAME = {op.name: op for op in OPERATIONS}
