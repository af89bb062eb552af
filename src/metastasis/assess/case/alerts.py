"""Timeline alerts a careful clinician would raise, each with its severity, rule, sources and triggering dates.

* ``bta_not_started`` - bone metastasis without a bone-targeted agent started within about 6 months.
* ``mirels_no_surgical_review`` - a long-bone lesion in Mirels' high-risk band (9 or more) without a surgical
  review recorded on or after the lesion's date.
* ``sins_no_surgical_review`` - an unstable (SINS 13-18) or, as a lesser alert, potentially unstable (7-12)
  spine without a surgical review.
* ``escc_high_grade_no_review`` - high-grade epidural spinal cord compression (Bilsky 2-3) without a surgical or
  radiation oncology review.
* ``calcium_rising`` - the latest corrected calcium is higher than the one before and above the ULN.
* ``red_flag:<condition>`` - each triage condition of urgency emergency_now or same_day, with the rules that
  fired for it as its findings.

One clinical situation gives one alert: an alert about a condition for which a red flag fired (high-grade ESCC
within suspected cord compression, rising calcium within hypercalcaemia) is folded into that red flag.
The rules and their words are ``data/alerts.yaml``; score thresholds come from the score tables' bands.
"""

from __future__ import annotations

import datetime
from typing import Any

from metastasis.assess.case._context import Context, add_months, calculated, data, day, months_between
from metastasis.assess.case.bone_scores import lesion_label
from metastasis.assess.case.models import (
    Alert,
    AlertSeverity,
    BoneScoresSection,
    CalciumSection,
    TriageSection,
)
from metastasis.assess.triage import FiredRule
from metastasis.assess.triage_models import Urgency, conditions
from metastasis.domain import BoneLesion, ReviewKind
from metastasis.knowledge import get_site


def _spec(alert_id: str) -> dict[str, Any]:
    return data("alerts")[alert_id]


def _clean(text: str) -> str:
    return " ".join(text.split())


def _alert(alert_id: str, severity: str, text: str, plain: str, **extra: Any) -> Alert:
    spec = _spec(alert_id)
    action, plain_action, sources = spec.get("action"), spec.get("plain_action"), tuple(spec["sources"])
    if "action_urgency" in spec:
        condition = conditions()[spec["condition"]]
        urgency = Urgency(spec["action_urgency"][severity])
        action, plain_action = condition.action[urgency], condition.plain_action[urgency]
        sources = tuple(dict.fromkeys((*sources, *condition.sources)))
    return Alert(
        id=alert_id,
        condition=spec.get("condition"),
        severity=AlertSeverity(severity),
        title=spec["title"],
        plain_title=spec["plain_title"],
        text=_clean(text),
        plain=_clean(plain),
        rule=_clean(spec["rule"]),
        action=_clean(action),
        plain_action=_clean(plain_action),
        questions=tuple(spec.get("questions", ())),
        sources=sources,
        caveats=tuple(_clean(c) for c in spec.get("caveats", ())),
        **extra,
    )


def bta_alert(ctx: Context) -> Alert | None:
    """Bone metastasis and no bone-targeted agent started within the window (or only later)."""
    if not ctx.has_bone():
        return None
    bone_date, paths = ctx.bone_metastasis_date()
    if bone_date is None:
        return None
    spec = _spec("bta_not_started")
    deadline = add_months(bone_date, spec["window_months"])
    agents = [
        t
        for t in ctx.case.treatments_of("bone_targeted")
        if t.start <= ctx.today and (t.end is None or t.end >= bone_date)  # one stopped before does not count
    ]
    in_time = [t for t in agents if t.start <= deadline]
    if in_time:
        return None
    months = months_between(bone_date, ctx.today)
    elapsed = "less than a month" if months == 0 else f"{months} month{'s' * (months != 1)}"
    fill = {"bone_date": day(bone_date), "deadline": day(deadline), "elapsed": elapsed}
    if agents:
        late = agents[0]
        case_index = ctx.case.treatments.index(late)
        fill.update(drug=late.drug or "drug not named", start=day(late.start))
        key = "started_late"
        paths = (*paths, f"$.treatments[{case_index}]")
        dates: tuple[datetime.date, ...] = (bone_date, late.start)
    else:
        key = "window_passed" if ctx.today > deadline else "within_window"
        dates = (bone_date,)
    return _alert(
        "bta_not_started",
        spec["severity"][key],
        spec["text"][key].format(**fill),
        spec["plain"][key].format(**fill),
        dates=dates,
        paths=paths,
    )


def _reviewed(ctx: Context, lesion: BoneLesion, kinds: set[ReviewKind]) -> bool:
    """A review of one of ``kinds`` on or after the lesion's date (an undated review or lesion counts)."""
    return any(
        review.kind in kinds and (review.date is None or lesion.date is None or review.date >= lesion.date)
        for review in ctx.case.reviews
        if review.date is None or review.date <= ctx.today
    )


