"""The "add result / symptom / treatment / imaging" forms of a record: their controls, and reading a post into
the event the store appends.

The controls offer the case file's own vocabularies (analytes and their units, symptom ids, site ids, lesion
types, treatment kinds), read from the library's data; the store validates the new item as the case file does,
and its problems (``$.labs[6].unit``) are shown at the control of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from metastasis.api.errors import ErrorItem

MAX_TEXT = 500


@dataclass(frozen=True)
class EventField:
    """One control of an event form; ``choices`` are (value, text) pairs for a select."""

    name: str
    label: str
    kind: str = "text"  # select, number, date, text
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    hint: str | None = None


@dataclass(frozen=True)
class EventForm:
    """An event form: the store's event kind, its heading and its controls."""

    kind: str
    title: str
    fields: tuple[EventField, ...]


@dataclass
class EventEntry:
    """What one event form posted: its kind, the values as typed (kept on the page) and the problems by field."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    other_problems: list[ErrorItem] = field(default_factory=list)


def _words(value: str) -> str:
    return value.replace("_", " ")


def event_forms() -> tuple[EventForm, ...]:
    """The forms shown on a record page, in order: result, symptom, treatment, imaging (site, bone lesion)."""
    from metastasis.domain.treatments import TreatmentKind
    from metastasis.domain.vocabularies import (
        bone_site_ids,
        lab_analytes,
        lab_label,
        lab_units,
        lesion_types,
        metastatic_site_ids,
        symptom_ids,
    )

    units = tuple(dict.fromkeys(u for per in lab_units().values() for u in per))
    sites = tuple((s, _words(s)) for s in metastatic_site_ids())
    date = EventField("date", "Date", "date", required=True)
    return (
        EventForm(
            "lab",
            "Add a result",
            (
                EventField("analyte", "Test", "select", True, tuple((a, lab_label(a)) for a in lab_analytes())),
                EventField("value", "Value", "number", True),
                EventField("unit", "Unit", "select", True, tuple((u, u) for u in units), "as reported by the lab"),
                date,
                EventField("uln", "Upper limit of normal", "number", hint="the lab's, in the same unit"),
            ),
        ),
        EventForm(
            "symptom",
            "Add a symptom",
            (
                EventField("id", "Symptom", "select", True, tuple((s, _words(s)) for s in symptom_ids())),
                EventField("onset", "Onset", "date"),
                EventField("note", "Note", "text"),
            ),
        ),
        EventForm(
            "treatment",
            "Add a treatment",
            (
                EventField("kind", "Kind", "select", True, tuple((k.value, _words(k.value)) for k in TreatmentKind)),
                EventField("drug", "Drug", "text", hint="generic name, e.g. denosumab"),
                EventField("start", "Start", "date", True),
                EventField("end", "End", "date", hint="empty while ongoing"),
                EventField("site", "Site treated", "select", choices=sites),
            ),
        ),
        EventForm(
            "metastatic_site",
            "Add imaging: a metastatic site",
            (EventField("site", "Site", "select", True, sites), EventField("date", "Date found", "date")),
        ),
        EventForm(
            "bone_lesion",
            "Add imaging: a bone lesion",
            (
                EventField("site", "Bone site", "select", True, tuple((s, _words(s)) for s in bone_site_ids())),
                EventField("lesion_type", "Lesion type", "select", choices=tuple((t, t) for t in lesion_types())),
                EventField("subsite", "Where", "text", hint="e.g. left femur, neck"),
                EventField("date", "Date found", "date"),
            ),
        ),
    )


def form_of(kind: str) -> EventForm | None:
    """The form of an event kind, or ``None``."""
    return next((f for f in event_forms() if f.kind == kind), None)


def _number(text: str) -> Any:
    try:
        return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text  # the store's validation names the field and what is allowed


def read_entry(form: FormData, spec: EventForm) -> tuple[EventEntry, dict[str, Any]]:
    """The values as typed and the event's payload (empty controls left out; numbers as numbers)."""
    entry = EventEntry(kind=spec.kind)
    payload: dict[str, Any] = {}
    for f in spec.fields:
        text = str(form.get(f.name) or "").strip()[:MAX_TEXT]
        entry.values[f.name] = text
        if text:
            payload[f.name] = _number(text) if f.kind == "number" else text
    return entry, payload


def attach_problems(entry: EventEntry, spec: EventForm, items: list[ErrorItem]) -> None:
    """Put each problem at its control (the last name of its JSON path), the rest in ``other_problems``."""
    names = {f.name for f in spec.fields}
    for item in items:
        if item.message.endswith("(warning)"):
            continue
        last = item.field.replace("]", "").replace("[", ".").rsplit(".", 1)[-1]
        shown = item.allowed and str(item.allowed) not in item.message
        text = item.message + (f"; allowed: {item.allowed}" if shown else "")
        if last in names and last not in entry.problems:
            entry.problems[last] = text
        else:
            entry.other_problems.append(item)
