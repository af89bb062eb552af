"""Readers of the Observations the import maps: TNM categories and stage groups, tumour markers, tumour size,
laboratory results, performance status and cancer disease status.

Each reader offers the value to the case field it fills (the latest by effective date wins later) and records
every element it cannot read as ignored or as a warning, with its path.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.model import DiseaseStatus, RecordedStage
from metastasis.interop.fhir.reading import codings

if TYPE_CHECKING:
    from metastasis.interop.fhir.importer import _State

_ROMAN = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV"}
_STAGE = re.compile(r"^(?:y?[cp])?(0|I{1,3}|IV|[0-4])([ABC])?$", re.IGNORECASE)
_GRADE = re.compile(r"grade\s*([123])\b", re.IGNORECASE)
_PREFIX = {"clinical": "c", "pathological": "p"}
_TNM_FIELD = {"T": "tumour.t", "N": "tumour.n", "M": "tumour.m"}


def _value_codings(state: _State, resource: Mapping[str, Any], ref: str) -> list[tuple[int, str, str]]:
    """The (index, system, code) of valueCodeableConcept; a data-absent reason is reported and skipped."""
    absent = state.codes.uri("data_absent")
    found = []
    for i, system, code, _ in codings(resource.get("valueCodeableConcept")):
        if system == absent:
            state.ignore(ref, f"Observation.valueCodeableConcept.coding[{i}]", f"no value given (data absent: {code})")
            continue
        found.append((i, system, code))
    return found


def stage_label(code: str) -> str | None:
    """An AJCC stage group from an AJCC-style code ('c1A', '3C', 'IIB', 'p2', '4'), or None.

    Example
    -------
    >>> stage_label("c1A"), stage_label("IIIC"), stage_label("p2")
    ('IA', 'IIIC', 'II')
    """
    match = _STAGE.match(code.strip())
    if match is None:
        return None
    group = _ROMAN.get(match[1], match[1].upper())
    return group + (match[2] or "").upper()


def _category(axis: str, basis: str, code: str, ref: str, path: str, state: _State) -> str | None:
    from metastasis.staging.tnm import parse_category

    text = _PREFIX[basis] + code if code[:1].upper() == axis else code  # no prefix: the observation code's
    try:
        label = parse_category(text, axis, field=_TNM_FIELD[axis]).label  # type: ignore[arg-type]
    except InvalidInputError as exc:
        state.warn(ref, path, f"{code!r} is not a breast {axis} category ({exc.allowed}); not read")
        return None
    if label.lstrip("y")[0] in "cp" and label.lstrip("y")[0] != _PREFIX[basis]:
        state.warn(ref, path, f"{label} on an observation coded as {basis}: the value's own prefix is kept")
    return label


def read_tnm(state: _State, resource: Mapping[str, Any], ref: str, detail: Any, when: datetime.date | None) -> None:
    """T, N, M or stage group (by the observation code), clinical or pathological."""
    axis, basis = detail
    codes = state.codes
    ajcc, snomed = codes.uri("ajcc"), codes.uri("snomed")
    values = _value_codings(state, resource, ref)
    ordered = sorted(values, key=lambda v: (v[1] != ajcc, v[1] != snomed))
    for i, system, code in ordered:
        path = f"Observation.valueCodeableConcept.coding[{i}]"
        if axis == "stage":
            stage = stage_label(code) if system == ajcc else codes.stage_values.get(code) if system == snomed else None
            if stage is not None:
                state.push(state.stages, RecordedStage(stage=stage, basis=basis, date=when, resource=ref, path=path))
                state.use(ref, resource, note=f"recorded stage group {stage} ({basis})")
                return
            continue
        raw = code if system == ajcc else codes.tnm_values.get(code) if system == snomed else None
        if raw is None:
            continue
        label = _category(axis, basis, raw, ref, path, state)
        if label is not None:
            state.offer(_TNM_FIELD[axis], label, when, ref, path)
            state.use(ref, resource, _TNM_FIELD[axis])
        return
    _unread_value(state, resource, ref, values, f"a {axis} value")


def _unread_value(state: _State, resource: Mapping[str, Any], ref: str, values: list[Any], what: str) -> None:
    known = set(state.codes.systems.values())
    for i, system, code in values:
        path = f"Observation.valueCodeableConcept.coding[{i}]"
        if system not in known:
            state.warn(ref, path, f"unknown code system {system!r}; {what} was expected")
        else:
            state.warn(ref, path, f"{code!r} is not {what} this mapping knows")
    if not values and "valueCodeableConcept" not in resource:
        state.ignore(ref, "Observation.value[x]", f"no coded value: {what} was expected")


def _result(state: _State, resource: Mapping[str, Any], ref: str) -> tuple[str, str] | None:
    """positive/negative/equivocal from a coded, text or boolean value: (value, path)."""
    from metastasis.domain.biomarkers import receptor_status

    for i, system, code in _value_codings(state, resource, ref):
        found = state.codes.result_values.get((system, code))
        if found is not None:
            return found, f"Observation.valueCodeableConcept.coding[{i}]"
    texts = [
        ("Observation.valueString", resource.get("valueString")),
        ("Observation.valueCodeableConcept.text", (resource.get("valueCodeableConcept") or {}).get("text")),
        ("Observation.valueBoolean", resource.get("valueBoolean")),
    ]
    for path, text in texts:
        if text is None:
            continue
        try:
            return receptor_status(text, field="value", equivocal_allowed=True).value, path
        except InvalidInputError:
            continue
    return None


def _number(resource: Mapping[str, Any]) -> tuple[float, str, str | None] | None:
    """A numeric value: (value, path, UCUM code or unit)."""
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict) and isinstance(quantity.get("value"), int | float):
        return float(quantity["value"]), "Observation.valueQuantity", quantity.get("code") or quantity.get("unit")
    if isinstance(resource.get("valueInteger"), int):
        return float(resource["valueInteger"]), "Observation.valueInteger", None
    return None


def read_marker(state: _State, resource: Mapping[str, Any], ref: str, name: str, when: datetime.date | None) -> None:
    """ER, PR, HER2 (overall, IHC score, ISH), Ki-67, Oncotype DX recurrence score, Nottingham grade."""
    if name == "her2_ihc" and _her2_ihc(state, resource, ref, when):
        return
    if name in ("oncotype_rs", "ki67_percent"):
        number = _number(resource)
        if number is None:
            _unread_value(state, resource, ref, [], f"a number for {name}")
            return
        _offer(state, resource, ref, f"tumour.{name}", number[0], when, number[1])
        return
    if name == "grade":
        _grade(state, resource, ref, when)
        return
    found = _result(state, resource, ref)
    if found is None:
        _unread_value(state, resource, ref, _value_codings(state, resource, ref), f"a {name} result")
        return
    value, path = found
    target = "her2" if name == "her2_ihc" else name
    if value == "equivocal" and target in ("er", "pr", "ki67"):
        state.warn(ref, path, f"{target} cannot be equivocal in the case; not read")
        return
    _offer(state, resource, ref, f"tumour.{target}", value, when, path)


def _her2_ihc(state: _State, resource: Mapping[str, Any], ref: str, when: datetime.date | None) -> bool:
    from metastasis.domain.biomarkers import her2_ihc_score

    concept = resource.get("valueCodeableConcept") or {}
    local = state.codes.uri("local_marker")
    tries: list[tuple[str, Any]] = [
        (f"Observation.valueCodeableConcept.coding[{i}]", code)
        for i, system, code, _ in codings(concept)
        if system == local
    ]
    tries += [
        ("Observation.valueString", resource.get("valueString")),
        ("Observation.valueInteger", resource.get("valueInteger")),
        ("Observation.valueCodeableConcept.text", concept.get("text")),
    ]
    for path, raw in tries:
        if raw is None:
            continue
        try:
            score = her2_ihc_score(raw)
        except InvalidInputError:
            continue
        if score is not None:
            _offer(state, resource, ref, "tumour.her2_ihc", score, when, path)
            return True
    return False


def _grade(state: _State, resource: Mapping[str, Any], ref: str, when: datetime.date | None) -> None:
    for i, system, code in _value_codings(state, resource, ref):
        grade = state.codes.grade_values.get((system, code))
        if grade is not None:
            _offer(state, resource, ref, "tumour.grade", grade, when, f"Observation.valueCodeableConcept.coding[{i}]")
            return
    if isinstance(resource.get("valueInteger"), int) and 1 <= resource["valueInteger"] <= 3:
        _offer(state, resource, ref, "tumour.grade", resource["valueInteger"], when, "Observation.valueInteger")
        return
    text = (resource.get("valueCodeableConcept") or {}).get("text") or resource.get("valueString") or ""
    match = _GRADE.search(str(text))
    if match:
        _offer(state, resource, ref, "tumour.grade", int(match[1]), when, "Observation.value[x]")
        return
    _unread_value(state, resource, ref, _value_codings(state, resource, ref), "a Nottingham grade")


def _offer(
    state: _State, resource: Mapping[str, Any], ref: str, name: str, value: Any, when: datetime.date | None, path: str
) -> None:
    state.offer(name, value, when, ref, path)
    state.use(ref, resource, name)


def read_size(state: _State, resource: Mapping[str, Any], ref: str, _: Any, when: datetime.date | None) -> None:
    """Tumour size: the longest-dimension component (or the value itself) in cm or mm, as millimetres."""
    codes = state.codes
    quantities: list[tuple[str, Any]] = []
    for c, component in enumerate(resource.get("component") or ()):
        if any(code == codes.tumor_longest.code for _, _, code, _ in codings(component.get("code"))):
            quantities.append((f"Observation.component[{c}].valueQuantity", component.get("valueQuantity")))
        else:
            state.ignore(ref, f"Observation.component[{c}]", "only the longest dimension is read")
    quantities.append(("Observation.valueQuantity", resource.get("valueQuantity")))
    for path, quantity in quantities:
        if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), int | float):
            continue
        unit = quantity.get("code") or quantity.get("unit")
        factor = codes.size_units.get(str(unit))
        if factor is None:
            state.warn(ref, path, f"size unit {unit!r} is not read (allowed: {', '.join(codes.size_units)})")
            return
        _offer(state, resource, ref, "tumour.size_mm", round(float(quantity["value"]) * factor, 6), when, path)
        return
    state.ignore(ref, "Observation.component", "no longest-dimension size")


def read_lab(state: _State, resource: Mapping[str, Any], ref: str, analyte: str, when: datetime.date | None) -> None:
    """A laboratory value by LOINC code, its UCUM unit converted to the case's spelling."""
    from metastasis.domain.labs import canonical_unit

    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict) or not isinstance(quantity.get("value"), int | float):
        state.ignore(ref, "Observation.value[x]", f"no numeric {analyte} value")
        return
    if when is None:
        state.warn(ref, "Observation.effective[x]", f"a {analyte} result without a date is not read")
        return
    ucum = str(quantity.get("code") or quantity.get("unit") or "")
    unit, factor = state.codes.ucum.get(ucum, (ucum, 1.0))
    accepted = canonical_unit(analyte, unit)
    if accepted is None:
        state.warn(ref, "Observation.valueQuantity.code", f"unit {ucum!r} is not a unit of {analyte} in the case")
        return
    item: dict[str, Any] = {
        "analyte": analyte,
        "value": round(float(quantity["value"]) * factor, 9),
        "unit": accepted,
        "date": when.isoformat(),
    }
    high = ((resource.get("referenceRange") or [{}])[0] or {}).get("high")
    if isinstance(high, dict) and isinstance(high.get("value"), int | float):
        if str(high.get("code") or high.get("unit") or ucum) == ucum:
            item["uln"] = round(float(high["value"]) * factor, 9)
        else:
            state.ignore(ref, "Observation.referenceRange[0].high", "upper limit in another unit than the value")
    note = _notes(resource)
    if note:
        item["note"] = note
    _add_item(state, resource, ref, "labs", item, "Observation.valueQuantity")


