"""Symptom triage of a case: the recorded symptoms and latest labs through :func:`metastasis.assess.triage`.

The triage receives the latest calcium with the albumin of the same day (albumin converted to the calcium's
unit system when needed), and the latest ALP, ALT and AST that have a laboratory upper limit of normal.
"""

from __future__ import annotations

from typing import Any

from metastasis.assess.calcium import convert_albumin
from metastasis.assess.case._context import Context, head, wording
from metastasis.assess.case.models import SectionStatus, Statement, TriageSection
from metastasis.assess.triage import TriageResult, triage
from metastasis.errors import InvalidInputError

_LIVER = ("alp", "alt", "ast")


def triage_inputs(ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """Keyword arguments for :func:`triage` from the latest labs, and caveats about what was left out."""
    case = ctx.case
    kwargs: dict[str, Any] = {}
    caveats: list[str] = []
    calcium = case.latest_lab("calcium")
    if calcium is not None:
        kwargs.update(calcium=calcium.value, units=calcium.unit_system, uln=calcium.uln)
        albumin = ctx.lab_on("albumin", calcium.date)
        if albumin is not None:
            value = albumin.value
            if albumin.unit_system != calcium.unit_system:
                value = convert_albumin(value=value, from_units=albumin.unit_system, to_units=calcium.unit_system)
            kwargs["albumin"] = value
    for analyte in _LIVER:
        lab = case.latest_lab(analyte)
        if lab is None:
            continue
        if lab.uln is None:
            caveats.append(f"{analyte.upper()} was left out of the triage: no upper limit of normal recorded.")
            continue
        kwargs[analyte] = lab.value
        kwargs[f"{analyte}_uln"] = lab.uln
    return kwargs, caveats


def run_triage(ctx: Context) -> tuple[TriageResult | None, list[str]]:
    """The triage of the case's symptoms and labs, or ``None`` when there is nothing to triage."""
    kwargs, caveats = triage_inputs(ctx)
    symptoms = ctx.case.symptom_ids()
    if not symptoms and not any(k in kwargs for k in ("calcium", *_LIVER)):
        return None, caveats
    try:
        return triage(symptoms, **kwargs), caveats
    except InvalidInputError as exc:  # a laboratory ULN that CTCAE grading refuses: the triage default instead
        if kwargs.get("uln") is None:
            raise
        caveats.append(f"The calcium ULN was not used ({exc}); the triage default was assumed.")
        return triage(symptoms, **{**kwargs, "uln": None}), caveats


def triage_section(ctx: Context, result: TriageResult | None, caveats: list[str]) -> TriageSection:
    """Urgency and each fired rule, in clinician and patient words."""
    if result is None:
        ctx.not_run("triage", ["symptoms"])
        return TriageSection(**head("triage"), status=SectionStatus.NOT_ASSESSED)
    ctx.done("triage")
    fired = result.fired_rules
    titles = "; ".join(f.title for f in fired) if fired else "no red-flag or urgency rule fired"
    statements = [
        Statement(
            id="triage.urgency",
            text=f"Triage urgency: {result.urgency.value.replace('_', ' ')} ({titles}).",
            plain=result.what_to_do_now if fired else wording("triage.none"),
            sources=tuple(fired[0].sources) if fired else tuple(result.sources[:1]),
        )
    ]
    for rule in fired:
        statements.append(
            Statement(
                id=f"triage.rule.{rule.rule}",
                text=f"{rule.title} [{rule.urgency.value}]: {rule.text} Matched: {', '.join(rule.matched)}.",
                plain=rule.patient_text,
                sources=tuple(rule.sources),
            )
        )
    if result.suspected_conditions:
        statements.append(
            Statement(
                id="triage.conditions",
                text=f"Conditions to consider: {', '.join(c.replace('_', ' ') for c in result.suspected_conditions)}.",
                sources=tuple(dict.fromkeys(s for f in fired for s in f.sources)),
            )
        )
    return TriageSection(
        **head("triage"),
        triage=result,
        statements=statements,
        reasons=list(result.reasons),
        caveats=list(dict.fromkeys([result.notice, *caveats, *result.caveats])),
    )
