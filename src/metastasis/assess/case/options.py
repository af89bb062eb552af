"""Treatment options to discuss for a metastatic case (:func:`metastasis.knowledge.options.treatment_options`).

The profile is read from the case: subtype from ER, PR and HER2, the distant sites, menopausal status, the
highest Mirels and SINS totals of the bone lesions and, when every site has one, the lesion count.
"""

from __future__ import annotations

from metastasis.assess.case._context import Context, head, wording
from metastasis.assess.case.models import BoneScoresSection, OptionsSection, SectionStatus, Statement
from metastasis.knowledge.options import OPTIONS_NOTICE, treatment_options


def _highest(scores: BoneScoresSection, score_id: str) -> int | None:
    totals = [lesion.scores[score_id].total for lesion in scores.lesions if score_id in lesion.scores]
    return max(totals, default=None)


def options_section(ctx: Context, scores: BoneScoresSection) -> OptionsSection:
    """Option families that apply to the case's profile, each with its purpose, evidence and caveats."""
    if not ctx.metastatic:
        note = "Options are listed for metastatic disease; PREDICT shows the benefit of adjuvant treatments."
        ctx.not_applicable("options", note)
        return OptionsSection(**head("options"), status=SectionStatus.NOT_APPLICABLE, note=note)
    subtype = ctx.subtype()
    sites = list(ctx.case.distant_sites()) or list(dict.fromkeys(lesion.site for lesion in ctx.case.bone_lesions))
    lacking = [key for key, value in (("subtype", subtype), ("sites", sites)) if not value]
    if lacking:
        ctx.not_run("options", lacking)
        return OptionsSection(**head("options"), status=SectionStatus.NOT_ASSESSED)
    assert subtype is not None
    result = treatment_options(
        subtype=subtype,
        sites=sites,
        menopausal_status=ctx.case.patient.menopausal_status or "unknown",
        mirels=_highest(scores, "mirels"),
        sins=_highest(scores, "sins"),
        lesion_count=ctx.lesion_counts().total,
    )
    ctx.done("options")
    statements = [Statement(id="options.notice", text=OPTIONS_NOTICE, plain=wording("options.intro"))]
    for option in result.options:
        notes = f" Notes: {' '.join(option.notes)}" if option.notes else ""
        statements.append(
            Statement(
                id=f"options.{option.id}",
                label=option.name,
                text=f"{option.evidence}{notes}",
                plain=option.purpose,
                sources=tuple(option.sources),
            )
        )
    return OptionsSection(
        **head("options"),
        options=result,
        statements=statements,
        reasons=list(result.reasons),
        caveats=list(dict.fromkeys(result.caveats)),
    )
