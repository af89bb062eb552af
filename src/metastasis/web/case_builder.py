"""The case builder's model: form values to case data and back, and each schema problem placed at its control.

The form's field names are the case's paths, dotted (``tumour.t``, ``labs.0.unit``; ``case.id`` for the
case's own fields), so the builder adds no rule of its own: it reads each control as the kind of value the
schema expects, leaves out what is blank, and lets :func:`metastasis.domain.validate_case` judge. Every problem
comes back worded for the page, next to its control (a row's or a section's when the schema names a whole
record), never as a JSON path.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from metastasis.domain import CASE_SCHEMA_VERSION, Case, validate_case
from metastasis.domain.problems import Severity
from metastasis.web.case_builder_spec import MAX_ROWS, ROW_SECTIONS, SECTION_BY_KEY, SECTIONS, Control, Section

#: Rows a new, empty builder shows per list.
START_ROWS: dict[str, int] = {key: 0 if key in ("events", "reviews") else 1 for key in ROW_SECTIONS}
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


@dataclass
class BuilderState:
    """What the form holds: raw text per field name, and how many rows each list shows."""

    values: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=lambda: dict(START_ROWS))

    def value(self, name: str) -> str:
        """The text of one field ('' when blank)."""
        return self.values.get(name, "")


@dataclass
class Checked:
    """The outcome of building: the case when valid, and the problems by where they are shown.

    ``errors`` and ``warnings`` map a field name (``labs.0.unit``), a row (``labs.0``) or a section (``labs``)
    to its messages; ``general`` and ``general_warnings`` hold what belongs to no control.
    """

    case: Case | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    general_warnings: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many errors there are."""
        return sum(len(v) for v in self.errors.values()) + len(self.general)


def field_name(section: Section, control: Control, row: int | None = None) -> str:
    """The form name of a control: ``patient.sex``, ``labs.0.unit``, ``bone_lesions.1.spine.level``."""
    return f"{section.key}.{control.key}" if row is None else f"{section.key}.{row}.{control.key}"


def dom_id(name: str) -> str:
    """An element id for a field name (dots are not safe in CSS selectors)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


def read_form(form: Mapping[str, Any]) -> BuilderState:
    """The builder's state from posted fields: known names only, row counts bounded by ``MAX_ROWS``."""
    state = BuilderState()
    for key in ROW_SECTIONS:
        given = str(form.get(f"rows.{key}") or "")
        state.rows[key] = min(int(given), MAX_ROWS) if given.isdigit() else START_ROWS[key]
    for section in SECTIONS:
        for row in range(state.rows[section.key]) if section.rows else (None,):
            for control in section.controls:
                name = field_name(section, control, row)
                text = str(form.get(name) or "").strip()
                if text:
                    state.values[name] = text
    return state


def add_row(state: BuilderState, key: str) -> None:
    """One more row in a list (up to ``MAX_ROWS``)."""
    if key in ROW_SECTIONS:
        state.rows[key] = min(state.rows[key] + 1, MAX_ROWS)


def remove_row(state: BuilderState, key: str, row: int) -> None:
    """Remove one row of a list; the rows below move up."""
    if key not in ROW_SECTIONS or not 0 <= row < state.rows[key]:
        return
    section = SECTION_BY_KEY[key]
    for index in range(row, state.rows[key]):
        for control in section.controls:
            following = state.values.pop(field_name(section, control, index + 1), None)
            state.values.pop(field_name(section, control, index), None)
            if following is not None:
                state.values[field_name(section, control, index)] = following
    state.rows[key] -= 1


def _number(text: str, whole: bool) -> Any:
    """A number as the schema expects it; text that is not one is passed on for the schema to name."""
    try:
        number = float(text)
    except ValueError:
        return text
    if whole or ("." not in text and "e" not in text.lower() and number.is_integer()):
        return int(number) if number.is_integer() else text
    return number


def _bone_drug(text: str) -> str:
    from metastasis.domain.vocabularies import bone_targeted_drugs

    by_words = {d.replace("_", " "): d for d in bone_targeted_drugs()}
    return by_words.get(" ".join(text.lower().split()), text)


def _read(control: Control, text: str) -> Any:
    if control.kind == "int":
        return _number(text, whole=True)
    if control.kind == "number":
        return _number(text, whole=False)
    if control.kind == "yesno":
        return {"yes": True, "no": False}.get(text, text)
    return text


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value


def _record(state: BuilderState, section: Section, row: int | None) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for control in section.controls:
        text = state.value(field_name(section, control, row))
        if text:
            _put(record, control.key, _read(control, text))
    if section.key == "treatments" and record.get("kind") == "bone_targeted" and "drug" in record:
        record["drug"] = _bone_drug(record["drug"])
    return record


