"""Read an mCODE FHIR R4 Bundle into a :class:`~metastasis.domain.Case`: :func:`case_from_bundle`.

Resources are recognised by their code first and their mCODE profile second (profile names changed between
mCODE versions; Synthea and older senders use other ones). Each resource read is checked against its
``fhir.resources`` R4B model (through a compiled check derived from it, ``structure.py``); a field given by several
resources keeps the latest by effective date and the others are listed as a conflict; everything not read is listed
with the reason. Values the case refuses as contradictory are dropped with a warning naming the resource, so one
bad record does not sink the import.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from metastasis.domain.case import CASE_SCHEMA_VERSION
from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.codes import FhirCodes, fhir_codes
from metastasis.interop.fhir.model import (
    Candidate,
    DiseaseStatus,
    Finding,
    ImportResult,
    RecordedStage,
    UsedResource,
)
from metastasis.interop.fhir.reading import codings, effective, parse_date, profiles_of, ref_of, validated

MAX_ENTRIES = 20_000
"""Most bundle entries read (a Synthea patient with a long history has about a thousand)."""
BUNDLE_ALLOWED = "a FHIR R4 Bundle as a JSON object with resourceType 'Bundle' and an entry list"
_SEX = {"female": "female", "male": "male", "unknown": "unknown"}
_ENDED = frozenset({"completed", "stopped", "cancelled", "entered-in-error"})


@dataclass
class _Item:
    """One list item of the case (a site, lab, treatment ...) with where it came from."""

    data: dict[str, Any]
    resource: str
    path: str
    dropped: bool = False


@dataclass
class _Course:
    """Medication or radiotherapy records being merged into one treatment course."""

    kind: str
    drug: str | None
    site: str | None
    start: datetime.date
    end: datetime.date | None
    ended: bool
    last: datetime.date
    note: str | None
    resources: list[str] = field(default_factory=list)


@dataclass
class _State:
    codes: FhirCodes
    check_structure: bool = True
    candidates: dict[str, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    journal: list[Any] = field(default_factory=list)
    lists: dict[str, list[_Item]] = field(default_factory=lambda: defaultdict(list))
    used: dict[str, UsedResource] = field(default_factory=dict)
    ignored: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    stages: list[RecordedStage] = field(default_factory=list)
    statuses: list[DiseaseStatus] = field(default_factory=list)
    courses: list[_Course] = field(default_factory=list)
    birth_date: tuple[datetime.date, str] | None = None
    primary_seen: bool = False
    surgeries: list[tuple[datetime.date, str, bool]] = field(default_factory=list)
    dropped_fields: set[str] = field(default_factory=set)

    def use(self, ref: str, resource: Mapping[str, Any], *fields: str, note: str | None = None) -> None:
        known = self.used.get(ref)
        if known is None:
            self.journal.append(ref)
        profile = next((p for p in profiles_of(resource) if p in self.codes.profile_kinds), None)
        merged = (*known.fields, *fields) if known else fields
        self.used[ref] = UsedResource(
            resource=ref, profile=profile, fields=tuple(dict.fromkeys(merged)), note=note or (known and known.note)
        )

    def push(self, found: list[Any], item: Any) -> None:
        """Append to one of the state's lists, journaled so that a resource failing half-way can be undone."""
        found.append(item)
        self.journal.append(found)

    def mark(self) -> int:
        """A point to go back to (see :meth:`rollback`)."""
        return len(self.journal)

    def rollback(self, mark: int) -> None:
        """Undo what was added since :meth:`mark` (list items, and resources first marked used)."""
        while len(self.journal) > mark:
            entry = self.journal.pop()
            if isinstance(entry, str):
                self.used.pop(entry, None)
            else:
                entry.pop()

    def ignore(self, ref: str, path: str, message: str) -> None:
        self.push(self.ignored, Finding(ref, path, message))

    def warn(self, ref: str, path: str, message: str) -> None:
        self.push(self.warnings, Finding(ref, path, message))

    def offer(self, name: str, value: Any, when: datetime.date | None, ref: str, path: str) -> None:
        self.push(self.candidates[name], Candidate(value=value, date=when, resource=ref, path=path))


# --- entry point ---------------------------------------------------------------------------------------------


