"""Why a PREDICT result is what it is: the reasons (model, coding, treatment effects) and the caveats."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from metastasis.evidence import Reason
from metastasis.predict.predict_kernel import parameters

if TYPE_CHECKING:
    from metastasis.predict.predict_breast import PredictInputs

_MODEL_TEXT = {
    "2.1": "PREDICT v2.1: fractional-polynomial competing-risks model refitted on the East Anglia cohort.",
    "2.2": "PREDICT v2.2 as used here: the v2.1 prognostic model plus the progesterone-receptor term.",
    "3.1": "PREDICT v3.1: the refitted model (East Anglia 2000-17) with radiotherapy benefit and harms.",
    "3.2": "PREDICT v3.2: v3.1 with the hard-coded radiotherapy baseline constants of the 2025 code.",
}


def predict_reasons(inputs: PredictInputs) -> list[Reason]:
    """The rules behind one PREDICT calculation, each with its sources."""
    params = parameters()
    coding = params["input_coding"]
    family = params["version_2" if inputs.version.startswith("2") else "version_3"]
    reasons = [
        Reason(rule=f"predict.model:v{inputs.version}", text=_MODEL_TEXT[inputs.version], sources=family["sources"]),
        Reason(
            rule="predict.competing_risks",
            text="All-cause deaths each year are split between breast cancer and other causes in proportion to "
            "the annual risk of each; overall survival = 1 - cumulative all-cause mortality.",
            sources=("predict-v30-r",),
        ),
    ]
    if inputs.grade is None:
        reasons.append(
            Reason(
                rule="predict.coding:unknown_grade",
                text=f"Unknown grade is entered as {coding['unknown_grade']}, as the reference tool does.",
                sources=coding["sources"],
            )
        )
    if inputs.detection == "unknown":
        reasons.append(
            Reason(
                rule="predict.coding:unknown_detection",
                text=f"Unknown mode of detection is entered as {coding['detection']['unknown']}.",
                sources=coding["sources"],
            )
        )
    if inputs.micrometastases_only:
        reasons.append(
            Reason(
                rule="predict.coding:micrometastases",
                text=f"One node with micrometastases only counts as {coding['micrometastases_only_nodes']} nodes.",
                sources=coding["sources"],
            )
        )
    if inputs.ki67 != "unknown" and inputs.er == "positive":
        reasons.append(
            Reason(
                rule=f"predict.ki67:{inputs.ki67}",
                text="Ki67 term used (ER-positive).",
                sources=params["ki67"]["sources"],
            )
        )
    if inputs.pr != "unknown" and inputs.version != "2.1":
        reasons.append(
            Reason(
                rule=f"predict.pr:{inputs.pr}",
                text="Progesterone-receptor term used.",
                sources=params["progesterone_receptor"]["sources"],
            )
        )
    tx = params["treatments"]
    for treatment in inputs.treatments_given:
        triple = tx[treatment][inputs.chemo] if treatment == "chemo" else tx[treatment]
        hr = [math.exp(v) for v in triple]
        reasons.append(
            Reason(
                rule=f"predict.treatment:{treatment}",
                text=f"{treatment}: hazard ratio on breast-cancer mortality {hr[1]:.2f} "
                f"(95% bounds {hr[0]:.2f}-{hr[2]:.2f}).",
                sources=tx["sources"],
            )
        )
    if inputs.version == "3.2":
        reasons.append(
            Reason(
                rule="predict.v32.radiotherapy_baseline",
                text="Version 3.2 radiotherapy baseline constants replace the v3.1 computed adjustment.",
                sources=family["v32_baseline"]["sources"],
            )
        )
    return reasons


def predict_caveats(inputs: PredictInputs) -> list[str]:
    """What the user should know about this calculation's limits."""
    caveats = [
        "PREDICT estimates outcomes after surgery for early invasive breast cancer in women; it does not apply to "
        "metastatic disease, to men, to DCIS alone, or after treatment before surgery (neoadjuvant therapy).",
        "The numbers describe groups of similar women in the UK populations the model was built on; they cannot say "
        "what will happen to one person.",
        "The 95% bounds reflect only the uncertainty of the treatment hazard ratios (combined assuming independent "
        "log hazard ratios), not the uncertainty of the prognostic model.",
    ]
    if inputs.version == "2.1" and inputs.pr != "unknown":
        caveats.append("Version 2.1 has no progesterone-receptor term: the PR result was not used (choose 2.2 or 3.x).")
    if inputs.hormone_years and inputs.er == "negative":
        caveats.append("Hormone therapy has no modelled effect in ER-negative disease (benefit 0).")
    if inputs.trastuzumab and inputs.her2 != "positive":
        caveats.append("Trastuzumab has a modelled effect only in HER2-positive disease (benefit 0 here).")
    if inputs.bisphosphonates:
        caveats.append("The bisphosphonate benefit applies to post-menopausal women.")
    if inputs.hormone_years == 10:
        caveats.append(
            "The extra effect of years 6-10 of hormone therapy starts in year 11 and has no interval of its own; "
            "the bounds vary the 5-year effect only."
        )
    if inputs.version.startswith("2") and inputs.radiotherapy:
        caveats.append(
            "In version 2, choosing radiotherapy switches on the model's radiotherapy adjustment, which re-bases every "
            "arm, including surgery only, as the reference tool does."
        )
    if inputs.version.startswith("2") and inputs.er == "negative" and inputs.grade is None:
        caveats.append("Version 2 counts unknown grade as low grade in ER-negative disease (version 3 uses 2.13).")
    if inputs.version.startswith("3") and inputs.radiotherapy:
        caveats.append(
            f"Radiotherapy harm uses a mean heart dose of {inputs.heart_dose_gy:g} Gy; the default 2 Gy is the "
            "average the v3.1 baseline adjustment assumes, not a measured dose."
        )
    if inputs.version == "3.2":
        base = parameters()["version_3"]["v32_baseline"]
        caveats.append(
            f"Version 3.2's radiotherapy baseline constants ({base['breast_er_positive']} ER-positive, "
            f"{base['breast_er_negative']} ER-negative) come from a 2025 code change that no publication describes; "
            "results differ markedly from 3.1."
        )
    if inputs.version.startswith("3"):
        caveats.append("Version 3 numbers are not checked against an official test vector (none is published).")
    return caveats