def _notes(resource: Mapping[str, Any]) -> str | None:
    texts = [n.get("text") for n in resource.get("note") or () if isinstance(n, dict) and n.get("text")]
    return "\n".join(texts) if texts else None


def _add_item(state: _State, resource: Mapping[str, Any], ref: str, name: str, item: dict[str, Any], path: str) -> None:
    from metastasis.interop.fhir.importer import _Item

    state.push(state.lists[name], _Item(item, ref, path))
    state.use(ref, resource, name)


def read_performance(
    state: _State, resource: Mapping[str, Any], ref: str, scale: str, when: datetime.date | None
) -> None:
    """ECOG or Karnofsky: the score in valueInteger, else the LOINC answer in interpretation or the value."""
    answers = {code: score for score, code in state.codes.performance_answers[scale].items()}
    value, path = resource.get("valueInteger"), "Observation.valueInteger"
    if not isinstance(value, int):
        value = None
        for element in ("interpretation", "valueCodeableConcept"):
            concepts = resource.get(element)
            for c, concept in enumerate(concepts if isinstance(concepts, list) else [concepts]):
                for i, _, code, _ in codings(concept):
                    if code in answers and value is None:
                        value, path = answers[code], f"Observation.{element}[{c}].coding[{i}]"
    if value is None:
        state.ignore(ref, "Observation.value[x]", f"no {scale} score")
        return
    item: dict[str, Any] = {"scale": scale, "value": value}
    if when is not None:
        item["date"] = when.isoformat()
    _add_item(state, resource, ref, "performance_status", item, path)


def read_status(state: _State, resource: Mapping[str, Any], ref: str, _: Any, when: datetime.date | None) -> None:
    """Cancer disease status (kept in the import result; the case has no field for it)."""
    for i, _, code in _value_codings(state, resource, ref):
        status = state.codes.disease_status.get(code)
        if status is not None:
            state.push(state.statuses, DiseaseStatus(status=status, date=when, resource=ref))
            state.use(ref, resource, note=f"disease status {status} (import result only; the case has no field)")
            return
        state.warn(ref, f"Observation.valueCodeableConcept.coding[{i}]", f"disease status {code!r} is not known")
    if not resource.get("valueCodeableConcept"):
        state.ignore(ref, "Observation.value[x]", "no disease status value")


HANDLERS: Mapping[str, Callable[..., None]] = {
    "tnm": read_tnm,
    "marker": read_marker,
    "size": read_size,
    "lab": read_lab,
    "performance": read_performance,
    "status": read_status,
}
