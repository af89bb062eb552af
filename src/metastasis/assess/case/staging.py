"""Staging and disease pattern of a case: AJCC stage at diagnosis, de novo vs recurrent, bone-only or visceral."""

from __future__ import annotations

from metastasis.assess.case._context import Context, calculated, day, head, recorded, wording
from metastasis.assess.case.models import PatternSection, SectionStatus, StagingSection, Statement
from metastasis.evidence import Reason
from metastasis.knowledge import (
    PresentationResult,
    assess_oligometastatic,
    classify_pattern,
    classify_presentation,
    get_site,
)
from metastasis.staging import StageResult, explain_result, stage_breast
from metastasis.staging.explain import stage_word

_TNM = ("t", "n", "m")


def presentation(ctx: Context) -> PresentationResult | None:
    """De novo or recurrent, from the diagnosis date and the first metastasis date (``None`` when not known)."""
    diagnosis, first = ctx.case.dates.diagnosis, ctx.case.first_metastasis_date()
    if not ctx.metastatic:
        return None
    if diagnosis is None or first is None:
        return None
    return classify_presentation(diagnosis, first)


def _plain(result: StageResult) -> tuple[str, tuple[str, ...]]:
    """The patient wording of the stage: the stage and what it means, then what this patient's T, N and M mean
    (each with its code as a label), then how the grade and test results set the stage; with its sources."""
    explained = explain_result(result)
    parts = [wording("staging.stage", stage=stage_word(result.stage))] if result.stage else []
    parts.append(explained.stage_text)
    parts += [c.text for c in explained.categories]  # the codes are in the statement's values, not its sentences
    parts += [text for text in (explained.prefix_note, explained.markers) if text]
    return " ".join(parts), explained.sources


def staging_section(ctx: Context, shown: PresentationResult | None) -> StagingSection:
    """The AJCC 8th stage at diagnosis; for recurrent disease, a note that the stage at diagnosis stands."""
    tumour = ctx.case.tumour
    missing = [axis for axis in _TNM if getattr(tumour, axis) is None]
    if missing:
        ctx.not_run("staging", missing)
        return StagingSection(
            **head("staging"),
            status=SectionStatus.NOT_ASSESSED,
            statements=[
                Statement(
                    id="staging.missing",
                    text=f"Not staged: {', '.join(m.upper() for m in missing)} not recorded.",
                    plain=wording("staging.missing"),
                )
            ],
        )
    result = stage_breast(
        tumour.t,
        tumour.n,
        tumour.m,
        grade=tumour.grade,
        er=tumour.er,
        pr=tumour.pr,
        her2=tumour.her2,
        oncotype_rs=tumour.oncotype_rs,
    )
    ctx.done("staging")
    unknown = [k for k in ("grade", "er", "pr", "her2") if getattr(tumour, k) is None]
    caveats = list(result.caveats)
    if unknown:
        caveats.append(f"Not recorded and staged as unknown: {', '.join(unknown)}.")
    markers = [f"grade {result.grade}" if result.grade else "grade unknown"]
    markers += [f"{name} {getattr(result, name).value}" for name in ("er", "pr", "her2")]
    if result.oncotype_rs is not None:
        markers.append(f"Oncotype DX RS {result.oncotype_rs:g}")
    prognostic = (
        f"{result.prognostic_table} prognostic stage {result.prognostic_stage}"
        if result.prognostic_stage
        else "no prognostic stage group"
    )
    stage_value = calculated(
        "Stage", result.stage or "none", "", "AJCC 8th breast staging tables", result.sources, "$.tumour"
    )
    plain, plain_sources = _plain(result)
    statements = [
        Statement(
            id="staging.stage",
            text=(
                f"{result.t} {result.n} {result.m} ({', '.join(markers)}): AJCC 8th anatomic stage "
                f"{result.anatomic_stage or 'none'}; {prognostic}."
            ),
            plain=plain,
            sources=tuple(dict.fromkeys((*result.sources, *plain_sources))),
            values=(
                recorded("TNM", f"{result.t} {result.n} {result.m}", "", "tumour at diagnosis", "$.tumour.t"),
                stage_value,
            ),
        )
    ]
    kind = "early" if not ctx.metastatic else None if shown is None else shown.presentation.value
    if kind == "recurrent" and shown is not None:
        first = ctx.case.first_metastasis_date()
        statements.append(
            Statement(
                id="staging.recurrent",
                text=(
                    f"Distant metastasis first recorded on {day(first)} ({shown.interval_days} days after diagnosis): "
                    f"recurrent metastatic disease. The stage at diagnosis ({result.stage}) stands; a stage "
                    "assigned at recurrence carries the r prefix (rcM1)."
                ),
                plain=wording("staging.recurrent"),
                sources=tuple(dict.fromkeys((*result.sources[:1], *shown.sources))),
            )
        )
    return StagingSection(
        **head("staging"),
        stage=result,
        presentation=kind,
        statements=statements,
        reasons=list(result.reasons),
        caveats=caveats,
    )