_SURGICAL = {ReviewKind.ORTHOPAEDIC_SURGERY, ReviewKind.SPINAL_SURGERY}


def bone_alerts(ctx: Context, scores: BoneScoresSection) -> list[Alert]:
    """Mirels high risk, SINS instability and high-grade ESCC without the review each calls for."""
    alerts: list[Alert] = []
    for scored in scores.lesions:
        lesion = ctx.case.bone_lesions[scored.index]
        label = lesion_label(lesion)
        dates = (lesion.date,) if lesion.date else ()
        mirels = scored.scores.get("mirels")
        if mirels is not None and mirels.band == "high" and not _reviewed(ctx, lesion, _SURGICAL):
            spec = _spec("mirels_no_surgical_review")
            fill = {
                "lesion": label,
                "total": mirels.total,
                "band": mirels.band_label,
                "plain_site": lesion.subsite or get_site(lesion.site).plain_name,
            }
            alerts.append(
                _alert(
                    "mirels_no_surgical_review",
                    spec["severity"],
                    spec["text"].format(**fill),
                    spec["plain"].format(**fill),
                    dates=dates,
                    paths=(scored.path,),
                    values=(calculated("Mirels", mirels.total, "", "Mirels score", mirels.sources, scored.path),),
                )
            )
        sins = scored.scores.get("sins")
        unstable = sins is not None and sins.band in ("unstable", "potentially_unstable")
        if sins is not None and unstable and not _reviewed(ctx, lesion, _SURGICAL):
            spec = _spec("sins_no_surgical_review")
            fill = {"lesion": label, "total": sins.total, "band": sins.band_label}
            alerts.append(
                _alert(
                    "sins_no_surgical_review",
                    spec["severity"][sins.band],
                    spec["text"].format(**fill),
                    spec["plain"][sins.band],
                    dates=dates,
                    paths=(scored.path,),
                    values=(calculated("SINS", sins.total, "", "SINS", sins.sources, scored.path),),
                )
            )
        escc = scored.scores.get("bilsky_escc")
        reviewers = _SURGICAL | {ReviewKind.RADIATION_ONCOLOGY}
        if escc is not None and escc.high_grade and not _reviewed(ctx, lesion, reviewers):  # type: ignore[attr-defined]
            spec = _spec("escc_high_grade_no_review")
            fill = {"lesion": label, "grade": escc.grade}  # type: ignore[attr-defined]
            alerts.append(
                _alert(
                    "escc_high_grade_no_review",
                    spec["severity"],
                    spec["text"].format(**fill),
                    spec["plain"],
                    dates=dates,
                    paths=(f"{scored.path}.spine.escc_grade",),
                )
            )
    return alerts


def calcium_alert(calcium: CalciumSection) -> Alert | None:
    """The latest corrected calcium rose and is above the ULN."""
    if calcium.trend != "rising":
        return None
    with_corrected = [p for p in calcium.points if p.corrected is not None]
    latest = with_corrected[-1]
    previous = next(p for p in reversed(with_corrected[:-1]) if p.date < latest.date)
    assert latest.corrected is not None and previous.corrected is not None
    if latest.grade is None or latest.grade.grade < 1:
        return None
    spec = _spec("calcium_rising")
    fill = {
        "previous": f"{previous.corrected.value:g} {previous.corrected.unit}",
        "previous_date": day(previous.date),
        "latest": f"{latest.corrected.value:g} {latest.corrected.unit}",
        "latest_date": day(latest.date),
        "grade": latest.grade.grade,
    }
    severity = spec["severity"]["grade_1" if latest.grade.grade == 1 else "grade_2_or_more"]
    return _alert(
        "calcium_rising",
        severity,
        spec["text"].format(**fill),
        spec["plain"].format(**fill),
        dates=(previous.date, latest.date),
        paths=(previous.path, latest.path),
        values=(
            calculated(
                "Corrected calcium",
                latest.corrected.value,
                latest.corrected.unit,
                latest.corrected.formula,
                latest.corrected.sources,
                latest.path,
            ),
        ),
    )


def _finding(rule: FiredRule) -> str:
    matched = ", ".join(m.replace("_", " ") for m in rule.matched)
    return f"{rule.title} [{rule.urgency.value.replace('_', ' ')}]: {matched}"