def case_from_bundle(bundle: Any, *, check_structure: bool = True) -> ImportResult:
    """Read an mCODE (FHIR R4) Bundle into a case.

    Parameters
    ----------
    bundle:
        The Bundle as parsed JSON (a dict), of any type (collection, transaction, searchset, ...).
    check_structure:
        Check the elements read of every resource read against its fhir.resources R4B model first (a malformed
        one is listed as a warning and not read; :func:`~metastasis.interop.fhir.reading.validated`). ``False``
        skips that check, for trusted senders whose bundles were validated upstream; the readers still check every
        value they take. The check costs about a tenth of the import (``benchmarks/bench_fhir.py``).

    Returns
    -------
    ImportResult
        The case, every resource used, every resource or element ignored with the reason, warnings (unknown
        code systems, contradictory values dropped), conflicts (the latest effective date wins), and the
        stage groups and disease status the bundle records.

    Raises
    ------
    InvalidInputError
        When the input is not a Bundle, has too many entries, holds no breast primary cancer, or more than one
        patient.

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> from metastasis.interop.fhir import bundle_from_case
    >>> result = case_from_bundle(bundle_from_case(load_example_case("early-hr-positive")))
    >>> result.case.tumour.t, result.case.tumour.er.value
    ('pT2', 'positive')
    """
    entries = _entries(bundle)
    state = _State(codes=fhir_codes(), check_structure=check_structure)
    patients = [i for i, r in enumerate(entries) if r.get("resourceType") == "Patient"]
    if len(patients) > 1:
        raise InvalidInputError(
            "bundle.entry", f"{len(patients)} Patient resources", "one patient per bundle", "a case is one person"
        )
    for index, resource in enumerate(entries):
        _read(state, resource, ref_of(resource, index))
    if not state.primary_seen:
        raise InvalidInputError(
            "bundle.entry",
            "no breast primary cancer",
            "a Condition coding a primary breast cancer (SNOMED CT 254837009 or a descendant named in docs/fhir.md, "
            "ICD-10-CM C50.x, or ICD-O-3 topography C50.x)",
            detail="the case is built around the breast primary",
        )
    return _finish(state, bundle)


def _entries(bundle: Any) -> list[Mapping[str, Any]]:
    if not isinstance(bundle, dict):
        raise InvalidInputError("bundle", type(bundle).__name__, BUNDLE_ALLOWED)
    kind = bundle.get("resourceType")
    if kind != "Bundle":
        raise InvalidInputError("bundle.resourceType", kind, BUNDLE_ALLOWED)
    raw = bundle.get("entry", [])
    if not isinstance(raw, list):
        raise InvalidInputError("bundle.entry", type(raw).__name__, "a list of entries")
    if len(raw) > MAX_ENTRIES:
        raise InvalidInputError("bundle.entry", f"{len(raw)} entries", f"at most {MAX_ENTRIES:,} entries")
    found = []
    for i, entry in enumerate(raw):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            raise InvalidInputError(f"bundle.entry[{i}].resource", resource, "a FHIR resource with a resourceType")
        found.append(resource)
    return found


# --- one resource ------------------------------------------------------------------------------------------


