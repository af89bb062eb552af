"""A lesion with and without a bone-targeted drug: the runs, their milestones and what the treatment changed.

:func:`simulate_lesion` is the one call behind ``metastasis bone``: it simulates a lesion phenotype untreated
and treated (same start, same horizon), and summarises bone-mass milestones for both, the bone loss after the
treatment start and, on request, the assumed SRE risk (see :mod:`metastasis.simulate.bone.sre`).

Example
-------
>>> s = simulate_lesion("osteolytic", "denosumab", start_day=180, years=5)
>>> s.summary.untreated.minimum < s.summary.treated.minimum
True
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, Field

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced
from metastasis.simulate.bone._data import check_non_negative, check_positive
from metastasis.simulate.bone.drugs import DRUGS, Regimen, regimen
from metastasis.simulate.bone.lesions import Lesion, lesion
from metastasis.simulate.bone.result import BoneMilestones, BoneRun, unverified_caveats

TREATMENTS = ("none", *DRUGS)
DAYS_PER_YEAR = 365.25
DEFAULT_START_DAY = 180.0
"""Day of the first dose when none is given (days after the lesion starts)."""


class ArmSummary(BoneMilestones):
    """Milestones of one arm plus bone mass at the treatment start and the loss after it."""

    at_treatment_start: float = Field(description="Bone mass on the day treatment starts (%).")
    minimum_after_start: float = Field(description="Lowest bone mass from the treatment start on (%).")
    loss_after_start: float = Field(description="Bone mass at the start minus the lowest after it (points).")


class SreEstimate(BaseModel):
    """Assumed probability of at least one SRE in a window after the treatment start (a modelling assumption)."""

    window_days: float
    untreated: float
    treated: float | None
    relative_risk: float | None = Field(description="Treated / untreated cumulative hazard.")


class LesionSummary(Evidenced):
    """What ``metastasis bone`` prints: the lesion, the treatment, and the bone-mass milestones of both arms."""

    lesion: str
    lesion_label: str
    primaries: list[str]
    treatment: str
    treatment_label: str | None
    start_day: float
    days: float
    untreated: ArmSummary
    treated: ArmSummary | None
    loss_prevented: float | None = Field(
        default=None, description="Loss after the start, untreated minus treated (percentage points)."
    )
    final_difference: float | None = Field(default=None, description="Final bone mass, treated minus untreated.")
    sre: SreEstimate | None = None


@dataclass
class LesionScenario:
    """Both runs of a lesion scenario and their summary."""

    lesion: Lesion
    untreated: BoneRun
    treated: BoneRun | None
    summary: LesionSummary


def _arm(run: BoneRun, start_day: float) -> ArmSummary:
    milestones = run.milestones()
    after = run.t >= start_day
    at_start = run.value_at("bone_mass", start_day)
    times = [*run.bone_mass_minima[0].tolist()]
    values = [*run.bone_mass_minima[1].tolist()]
    lowest = min(
        [float(run.bone_mass[after].min()), at_start]
        + [v for t, v in zip(times, values, strict=True) if t >= start_day]
    )
    if run.day_bone_exhausted is not None and run.day_bone_exhausted >= start_day:
        lowest = 0.0
    return ArmSummary(
        **milestones.model_dump(),
        at_treatment_start=at_start,
        minimum_after_start=lowest,
        loss_after_start=at_start - lowest,
    )


def build_regimen(
    treatment: str,
    *,
    start_day: float,
    dose_mg: float | None = None,
    interval_days: float | None = None,
    schedule: str | None = None,
) -> Regimen | None:
    """The regimen for a treatment name (``none`` gives None); schedule presets per drug (see drugs.yaml)."""
    if treatment not in TREATMENTS:
        raise InvalidInputError("treatment", treatment, TREATMENTS)
    if treatment == "none":
        return None
    options: dict[str, object] = {"start_day": start_day, "dose_mg": dose_mg, "interval_days": interval_days}
    if schedule is not None:
        options["schedule"] = schedule
    return regimen(treatment, **options)


def simulate_lesion(
    lesion_name: str = "osteolytic",
    treatment: str | Regimen = "denosumab",
    *,
    start_day: float = DEFAULT_START_DAY,
    years: float = 5.0,
    dose_mg: float | None = None,
    interval_days: float | None = None,
    schedule: str | None = None,
    floor: bool = True,
    sre: bool = False,
    step: float | None = None,
    t_eval: object | None = None,
) -> LesionScenario:
    """Simulate a lesion phenotype untreated and with a bone-targeted drug started on ``start_day``.

    Parameters
    ----------
    lesion_name:
        ``osteolytic``, ``osteoblastic`` or ``mixed`` (see :mod:`metastasis.simulate.bone.lesions`).
    treatment:
        ``denosumab``, ``zoledronic-acid``, ``none``, or a ready :class:`~metastasis.simulate.bone.drugs.Regimen`.
    start_day:
        Day of the first dose (days after the lesion's start).
    years:
        Horizon of both runs.
    dose_mg, interval_days, schedule:
        Override the drug's preset dose and interval, or pick another preset (denosumab: ``oncology`` default,
        ``osteoporosis``; zoledronic acid: ``q4w`` default, ``q12w``).
    floor:
        Hold bone mass at 0 once reached (default True).
    sre:
        Also estimate the assumed SRE risk in the year after the start (see :mod:`~metastasis.simulate.bone.sre`).
    step, t_eval:
        Output spacing in days (default: about 1 day), or explicit output days.

    Returns
    -------
    LesionScenario
        ``untreated`` and ``treated`` runs and ``summary`` (milestones, loss prevented, reasons, caveats, sources).

    Raises
    ------
    InvalidInputError
        For an unknown lesion or treatment, a dose interval or dose that is not > 0, a start day outside the
        horizon, or years that are not > 0.
    """
    phenotype = lesion(lesion_name)
    years = check_positive("years", years)
    days = years * DAYS_PER_YEAR
    start_day = check_non_negative("start_day", start_day)
    if start_day >= days:
        raise InvalidInputError("start_day", start_day, f"a day >= 0 and before the end of the run ({days:g} days)")
    plan = (
        treatment
        if isinstance(treatment, Regimen)
        else build_regimen(
            treatment, start_day=start_day, dose_mg=dose_mg, interval_days=interval_days, schedule=schedule
        )
    )
    if plan is not None:
        start_day = plan.start_day
    model = phenotype.model()
    untreated = model.simulate(days, floor=floor, step=step, t_eval=t_eval)
    treated = model.simulate(days, treatment=plan, floor=floor, step=step, t_eval=t_eval) if plan is not None else None
    reasons = [*phenotype.reasons(), *untreated.reasons]
    caveats = [*untreated.caveats, *phenotype.caveats]
    if phenotype.assumption:
        caveats.insert(0, f"The {phenotype.id} regime is this project's assumption, not a published parameter set.")
    if treated is not None:
        reasons.extend(r for r in treated.reasons if r not in reasons)
        caveats.extend(c for c in treated.caveats if c not in caveats)
    arm_u = _arm(untreated, start_day)
    arm_t = _arm(treated, start_day) if treated is not None else None
    summary = LesionSummary(
        lesion=phenotype.id,
        lesion_label=phenotype.label,
        primaries=[p.cancer for p in phenotype.primaries],
        treatment=plan.drug if plan is not None else "none",
        treatment_label=plan.label if plan is not None else None,
        start_day=start_day,
        days=days,
        untreated=arm_u,
        treated=arm_t,
        loss_prevented=arm_u.loss_after_start - arm_t.loss_after_start if arm_t is not None else None,
        final_difference=arm_t.final - arm_u.final if arm_t is not None else None,
        reasons=reasons,
        caveats=caveats,
    )
    if sre:
        from metastasis.simulate.bone.sre import estimate_sre

        estimate, link_reasons, link_caveats = estimate_sre(untreated, treated, start_day)
        summary.sre = estimate
        summary.reasons.extend(link_reasons)
        summary.caveats.extend(link_caveats)
    summary.caveats.extend(c for c in unverified_caveats(summary.sources) if c not in summary.caveats)
    return LesionScenario(phenotype, untreated, treated, summary)
