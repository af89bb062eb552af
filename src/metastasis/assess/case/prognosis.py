"""Prognosis of a case: PREDICT Breast and late recurrence for early disease before metastasis; published
survival statistics (by subtype, after bone metastasis) once the disease is metastatic.

Which figures are shown is ``data/prognosis.yaml``; the figures themselves, their sources and caveats come
from :mod:`metastasis.predict`.
"""

from __future__ import annotations

from typing import Any

from metastasis.assess.case._context import Context, calculated, data, head, published, wording
from metastasis.assess.case.models import PrognosisSection, SectionStatus, Statement
from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.predict import PredictResult, predict_breast
from metastasis.predict.late_recurrence import LateRecurrenceResult, late_recurrence
from metastasis.predict.predict_breast import TREATMENT_LABELS
from metastasis.predict.statistics import GENERAL_CAVEAT, ReferenceStatistic, reference_statistics


def _predict_treatments(ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """PREDICT treatment arguments from the case, and the treatments added only as 'considered'."""
    case = ctx.case
    spec = data("prognosis")["predict"]
    er_positive = case.tumour.er is not None and case.tumour.er.value == "positive"
    her2_positive = case.tumour.her2 is not None and case.tumour.her2.value == "positive"
    kwargs: dict[str, Any] = {
        "radiotherapy": any(t.site is None for t in case.treatments_of("radiotherapy")),
        "hormone_years": spec["hormone_years"] if er_positive and case.treatments_of("endocrine") else 0,
        "chemo": spec["considered_chemo"],
        "trastuzumab": her2_positive,
        "bisphosphonates": bool(case.treatments_of("bone_targeted"))
        and case.patient.menopausal_status == "postmenopausal",
    }
    considered = []
    if not case.treatments_of("chemotherapy"):
        considered.append("chemo")
    if her2_positive and not case.treatments_of("her2_targeted"):
        considered.append("trastuzumab")
    return kwargs, considered


def _predict(ctx: Context) -> tuple[PredictResult | None, list[str], list[str]]:
    case = ctx.case
    tumour = case.tumour
    given = {
        "age": case.patient.age_at_diagnosis,
        "size_mm": tumour.size_mm,
        "nodes_positive": tumour.nodes_positive,
        "er": tumour.er.value if tumour.er and tumour.er.value != "unknown" else None,
    }
    lacking = [key for key, value in given.items() if value is None]
    if lacking:
        ctx.not_run("predict", lacking)
        return None, [], []
    treatments, considered = _predict_treatments(ctx)
    spec = data("prognosis")["predict"]
    try:
        result = predict_breast(
            age=given["age"],
            size_mm=given["size_mm"],
            nodes=given["nodes_positive"],
            grade=tumour.grade,
            er=given["er"],
            her2=tumour.her2.value if tumour.her2 else "unknown",
            ki67=tumour.ki67.value if tumour.ki67 else "unknown",
            pr=tumour.pr.value if tumour.pr else "unknown",
            detection=tumour.detection or "unknown",
            micrometastases_only=bool(tumour.micrometastases_only) and tumour.nodes_positive == 1,
            version=spec["version"],
            **treatments,
        )
    except InvalidInputError as exc:
        ctx.not_applicable("predict", f"PREDICT cannot take this case: {exc}")
        return None, [], []
    ctx.done("predict")
    notes = []
    if treatments["hormone_years"]:
        notes.append(f"{treatments['hormone_years']} years of endocrine therapy assumed (PREDICT's standard option).")
    if "chemo" not in considered:
        notes.append("Chemotherapy recorded; entered as third generation (the regimen's generation is assumed).")
    return result, considered, notes


def _predict_statements(result: PredictResult, considered: list[str], notes: list[str]) -> list[Statement]:
    year = 10
    none = result.overall_survival(year=year, treatments=())
    treatments = [t for t in result.treatments if t not in considered]
    recorded_os = result.overall_survival(year=year, treatments=treatments)
    added = []
    for treatment in result.treatments:
        benefit = result.benefit(year=year, treatment=treatment)
        low, high = result.benefit_interval(year=year, treatment=treatment)
        tag = " (considered, not recorded)" if treatment in considered else ""
        added.append((treatment, benefit, low, high, tag))
    inputs = result.inputs
    described = (
        f"age {inputs.age:g}, {inputs.size_mm:g} mm, {inputs.nodes} node(s), grade {inputs.grade or 'unknown'}, "
        f"ER {inputs.er}, HER2 {inputs.her2}, Ki67 {inputs.ki67}, {inputs.detection} detection"
    )
    gains = "; ".join(
        f"{TREATMENT_LABELS[t]}{tag} +{100 * b:.1f}% (95% {100 * lo:.1f}-{100 * hi:.1f})" for t, b, lo, hi, tag in added
    )
    sources = tuple(result.sources)
    values = [
        calculated("10-year OS, surgery only", round(100 * none, 1), "%", f"PREDICT v{inputs.version}", sources),
        calculated(
            "10-year OS, recorded treatments", round(100 * recorded_os, 1), "%", f"PREDICT v{inputs.version}", sources
        ),
    ]
    model = f"PREDICT v{inputs.version}"
    values += [
        calculated(f"10-year benefit, {TREATMENT_LABELS[t].lower()}", round(100 * b, 1), "%", model, sources)
        for t, b, _lo, _hi, _tag in added
    ]
    statements = [
        Statement(
            id="prognosis.predict",
            text=(
                f"PREDICT v{inputs.version} ({described}): 10-year overall survival {100 * none:.0f}% with surgery "
                f"only, {100 * recorded_os:.0f}% with the recorded treatments. Added benefit at 10 years: {gains}. "
                + " ".join(notes)
            ).strip(),
            plain=wording("prognosis.predict_all", all=round(100 * recorded_os), none=round(100 * none)),
            sources=sources,
            values=tuple(values),
        )
    ]
    for treatment, benefit, _lo, _hi, tag in added:
        statements.append(
            Statement(
                id=f"prognosis.predict.{treatment}",
                text=f"{TREATMENT_LABELS[treatment]}{tag}: +{100 * benefit:.1f} in 100 by 10 years.",
                plain=wording(
                    "prognosis.predict_considered" if tag else "prognosis.predict_added",
                    treatment=wording(f"prognosis.treatments.{treatment}"),
                    benefit=_in_100(benefit),
                ),
                sources=sources,
            )
        )
    return statements


def _in_100(fraction: float) -> str:
    value = 100 * fraction
    return "less than 1" if value < 1 else f"{value:.0f}"


def _late_recurrence(ctx: Context) -> LateRecurrenceResult | None:
    tumour = ctx.case.tumour
    if tumour.er is None or tumour.er.value != "positive":
        ctx.not_applicable("late_recurrence", "Pan 2017 is for ER-positive disease.")
        return None
    lacking = [k for k in ("size_mm", "nodes_positive") if getattr(tumour, k) is None]
    if lacking:
        ctx.not_run("late_recurrence", lacking)
        return None
    try:
        result = late_recurrence(size_mm=tumour.size_mm, nodes=tumour.nodes_positive)
    except InvalidInputError as exc:
        ctx.not_applicable("late_recurrence", f"Outside the published table: {exc}")
        return None
    ctx.done("late_recurrence")
    return result


def _statistics(ctx: Context, pattern: str | None, presentation: str | None) -> list[ReferenceStatistic]:
    spec = data("prognosis")["statistics"]
    subtype = ctx.subtype() or "unknown"
    wanted = list(spec["metastatic_subtype"][subtype])
    topics = ["metastatic_subtype"]
    if ctx.has_bone():
        topics.append("bone_metastasis")
        wanted += spec["bone_metastasis"]["any"]
        if pattern == "bone_only":
            wanted += spec["bone_metastasis"]["bone_only"]
            if presentation == "de_novo":
                wanted += spec["bone_metastasis"]["de_novo_bone_only"]
    found = {s.id: s for topic in topics for s in reference_statistics(topic=topic).statistics}
    return [found[i] for i in wanted]


def statistic_statement(stat: ReferenceStatistic) -> Statement:
    """One reference statistic as a report statement: the figure for clinicians, its meaning in plain words.

    Relative survival is worded as a comparison with people of the same age without breast cancer, never as the
    share of people alive.
    """
    interval = ""
    if stat.interval:
        low, high = stat.interval if "months" in stat.measure else (100 * x for x in stat.interval)
        interval = f" (95% CI {low:g}-{high:g}{'' if 'months' in stat.measure else '%'})"
    count = f", n={stat.n:,}" if stat.n else ""
    if "months" in stat.measure:
        plain = wording("prognosis.median", months=f"{stat.value:g}")
    else:
        years = stat.measure.split("-year")[0]
        when = f"{years} year{'s' * (years != '1')} later" if years.isdigit() else "later"
        key = "prognosis.relative_fraction" if "relative" in stat.measure else "prognosis.fraction"
        plain = wording(key, percent=round(100 * stat.value), when=when)
    return Statement(
        id=f"prognosis.statistic.{stat.id}",
        text=(
            f"{stat.group}: {stat.measure} {stat.display_value()}{interval} ({stat.population}; {stat.period}{count})."
        ),
        plain=plain,
        sources=tuple(stat.sources),
        values=(
            published(
                stat.measure, stat.value, stat.display_value(), f"{stat.population}; {stat.period}", stat.sources
            ),
        ),
    )


def prognosis_section(ctx: Context, pattern: str | None, presentation: str | None) -> PrognosisSection:
    """PREDICT and late recurrence before metastasis; reference statistics once metastatic."""
    statements: list[Statement] = []
    reasons: list[Reason] = []
    caveats: list[str] = []
    predict_result = late = None
    stats: list[ReferenceStatistic] = []
    if not ctx.metastatic:
        ctx.not_applicable("reference_statistics", "No metastasis is recorded: PREDICT and late recurrence apply.")
        predict_result, considered, notes = _predict(ctx)
        if predict_result is not None:
            statements += _predict_statements(predict_result, considered, notes)
            reasons += predict_result.reasons
            caveats += predict_result.caveats
            if considered:
                caveats.append(
                    "Treatments marked 'considered' are not recorded in the case; they are shown so that their "
                    "possible benefit can be discussed."
                )
        late = _late_recurrence(ctx)
        if late is not None:
            statements.append(
                Statement(
                    id="prognosis.late_recurrence",
                    text=(
                        f"Late distant recurrence (Pan 2017, {late.t_group}{late.n_group}): "
                        f"{100 * late.risk_years_5_to_20:.0f}% from year 5 to 20, if free of recurrence after 5 "
                        "years of endocrine therapy."
                    ),
                    plain=late.patient_explanation,
                    sources=tuple(late.sources),
                    values=(
                        published(
                            "Distant recurrence years 5-20",
                            late.risk_years_5_to_20,
                            f"{100 * late.risk_years_5_to_20:.0f}%",
                            late.population,
                            late.sources,
                        ),
                    ),
                )
            )
            reasons += late.reasons
            caveats += late.caveats
    else:
        note = "PREDICT and late recurrence are for early disease before any metastasis."
        ctx.not_applicable("predict", note)
        ctx.not_applicable("late_recurrence", note)
        if ctx.subtype() is None:
            ctx.not_run("reference_statistics", ["subtype"])
        else:
            ctx.done("reference_statistics")
        stats = _statistics(ctx, pattern, presentation)
        statements += [statistic_statement(s) for s in stats]
        reasons += [
            Reason(
                rule=f"reference_statistic:{s.id}",
                text=f"{s.group}: {s.measure} {s.display_value()}.",
                sources=s.sources,
            )
            for s in stats
        ]
        unverified = [s.id for s in stats if not s.verified]
        if unverified:
            caveats.append(f"Not verified against the primary source, treat with care: {', '.join(unverified)}.")
    if statements:
        statements.append(
            Statement(id="prognosis.caveat", text=GENERAL_CAVEAT, plain=wording("prognosis.statistics_caveat"))
        )
    status = SectionStatus.ASSESSED if predict_result or late or stats else SectionStatus.NOT_ASSESSED
    return PrognosisSection(
        **head("prognosis"),
        status=status,
        predict=predict_result,
        late_recurrence=late,
        statistics=stats,
        statements=statements,
        reasons=reasons,
        caveats=list(dict.fromkeys(caveats)),
    )
