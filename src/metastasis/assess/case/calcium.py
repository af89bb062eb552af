"""Calcium over time: each result corrected for the albumin of the same day, graded (CTCAE v5), and its trend.

A calcium result is paired with an albumin taken on the same day only (a design choice: albumin changes, and an
older value could hide or fake hypercalcaemia). Albumin in the other unit system is converted with
:func:`metastasis.assess.convert_albumin`; nothing else is converted. Without the laboratory's upper limit of
normal, the triage default (2.6 mmol/L, 10.5 mg/dL) is used and flagged.
"""

from __future__ import annotations

from metastasis.assess.calcium import convert_albumin, convert_calcium, corrected_calcium, hypercalcemia_grade
from metastasis.assess.case._context import Context, calculated, day, head, recorded, wording
from metastasis.assess.case.models import CalciumPoint, CalciumSection, SectionStatus, Statement
from metastasis.assess.triage_models import actions
from metastasis.domain import LabResult
from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason


def calcium_point(ctx: Context, lab: LabResult) -> CalciumPoint:
    """One calcium result: corrected for the same day's albumin when there is one, and graded."""
    units = lab.unit_system
    albumin_lab = ctx.lab_on("albumin", lab.date)
    corrected = None
    graded = lab.value
    if albumin_lab is not None:
        albumin = albumin_lab.value
        if albumin_lab.unit_system != units:
            albumin = convert_albumin(value=albumin, from_units=albumin_lab.unit_system, to_units=units)
        corrected = corrected_calcium(calcium=lab.value, albumin=albumin, units=units)
        graded = corrected.value
    default = lab.uln is None
    uln = getattr(actions().default_calcium_uln, units) if default else lab.uln
    try:
        grade = hypercalcemia_grade(calcium=graded, units=units, uln=uln)
    except InvalidInputError:  # a laboratory ULN outside what CTCAE grading allows: not graded, said below
        grade = None
    return CalciumPoint(
        date=lab.date,
        path=ctx.lab_path(lab),
        measured=lab.value,
        unit=lab.unit,
        albumin_path=None if albumin_lab is None else ctx.lab_path(albumin_lab),
        corrected=corrected,
        grade=grade,
        uln_is_default=default,
    )


def _comparable(point: CalciumPoint, units: str) -> float:
    assert point.corrected is not None
    value = point.corrected.value
    if point.corrected.units != units:
        value = convert_calcium(value=value, from_units=point.corrected.units, to_units=units)
    return value


def trend_of(points: list[CalciumPoint]) -> tuple[str | None, CalciumPoint | None, CalciumPoint | None]:
    """Direction of the last two corrected values on different dates (compared in the latest's unit)."""
    corrected = [p for p in points if p.corrected is not None]
    if len(corrected) < 2:
        return None, None, None
    latest = corrected[-1]
    previous = next((p for p in reversed(corrected[:-1]) if p.date < latest.date), None)
    if previous is None:
        return None, None, None
    assert latest.corrected is not None
    units = latest.corrected.units
    now, before = _comparable(latest, units), _comparable(previous, units)
    direction = "rising" if now > before else "falling" if now < before else "unchanged"
    return direction, previous, latest


def _point_text(point: CalciumPoint, uln_given: float | None) -> str:
    grade = point.grade
    if point.corrected is not None:
        head_text = (
            f"Corrected calcium {point.corrected.value:g} {point.corrected.unit} on {day(point.date)} (measured "
            f"{point.measured:g}, albumin {point.corrected.albumin:g} {point.corrected.albumin_unit})"
        )
    else:
        head_text = f"Measured total calcium {point.measured:g} {point.unit} on {day(point.date)}, NOT corrected"
    if grade is None:
        return (
            f"{head_text}: not graded - the laboratory ULN {uln_given:g} {point.unit} is outside what CTCAE v5 "
            "grading accepts (at most the grade-2 limit): check its unit."
        )
    uln = f"ULN {grade.uln:g}{' (default)' if point.uln_is_default else ''}"
    band = f", {grade.band.replace('_', ' ')} band" if grade.band else ""
    return f"{head_text}: CTCAE v5 grade {grade.grade} ({uln}{band})."


