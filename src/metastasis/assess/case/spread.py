"""Spread simulation for a metastatic case: from the organs involved now, where the breast spread chain goes next.

The chain is :func:`metastasis.simulate.spread.breast_model` for the case's subtype (the all-subtype chain when
the subtype has no default of its own or is unknown). The walk starts spread equally over the involved organs
that the chain models; the result is the probability of each site one and more model steps on. The chain is
reconstructed from site frequencies, has no calendar time here and knows nothing of treatment: its caveats
travel with the section.
"""

from __future__ import annotations

from metastasis.assess.case._context import Context, calculated, head
from metastasis.assess.case.models import SectionStatus, SpreadSection, Statement
from metastasis.knowledge import get_site, organ_of
from metastasis.simulate.spread import breast_model

STEPS = 3
"""Model steps shown in the by-step distributions (a display choice, not a clinical number)."""

UNINFORMED_TRANSITIONS = (
    "Which site follows which is not informed by data in this chain (it is rebuilt from site frequencies), so "
    "the order shown is a model property, not a prediction for this patient."
)
"""Why the next-site output is labelled a model output and is not shown to patients."""

_SUBTYPE = {"hr+/her2-": "hr+/her2-", "hr-/her2+": "hr-/her2+", "triple-negative": "triple-negative"}


def spread_section(ctx: Context) -> SpreadSection:
    """Next-step site probabilities from the involved organs, with the model's reasons and caveats."""
    if not ctx.metastatic:
        note = "No metastasis is recorded; the spread chain describes where metastases go once they occur."
        ctx.not_applicable("spread", note)
        return SpreadSection(**head("spread"), status=SectionStatus.NOT_APPLICABLE, note=note)
    subtype = ctx.subtype()
    chosen = _SUBTYPE.get(subtype or "", "all")
    model = breast_model(chosen)
    chain = model.chain()
    sites = list(ctx.case.distant_sites()) or [lesion.site for lesion in ctx.case.bone_lesions]
    organs = list(dict.fromkeys(organ_of(get_site(site)).id for site in sites))
    current = [organ for organ in organs if organ in chain.sites]
    left_out = [organ for organ in organs if organ not in chain.sites]
    caveats = list(model.caveats)
    if chosen != subtype:
        caveats.append(
            f"No default chain for the subtype {subtype or 'unknown'}: the chain fitted to all subtypes is used."
        )
    if left_out:
        caveats.append(f"Not in the model and left out: {', '.join(left_out)}.")
    if not current:
        ctx.not_run("spread", ["sites"])
        return SpreadSection(
            **head("spread"), status=SectionStatus.NOT_ASSESSED, note="No involved organ is a site of the model."
        )
    ctx.done("spread")
    caveats.append(
        "Model steps are not calendar time, and the chain does not know about treatment: it shows the order in "
        "which sites tend to be involved in past series, not what will happen to this patient."
    )
    start = {site: (1.0 / len(current) if site in current else 0.0) for site in chain.sites}
    rows = chain.distributions(start, STEPS)
    by_step = [{site: float(p) for site, p in zip(chain.sites, row, strict=True)} for row in rows]
    next_step = by_step[1]
    new = {site: p for site, p in next_step.items() if site not in current and site != model.primary}
    ranked = sorted(new.items(), key=lambda item: -item[1])
    shown = ", ".join(f"{site} {p:.2f}" for site, p in sorted(next_step.items(), key=lambda item: -item[1]) if p > 0)
    sources = tuple(model.sources)
    text = (
        f"Model output, not guidance: breast spread chain ({model.label}), starting equally from "
        f"{', '.join(current)}; one model step on - {shown}."
    )
    if ranked:
        text += f" Highest new site in the model: {ranked[0][0]} ({ranked[0][1]:.2f})."
    text += f" {UNINFORMED_TRANSITIONS}"
    statements = [
        Statement(
            id="spread.next",
            text=text,
            plain=None,  # not for patients: which site follows which is not informed by data
            patient_values=False,
            sources=sources,
            values=tuple(
                calculated(
                    f"Model probability of {site} at the next step (not a prediction)",
                    round(p, 3),
                    "",
                    f"breast spread chain, {model.label}",
                    sources,
                )
                for site, p in ranked
            ),
        )
    ]
    return SpreadSection(
        **head("spread"),
        subtype=model.subtype,
        model_sites=list(chain.sites),
        current=current,
        start=start,
        next_step=next_step,
        by_step=by_step,
        statements=statements,
        reasons=list(model.reasons),
        caveats=list(dict.fromkeys(caveats)),
    )
