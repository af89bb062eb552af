"""The clinician forms: controls for an operation (its request model presented by its page spec), a posted form
or a result link's query run through the operation, and the problems placed next to their controls.

A calculator shows only the help written in its page spec (never the docstring, which speaks Python); the
simulations keep the library's parameter text, plus the documented bounds of their sizes from the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from starlette.datastructures import FormData, ImmutableMultiDict

from metastasis.api.errors import ErrorItem
from metastasis.api.operations import Operation
from metastasis.web.clinician_specs import TNM_PREFIXES, FormSpec, spec_of
from metastasis.web.forms import Choices, FormField, Submission, clean_hint, form_fields, submit


@dataclass(frozen=True)
class CalcField(FormField):
    """A form control with its page spec: ``widget`` (``radio``, ``tnm`` or none for the plain control), the
    points of each choice, and for a TNM picker the chosen prefix and the prefixes offered."""

    widget: str | None = None
    points: Mapping[str, int] = field(default_factory=dict)
    prefix: str | None = None
    prefixes: Choices = ()

    def points_of(self, value: str) -> int | None:
        """The points a choice scores, when the score has points."""
        return self.points.get(value)


_PREFIX = re.compile(r"^(yc|yp|rc|rp|c|p|r)?(.*)$")
DEFAULT_TNM_PREFIX = "c"


def split_tnm(value: Any, categories: Choices) -> tuple[str, str | None]:
    """A TNM value as (prefix, category code): ``"pT2"`` -> ``("p", "T2")``; the code is ``None`` when it is not
    one of ``categories`` (an odd value is kept for the problem message, not offered as a choice)."""
    text = str(value or "").strip()
    if not text:
        return DEFAULT_TNM_PREFIX, None
    match = _PREFIX.match(text)
    prefix, body = (match.group(1) or "", match.group(2)) if match else ("", text)
    codes = {code.lower(): code for code, _ in categories}
    return prefix or DEFAULT_TNM_PREFIX, codes.get(body.lower())


def _hints(operation: Operation, spec: FormSpec) -> dict[str, str]:
    hints: dict[str, str] = {}
    for name, info in operation.request_model.model_fields.items():
        hint = spec.hints.get(name) or (clean_hint(info.description) if spec.library_hints else None)
        limit = operation.limits.get(name)
        if limit is not None and limit.le is not None:
            bound = f"Allowed: {number_text(limit.ge)} to {number_text(limit.le)}; larger requests are refused."
            hint = f"{hint} {bound}" if hint else bound
        if hint:
            hints[name] = hint
    return hints


def fields_for(operation: Operation, values: Mapping[str, Any] | None = None) -> list[CalcField]:
    """The form controls of an operation: posted ``values``, else this page's defaults, else the model's."""
    spec = spec_of(operation)
    shown = dict(spec.defaults) if values is None else dict(values)
    hints = _hints(operation, spec)
    plain = form_fields(
        operation.request_model, shown, choices=dict(spec.choices), labels=spec.labels, hints=hints, hide=spec.hide
    )
    if not spec.library_hints:  # a calculator shows only hand-written help, never the docstring
        plain = [f if f.name in hints else _without_hint(f) for f in plain]
    out = []
    for f in plain:
        base = {k.name: getattr(f, k.name) for k in fields(FormField)}
        widget = spec.widgets.get(f.name)
        extra: dict[str, Any] = {"widget": widget, "points": dict(spec.points.get(f.name, {}))}
        if widget == "tnm":
            prefix, code = split_tnm(f.value, f.choices)
            base["value"] = code
            extra |= {"prefix": prefix, "prefixes": TNM_PREFIXES}
        out.append(CalcField(**base, **extra))
    return out


def _without_hint(f: FormField) -> FormField:
    base = {k.name: getattr(f, k.name) for k in fields(FormField)}
    return FormField(**{**base, "hint": None})


def field_groups(operation: Operation, controls: list[CalcField]) -> list[tuple[str | None, list[CalcField]]]:
    """The controls in the page's groups (fieldsets), in order; controls in no group follow, untitled."""
    spec = spec_of(operation)
    by_name = {f.name: f for f in controls}
    groups = [(title, [by_name[n] for n in names if n in by_name]) for title, names in spec.groups]
    placed = {n for _, names in spec.groups for n in names}
    rest = [f for f in controls if f.name not in placed]
    if rest:
        groups.append((None, rest))
    return [(title, items) for title, items in groups if items]


def request_values(operation: Operation, given: ImmutableMultiDict) -> FormData:
    """Posted fields or query parameters as the operation's form: a TNM picker's prefix and category are joined
    (``t_prefix=p`` and ``t=T2`` read as ``pT2``; a full ``t=pT2`` is taken as it is)."""
    spec = spec_of(operation)
    items: list[tuple[str, Any]] = []
    for key, value in given.multi_items():
        if key.endswith("_prefix") and spec.widgets.get(key.removesuffix("_prefix")) == "tnm":
            continue
        if spec.widgets.get(key) == "tnm" and str(value).strip():
            prefix = str(given.get(f"{key}_prefix", "")).strip()
            text = str(value).strip()
            if prefix and not _PREFIX.match(text).group(1):  # type: ignore[union-attr]
                text = f"{prefix}{text}"
            value = text
        items.append((key, value))
    return FormData(items)


def has_inputs(operation: Operation, given: ImmutableMultiDict) -> bool:
    """Whether a query string carries any of the operation's inputs (a shared link to a result)."""
    return any(name in given for name in operation.request_model.model_fields)


def number_text(value: float | None) -> str:
    """A bound for display: ``1,000,000``, ``0.1``; ``any`` when there is none."""
    if value is None:
        return "any"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def run_form(operation: Operation, form: ImmutableMultiDict) -> Submission:
    """Run a posted form (or a result link's query) through the operation (problems collected, never raised)."""
    return submit(operation, request_values(operation, form))


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
