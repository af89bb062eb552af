"""The clinician forms: controls for an operation (its request model plus its :class:`FormSpec`), a posted form
run through the operation, and the problems placed next to their controls.

Hints are the library's parameter descriptions without docstring markup, plus the documented bounds of
simulation sizes from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from metastasis.api.errors import ErrorItem
from metastasis.api.operations import Operation
from metastasis.web.clinician_specs import spec_of
from metastasis.web.forms import FormField, Submission, clean_hint, form_fields, submit


def fields_for(operation: Operation, values: Mapping[str, Any] | None = None) -> list[FormField]:
    """The form controls of an operation: posted ``values``, else this page's defaults, else the model's."""
    spec = spec_of(operation)
    model = operation.request_model
    choices = dict(spec.choices)
    hints: dict[str, str] = {}
    for name, info in model.model_fields.items():
        hint = clean_hint(spec.hints.get(name, info.description))
        limit = operation.limits.get(name)
        if limit is not None and limit.le is not None:
            bound = f"Allowed: {number_text(limit.ge)} to {number_text(limit.le)}; larger requests are refused."
            hint = f"{hint} {bound}" if hint else bound
        if hint:
            hints[name] = hint
    shown = dict(spec.defaults) if values is None else dict(values)
    return form_fields(model, shown, choices=choices, labels=spec.labels, hints=hints, hide=spec.hide)


def number_text(value: float | None) -> str:
    """A bound for display: ``1,000,000``, ``0.1``; ``any`` when there is none."""
    if value is None:
        return "any"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def run_form(operation: Operation, form: FormData) -> Submission:
    """Run a posted form through the operation (problems collected, never raised)."""
    return submit(operation, form)


def _control_of(item: ErrorItem, names: set[str]) -> str | None:
    """The control a problem belongs to. A library error may name the value rather than the parameter (``symptom``
    for ``symptoms``, ``lesion`` for ``lesion_name``): it belongs to the one parameter so named."""
    key = item.field.split(".")[0]
    if key in names:
        return key
    similar = [name for name in names if name == f"{key}s" or name.startswith(f"{key}_")]
    return similar[0] if len(similar) == 1 else None


def problems_by_field(problems: list[ErrorItem] | None, fields: list[FormField]) -> dict[str, str]:
    """The first problem per control, shown next to it."""
    names = {f.name for f in fields}
    found: dict[str, str] = {}
    for item in problems or []:
        key = _control_of(item, names)
        if key is not None:
            found.setdefault(key, problem_text(item))
    return found


@dataclass(frozen=True)
class SummaryLine:
    """One line of the problem summary above a result: the control's label (linked to it) and the problem."""

    anchor: str | None
    label: str
    text: str


def problem_summary(problems: list[ErrorItem] | None, fields: list[FormField]) -> list[SummaryLine]:
    """Every problem, linked to its control where it has one (the summary is announced with ``role="alert"``)."""
    labels = {f.name: f.label for f in fields}
    lines = []
    for item in problems or []:
        key = _control_of(item, set(labels))
        if key is None:
            lines.append(SummaryLine(None, item.field, problem_text(item)))
        else:
            lines.append(SummaryLine(f"field-{key}", labels[key], problem_text(item)))
    return lines


def problem_text(item: ErrorItem) -> str:
    """A problem in one line, with what is allowed when the message does not already say it."""
    if item.allowed is None or "allowed" in item.message:
        return item.message
    return f"{item.message} (allowed: {item.allowed})"