def _organs_plain(organs: list[str]) -> str:
    names = [get_site(o).plain_name for o in organs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _years(days: int) -> str:
    years = days / 365.25
    if years < 1:
        months = max(1, round(days / 30.44))
        return f"{months} month{'s' * (months != 1)}"
    whole = round(years)
    return f"about {whole} year{'s' * (whole != 1)}"


def pattern_section(ctx: Context, shown: PresentationResult | None) -> PatternSection:
    """Bone-only / visceral / multi-organ, de novo vs recurrent, and the oligometastatic count."""
    case = ctx.case
    if not ctx.metastatic:
        note = "No distant metastasis is recorded (M0, no metastatic site or bone lesion)."
        for assessment in ("pattern", "presentation", "oligometastatic"):
            ctx.not_applicable(assessment, note)
        return PatternSection(
            **head("pattern"),
            status=SectionStatus.NOT_APPLICABLE,
            note=note,
            statements=[Statement(id="pattern.none", text=note, plain=wording("pattern.none"))],
        )
    sites = list(case.distant_sites()) or list(dict.fromkeys(lesion.site for lesion in case.bone_lesions))
    statements: list[Statement] = []
    reasons: list[Reason] = []
    caveats: list[str] = []
    pattern = None
    if sites:
        pattern = classify_pattern(sites)
        ctx.done("pattern")
        reasons += pattern.reasons
        caveats += pattern.caveats
        category = pattern.category.value
        multi = "; multi-organ" if pattern.multi_organ else ""
        statements.append(
            Statement(
                id="pattern.category",
                text=f"Distant sites: {', '.join(sites)}. Pattern: {category.replace('_', '-')}{multi} "
                f"(organs: {', '.join(pattern.organs)}).",
                plain=wording(f"pattern.{category}", organs=_organs_plain(pattern.organs)),
                sources=tuple(pattern.sources),
                values=tuple(
                    recorded("Site", site, "", "metastatic site", f"$.metastatic_sites[{i}].site").model_copy(
                        update={"display": get_site(site).name}
                    )
                    for i, site in enumerate(s.site for s in case.metastatic_sites)
                    if site in sites
                ),
            )
        )
    else:
        ctx.not_run("pattern", ["sites"])
    if shown is not None:
        ctx.done("presentation")
        reasons += shown.reasons
        caveats += shown.caveats
        first = case.first_metastasis_date()
        assert first is not None and case.dates.diagnosis is not None
        label = "de novo (metastatic at diagnosis)" if shown.presentation.value == "de_novo" else "recurrent"
        statements.append(
            Statement(
                id="pattern.presentation",
                text=(
                    f"First metastasis {day(first)}, {shown.interval_days} days after diagnosis "
                    f"({day(case.dates.diagnosis)}); {shown.window_months}-month window: {label}."
                ),
                plain=wording(f"pattern.{shown.presentation.value}", years=_years(shown.interval_days)),
                sources=tuple(shown.sources),
                values=(
                    calculated(
                        "Interval",
                        shown.interval_days,
                        "days",
                        "first metastasis date minus diagnosis date",
                        (),
                        "$.dates.diagnosis",
                        "$.dates.metastasis",
                    ),
                ),
            )
        )
    else:
        lacking = {"diagnosis": case.dates.diagnosis, "metastasis": case.first_metastasis_date()}
        ctx.not_run("presentation", [key for key, value in lacking.items() if value is None])
    counts = ctx.lesion_counts()
    oligo = None
    if counts.total is not None and counts.total >= 1:
        oligo = assess_oligometastatic(counts.total)
        ctx.done("oligometastatic")
        reasons += oligo.reasons
        caveats += oligo.caveats
        if oligo.oligometastatic is False:
            text = f"{counts.total} metastatic lesions: more than {oligo.max_lesions}, not oligometastatic."
            plain = None
        else:
            text = (
                f"{counts.total} metastatic lesion(s): within the oligometastatic count (1-{oligo.max_lesions}); "
                "whether every lesion can be treated locally is not recorded."
            )
            plain = wording("pattern.oligo_possible")
        statements.append(
            Statement(
                id="pattern.oligometastatic",
                text=text,
                plain=plain,
                sources=tuple(oligo.sources),
                values=(
                    calculated(
                        "Lesions",
                        counts.total,
                        "",
                        "sum of lesion counts of the metastatic sites",
                        (),
                        "$.metastatic_sites[].lesion_count",
                    ),
                ),
            )
        )
    else:
        ctx.not_run("oligometastatic", ["lesion_count"])
    status = SectionStatus.ASSESSED if pattern is not None and shown is not None else SectionStatus.PARTIAL
    return PatternSection(
        **head("pattern"),
        status=status,
        pattern=pattern,
        presentation=shown,
        oligometastatic=oligo,
        statements=statements,
        reasons=reasons,
        caveats=list(dict.fromkeys(caveats)),
    )