def case_data(state: BuilderState) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The case data the form describes, and for each list the form row of each record (blank rows left out)."""
    data: dict[str, Any] = {"schema_version": CASE_SCHEMA_VERSION}
    rows_of: dict[str, list[int]] = {}
    for section in SECTIONS:
        if not section.rows:
            record = _record(state, section, None)
            if section.key == "case":
                data.update(record)
            elif record:
                data[section.key] = record
            continue
        records = [(row, _record(state, section, row)) for row in range(state.rows[section.key])]
        kept = [(row, record) for row, record in records if record]
        if kept:
            data[section.key] = [record for _, record in kept]
            rows_of[section.key] = [row for row, _ in kept]
    return data, rows_of


def _place(path: str, rows_of: dict[str, list[int]]) -> str | None:
    """The field, row or section name where a problem at ``path`` ($.labs[0].unit) is shown, or ``None``."""
    parts = [m[1] or int(m[2]) for m in _PATH_PART.finditer(path)]
    if not parts:
        return None
    head = parts[0]
    if head in ("id", "title", "description", "as_of"):
        return f"case.{head}"
    if head not in SECTION_BY_KEY:
        return None
    section = SECTION_BY_KEY[head]
    rest = parts[1:]
    if section.rows:
        if not rest or not isinstance(rest[0], int) or rest[0] >= len(rows_of.get(head, [])):
            return head
        prefix, rest = f"{head}.{rows_of[head][rest[0]]}", rest[1:]
    else:
        prefix = head
    keys = {c.key for c in section.controls}
    for size in range(len(rest), 0, -1):
        key = ".".join(str(p) for p in rest[:size])
        if key in keys:
            return f"{prefix}.{key}"
    return prefix


def _control(name: str) -> Control | None:
    parts = name.split(".")
    section = SECTION_BY_KEY.get(parts[0])
    if section is None:
        return None
    key = ".".join(parts[2:] if section.rows else parts[1:])
    return next((c for c in section.controls if c.key == key), None)


def _labels() -> dict[str, str]:
    words = {c.key.split(".")[-1]: c.label.lower() for s in SECTIONS for c in s.controls}
    words.update({s.key: s.title.lower() for s in SECTIONS})
    words["as_of"] = "date the case describes"
    return words


def worded(message: str, allowed: str | None, control: Control | None) -> str:
    """A schema message in the page's words: field names become labels, ids become names, no paths.

    Example
    -------
    >>> worded("at most nodes_examined (2)", None, None)
    'at most axillary nodes examined (2)'
    """
    from metastasis.report.render import screen_text

    labels = _labels()
    message = re.sub(r"\(units='(\w+)'\)", r"(\1 units)", message)
    text = re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda m: labels.get(m[0], m[0]), message)
    # A select shows its choices; elsewhere say what is allowed, unless the message already does.
    if allowed and (control is None or control.kind != "select") and "allowed:" not in text:
        allowed_text = re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", lambda m: labels.get(m[0], m[0]), allowed)
        text = f"{text} Allowed: {allowed_text}" if text.endswith(("?", ".")) else f"{text}; allowed: {allowed_text}"
    return screen_text(text)


def check(state: BuilderState) -> Checked:
    """Build the case the form describes and place every problem of it at its control."""
    data, rows_of = case_data(state)
    validation = validate_case(data)
    checked = Checked(case=validation.case if validation.ok else None)
    for problem in validation.problems:
        where = _place(problem.path, rows_of)
        message = worded(problem.message, problem.allowed, _control(where) if where else None)
        if where is None:
            (checked.general if problem.severity is Severity.ERROR else checked.general_warnings).append(message)
            continue
        bucket = checked.errors if problem.severity is Severity.ERROR else checked.warnings
        bucket.setdefault(where, []).append(message)
    return checked


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def state_of(case: Case) -> BuilderState:
    """The builder's state showing a case (to start from an example or edit a case file).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> state_of(load_example_case("hypercalcaemia")).value("labs.1.unit")
    'g/L'
    """
    dumped = case.model_dump(mode="json", exclude_none=True)
    state = BuilderState()
    for section in SECTIONS:
        if section.rows:
            records = dumped.get(section.key, [])[:MAX_ROWS]
            state.rows[section.key] = max(len(records), START_ROWS[section.key])
        else:
            records = [dumped if section.key == "case" else dumped.get(section.key, {})]
        for row, record in enumerate(records):
            for control in section.controls:
                value: Any = record
                for part in control.key.split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                if value is not None and value != "" and not isinstance(value, dict | list):
                    name = field_name(section, control, row if section.rows else None)
                    bone_drug = control.key == "drug" and record.get("kind") == "bone_targeted"
                    state.values[name] = _text(value).replace("_", " ") if bone_drug else _text(value)
    return state