def _read(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    kind = resource["resourceType"]
    reader = _READERS.get(kind)
    if reader is None:
        state.ignore(ref, kind, f"{kind} resources are not part of the case")
        return
    mark = state.mark()
    try:
        reader(state, resource, ref)
    except (TypeError, AttributeError, ValueError, KeyError, IndexError) as exc:
        # Content of the wrong JSON type where a reader looked before the structure check: undo what this
        # resource gave and say so, never a crash.
        state.rollback(mark)
        state.warn(ref, kind, f"not read: malformed content ({type(exc).__name__}); check it against FHIR R4")


def _checked(state: _State, resource: Mapping[str, Any], ref: str) -> bool:
    if not state.check_structure:
        return True
    problem = validated(resource)
    if problem is None:
        return True
    state.warn(ref, resource["resourceType"], f"not valid FHIR R4, not read: {problem}")
    return False


def _read_patient(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    if not _checked(state, resource, ref):
        return
    gender = resource.get("gender")
    fields = []
    if gender is not None:
        if gender in _SEX:
            state.offer("patient.sex", _SEX[gender], None, ref, "Patient.gender")
        else:
            state.warn(ref, "Patient.gender", f"gender {gender!r} has no value in the case (female, male, unknown)")
            state.offer("patient.sex", "unknown", None, ref, "Patient.gender")
        fields.append("patient.sex")
    if "birthDate" in resource:
        born, why = parse_date(resource["birthDate"])
        if born is None:
            state.warn(ref, "Patient.birthDate", f"age at diagnosis not computed: {why}")
        else:
            state.birth_date = (born, ref)
            fields.append("patient.age_at_diagnosis")
    state.use(ref, resource, *fields, note="names, identifiers, address and contacts are not read")


def _is_breast_primary(codes: FhirCodes, resource: Mapping[str, Any]) -> bool:
    snomed, icd10 = codes.uri("snomed"), codes.uri("icd10cm")
    for _, system, code, _ in codings(resource.get("code")):
        if system == snomed and code in codes.breast_primary_snomed:
            return True
        if system == icd10 and code.upper().startswith("C50"):
            return True
        if system == snomed and code == codes.generic_malignant:
            return any(
                s == codes.uri("icdo3") and c.upper().startswith("C50")
                for site in resource.get("bodySite") or ()
                for _, s, c, _ in codings(site)
            )
    return False


def _read_condition(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    codes = state.codes
    kinds = {codes.profile_kinds.get(p) for p in profiles_of(resource)}
    if _is_breast_primary(codes, resource):
        if _checked(state, resource, ref):
            _read_primary(state, resource, ref)
        return
    from metastasis.interop.fhir.sites import site_of_condition

    site, path, note = site_of_condition(codes, resource)
    if site is not None or "secondary_condition" in kinds:
        if _checked(state, resource, ref):
            _read_secondary(state, resource, ref, site, path, note)
        return
    if "primary_condition" in kinds:
        state.warn(ref, "Condition.code", "a primary cancer condition that is not coded as breast cancer; not read")
        return
    state.ignore(ref, "Condition.code", "not a breast primary or a metastasis")


def _read_primary(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    codes = state.codes
    fields = []
    if state.primary_seen:
        state.warn(ref, "Condition", "a second breast primary: its dates and sites are compared, the latest wins")
    state.primary_seen = True
    when, why = parse_date(resource.get("onsetDateTime"))
    if when is not None:
        state.offer("dates.diagnosis", when.isoformat(), when, ref, "Condition.onsetDateTime")
        fields.append("dates.diagnosis")
    elif "onsetDateTime" in resource:
        state.warn(ref, "Condition.onsetDateTime", f"diagnosis date not read: {why}")
    for key in ("onsetAge", "onsetPeriod", "onsetRange", "onsetString"):
        if key in resource:
            state.ignore(ref, f"Condition.{key}", "only onsetDateTime gives the diagnosis date")
    age = _age_extension(codes, resource)
    if age is not None:
        state.offer("patient.age_at_diagnosis", age, None, ref, "Condition.extension(age-at-diagnosis)")
        fields.append("patient.age_at_diagnosis")
    fields += _primary_laterality(state, resource, ref)
    fields += _primary_histology(state, resource, ref)
    for i, _stage in enumerate(resource.get("stage") or ()):
        state.ignore(ref, f"Condition.stage[{i}]", "stage summaries are read from the stage-group Observations")
    state.use(ref, resource, *fields)


def _age_extension(codes: FhirCodes, resource: Mapping[str, Any]) -> int | None:
    for ext in resource.get("extension") or ():
        if isinstance(ext, dict) and ext.get("url") == codes.extensions["age_at_diagnosis"]:
            value = (ext.get("valueAge") or {}).get("value")
            if isinstance(value, int | float) and float(value).is_integer():
                return int(value)
    return None


def _primary_laterality(state: _State, resource: Mapping[str, Any], ref: str) -> list[str]:
    codes = state.codes
    found: list[str] = []
    if any(c == codes.left_female_primary for _, _, c, _ in codings(resource.get("code"))):
        state.offer("tumour.laterality", "left", None, ref, "Condition.code")
        found.append("tumour.laterality")
    icd10 = codes.uri("icd10cm")
    for i, system, code, _ in codings(resource.get("code")):
        if system == icd10 and len(code) == 7 and code[-1] in "12":
            side = "right" if code[-1] == "1" else "left"
            state.offer("tumour.laterality", side, None, ref, f"Condition.code.coding[{i}]")
            found.append("tumour.laterality")
    for s, site in enumerate(resource.get("bodySite") or ()):
        base = f"Condition.bodySite[{s}]"
        for ext in site.get("extension") or () if isinstance(site, dict) else ():
            if isinstance(ext, dict) and ext.get("url") == codes.extensions["laterality"]:
                for i, system, code, _ in codings(ext.get("valueCodeableConcept")):
                    side = codes.laterality.get((system, code))
                    if side is not None:
                        state.offer("tumour.laterality", side, None, ref, f"{base}.extension.value.coding[{i}]")
                        found.append("tumour.laterality")
        for i, system, code, _ in codings(site):
            path = f"{base}.coding[{i}]"
            if system == codes.uri("icdo3") and code in codes.location:
                state.offer("tumour.location", codes.location[code], None, ref, path)
                found.append("tumour.location")
            elif system == codes.uri("snomed"):
                sides = {v.code: k for k, v in codes.breast_body_site.items() if k in ("left", "right")}
                if code in sides:
                    state.offer("tumour.laterality", sides[code], None, ref, path)
                    found.append("tumour.laterality")
            elif system not in (codes.uri("snomed"), codes.uri("icdo3")):
                state.warn(ref, path, f"unknown code system {system!r} for a body site; not read")
    return found


def _primary_histology(state: _State, resource: Mapping[str, Any], ref: str) -> list[str]:
    codes = state.codes
    local = codes.uri("local_histology")
    for ext in resource.get("extension") or ():
        if not isinstance(ext, dict) or ext.get("url") != codes.extensions["histology"]:
            continue
        for i, system, code, _ in codings(ext.get("valueCodeableConcept")):
            path = f"Condition.extension(histologyMorphologyBehavior).value.coding[{i}]"
            value = code if system == local else codes.histology.get((system, code))
            if value is not None:
                state.offer("tumour.histology", value, None, ref, path)
                return ["tumour.histology"]
        state.ignore(ref, "Condition.extension(histologyMorphologyBehavior)", "morphology code not in the map")
    return []


def _read_secondary(
    state: _State, resource: Mapping[str, Any], ref: str, site: str | None, path: str | None, note: str | None
) -> None:
    if site is None:
        state.warn(ref, "Condition.code", "a metastasis whose site is not coded in a way this mapping reads")
        return
    item: dict[str, Any] = {"site": site}
    when, why = parse_date(resource.get("onsetDateTime"))
    if when is not None:
        item["date"] = when.isoformat()
    elif "onsetDateTime" in resource:
        state.warn(ref, "Condition.onsetDateTime", f"metastasis date not read: {why}")
    text = _note_text(resource)
    if text:
        item["note"] = text
    state.push(state.lists["metastatic_sites"], _Item(item, ref, path or "Condition.code"))
    state.use(ref, resource, "metastatic_sites", note=note)


def _note_text(resource: Mapping[str, Any]) -> str | None:
    notes = [n.get("text") for n in resource.get("note") or () if isinstance(n, dict) and n.get("text")]
    return "\n".join(notes) if notes else None


# --- observations ------------------------------------------------------------------------------------------


def _observation_kind(codes: FhirCodes, resource: Mapping[str, Any]) -> tuple[str, Any, int] | None:
    """What an Observation is, by its code: (kind, detail, coding index), or None (the lowest rank of
    :attr:`FhirCodes.observation_kinds` wins; the first coding among equals)."""
    table = codes.observation_kinds
    best: tuple[int, str, Any, int] | None = None
    for i, system, code, _ in codings(resource.get("code")):
        hit = table.get((system, code))
        if hit is None:
            if system != codes.uri("local_score"):
                continue
            hit = (7, "score", code)
        if best is None or hit[0] < best[0]:
            best = (*hit, i)
    return None if best is None else (best[1], best[2], best[3])


def _read_observation(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    kind = _observation_kind(state.codes, resource)
    if kind is None:
        state.ignore(ref, "Observation.code", "no code this mapping reads")
        return
    if kind[0] == "score":
        state.ignore(ref, "Observation.code", "an assessment result (derived again from the case, not read)")
        return
    if resource.get("status") in ("entered-in-error", "cancelled"):
        state.ignore(ref, "Observation.status", f"status {resource.get('status')}")
        return
    if not _checked(state, resource, ref):
        return
    element, raw = effective(resource)
    when, why = parse_date(raw)
    if raw is not None and when is None:
        state.warn(ref, f"Observation.{element}", f"effective date not read: {why}")
    from metastasis.interop.fhir import observations

    handler = observations.HANDLERS[kind[0]]
    handler(state, resource, ref, kind[1], when)


# --- treatments ----------------------------------------------------------------------------------------------


def _read_medication(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    from metastasis.interop.fhir import treatments

    treatments.read_medication(state, resource, ref)


def _read_procedure(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    from metastasis.interop.fhir import treatments

    treatments.read_procedure(state, resource, ref)


_READERS = {
    "Patient": _read_patient,
    "Condition": _read_condition,
    "Observation": _read_observation,
    "MedicationRequest": _read_medication,
    "MedicationAdministration": _read_medication,
    "MedicationStatement": _read_medication,
    "Procedure": _read_procedure,
}


# --- building the case -------------------------------------------------------------------------------------


def _finish(state: _State, bundle: Mapping[str, Any]) -> ImportResult:
    from metastasis.interop.fhir import assemble, treatments

    treatments.close_courses(state)
    conflicts, chosen = assemble.resolve(state)
    stage = assemble.choose_stage(state)
    case = assemble.build_case(state, chosen, bundle)
    codes = state.codes
    return ImportResult(
        case=case,
        used=tuple(state.used.values()),
        ignored=tuple(state.ignored),
        warnings=tuple(state.warnings),
        conflicts=tuple(conflicts),
        stage_group=stage,
        stage_groups=tuple(state.stages),
        disease_status=tuple(sorted(state.statuses, key=lambda s: s.date or datetime.date.min)),
        sources=codes.sources,
        structure_checked=state.check_structure,
    )


__all__ = ["CASE_SCHEMA_VERSION", "MAX_ENTRIES", "case_from_bundle"]
