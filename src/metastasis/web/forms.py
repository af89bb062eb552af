"""HTML forms built from the same request models as the API, and form posts run through the same operations.

A calculator page never lists its own choices: a ``Literal`` parameter of the library function becomes a
``<select>`` of exactly its allowed values, a number a number box with the documented bounds, a ``bool`` a
checkbox. A submitted form is converted field by field, validated by the request model, and handed to the
library; every problem comes back as :class:`~metastasis.api.errors.ErrorItem` for the page to show next to
the field.
"""

from __future__ import annotations

import collections.abc
import datetime
import enum
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from starlette.datastructures import FormData

from metastasis.api.errors import ErrorItem, items_from_invalid_input, items_from_validation
from metastasis.api.operations import Operation
from metastasis.errors import InvalidInputError

Choices = tuple[tuple[str, str], ...]

_UNITS = {
    "_mm": " (mm)",
    "_mg_dl": " (mg/dL)",
    "_g_dl": " (g/dL)",
    "_iu_l": " (IU/L)",
    "_per_ul": " (per µL)",
    "_gy": " (Gy)",
    "_mg": " (mg)",
    "_days": " (days)",
    "_day": " (day)",
    "_log_hr": " (log hazard ratio)",
}
_WORDS = {
    "lt": "<",
    "gt": ">",
    "le": "≤",
    "ge": "≥",
    "ecog": "ECOG",
    "kps": "KPS",
    "her2": "HER2",
    "er": "ER",
    "pr": "PR",
    "crp": "CRP",
    "ldh": "LDH",
    "uln": "ULN",
    "alp": "ALP",
    "alt": "ALT",
    "ast": "AST",
    "npi": "NPI",
    "rs": "RS",
    "si": "SI",
    "cns": "CNS",
    "sins": "SINS",
    "escc": "ESCC",
    "tnm": "TNM",
}


