"""Problems found in a case: each with its JSON path, a clear message, the bad value and what is allowed.

Structural errors from pydantic and the case's own consistency rules are reported in the same shape, and
every problem is reported, not just the first. Nothing is corrected: a problem names what to fix.

Example
-------
>>> p = Problem(path="$.labs[0].unit", message="required field is missing", rule="structure.missing")
>>> str(p)
'$.labs[0].unit: required field is missing'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, SkipValidation, ValidationError, ValidationInfo
from pydantic_core import PydanticCustomError

from metastasis.errors import InvalidInputError

if TYPE_CHECKING:
    from metastasis.domain.case import Case

Loc = tuple[str | int, ...]


class Severity(StrEnum):
    """How bad a problem is: errors make a case invalid; warnings are worth a look but the case stands."""

    ERROR = "error"
    WARNING = "warning"


def json_path(loc: Iterable[str | int]) -> str:
    """A JSONPath for a location: ``("labs", 2, "unit")`` -> ``$.labs[2].unit``.

    Example
    -------
    >>> json_path(("bone_lesions", 0, "spine", "level"))
    '$.bone_lesions[0].spine.level'
    """
    parts = ["$"]
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts)


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a bad value."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return repr(value)


class Problem(BaseModel):
    """One problem in a case."""

    model_config = ConfigDict(frozen=True)

    path: str = Field(description="JSONPath of the offending value, e.g. '$.labs[2].unit'.")
    message: str = Field(description="What is wrong, in words.")
    value: Any = Field(default=None, description="The offending value as given (JSON-safe).")
    allowed: str | None = Field(default=None, description="What is allowed there, when that can be said.")
    severity: Severity = Severity.ERROR
    rule: str = Field(description="Stable id of the check, e.g. 'dates.metastasis_before_diagnosis'.")
    sources: tuple[str, ...] = Field(default=(), description="Ids of the sources the rule rests on, if any.")

    def __str__(self) -> str:
        tag = "" if self.severity is Severity.ERROR else " (warning)"
        return f"{self.path}: {self.message}{tag}"


class Issue(BaseModel):
    """A problem found by a consistency rule, located relative to the model that found it."""

    model_config = ConfigDict(frozen=True)

    loc: Loc
    message: str
    value: Any = None
    allowed: str | None = None
    severity: Severity = Severity.ERROR
    rule: str
    sources: tuple[str, ...] = ()

    def at(self, prefix: Loc) -> Issue:
        """The same issue located under ``prefix``."""
        return self.model_copy(update={"loc": (*prefix, *self.loc)})

    def to_problem(self) -> Problem:
        return Problem(
            path=json_path(self.loc),
            message=self.message,
            value=_plain(self.value),
            allowed=self.allowed,
            severity=self.severity,
            rule=self.rule,
            sources=self.sources,
        )


SKIP_RULES = "metastasis.skip_rules"
"""Validation-context key: build records without their consistency rules (``validate_case`` runs them itself)."""


def rules_skipped(info: ValidationInfo) -> bool:
    """Whether the validation context asks to skip the consistency rules."""
    return bool(info.context and info.context.get(SKIP_RULES))


def raise_errors(issues: Sequence[Issue]) -> None:
    """Raise the error-severity issues as one pydantic error, so model validation reports all of them."""
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if errors:
        summary = "; ".join(f"{json_path(i.loc)}: {i.message}" for i in errors)
        raise PydanticCustomError(
            "case_rules", "{summary}", {"summary": summary, "issues": [i.model_dump() for i in errors]}
        )


# --- pydantic errors -> problems ------------------------------------------------------------------------

_MISSING_HINTS: dict[tuple[str, str], str] = {
    ("labs", "unit"): "a lab value needs its unit",
    ("labs", "date"): "a lab value needs the date it was measured",
    ("labs", "value"): "a lab result needs its value",
    ("treatments", "start"): "a treatment needs its start date",
}
_TYPE_MESSAGES: dict[str, str] = {
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "string_type": "expected text",
    "model_type": "expected a mapping of fields (a JSON object)",
    "model_attributes_type": "expected a mapping of fields (a JSON object)",
    "dict_type": "expected a mapping of fields (a JSON object)",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
}
_BOUNDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("ge", ">="),
    "greater_than": ("gt", ">"),
    "less_than_equal": ("le", "<="),
    "less_than": ("lt", "<"),
}


def _missing_allowed(loc: Loc, parent: Any) -> str | None:
    if loc[:1] == ("labs",) and loc[-1] == "unit" and isinstance(parent, dict):
        from metastasis.domain.vocabularies import lab_units

        units = lab_units().get(parent.get("analyte"))  # type: ignore[arg-type]
        if units:
            return f"for {parent['analyte']}: {', '.join(units)}"
    return None


def _from_error(error: Any) -> list[Problem]:
    loc: Loc = tuple(part for part in error["loc"] if isinstance(part, int | str))
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "case_rules":
        return [Issue(**issue).at(loc).to_problem() for issue in ctx["issues"]]
    value, allowed, message = error.get("input"), None, error["msg"]
    if kind == "missing":
        top = str(loc[0]) if loc else ""
        message = _MISSING_HINTS.get((top, str(loc[-1])), "required field is missing")
        allowed = _missing_allowed(loc, error.get("input"))
        value = None
    elif kind in _TYPE_MESSAGES:
        message = _TYPE_MESSAGES[kind]
    elif kind in _BOUNDS:
        key, symbol = _BOUNDS[kind]
        allowed = f"a value {symbol} {ctx.get(key)}"
        message = f"{value!r} is out of range"
    elif kind == "extra_forbidden":
        message = "unknown field (see `metastasis schema` for the fields of this schema version)"
    elif kind in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", ""))
        message = f"{value!r} is not allowed"
        if not isinstance(value, str) and f"'{value}'" in expected:
            message = f"{value!r} must be written as text: '{value}'"
        allowed = expected.replace("'", "") or None
    elif kind == "not_allowed":
        allowed = ctx.get("allowed")
    elif kind == "value_error" and isinstance(ctx.get("error"), InvalidInputError):
        exc: InvalidInputError = ctx["error"]
        if exc.field.isidentifier() and (not loc or loc[-1] != exc.field):
            loc = (*loc, exc.field)
        value, allowed = exc.value, exc.allowed
        detail = exc.detail if exc.detail and not exc.detail.startswith("Input should") else None
        message = f"{exc.value!r} is not allowed" + (f" ({detail})" if detail else "")
    elif kind == "value_error":
        message = str(ctx.get("error", message))
    return [
        Problem(path=json_path(loc), message=message, value=_plain(value), allowed=allowed, rule=f"structure.{kind}")
    ]


def problems_from_validation_error(exc: ValidationError, prefix: Loc = ()) -> list[Problem]:
    """Every error of a pydantic ``ValidationError`` as a :class:`Problem` (paths under ``prefix``)."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        error = {**error, "loc": (*prefix, *error["loc"])}
        problems.extend(_from_error(error))
    return problems


