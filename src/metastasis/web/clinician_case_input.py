"""Reading a case from the case page: pasted text, an uploaded file or a bundled example, validated in full.

Every problem comes back at once, each with its JSON path (a syntax error with its line), never raised: the page
shows them next to the case text and keeps the text. A valid case is assessed by :func:`metastasis.assess_case`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from metastasis.api.errors import ErrorItem
from metastasis.assess.case import Report
from metastasis.domain import validate_case
from metastasis.domain.io import SUFFIXES, Format, parse_text
from metastasis.domain.problems import Severity
from metastasis.errors import InvalidInputError
from metastasis.report.view import AUDIENCES

MAX_CASE_BYTES = 1_000_000
"""Largest uploaded case file (a real case is a few kilobytes)."""

#: Report downloads: format -> (media type, file suffix).
DOWNLOADS: dict[str, tuple[str, str]] = {
    "html": ("text/html; charset=utf-8", "html"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
    "json": ("application/json", "json"),
}


@dataclass(frozen=True)
class CaseForm:
    """What the case form posted: the pasted text, an uploaded file (bytes and name), an example, the audience."""

    text: str = ""
    example: str = ""
    audience: str = "clinician"
    file_name: str | None = None
    file_bytes: bytes | None = None


@dataclass
class CaseAttempt:
    """The outcome of one case: the text it was read from (kept for the text box), problems or a report."""

    text: str
    audience: str
    problems: list[ErrorItem] = field(default_factory=list)
    warnings: list[ErrorItem] = field(default_factory=list)
    report: Report | None = None


def _item(field_: str, message: str, value: Any = None, allowed: str | None = None) -> ErrorItem:
    return ErrorItem(field=field_, value=value, allowed=allowed, message=message)


def sniff_format(text: str) -> Format:
    """JSON when the text starts with ``{`` or ``[``, else YAML (YAML would read JSON too, with worse messages)."""
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


def _file_text(form: CaseForm) -> tuple[str | None, ErrorItem | None]:
    data = form.file_bytes or b""
    if len(data) > MAX_CASE_BYTES:
        return None, _item("case_file", f"the file is larger than {MAX_CASE_BYTES:,} bytes", form.file_name)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        allowed = "a UTF-8 .json, .yaml or .yml file"
        return None, _item("case_file", "the file is not UTF-8 text", form.file_name, allowed)


def _source(form: CaseForm) -> tuple[str, Format | None, str, ErrorItem | None]:
    """The case text, its format (``None``: by its first character), its name, or the problem reading it."""
    if form.file_name:
        text, problem = _file_text(form)
        return text or "", SUFFIXES.get(PurePath(form.file_name).suffix.lower()), form.file_name, problem
    if form.example:
        from metastasis.examples.cases import example_case_text

        try:
            return example_case_text(form.example), "yaml", form.example, None
        except InvalidInputError as exc:
            return "", None, "example", _item("example", str(exc), form.example, exc.allowed)
    if form.text.strip():
        return form.text, None, "case text", None
    return "", None, "case text", _item("case_text", "paste a case, upload a case file or pick an example")


def read_case(form: CaseForm) -> CaseAttempt:
    """Parse, validate and assess the posted case; every problem is collected."""
    text, fmt, name, problem = _source(form)
    attempt = CaseAttempt(text=text or form.text, audience=form.audience)
    if form.audience not in AUDIENCES:
        attempt.problems.append(_item("audience", "unknown audience", form.audience, ", ".join(AUDIENCES)))
    if problem is not None:
        attempt.problems.append(problem)
    if attempt.problems:
        return attempt
    try:
        data = parse_text(text, fmt=fmt or sniff_format(text), source=name)
    except InvalidInputError as exc:
        attempt.problems.append(_item(str(exc.value), str(exc), exc.value, exc.allowed))
        return attempt
    validation = validate_case(data)
    for p in validation.problems:
        item = _item(p.path, p.message, _plain(p.value), p.allowed)
        (attempt.problems if p.severity is Severity.ERROR else attempt.warnings).append(item)
    if validation.case is None or attempt.problems:
        return attempt
    from metastasis import assess_case
    from metastasis.web.trials_pages import stored_studies  # here: trials_pages imports this module

    try:
        attempt.report = assess_case(validation.case, trials=stored_studies())
    except InvalidInputError as exc:
        attempt.problems.append(_item(exc.field, str(exc), _plain(exc.value), exc.allowed))
    return attempt


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else repr(value)
