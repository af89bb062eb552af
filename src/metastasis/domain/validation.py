"""``validate_case``: every problem of a case at once, structural and clinical, each with its JSON path.

Pydantic reports every field that is malformed. The case-level rules (dates in order, M category against the
sites, events dated) cannot run on a model that failed to build, so they run on the parts that are valid: each
field, and each item of each list, is validated on its own and the rules see what survived. A broken lab
therefore does not hide a metastasis date before the diagnosis.

Example
-------
>>> report = validate_case({"schema_version": "1.0", "metastatic_sites": [{"site": "liver"}],
...                         "dates": {"diagnosis": "2024-03-04", "metastasis": "2023-12-01"},
...                         "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-03-04"}]})
>>> for problem in report.problems:
...     print(problem)
$.dates.metastasis: the first metastasis (2023-12-01) is before the diagnosis (2024-03-04)
$.labs[0].unit: a lab value needs its unit
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

from metastasis.domain.case import Case
from metastasis.domain.checks import case_issues
from metastasis.domain.problems import SKIP_RULES, CaseValidation, Problem, problems_from_validation_error
from metastasis.evidence import Verification, get_source

_CONTEXT = {SKIP_RULES: True}
_TOP = re.compile(r"^\$\.(?P<field>\w+)(?:\[(?P<index>\d+)\])?")


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model class of an annotation such as ``Tumour`` or ``SpinalDetails | None``."""
    if get_origin(annotation) in (Union, UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        annotation = members[0] if len(members) == 1 else None
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _salvage(model: type[BaseModel], raw: Any) -> BaseModel:
    """An instance of ``model`` holding only the fields of ``raw`` that are valid on their own.

    Nested records and list items that fail are salvaged the same way, so list indices still match the input.
    The result is built without validation, may lack required fields, and is only read by the case rules.
    """
    if not isinstance(raw, Mapping):
        return model.model_construct()
    values: dict[str, Any] = {}
    scratch = model.model_construct()
    for name, info in model.model_fields.items():
        if name not in raw:
            continue
        try:
            model.__pydantic_validator__.validate_assignment(scratch, name, raw[name], context=_CONTEXT)
            values[name] = getattr(scratch, name)
            continue
        except ValidationError:
            pass
        annotation = info.annotation
        nested = _model_of(annotation)
        if nested is not None:
            values[name] = _salvage(nested, raw[name])
        elif get_origin(annotation) is tuple and isinstance(raw[name], list | tuple):
            values[name] = tuple(_salvage_item(get_args(annotation)[0], item) for item in raw[name])
    return model.model_construct(**values)


def _salvage_item(item_type: Any, raw: Any) -> Any:
    """A valid item, the valid parts of a broken record, or ``None`` (not a record at all)."""
    try:
        return TypeAdapter(item_type).validate_python(raw, context=_CONTEXT)
    except (ValidationError, ValueError):
        nested = _model_of(item_type)
        return None if nested is None or not isinstance(raw, Mapping) else _salvage(nested, raw)


def _in_document_order(problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems without repeats, ordered by where they are in the case (then as found)."""
    seen: dict[tuple[str, str, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.path, problem.rule, problem.message), problem)
    fields = {name: rank for rank, name in enumerate(Case.model_fields)}

    def where(problem: Problem) -> tuple[int, int]:
        match = _TOP.match(problem.path)
        if match is None:
            return (-1, -1)
        return (fields.get(match["field"], len(fields)), int(match["index"] or -1))

    return tuple(sorted(seen.values(), key=where))


def with_caveats(report: CaseValidation) -> CaseValidation:
    """Add one caveat per unverified source cited by the problems."""
    caveats = []
    seen: set[str] = set()
    for problem in report.problems:
        for source_id in problem.sources:
            if source_id in seen:
                continue
            seen.add(source_id)
            if get_source(source_id).verification is Verification.UNVERIFIED:
                caveats.append(
                    f"Check {problem.rule} rests in part on an unverified source ({source_id}); "
                    "check it before relying on it."
                )
    return report.model_copy(update={"caveats": tuple(caveats)})


def validate_case(data: Any) -> CaseValidation:
    """Check parsed case data (a dict, as read from JSON or YAML) and list every problem.

    Parameters
    ----------
    data:
        The case as plain data.

    Returns
    -------
    CaseValidation
        ``problems`` (errors and warnings, each with ``path``, ``message``, ``value``, ``allowed``, ``rule``),
        ``ok`` (no errors), and ``case`` (the :class:`Case`, or ``None`` when there are errors).

    Example
    -------
    >>> validate_case({"schema_version": "1.0"}).ok
    True
    """
    if not isinstance(data, Mapping):
        problem = Problem(
            path="$",
            message="a case must be a mapping of fields (a JSON object)",
            value=type(data).__name__,
            allowed="a JSON object / YAML mapping",
            rule="structure.not_a_mapping",
        )
        return CaseValidation(problems=(problem,))
    try:
        case: Case | None = Case.model_validate(data, context=_CONTEXT)
    except ValidationError as exc:
        case = None
        structural = problems_from_validation_error(exc)
        parts = _salvage(Case, data)
    else:
        structural = []
        parts = case
    rules = [issue.to_problem() for issue in case_issues(parts)]
    problems = _in_document_order(structural + rules)
    valid = case if case is not None and not any(p.severity == "error" for p in problems) else None
    return with_caveats(CaseValidation(problems=problems, case=valid))
