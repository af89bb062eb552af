"""Reading what the trial pages were given: a case (pasted, uploaded or a bundled example) and the filters.

The case is read as on the whole-case page (:mod:`metastasis.web.clinician_case_input`: the same sources, size
limit and validation, every problem with its JSON path) but not assessed: the trial pages only match it. The
filters are the matcher's own (:func:`metastasis.trials.match_trials`): recruitment statuses, a point
``"lat, lon"`` and a radius in kilometres; a bad one is a problem next to its control, never an error page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from metastasis.api.errors import ErrorItem
from metastasis.domain import Case, validate_case
from metastasis.domain.io import parse_text
from metastasis.domain.problems import Severity
from metastasis.errors import InvalidInputError
from metastasis.trials import OVERALL_STATUSES
from metastasis.web.clinician_case_input import CaseForm, _source, sniff_format

#: Longest text kept from a filter box (a point is two numbers; longer input is cut, so work stays bounded).
MAX_FILTER_CHARS = 60
#: Largest radius: half the Earth's circumference, in kilometres (any point is closer).
MAX_KM = 20040.0


@dataclass
class Filters:
    """The filters as entered (kept for the form) and as the matcher takes them."""

    statuses: list[str] = field(default_factory=list)
    near_text: str = ""
    within_text: str = ""
    near: tuple[float, float] | None = None
    within_km: float | None = None

    def query(self) -> list[tuple[str, str]]:
        """The filters as query parameters (for a link that reproduces the result)."""
        pairs = [("status", s) for s in self.statuses]
        if self.near_text:
            pairs.append(("near", self.near_text))
        if self.within_text:
            pairs.append(("within_km", self.within_text))
        return pairs


@dataclass
class TrialCase:
    """The case read for matching: its text (kept for the text box), problems and notes, or the case."""

    text: str = ""
    example: str = ""
    problems: list[ErrorItem] = field(default_factory=list)
    warnings: list[ErrorItem] = field(default_factory=list)
    case: Case | None = None


def _item(field_: str, message: str, value: object = None, allowed: str | None = None) -> ErrorItem:
    plain = value if isinstance(value, str | int | float | bool | None) else repr(value)
    return ErrorItem(field=field_, value=plain, allowed=allowed, message=message)


def read_case(form: CaseForm) -> TrialCase:
    """Parse and validate the posted case (uploaded file first, then the example, then the text); every problem
    is collected, nothing is raised.

    Example
    -------
    >>> read_case(CaseForm(example="hypercalcaemia")).case.id
    'hypercalcaemia'
    """
    text, fmt, name, problem = _source(form)
    found = TrialCase(text=text or form.text, example=form.example)
    if problem is not None:
        found.problems.append(problem)
        return found
    try:
        data = parse_text(text, fmt=fmt or sniff_format(text), source=name)
    except InvalidInputError as exc:
        found.problems.append(_item(str(exc.value), str(exc), exc.value, exc.allowed))
        return found
    checked = validate_case(data)
    for p in checked.problems:
        (found.problems if p.severity is Severity.ERROR else found.warnings).append(
            _item(p.path, p.message, p.value, p.allowed)
        )
    if not found.problems:
        found.case = checked.case
    return found


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_filters(statuses: list[str], near: str, within_km: str) -> tuple[Filters, list[ErrorItem]]:
    """The filters and their problems: statuses of the API (any case), ``near`` as ``"lat, lon"``, ``within_km``
    a positive number that needs ``near``.

    Example
    -------
    >>> filters, problems = read_filters(["recruiting"], "48.85, 2.35", "100")
    >>> filters.statuses, filters.near, filters.within_km, problems
    (['RECRUITING'], (48.85, 2.35), 100.0, [])
    """
    problems: list[ErrorItem] = []
    filters = Filters(near_text=near.strip()[:MAX_FILTER_CHARS], within_text=within_km.strip()[:MAX_FILTER_CHARS])
    allowed = ", ".join(s.lower() for s in OVERALL_STATUSES)
    for status in statuses[: len(OVERALL_STATUSES)]:
        key = status.strip().upper().replace("-", "_").replace(" ", "_")
        if key in OVERALL_STATUSES:
            filters.statuses.append(key)
        else:
            problems.append(_item("status", "unknown recruitment status", status[:MAX_FILTER_CHARS], allowed))
    if filters.near_text:
        parts = [_number(p) for p in filters.near_text.replace(";", ",").split(",")]
        if (
            len(parts) == 2
            and parts[0] is not None
            and parts[1] is not None
            and abs(parts[0]) <= 90
            and abs(parts[1]) <= 180
        ):
            filters.near = (parts[0], parts[1])
        else:
            allowed_point = "latitude, longitude in degrees (-90 to 90, -180 to 180), e.g. 48.85, 2.35"
            problems.append(_item("near", "not a point", filters.near_text, allowed_point))
    if filters.within_text:
        km = _number(filters.within_text)
        if km is None or not 0 < km <= MAX_KM:
            problems.append(
                _item("within_km", "not a distance", filters.within_text, f"more than 0, up to {MAX_KM:g} km")
            )
        elif not filters.near_text:
            problems.append(
                _item("within_km", "a distance needs a point to measure from", filters.within_text, "fill in Near")
            )
        else:
            filters.within_km = km
    return filters, problems