def label_of(name: str) -> str:
    """A readable label for a parameter name (``size_mm`` -> ``Size (mm)``)."""
    unit = next((text for suffix, text in _UNITS.items() if name.endswith(suffix)), "")
    stem = name.removesuffix(next((s for s in _UNITS if name.endswith(s)), ""))
    words = [_WORDS.get(word, word) for word in stem.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + unit


def choice_text(value: str) -> str:
    """A readable text for an allowed value (``lt_one_third`` -> ``< one third``)."""
    return " ".join(_WORDS.get(word, word) for word in str(value).split("_"))


_ROLE = re.compile(r":[a-z]+:`~?([^`]+)`")


def clean_hint(text: str | None) -> str | None:
    """A docstring description without reStructuredText markup (````x```` and :func:`f` read as x and f)."""
    if not text:
        return text
    text = _ROLE.sub(lambda m: m.group(1).rsplit(".", 1)[-1], text)
    return text.replace("``", "")


@dataclass(frozen=True)
class FormField:
    """One form control."""

    name: str
    label: str
    kind: str  # select | multi | number | checkbox | date | text
    required: bool
    choices: Choices = ()
    hint: str | None = None
    min: float | None = None
    max: float | None = None
    step: str = "any"
    value: Any = None


def _unwrap_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _literal_values(annotation: Any) -> tuple[Any, ...] | None:
    """The allowed values of a ``Literal`` or enum, alone, optional, or in a union (``bool | Literal["yes", "no"]``)."""
    members = typing.get_args(annotation) if typing.get_origin(annotation) in (typing.Union, types.UnionType) else ()
    for candidate in (annotation, *members):
        if typing.get_origin(candidate) is typing.Literal:
            return typing.get_args(candidate)
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return tuple(m.value for m in candidate)
    return None


#: The choices of an optional yes/no parameter: a checkbox could not say "not known".
YES_NO: Choices = (("true", "yes"), ("false", "no"))


def _literal_choices(annotation: Any) -> Choices | None:
    values = _literal_values(annotation)
    if values is not None:
        return tuple((str(v), choice_text(str(v))) for v in values)
    if _unwrap_optional(annotation) is bool and _is_optional(annotation):
        return YES_NO
    return None


def _is_optional(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _is_mapping(annotation: Any) -> bool:
    base = _unwrap_optional(annotation)
    origin = typing.get_origin(base) or base
    return isinstance(origin, type) and issubclass(origin, collections.abc.Mapping)


def _bound(info: FieldInfo, key: str) -> float | None:
    for item in info.metadata:
        if hasattr(item, key):
            return getattr(item, key)
    return None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(_unwrap_optional(annotation)) is list


def _kind(annotation: Any, choices: Choices | None) -> str:
    base = _unwrap_optional(annotation)
    if _is_list(base):
        return "multi"
    if choices:
        return "select"
    if base is bool:
        return "checkbox"
    if base in (int, float):
        return "number"
    if base is datetime.date:
        return "date"
    return "text"


def form_fields(
    model: type[BaseModel],
    values: Mapping[str, Any] | None = None,
    *,
    choices: Mapping[str, Choices] | None = None,
    labels: Mapping[str, str] | None = None,
    hints: Mapping[str, str] | None = None,
    hide: Sequence[str] = (),
) -> list[FormField]:
    """The controls for a request model, filled with ``values`` (what was posted) or the defaults.

    ``choices`` gives the options of list or free-text parameters whose allowed values live in the library's
    data (symptom codes, sites); ``labels`` and ``hints`` replace the generated label and the docstring text.
    """
    values = values or {}
    fields = []
    for name, info in model.model_fields.items():
        if name in hide or _is_mapping(info.annotation):  # a mapping has no form control: API only
            continue
        given = (choices or {}).get(name)
        annotation = info.annotation
        literal = _literal_choices(annotation)
        base = _unwrap_optional(annotation)
        if typing.get_origin(base) is list and literal is None:
            literal = _literal_choices(typing.get_args(base)[0]) if typing.get_args(base) else None
        options = given or literal or ()
        kind = _kind(annotation, options)
        if kind == "text" and given:
            kind = "select"
        default = None if info.is_required() else info.get_default()
        is_int = _unwrap_optional(annotation) is int
        fields.append(
            FormField(
                name=name,
                label=(labels or {}).get(name, label_of(name)),
                kind=kind,
                required=info.is_required(),
                choices=options,
                hint=clean_hint((hints or {}).get(name, info.description)),
                min=_bound(info, "ge"),
                max=_bound(info, "le"),
                step="1" if is_int else "any",
                value=values.get(name, default),
            )
        )
    return fields


def _number(name: str, raw: str, integer: bool) -> int | float:
    try:
        return int(raw) if integer else float(raw)
    except ValueError:
        raise InvalidInputError(name, raw, "a whole number" if integer else "a number") from None


def parse_form(model: type[BaseModel], form: FormData) -> dict[str, Any]:
    """Posted form fields as request data: empty entries are left out (so defaults apply), numbers converted,
    a checkbox is ``True`` when ticked and ``False`` when not, lists from repeated fields.

    Raises
    ------
    InvalidInputError
        A number box holding something that is not a number.
    """
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        base = _unwrap_optional(info.annotation)
        if _is_mapping(info.annotation):
            continue
        if _is_list(base):
            items = [str(v) for v in form.getlist(name) if str(v).strip()]
            if items or name in form:
                data[name] = items
            continue
        raw = str(form.get(name, "")).strip()
        if base is bool and not _is_optional(info.annotation):
            data[name] = raw.lower() in ("true", "on", "yes", "1")
            continue
        if not raw:
            continue
        literal = {str(v): v for v in _literal_values(info.annotation) or ()}
        if raw in literal:
            data[name] = literal[raw]  # Literal[0, 5, 10] posted as "5" is the integer 5
        elif base is bool:
            data[name] = raw.lower() == "true"
        elif base in (int, float):
            data[name] = _number(name, raw, base is int)
        else:
            data[name] = raw
    return data


@dataclass
class Submission:
    """What a posted calculator form produced: the values as posted, and a result or the problems."""

    values: dict[str, Any]
    result: Any = None
    problems: list[ErrorItem] | None = None

    @property
    def by_field(self) -> dict[str, str]:
        """The first problem message per field, for showing next to the control."""
        found: dict[str, str] = {}
        for item in self.problems or []:
            found.setdefault(item.field.split(".")[0], item.message)
        return found


def submit(operation: Operation, form: FormData, *, extra: Mapping[str, Any] | None = None) -> Submission:
    """Run a posted form through an operation; input problems are collected, never raised."""
    fields = operation.request_model.model_fields
    values: dict[str, Any] = {
        name: list(form.getlist(name)) if _is_list(info.annotation) else form.get(name) for name, info in fields.items()
    }
    try:
        data = {**parse_form(operation.request_model, form), **(extra or {})}
        request = operation.request_model.model_validate(data)
        return Submission(values=values, result=operation.run(request))
    except ValidationError as exc:
        return Submission(values=values, problems=items_from_validation(exc.errors()))
    except InvalidInputError as exc:
        return Submission(values=values, problems=items_from_invalid_input(exc))
