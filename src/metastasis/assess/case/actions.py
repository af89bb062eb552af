"""What to do now (most urgent first, never empty) and the questions a patient can ask the care team."""

from __future__ import annotations

from metastasis.assess.case._context import data, wording
from metastasis.assess.case.models import Action, Alert, AlertSeverity, MissingData, TriageSection
from metastasis.assess.triage_models import Urgency

_URGENCY_SEVERITY = {
    Urgency.EMERGENCY_NOW: AlertSeverity.EMERGENCY,
    Urgency.SAME_DAY: AlertSeverity.HIGH,
    Urgency.SOON: AlertSeverity.MODERATE,
}


def what_to_do_now(triage: TriageSection, alerts: list[Alert], missing: list[MissingData]) -> list[Action]:
    """The most urgent triage condition's action, one action per other alert, what to record next, and the
    routine advice."""
    found: list[Action] = []
    result = triage.triage
    top_id = None
    if result is not None and result.urgency in _URGENCY_SEVERITY:
        top = result.conditions[0]
        top_id = f"red_flag:{top.condition}"
        alert = next((a for a in alerts if a.id == top_id), None)  # with the findings folded into it
        found.append(
            Action(
                severity=_URGENCY_SEVERITY[result.urgency],
                text=f"{top.title}: {alert.action if alert else ' '.join(top.action.split())}",
                plain=" ".join(top.plain_action.split()),
                origin="triage",
                sources=alert.sources if alert else tuple(top.sources),
            )
        )
    for alert in alerts:
        if alert.id == top_id:
            continue  # the triage action above is this alert's action
        found.append(
            Action(
                severity=alert.severity,
                text=alert.action,
                plain=alert.plain_action,
                origin=alert.id,
                sources=alert.sources,
            )
        )
    if missing:
        items = "; ".join(dict.fromkeys(m.item for m in missing))
        found.append(
            Action(
                severity=AlertSeverity.LOW,
                text=wording("actions.missing.text", items=items),
                plain=wording("actions.missing.plain"),
                origin="missing_data",
            )
        )
    closing = "closing" if any(a.severity.rank <= AlertSeverity.MODERATE.rank for a in found) else "routine"
    found.append(
        Action(
            severity=AlertSeverity.LOW,
            text=wording(f"actions.{closing}.text"),
            plain=wording(f"actions.{closing}.plain"),
            origin=closing,
        )
    )
    return sorted(found, key=lambda a: a.severity.rank)


def questions_to_ask(alerts: list[Alert], *, metastatic: bool, bone: bool) -> list[str]:
    """Questions from the alerts first, then for the stage of the disease, then those always worth asking."""
    asked: dict[str, None] = {}
    for alert in alerts:
        asked.update(dict.fromkeys(alert.questions))
    questions = data("wording")["questions"]
    asked.update(dict.fromkeys(questions["metastatic" if metastatic else "early"]))
    if bone:
        asked.update(dict.fromkeys(questions["bone"]))
    asked.update(dict.fromkeys(questions["always"]))
    return list(asked)
