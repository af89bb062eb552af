"""Symptom triage for people with (suspected) metastatic breast cancer.

A small engine reads the rules in ``assess/data/triage_rules.yaml`` and the vocabulary in
``triage_symptoms.yaml``: it ranks the metastatic sites the symptoms point to, fires red-flag rules (spinal
cord compression, severe or symptomatic hypercalcaemia, seizure or raised intracranial pressure, suspected
pathological fracture, ...), takes the most urgent level, and lists the work-up per suspected site. The fired
rules are grouped by clinical situation (``triage_conditions.yaml``): one :class:`FiredCondition` per situation,
with its immediate management for clinicians and patients, so one situation gives one alert. Calcium is
corrected and graded by :mod:`metastasis.assess.calcium`. The output always says what to do now in plain words
and never gives a diagnosis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from metastasis.assess.calcium import UNITS, corrected_calcium, hypercalcemia_grade
from metastasis.assess.triage_models import (
    Clause,
    Rule,
    SiteWorkup,
    Urgency,
    actions,
    aliases,
    conditions,
    rules,
    workup,
)
from metastasis.assess.triage_models import symptoms as symptom_table
from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.knowledge._evidence import unverified_caveats
from metastasis.knowledge.sites import all_sites, get_site, organ_of

__all__ = [
    "CalciumFinding",
    "FiredCondition",
    "FiredRule",
    "SiteSuspicion",
    "TriageResult",
    "Urgency",
    "WorkupItem",
    "symptom_vocabulary",
    "triage",
]

_LIVER_LABS = ("alp", "alt", "ast")
_LAB_SITES = {"alp": ("bone", "liver"), "alt": ("liver",), "ast": ("liver",)}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class FiredRule(_Out):
    """A rule that fired, the findings that made it fire and what it means."""

    rule: str
    title: str
    urgency: Urgency
    condition: str
    matched: list[str]
    text: str
    patient_text: str
    sources: list[str]


class FiredCondition(_Out):
    """One clinical situation that fired: its most urgent level, the rules that fired for it (most urgent first)
    and its immediate management. Self-contained: a report shows it as one alert.

    ``plain_title`` and ``plain_action`` are written for patients; ``title`` and ``action`` for clinicians.
    """

    condition: str
    title: str
    plain_title: str
    urgency: Urgency
    rules: list[FiredRule]
    action: str
    plain_action: str
    sources: list[str]


class SiteSuspicion(_Out):
    """A metastatic site the findings point to, with the findings that point there."""

    site: str
    name: str
    plain_name: str
    score: int
    findings: list[str]


class WorkupItem(_Out):
    """Recommended tests for one suspected site or complication."""

    target: str
    kind: str
    imaging: list[str]
    labs: list[str]
    biopsy: str | None
    sources: list[str]


class CalciumFinding(_Out):
    """The calcium values used by the rules."""

    measured: float
    albumin: float | None
    corrected: float | None
    graded_value: float
    unit: str
    units: str
    uln: float
    uln_is_default: bool
    grade: int


class TriageResult(Evidenced):
    """Urgency, the situations and rules that fired, ranked suspected sites and the work-up, with reasons and
    sources.

    ``conditions`` holds one entry per clinical situation that fired, most urgent first; ``fired_rules`` lists
    the same rules flat, most urgent first. ``what_to_do_now``, ``notice``, the ``patient_text`` of each fired
    rule and the ``plain_title`` and ``plain_action`` of each condition are written for patients.
    """

    urgency: Urgency
    what_to_do_now: str
    notice: str
    symptoms: list[str]
    conditions: list[FiredCondition]
    fired_rules: list[FiredRule]
    suspected_conditions: list[str]
    sites: list[SiteSuspicion]
    workup: list[WorkupItem]
    first_metastasis_note: str
    calcium: CalciumFinding | None = None


def symptom_vocabulary() -> dict[str, str]:
    """The controlled symptom codes with their plain-language labels.

    Example
    -------
    >>> symptom_vocabulary()["seizure"]
    'A fit or seizure'
    """
    return {symptom.id: symptom.label for symptom in symptom_table().values()}


def _normalise_symptoms(given: Iterable[str]) -> list[str]:
    if isinstance(given, str):
        given = [given]
    known = aliases()
    found: dict[str, None] = {}
    for item in given:
        key = item.strip().lower().replace("-", "_") if isinstance(item, str) else item
        if key not in known:
            raise InvalidInputError("symptom", item, sorted(symptom_table()))
        found.setdefault(known[key], None)
    return list(found)


def _positive(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise InvalidInputError(field, value, "a finite number > 0")
    return float(value)


def _labs_above(labs: dict[str, tuple[float | None, float | None]]) -> dict[str, str]:
    above: dict[str, str] = {}
    for name, (value, uln) in labs.items():
        if value is None and uln is None:
            continue
        if value is None or uln is None:
            missing = f"{name}_uln" if uln is None else name
            raise InvalidInputError(missing, None, f"a number > 0 (give {name} together with {name}_uln)")
        number, limit = _positive(name, value), _positive(f"{name}_uln", uln)
        if number > limit:
            above[name] = f"{name.upper()} {number:g} above its upper limit of normal {limit:g}"
    return above


def _calcium(
    calcium: float | None, albumin: float | None, units: str | None, uln: float | None
) -> tuple[CalciumFinding | None, list[Reason], list[str]]:
    if calcium is None:
        for field, value in (("albumin", albumin), ("uln", uln)):
            if value is not None:
                raise InvalidInputError("calcium", None, f"a calcium value (needed when {field} is given)")
        return None, [], []
    if units not in UNITS:
        raise InvalidInputError("units", units, UNITS, "units are required with a calcium value")
    reasons: list[Reason] = []
    caveats: list[str] = []
    graded = calcium
    corrected_value = None
    if albumin is not None:
        corrected = corrected_calcium(calcium=calcium, albumin=albumin, units=units)  # type: ignore[arg-type]
        corrected_value = graded = corrected.value
        reasons += corrected.reasons
        caveats += corrected.caveats
    else:
        caveats.append(
            "No albumin was given: the measured total calcium was graded without correction, which can hide "
            "hypercalcaemia when albumin is low."
        )
    defaults = actions().default_calcium_uln
    uln_is_default = uln is None
    limit = getattr(defaults, units) if uln is None else uln
    if uln_is_default:
        caveats.append(
            f"No laboratory upper limit of normal was given: {limit:g} {'mmol/L' if units == 'si' else 'mg/dL'} "
            "was assumed; use your laboratory's range."
        )
        reasons.append(
            Reason(rule="triage.calcium.default_uln", text=f"Assumed ULN {limit:g}.", sources=defaults.sources)
        )
    grading = hypercalcemia_grade(calcium=graded, units=units, uln=limit)  # type: ignore[arg-type]
    reasons += grading.reasons
    caveats += grading.caveats
    finding = CalciumFinding(
        measured=float(calcium),
        albumin=None if albumin is None else float(albumin),
        corrected=corrected_value,
        graded_value=float(graded),
        unit=grading.unit,
        units=units,
        uln=float(limit),
        uln_is_default=uln_is_default,
        grade=grading.grade,
    )
    return finding, reasons, caveats


def _clause_matches(
    clause: Clause, present: set[str], calcium: CalciumFinding | None, labs_above: dict[str, str]
) -> list[str] | None:
    """The findings that satisfy the clause, or ``None`` when it does not hold."""
    if clause.any is not None:
        hits = [s for s in clause.any if s in present]
        return hits or None
    if clause.none is not None:
        return None if any(s in present for s in clause.none) else []
    if clause.count is not None:
        hits = [s for s in clause.count.of if s in present]
        most = len(hits) if clause.count.max is None else clause.count.max
        return hits if clause.count.min <= len(hits) <= most else None
    if clause.calcium_given is not None:
        return [] if (calcium is not None) == clause.calcium_given else None
    if clause.lab_above_uln is not None:
        hits = [labs_above[name] for name in clause.lab_above_uln if name in labs_above]
        return hits or None
    if calcium is None:
        return None
    low = clause.calcium_grade_min if clause.calcium_grade_min is not None else 0
    high = clause.calcium_grade_max if clause.calcium_grade_max is not None else 4
    if low <= calcium.grade <= high:
        label = "corrected calcium" if calcium.corrected is not None else "calcium"
        return [f"{label} {calcium.graded_value:g} {calcium.unit} (CTCAE grade {calcium.grade})"]
    return None


def _fire(rule: Rule, present: set[str], calcium: CalciumFinding | None, labs: dict[str, str]) -> FiredRule | None:
    matched: dict[str, None] = {}
    for clause in rule.when:
        hits = _clause_matches(clause, present, calcium, labs)
        if hits is None:
            return None
        matched.update(dict.fromkeys(hits))
    return FiredRule(
        rule=rule.id,
        title=rule.title,
        urgency=rule.urgency,
        condition=rule.condition,
        matched=list(matched),
        text=rule.text,
        patient_text=rule.patient_text,
        sources=list(rule.sources),
    )


def _fire_all(present: set[str], calcium: CalciumFinding | None, labs: dict[str, str]) -> list[FiredRule]:
    """The fired rules, most urgent first (file order within a level); residual rules see only the symptoms
    that no other fired rule matched."""
    fired = [f for rule in rules() if not rule.residual and (f := _fire(rule, present, calcium, labs)) is not None]
    unexplained = present - {finding for f in fired for finding in f.matched}
    fired += [f for rule in rules() if rule.residual and (f := _fire(rule, unexplained, calcium, labs)) is not None]
    order = {rule.id: index for index, rule in enumerate(rules())}
    return sorted(fired, key=lambda f: (f.urgency.rank, order[f.rule]))


def _group(fired: list[FiredRule]) -> tuple[list[FiredCondition], list[Reason]]:
    """One entry per condition of the fired rules (which come most urgent first), at its most urgent level."""
    groups: dict[str, list[FiredRule]] = {}
    for rule in fired:
        groups.setdefault(rule.condition, []).append(rule)
    found: list[FiredCondition] = []
    for condition_id, members in groups.items():
        entry = conditions()[condition_id]
        urgency = members[0].urgency
        cited = dict.fromkeys(entry.sources)
        for member in members:
            cited.update(dict.fromkeys(member.sources))
        found.append(
            FiredCondition(
                condition=condition_id,
                title=entry.title,
                plain_title=entry.plain_title,
                urgency=urgency,
                rules=members,
                action=" ".join(entry.action[urgency].split()),
                plain_action=" ".join(entry.plain_action[urgency].split()),
                sources=list(cited),
            )
        )
    reasons = [
        Reason(
            rule=f"triage.condition.{c.condition}",
            text=f"{c.title} [{c.urgency.value}; rules {', '.join(r.rule for r in c.rules)}]: {c.action}",
            sources=tuple(conditions()[c.condition].sources),
        )
        for c in found
    ]
    return found, reasons


def _rank_sites(present: list[str], labs_above: dict[str, str]) -> tuple[list[SiteSuspicion], list[Reason]]:
    scores: dict[str, int] = {}
    findings: dict[str, list[str]] = {}
    cited: dict[str, None] = {}
    vocabulary = symptom_table()
    for symptom_id in present:
        symptom = vocabulary[symptom_id]
        for site_id, weight in symptom.points_to.items():
            scores[site_id] = scores.get(site_id, 0) + weight
            findings.setdefault(site_id, []).append(symptom_id)
            cited.update(dict.fromkeys(symptom.sources))
    for lab in labs_above:
        for site_id in _LAB_SITES[lab]:
            scores[site_id] = scores.get(site_id, 0) + 1
            findings.setdefault(site_id, []).append(f"{lab}_above_uln")
            cited["issue-4-brief"] = None
    order = {site.id: index for index, site in enumerate(all_sites())}
    ranked = sorted(scores, key=lambda site_id: (-scores[site_id], order[site_id]))
    sites = []
    for site_id in ranked:
        site = get_site(site_id)
        sites.append(
            SiteSuspicion(
                site=site_id,
                name=site.name,
                plain_name=site.plain_name,
                score=scores[site_id],
                findings=findings[site_id],
            )
        )
    reasons = []
    if sites:
        summary = "; ".join(f"{s.site} {s.score} ({', '.join(s.findings)})" for s in sites)
        reasons.append(
            Reason(
                rule="triage.site_ranking",
                text=f"Sites ranked by summed symptom weights (2 typical, 1 possible, 3 specific): {summary}.",
                sources=tuple(cited),
            )
        )
    return sites, reasons


def _workup(sites: list[SiteSuspicion], conditions: list[str]) -> tuple[list[WorkupItem], list[Reason]]:
    data = workup()
    wanted: list[tuple[str, str, SiteWorkup | None]] = []
    for suspicion in sites:
        site = get_site(suspicion.site)
        key = site.id if site.id in data.sites else organ_of(site).id
        wanted.append((key, "site", data.sites.get(key)))
    wanted.extend((condition, "condition", data.conditions.get(condition)) for condition in conditions)
    items: dict[str, WorkupItem] = {}
    for key, kind, entry in wanted:
        if entry is None or key in items:
            continue
        items[key] = WorkupItem(
            target=key,
            kind=kind,
            imaging=list(entry.imaging),
            labs=list(entry.labs),
            biopsy=entry.biopsy,
            sources=list(entry.sources),
        )
    reasons = [
        Reason(rule=f"triage.workup.{item.target}", text=f"Work-up for {item.target}.", sources=tuple(item.sources))
        for item in items.values()
    ]
    if items:
        first = data.first_metastasis
        reasons.append(Reason(rule="triage.workup.first_metastasis", text=first.text, sources=first.sources))
    return list(items.values()), reasons


def triage(
    symptoms: Iterable[str] = (),
    *,
    calcium: float | None = None,
    albumin: float | None = None,
    units: str | None = None,
    uln: float | None = None,
    alp: float | None = None,
    alp_uln: float | None = None,
    alt: float | None = None,
    alt_uln: float | None = None,
    ast: float | None = None,
    ast_uln: float | None = None,
) -> TriageResult:
    """Triage symptoms (and optional labs) of a person with breast cancer: urgency, sites and work-up.

    Parameters
    ----------
    symptoms:
        Codes from :func:`symptom_vocabulary` (unknown codes raise :class:`InvalidInputError` listing the
        valid ones).
    calcium, albumin, units, uln:
        Total serum calcium, serum albumin and the laboratory upper limit of normal for corrected calcium;
        ``units`` is ``"si"`` (mmol/L, g/L) or ``"conventional"`` (mg/dL, g/dL) and is required with calcium.
        Without ``uln`` a default (2.6 mmol/L or 10.5 mg/dL) is assumed and flagged.
    alp, alt, ast and their ``*_uln``:
        Alkaline phosphatase and transaminases with the laboratory's upper limit of normal (same unit).

    Returns
    -------
    TriageResult
        The most urgent level of the rules that fired (``routine`` when none did), what to do now in plain
        words, the clinical situations that fired (one per condition, most urgent first, each with its rules
        and immediate management), the fired rules with their sources, ranked suspected sites and the work-up
        per site.

    Example
    -------
    >>> r = triage(["back_pain", "limb_weakness"])
    >>> r.urgency.value
    'emergency_now'
    >>> r.fired_rules[0].rule
    'mscc.spinal_pain_with_neuro'
    >>> [(c.condition, [f.rule for f in c.rules]) for c in r.conditions]
    [('spinal_cord_compression', ['mscc.spinal_pain_with_neuro', 'neuro.limb_weakness'])]
    >>> r.conditions[0].plain_action[:27]
    'Call emergency services now'
    """
    present = _normalise_symptoms(symptoms)
    labs_above = _labs_above({"alp": (alp, alp_uln), "alt": (alt, alt_uln), "ast": (ast, ast_uln)})
    calcium_finding, reasons, caveats = _calcium(calcium, albumin, units, uln)
    lab_given = calcium is not None or any(v is not None for v in (alp, alt, ast))
    if not present and not lab_given:
        raise InvalidInputError("symptoms", [], sorted(symptom_table()), "give at least one symptom or a lab value")

    fired = _fire_all(set(present), calcium_finding, labs_above)
    urgency = fired[0].urgency if fired else Urgency.ROUTINE
    grouped, condition_reasons = _group(fired)

    suspected: dict[str, None] = {f.condition: None for f in fired}
    for symptom_id in present:
        for hint in symptom_table()[symptom_id].hints:
            if hint == "hypercalcaemia" and calcium_finding is not None and calcium_finding.grade == 0:
                continue
            suspected.setdefault(hint, None)

    sites, site_reasons = _rank_sites(present, labs_above)
    items, workup_reasons = _workup(sites, list(suspected))
    rule_reasons = [Reason(rule=f.rule, text=f"{f.title}: {f.text}", sources=tuple(f.sources)) for f in fired]
    if not fired:
        rule_reasons.append(
            Reason(
                rule="triage.no_rule_fired",
                text="No red-flag or urgency rule matched these findings; urgency is routine.",
                sources=("nice-cg75-mscc",),
            )
        )
    all_reasons = rule_reasons + condition_reasons + reasons + site_reasons + workup_reasons
    return TriageResult(
        urgency=urgency,
        what_to_do_now=actions().urgency[urgency],
        notice=actions().notice,
        symptoms=present,
        conditions=grouped,
        fired_rules=fired,
        suspected_conditions=list(suspected),
        sites=sites,
        workup=items,
        first_metastasis_note=workup().first_metastasis.text,
        calcium=calcium_finding,
        reasons=all_reasons,
        caveats=caveats + unverified_caveats(all_reasons),
    )
