"""Bone remodelling simulation for a case with bone metastases (:func:`metastasis.simulate.bone.simulate_lesion`).

The first bone lesion with a recorded type (osteolytic, osteoblastic, mixed) is simulated untreated and with
the bone-targeted agent the case records (denosumab or zoledronic acid; started the recorded number of days
after the first bone metastasis), or with denosumab as a treatment to consider when none is recorded. The model
is a one-site, dimensionless teaching model: its caveats travel with the section, and it says nothing about
this patient's lesion size or fracture risk. The simulation module is imported on first use; if it cannot be
imported, the section says the bone simulation is not included.

The runs depend only on (lesion type, drug, start day, horizon), so :func:`lesion_scenario` memoises them: the
section and the report's figure (:func:`metastasis.report.plot.bone_figure`) share one simulation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from metastasis.assess.case._context import Context, calculated, head, wording
from metastasis.assess.case.models import BoneSimulationSection, SectionStatus, Statement
from metastasis.errors import MetastasisError

if TYPE_CHECKING:
    from metastasis.simulate.bone import LesionScenario

YEARS = 5.0
"""Horizon of the simulated runs (the scenario's own default)."""

_MODEL_DRUG = {"denosumab": "denosumab", "zoledronic_acid": "zoledronic-acid"}


@lru_cache(maxsize=64)
def lesion_scenario(lesion: str, drug: str, start_day: float, years: float) -> LesionScenario:
    """The untreated and treated runs of a lesion type (:func:`metastasis.simulate.bone.simulate_lesion`), memoised.

    A bounded cache keyed only by the four immutable model inputs above: it keeps no other patient data (at most
    64 scenarios, a few MB). The scenario is shared by every caller with the same inputs: read it, never change it.
    Errors (:class:`MetastasisError`) are raised on every call, not cached.
    """
    from metastasis.simulate.bone import simulate_lesion

    return simulate_lesion(lesion, drug, start_day=start_day, years=years)


def _plan(ctx: Context) -> tuple[str, float | None, bool, str | None]:
    """The drug to simulate, its start day after the first bone metastasis (None: the scenario's default),
    whether it is recorded, and a note when the recorded drug is not modelled."""
    bone_date, _ = ctx.bone_metastasis_date()
    for treatment in ctx.case.treatments_of("bone_targeted"):
        drug = _MODEL_DRUG.get(treatment.drug or "")
        if drug is None:
            continue
        start = (treatment.start - bone_date).days if bone_date is not None else None
        return drug, (float(start) if start is not None and start >= 0 else None), True, None
    recorded = [t.drug for t in ctx.case.treatments_of("bone_targeted") if t.drug]
    note = f"{', '.join(recorded)} is not modelled; denosumab is shown instead." if recorded else None
    return "denosumab", None, False, note


def bone_simulation_section(ctx: Context) -> BoneSimulationSection:
    """A lesion of the case's type, untreated and with a bone-targeted agent, over five years."""
    if not ctx.has_bone():
        note = "No bone metastasis is recorded."
        ctx.not_applicable("bone_simulation", note)
        return BoneSimulationSection(**head("bone_simulation"), status=SectionStatus.NOT_APPLICABLE, note=note)
    try:
        from metastasis.simulate.bone.scenario import DEFAULT_START_DAY
    except ImportError:  # pragma: no cover - the simulation package is optional for the report
        note = "The bone simulation is not yet included in the report."
        ctx.not_applicable("bone_simulation", note)
        return BoneSimulationSection(**head("bone_simulation"), status=SectionStatus.NOT_APPLICABLE, note=note)
    typed = [(i, lesion) for i, lesion in enumerate(ctx.case.bone_lesions) if lesion.lesion_type is not None]
    if not typed:
        ctx.not_run("bone_simulation", ["lesion_type"])
        return BoneSimulationSection(**head("bone_simulation"), status=SectionStatus.NOT_ASSESSED)
    index, lesion = typed[0]
    drug, start_day, recorded, drug_note = _plan(ctx)
    day = DEFAULT_START_DAY if start_day is None else start_day
    try:
        scenario = lesion_scenario(str(lesion.lesion_type), drug, day, YEARS)
    except MetastasisError as exc:
        note = f"The bone simulation could not run for this case: {exc}"
        ctx.not_applicable("bone_simulation", note)
        return BoneSimulationSection(**head("bone_simulation"), status=SectionStatus.NOT_APPLICABLE, note=note)
    ctx.done("bone_simulation")
    summary = scenario.summary
    assert summary.treated is not None
    sources = tuple(summary.sources)
    path = f"$.bone_lesions[{index}].lesion_type"
    status = "recorded" if recorded else "considered, not recorded"
    text = (
        f"Model output (dimensionless teaching model, not this patient's bone mass): {summary.lesion_label}, "
        f"Ayati 2010 remodelling model over {YEARS:g} years; {summary.treatment_label} ({status}). The model's "
        f"relative bone quantity, in % of its own starting value: {summary.untreated.at_treatment_start:.0f} at "
        f"the treatment start; lowest after it {summary.untreated.minimum_after_start:.0f} untreated vs "
        f"{summary.treated.minimum_after_start:.0f} treated (model loss prevented "
        f"{summary.loss_prevented:.0f} points)."
    )
    if drug_note:
        text += f" {drug_note}"
    caveats = [
        "A one-site, dimensionless teaching model: it shows the direction and time course of bone change, not this "
        "patient's lesion size, fracture risk or imaging.",
        *summary.caveats,
    ]
    return BoneSimulationSection(
        **head("bone_simulation"),
        lesion=summary.lesion,
        drug=drug,
        start_day=summary.start_day,
        years=YEARS,
        recorded_drug=recorded,
        summary=summary.model_dump(mode="json", exclude={"reasons", "caveats", "sources"}),
        statements=[
            Statement(
                id="bone_simulation.summary",
                text=text,
                plain=wording("bone_simulation.summary"),
                patient_values=False,
                sources=sources,
                values=(
                    calculated(
                        "Model relative bone quantity, lowest after the start, untreated",
                        round(summary.untreated.minimum_after_start, 1),
                        "% of model start",
                        "Ayati 2010 model, lesion regime of the recorded lesion type",
                        sources,
                        path,
                    ),
                    calculated(
                        "Model relative bone quantity, lowest after the start, treated",
                        round(summary.treated.minimum_after_start, 1),
                        "% of model start",
                        f"Ayati 2010 model with {summary.treatment_label}",
                        sources,
                        path,
                    ),
                ),
            )
        ],
        reasons=list(summary.reasons),
        caveats=list(dict.fromkeys(caveats)),
    )
