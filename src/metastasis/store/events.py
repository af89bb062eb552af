"""Events appended to a case one at a time: each kind is one list of the case file, validated by the case's own
models (a lab result is a :class:`metastasis.domain.LabResult`, and so on)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Mapping
from typing import Any

from metastasis.domain import Case, validate_case
from metastasis.errors import InvalidInputError

EVENT_KINDS: dict[str, str] = {
    "lab": "labs",
    "symptom": "symptoms",
    "performance": "performance_status",
    "treatment": "treatments",
    "review": "reviews",
    "skeletal_event": "events",
    "metastatic_site": "metastatic_sites",
    "bone_lesion": "bone_lesions",
}
"""Event kind -> the list of the case file it is appended to (imaging findings are ``metastatic_site`` and
``bone_lesion`` events)."""


def case_data(case: Case) -> dict[str, Any]:
    """The case as the plain JSON data the store keeps (fields at their defaults left out)."""
    return case.model_dump(mode="json", exclude_defaults=True)


def to_case(case: Case | Mapping[str, Any], *, source: str = "case") -> Case:
    """A validated case from a :class:`Case` or plain data.

    Raises
    ------
    CaseValidationError
        (an :class:`InvalidInputError`) listing every error of the case.
    """
    data = case_data(case) if isinstance(case, Case) else case
    report = validate_case(data)
    report.raise_for_errors(source=source)
    assert report.case is not None
    return report.case


DATE_FIELDS = ("date", "onset", "start", "end")


def _latest_date(payload: Mapping[str, Any]) -> str | None:
    found = []
    for key in DATE_FIELDS:
        value = payload.get(key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                found.append(dt.date.fromisoformat(value).isoformat())
    return max(found, default=None)


def append_event(case: Mapping[str, Any], kind: str, payload: Any) -> tuple[Case, dict[str, Any]]:
    """The case with one event appended, validated as a whole, and the event as stored.

    Parameters
    ----------
    case:
        The current case data.
    kind:
        One of :data:`EVENT_KINDS`.
    payload:
        The event, as the case file writes one item of that list (e.g. ``{"analyte": "calcium", ...}``).

    Returns
    -------
    tuple[Case, dict]
        The new case and the event's normalised data.

    Raises
    ------
    InvalidInputError
        An unknown kind, a payload that is not a mapping, or a case that the event makes invalid (the error's path
        names the new item, e.g. ``$.labs[6].unit``).

    Notes
    -----
    When the case has an ``as_of`` date and the event is dated later (``date``, ``onset``, ``start`` or ``end``),
    ``as_of`` moves to the event's date: the case is "as of" its newest data.

    Example
    -------
    >>> new, event = append_event({"schema_version": "1.0"}, "symptom", {"id": "fatigue"})
    >>> new.symptoms[0].id, event
    ('fatigue', {'id': 'fatigue'})
    """
    if kind not in EVENT_KINDS:
        raise InvalidInputError("kind", kind, sorted(EVENT_KINDS))
    if not isinstance(payload, Mapping):
        raise InvalidInputError("payload", type(payload).__name__, "a JSON object (one item of the case file's list)")
    field = EVENT_KINDS[kind]
    data = dict(case)
    data[field] = [*data.get(field, []), dict(payload)]
    latest = _latest_date(payload)
    if latest is not None and isinstance(data.get("as_of"), str) and latest > data["as_of"]:
        # the case is "as of" its newest data: an event after it moves it forward
        data["as_of"] = latest
    new = to_case(data, source=f"{kind} event")
    stored = case_data(new).get(field, [])
    return new, stored[-1] if stored else dict(payload)