# --- the result of a validation -------------------------------------------------------------------------


class CaseValidation(BaseModel):
    """All the problems found in a case, and the case itself when it has no errors.

    Example
    -------
    >>> from metastasis.domain import validate_case
    >>> report = validate_case({"schema_version": "1.0", "labs": [{"analyte": "calcium", "value": 2.9,
    ...                         "date": "2024-05-02"}]})
    >>> report.ok, [str(p) for p in report.problems]
    (False, ['$.labs[0].unit: a lab value needs its unit'])
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    problems: tuple[Problem, ...] = ()
    case: SkipValidation[Case | None] = Field(
        default=None, exclude=True, description="The validated case (None with errors)."
    )
    caveats: tuple[str, ...] = Field(default=(), description="Unverified sources behind the rules that fired.")

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self, *, limit: int = 5) -> str:
        """One line: the number of problems, then the first ``limit`` of them.

        Example
        -------
        >>> CaseValidation().summary()
        'no problems'
        """
        if not self.problems:
            return "no problems"
        errors, warnings = len(self.errors), len(self.warnings)
        counts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
        counts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
        shown = [str(p) for p in (self.errors + self.warnings)[:limit]]
        more = len(self.problems) - len(shown)
        tail = f"; and {more} more" if more > 0 else ""
        return f"{' and '.join(counts)}: {'; '.join(shown)}{tail}"

    def raise_for_errors(self, *, source: str = "case") -> None:
        """Raise :class:`CaseValidationError` when there is at least one error."""
        if self.errors:
            raise CaseValidationError(self.problems, source=source)


class CaseValidationError(InvalidInputError):
    """A case with errors. ``field`` is the first error's path, ``detail`` lists every problem, and
    ``problems`` holds them as :class:`Problem` objects.

    Its message is one line (``case.json: 2 errors: $.labs[0].unit: ...; ...``, the first five problems), as
    the CLI prints it.
    """

    def __init__(self, problems: Sequence[Problem], *, source: str = "case"):
        self.problems: tuple[Problem, ...] = tuple(problems)
        validation = CaseValidation(problems=self.problems)
        first = validation.errors[0] if validation.errors else self.problems[0]
        super().__init__(
            first.path,
            first.value,
            first.allowed or "see `metastasis schema`",
            detail=validation.summary(limit=len(self.problems)),
        )
        self.source = source
        self.args = (f"{source}: {validation.summary()}",)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "problems": [p.model_dump(mode="json") for p in self.problems]}
