"""Small readers of FHIR JSON shared by the import: codings, dates, references and structure checks.

The import reads the plain JSON (fast) after :func:`validated` has checked a resource against its
``fhir.resources`` R4B model, so that a malformed resource is reported, never half-read.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from pydantic import ValidationError

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def ref_of(resource: Mapping[str, Any], index: int) -> str:
    """``Type/id`` of a resource (``Type/#index`` when it has no id)."""
    rid = resource.get("id")
    return f"{resource.get('resourceType', 'Resource')}/{rid if isinstance(rid, str) and rid else f'#{index}'}"


def codings(concept: Any) -> Iterator[tuple[int, str, str, str | None]]:
    """``(index, system, code, display)`` of each coding of a CodeableConcept (malformed codings skipped)."""
    if type(concept) is not dict:  # parsed JSON; an exact type test is far cheaper than an ABC check
        return
    found = concept.get("coding")
    if type(found) is not list:
        return
    for i, coding in enumerate(found):
        if type(coding) is dict and type(coding.get("code")) is str:
            system = coding.get("system")
            display = coding.get("display")
            yield i, system if type(system) is str else "", coding["code"], display if type(display) is str else None


def profiles_of(resource: Mapping[str, Any]) -> tuple[str, ...]:
    """The ``meta.profile`` URLs of a resource (version suffix ``|x.y`` removed)."""
    meta = resource.get("meta")
    if type(meta) is not dict:
        return ()
    return tuple(p.split("|", 1)[0] for p in meta.get("profile") or () if isinstance(p, str))


def parse_date(text: Any) -> tuple[datetime.date | None, str | None]:
    """The calendar date of a FHIR date or dateTime (as written, before any time-zone shift), or why not.

    Returns ``(date, None)``, or ``(None, reason)`` for a partial date (year or year-month) or unreadable text.

    Example
    -------
    >>> parse_date("2017-11-21T02:21:28-05:00")
    (datetime.date(2017, 11, 21), None)
    >>> parse_date("2018")[1]
    'a partial date (2018) does not give a day'
    """
    if not isinstance(text, str):
        return None, "no date"
    match = _DATE.match(text)
    if match is None:
        return None, f"{text!r} is not a FHIR date"
    if match[3] is None:
        return None, f"a partial date ({match[0]}) does not give a day"
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3])), None
    except ValueError:
        return None, f"{match[0]!r} is not a calendar date"


def effective(resource: Mapping[str, Any]) -> tuple[str | None, Any]:
    """The element holding an Observation's effective time and its value (dateTime, period start, instant)."""
    if "effectiveDateTime" in resource:
        return "effectiveDateTime", resource["effectiveDateTime"]
    period = resource.get("effectivePeriod")
    if isinstance(period, dict) and "start" in period:
        return "effectivePeriod.start", period["start"]
    if "effectiveInstant" in resource:
        return "effectiveInstant", resource["effectiveInstant"]
    if "issued" in resource:
        return "issued", resource["issued"]
    return None, None


@cache
def _model(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


_COMMON = ("resourceType", "id", "meta", "subject", "status", "note", "category")
READ_ELEMENTS: Mapping[str, frozenset[str]] = {
    kind: frozenset((*_COMMON, *names))
    for kind, names in {
        "Patient": ("gender", "birthDate"),
        "Condition": ("code", "bodySite", "extension", "stage", "onsetDateTime", "onsetAge", "onsetPeriod"),
        "Observation": (
            "code", "focus", "effectiveDateTime", "effectivePeriod", "effectiveInstant", "issued", "valueQuantity",
            "valueCodeableConcept", "valueString", "valueBoolean", "valueInteger", "interpretation", "component",
            "referenceRange",
        ),
        "MedicationRequest": ("intent", "medicationCodeableConcept", "medicationReference", "authoredOn",
                              "dosageInstruction"),
        "MedicationAdministration": ("medicationCodeableConcept", "medicationReference", "effectiveDateTime",
                                     "effectivePeriod"),
        "MedicationStatement": ("medicationCodeableConcept", "medicationReference", "effectiveDateTime",
                                "effectivePeriod"),
        "Procedure": ("code", "bodySite", "performedDateTime", "performedPeriod"),
    }.items()
}  # fmt: skip
"""The elements the import reads, per resource type (with the ones R4 requires): what :func:`validated` checks.
Elements never read (narrative, identifiers, addresses, encounters ...) cannot change the case, so checking them
would only cost time (a third of the import on a Synthea bundle)."""


def validated(resource: Mapping[str, Any]) -> str | None:
    """``None`` when the elements the import reads (:data:`READ_ELEMENTS`) are valid FHIR R4 structure
    (fhir.resources R4B), else the first problem.

    The compiled check of :mod:`metastasis.interop.fhir.structure` answers first (about ten times faster); what
    it refuses is checked by the fhir.resources model itself, whose verdict and first error are returned.

    Example
    -------
    >>> validated({"resourceType": "Patient", "gender": "female"}) is None
    True
    >>> validated({"resourceType": "Patient", "gender": 3})
    'gender: Input should be a valid string'
    """
    from metastasis.interop.fhir.structure import passes

    if passes(resource):  # the compiled check, as strict or stricter: its "yes" is fhir.resources' "yes"
        return None
    try:
        model = _model(str(resource.get("resourceType")))
    except (KeyError, ValueError):
        return f"unknown resource type {resource.get('resourceType')!r}"
    kept = READ_ELEMENTS.get(str(resource.get("resourceType")))
    read = resource if kept is None else {key: value for key, value in resource.items() if key in kept}
    try:
        model.model_validate(read)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(resource)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {first['msg']}{more}"
    except RecursionError:  # fhir.resources builds one Python model per level: a few hundred nested extensions
        return "elements nested too deeply to check (hundreds of levels)"
    return None