def red_flag_alerts(ctx: Context, triage: TriageSection) -> list[Alert]:
    """One alert per fired triage condition of urgency emergency_now or same_day, its rules as findings."""
    if triage.triage is None:
        return []
    spec = _spec("red_flag")
    alerts = []
    for fired in triage.triage.conditions:
        severity = spec["severity"].get(fired.urgency.value)
        if severity is None:
            continue
        matched = {m for rule in fired.rules for m in rule.matched}
        dates: list[datetime.date] = []
        paths: list[str] = []
        for i, symptom in enumerate(ctx.case.symptoms):
            if symptom.id in matched:
                paths.append(f"$.symptoms[{i}]")
                if symptom.onset:
                    dates.append(symptom.onset)
        lab = ctx.case.latest_lab("calcium") if triage.triage.calcium is not None else None
        if lab is not None and any(rule.rule.startswith("calcium.") for rule in fired.rules):
            dates.append(lab.date)
            paths.append(ctx.lab_path(lab))
        findings = tuple(_finding(rule) for rule in fired.rules)
        rule_ids = ", ".join(rule.rule for rule in fired.rules)
        alerts.append(
            Alert(
                id=f"red_flag:{fired.condition}",
                condition=fired.condition,
                findings=findings,
                severity=AlertSeverity(severity),
                title=fired.title,
                plain_title=fired.plain_title,
                text=_clean(f"Fired: {'; '.join(findings)}."),
                plain=_clean(fired.rules[0].patient_text),
                rule=_clean(
                    spec["rule"].format(condition=fired.condition, urgency=fired.urgency.value, rules=rule_ids)
                ),
                action=_clean(fired.action),
                plain_action=_clean(fired.plain_action),
                questions=tuple(spec["questions"]),
                sources=tuple(dict.fromkeys((*fired.sources, *(s for r in fired.rules for s in r.sources)))),
                dates=tuple(sorted(set(dates))),
                paths=tuple(paths),
            )
        )
    return alerts


def _fold(lead: Alert, other: Alert) -> Alert:
    """``other`` as one more finding of the red flag ``lead``: the patient reads one alert with one action (the
    lead's); the clinician also reads the other's action."""
    finding = f"{other.title}: {other.text}"
    return lead.model_copy(
        update={
            "severity": min(lead.severity, other.severity, key=lambda s: s.rank),
            "findings": (*lead.findings, finding),
            "text": _clean(f"{lead.text} Also: {finding}"),
            "action": _clean(f"{lead.action} Also ({other.title}): {other.action}"),
            "plain": _clean(f"{lead.plain} {other.plain}"),
            "questions": tuple(dict.fromkeys((*lead.questions, *other.questions))),
            "sources": tuple(dict.fromkeys((*lead.sources, *other.sources))),
            "dates": tuple(sorted({*lead.dates, *other.dates})),
            "paths": tuple(dict.fromkeys((*lead.paths, *other.paths))),
            "values": (*lead.values, *other.values),
            "caveats": tuple(dict.fromkeys((*lead.caveats, *other.caveats))),
        }
    )


def _symptom_paths(alert: Alert) -> set[str]:
    return {path for path in alert.paths if path.startswith("$.symptoms[")}


def one_per_condition(alerts: list[Alert]) -> list[Alert]:
    """One alert per clinical situation, in first-come order.

    An alert about a condition that also raised a red flag is folded into that red flag. A less urgent red flag
    whose symptoms are all findings of a more urgent one (confusion raised by both hypercalcaemia and 'new
    neurological symptoms') is folded into the more urgent one, so a patient never reads two urgencies for the
    same symptoms.
    """
    leads = {a.condition: a for a in alerts if a.id.startswith("red_flag:")}
    kept: dict[str, Alert] = {}
    for alert in alerts:
        lead = leads.get(alert.condition) if alert.condition is not None else None
        if lead is None or alert is lead:
            kept.setdefault(alert.id, alert)
            continue
        kept[lead.id] = _fold(kept.get(lead.id, lead), alert)
    flags = sorted((a for a in kept.values() if a.id.startswith("red_flag:")), key=lambda a: a.severity.rank)
    for index, alert in enumerate(flags):
        mine = _symptom_paths(alert)
        for lead in flags[:index]:
            if mine and lead.severity.rank < alert.severity.rank and mine <= _symptom_paths(kept[lead.id]):
                kept[lead.id] = _fold(kept[lead.id], kept.pop(alert.id))
                break
    return list(kept.values())


def all_alerts(ctx: Context, triage: TriageSection, scores: BoneScoresSection, calcium: CalciumSection) -> list[Alert]:
    """Every alert that fires, one per clinical situation, most severe first (rule order within a severity)."""
    found = [*red_flag_alerts(ctx, triage), *bone_alerts(ctx, scores)]
    for alert in (calcium_alert(calcium), bta_alert(ctx)):
        if alert is not None:
            found.append(alert)
    return sorted(one_per_condition(found), key=lambda a: a.severity.rank)
