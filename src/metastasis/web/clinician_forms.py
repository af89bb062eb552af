"""The clinician forms: controls for an operation (its request model plus its :class:`FormSpec`), a posted form
run through the operation, and the problems placed next to their controls.

Hints are the library's parameter descriptions without docstring markup, plus the documented bounds of
simulation sizes from the catalogue.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from metastasis.api.errors import ErrorItem
from metastasis.api.operations import Operation
from metastasis.web.clinician_specs import spec_of
from metastasis.web.forms import Choices, FormField, Submission, choice_text, form_fields, submit

_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def clean_hint(text: str | None) -> str | None:
    """A docstring description without reStructuredText markup (``"x"`` and :func:`f` read as "x" and f)."""
    if not text:
        return text
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return text.replace("``", "")


def _union_literal(annotation: Any) -> Choices | None:
    """The values of a ``Literal`` inside a union (``bool | Literal["yes", "no"]``), which forms.py leaves as text."""
    if typing.get_origin(annotation) not in (typing.Union, types.UnionType):
        return None
    for member in typing.get_args(annotation):
        if typing.get_origin(member) is typing.Literal:
            return tuple((str(v), choice_text(str(v))) for v in typing.get_args(member))
    return None


def fields_for(operation: Operation, values: Mapping[str, Any] | None = None) -> list[FormField]:
    """The form controls of an operation: posted ``values``, else this page's defaults, else the model's."""
    spec = spec_of(operation)
    model = operation.request_model
    choices = dict(spec.choices)
    hints: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if name not in choices and (found := _union_literal(info.annotation)):
            choices[name] = found
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


def _integer_literals(operation: Operation, form: FormData) -> dict[str, Any]:
    """Posted text of ``Literal[0, 5, 10]``-style parameters as the integers the model expects."""
    found: dict[str, Any] = {}
    for name, info in operation.request_model.model_fields.items():
        annotation = info.annotation
        if typing.get_origin(annotation) is not typing.Literal:
            continue
        integers = {str(v): v for v in typing.get_args(annotation) if isinstance(v, int) and not isinstance(v, bool)}
        raw = str(form.get(name, "")).strip()
        if raw in integers:
            found[name] = integers[raw]
    return found


def run_form(operation: Operation, form: FormData) -> Submission:
    """Run a posted form through the operation (problems collected, never raised)."""
    return submit(operation, form, extra=_integer_literals(operation, form))


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