def calcium_section(ctx: Context) -> CalciumSection:
    """Every calcium result corrected and graded, the latest one stated, and the trend of the last two."""
    labs = ctx.case.labs_for("calcium")
    if not labs:
        ctx.not_run("calcium", ["calcium", "albumin"])
        return CalciumSection(**head("calcium"), status=SectionStatus.NOT_ASSESSED)
    points = [calcium_point(ctx, lab) for lab in labs]
    latest = points[-1]
    reasons: list[Reason] = []
    caveats: list[str] = []
    if latest.corrected is not None:
        ctx.done("calcium")
        reasons += latest.corrected.reasons
        caveats += latest.corrected.caveats
    else:
        ctx.not_run("calcium", ["albumin"])
        caveats.append(
            "No albumin on the day of the latest calcium: the measured total was graded without correction, which "
            "can hide hypercalcaemia when albumin is low."
        )
    grading_sources = latest.grade.sources if latest.grade else []
    if latest.grade is not None:
        reasons += latest.grade.reasons
        caveats += latest.grade.caveats
    if latest.uln_is_default and latest.grade is not None:
        default = actions().default_calcium_uln
        reasons.append(
            Reason(
                rule="case.calcium.default_uln",
                text=f"No laboratory ULN recorded: {latest.grade.uln:g} {latest.grade.unit} assumed.",
                sources=default.sources,
            )
        )
        caveats.append("No laboratory upper limit of normal was recorded; a default was assumed.")
    values = [recorded("Calcium", latest.measured, latest.unit, f"calcium on {day(latest.date)}", latest.path)]
    if latest.corrected is not None:
        values.append(
            recorded(
                "Albumin",
                latest.corrected.albumin,
                latest.corrected.albumin_unit,
                f"albumin on {day(latest.date)}",
                latest.albumin_path or "",
            )
        )
        values.append(
            calculated(
                "Corrected calcium",
                latest.corrected.value,
                latest.corrected.unit,
                latest.corrected.formula,
                latest.corrected.sources,
                latest.path,
                latest.albumin_path or "",
            )
        )
    if latest.grade is not None:
        values.append(
            calculated("CTCAE grade", latest.grade.grade, "", latest.grade.criterion, latest.grade.sources, latest.path)
        )
    raised = latest.grade.grade > 0 if latest.grade else None
    when = day(latest.date)
    correction_sources = latest.corrected.sources if latest.corrected else []
    statements = [
        Statement(
            id="calcium.latest",
            text=_point_text(latest, labs[-1].uln),
            plain=None if raised is None else wording(f"calcium.{'high' if raised else 'normal'}", date=when),
            sources=tuple(dict.fromkeys([*correction_sources, *grading_sources])),
            values=tuple(values),
        )
    ]
    direction, previous, last = trend_of(points)
    if direction is None:
        ctx.not_run("calcium_trend", ["second_calcium"])
    else:
        assert previous is not None and last is not None and previous.corrected and last.corrected
        ctx.done("calcium_trend")
        statements.append(
            Statement(
                id="calcium.trend",
                text=(
                    f"Corrected calcium {direction}: {previous.corrected.value:g} {previous.corrected.unit} "
                    f"({day(previous.date)}) -> {last.corrected.value:g} {last.corrected.unit} ({day(last.date)})."
                ),
                plain=wording(f"calcium.{direction}") if direction != "unchanged" else None,
                sources=tuple(last.corrected.sources),
                values=(
                    calculated(
                        "Previous corrected calcium",
                        previous.corrected.value,
                        previous.corrected.unit,
                        previous.corrected.formula,
                        previous.corrected.sources,
                        previous.path,
                    ),
                    calculated(
                        "Latest corrected calcium",
                        last.corrected.value,
                        last.corrected.unit,
                        last.corrected.formula,
                        last.corrected.sources,
                        last.path,
                    ),
                ),
            )
        )
    status = SectionStatus.ASSESSED if latest.corrected is not None else SectionStatus.PARTIAL
    return CalciumSection(
        **head("calcium"),
        status=status,
        points=points,
        trend=direction,  # type: ignore[arg-type]
        statements=statements,
        reasons=reasons,
        caveats=list(dict.fromkeys(caveats)),
    )
