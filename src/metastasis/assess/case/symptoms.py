"""Symptom triage of a case: the recorded symptoms and latest labs through :func:`metastasis.assess.triage`.

The triage receives the latest calcium with the albumin of the same day (albumin converted to the calcium's
unit system when needed), and the latest ALP, ALT and AST that have a laboratory upper limit of normal.
Symptoms already explained by completed imaging (``inputs.yaml`` 'followed_symptoms') are followed instead of
triaged again, as long as no new symptom at that site has started since the imaging.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from metastasis.assess.calcium import convert_albumin
from metastasis.assess.case._context import Context, data, day, head, wording
from metastasis.assess.case.bone_scores import lesion_label
from metastasis.assess.case.models import (
    BoneScoresSection,
    FollowedSymptom,
    SectionStatus,
    Statement,
    TriageSection,
)
from metastasis.assess.triage import TriageResult, symptom_vocabulary, triage
from metastasis.assess.triage_models import symptoms as symptom_table
from metastasis.domain.vocabularies import is_under
from metastasis.errors import DataIntegrityError, InvalidInputError

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


def _points_to(symptom_id: str, site: str) -> bool:
    return any(is_under(target, site) or is_under(site, target) for target in symptom_table()[symptom_id].points_to)


def followed_symptoms(ctx: Context, scores: BoneScoresSection) -> list[FollowedSymptom]:
    """Symptoms explained by an imaged lesion whose scores found nothing urgent, with no new symptom since."""
    found: dict[str, FollowedSymptom] = {}
    recorded = list(enumerate(ctx.case.symptoms))
    for rule in data("inputs")["followed_symptoms"]:
        unknown = set(rule["symptoms"]) - set(symptom_table())
        if unknown:
            raise DataIntegrityError(f"inputs.yaml followed_symptoms: unknown symptom ids {sorted(unknown)}")
        for scored in scores.lesions:
            lesion = ctx.case.bone_lesions[scored.index]
            if lesion.date is None or not is_under(lesion.site, rule["site"]):
                continue
            in_band = all(
                score in scored.scores and scored.scores[score].band in bands for score, bands in rule["bands"].items()
            )
            later = [
                s for _, s in recorded if _points_to(s.id, rule["site"]) and (s.onset is None or s.onset > lesion.date)
            ]
            if not in_band or later:
                continue
            for i, symptom in recorded:
                if symptom.id in rule["symptoms"] and symptom.onset is not None and symptom.id not in found:
                    found[symptom.id] = FollowedSymptom(
                        symptom=symptom.id,
                        onset=symptom.onset,
                        imaged=lesion.date,
                        lesion=lesion_label(lesion),
                        findings="; ".join(
                            f"{scored.scores[score].name}: {scored.scores[score].band_label}" for score in rule["bands"]
                        ),
                        paths=(f"$.symptoms[{i}]", scored.path),
                    )
    return list(found.values())


def run_triage(ctx: Context, followed: Sequence[FollowedSymptom] = ()) -> tuple[TriageResult | None, list[str]]:
    """The triage of the case's symptoms (less those followed) and labs, or ``None`` when nothing is left."""
    kwargs, caveats = triage_inputs(ctx)
    left_out = {f.symptom for f in followed}
    symptoms = [s for s in ctx.case.symptom_ids() if s not in left_out]
    if not symptoms and not any(k in kwargs for k in ("calcium", *_LIVER)):
        return None, caveats
    try:
        return triage(symptoms, **kwargs), caveats
    except InvalidInputError as exc:  # a laboratory ULN that CTCAE grading refuses: the triage default instead
        if kwargs.get("uln") is None:
            raise
        caveats.append(f"The calcium ULN was not used ({exc}); the triage default was assumed.")
        return triage(symptoms, **{**kwargs, "uln": None}), caveats


def _followed_statements(followed: list[FollowedSymptom]) -> list[Statement]:
    labels = symptom_vocabulary()
    rules = {s: rule for rule in data("inputs")["followed_symptoms"] for s in rule["symptoms"]}
    return [
        Statement(
            id=f"triage.followed.{item.symptom}",
            text=(
                f"Followed, not triaged again: {item.symptom.replace('_', ' ')} (onset {day(item.onset)}) is "
                f"explained by the imaging of {item.lesion} on {day(item.imaged)} ({item.findings}), and no "
                "symptom at that site has started since. Triage again if it changes or any neurological symptom "
                "appears."
            ),
            plain=wording("triage.followed", symptom=labels[item.symptom].lower(), date=day(item.imaged)),
            sources=tuple(rules[item.symptom]["sources"]),
        )
        for item in followed
    ]


def triage_section(
    ctx: Context, result: TriageResult | None, caveats: list[str], followed: Sequence[FollowedSymptom] = ()
) -> TriageSection:
    """Urgency and each fired rule, in clinician and patient words; followed symptoms said as such."""
    followed = list(followed)
    if result is None:
        if followed:
            ctx.done("triage")
            return TriageSection(**head("triage"), followed=followed, statements=_followed_statements(followed))
        ctx.not_run("triage", ["symptoms"])
        return TriageSection(**head("triage"), status=SectionStatus.NOT_ASSESSED)
    ctx.done("triage")
    fired = result.fired_rules
    groups = result.conditions
    titles = "; ".join(g.title for g in groups) if groups else "no red-flag or urgency rule fired"
    statements = [
        Statement(
            id="triage.urgency",
            text=f"Triage urgency: {result.urgency.value.replace('_', ' ')} ({titles}).",
            plain=" ".join(groups[0].plain_action.split()) if groups else wording("triage.none"),
            sources=tuple(groups[0].sources) if groups else tuple(result.sources[:1]),
        )
    ]
    for group in groups:
        rules = " ".join(
            f"{rule.title} [{rule.urgency.value}]: {' '.join(rule.text.split())} Matched: {', '.join(rule.matched)}."
            for rule in group.rules
        )
        statements.append(
            Statement(
                id=f"triage.condition.{group.condition}",
                text=f"{group.title} [{group.urgency.value}] - {rules}",
                plain=f"{group.plain_title}. {group.rules[0].patient_text}",
                sources=tuple(dict.fromkeys((*group.sources, *(s for r in group.rules for s in r.sources)))),
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
        followed=followed,
        statements=statements + _followed_statements(followed),
        reasons=list(result.reasons),
        caveats=list(dict.fromkeys([result.notice, *caveats, *result.caveats])),
    )
