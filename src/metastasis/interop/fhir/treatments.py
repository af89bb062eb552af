"""Readers of cancer treatments: medication requests and administrations (RxNorm -> drug and kind), surgical
procedures and radiotherapy course summaries.

Senders write one record per cycle or per session (Synthea writes a radiotherapy "course summary" for every
fraction); records of the same treatment closer than ``course_gap_days`` (a package design choice in the code
maps) are read as one course, and every record merged is listed as used. Records written by this package's
export carry its treatment-kind code and are read one to one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from metastasis.interop.fhir.model import Candidate
from metastasis.interop.fhir.reading import codings, parse_date, profiles_of

if TYPE_CHECKING:
    from metastasis.interop.fhir.importer import _State

_ENDED = frozenset({"completed", "stopped", "cancelled"})
_SKIPPED = frozenset({"entered-in-error", "not-done", "cancelled", "draft"})
PRIMARY_SURGERY = "primary-surgery"
"""Role code (package code system) of the operation on the primary tumour: its date is dates.surgery."""
DATE_ONLY = "surgery-date-only"
"""Role code of a procedure written only to carry dates.surgery (the case records no surgery treatment)."""


def _local(state: _State, concepts: Any, system_name: str) -> str | None:
    system = state.codes.uri(system_name)
    for concept in concepts if isinstance(concepts, list) else [concepts]:
        for _, s, code, _ in codings(concept):
            if s == system:
                return code
    return None


def _roles(state: _State, concepts: Any) -> set[str]:
    system = state.codes.uri("local_role")
    return {
        code
        for concept in (concepts if isinstance(concepts, list) else [concepts])
        for _, s, code, _ in codings(concept)
        if s == system
    }


def _note(resource: Mapping[str, Any]) -> str | None:
    texts = [n.get("text") for n in resource.get("note") or () if isinstance(n, dict) and n.get("text")]
    return "\n".join(texts) if texts else None


def _medication_dates(resource: Mapping[str, Any]) -> tuple[Any, Any, str]:
    """(start text, end text, path of start) of a request, administration or statement."""
    for d, dosage in enumerate(resource.get("dosageInstruction") or ()):
        if not isinstance(dosage, dict):
            continue
        bounds = ((dosage.get("timing") or {}).get("repeat") or {}).get("boundsPeriod")
        if isinstance(bounds, dict) and bounds.get("start"):
            return bounds["start"], bounds.get("end"), f"dosageInstruction[{d}].timing.repeat.boundsPeriod"
    if "authoredOn" in resource:
        return resource["authoredOn"], None, "authoredOn"
    if "effectiveDateTime" in resource:
        return resource["effectiveDateTime"], None, "effectiveDateTime"
    period = resource.get("effectivePeriod")
    if isinstance(period, dict):
        return period.get("start"), period.get("end"), "effectivePeriod"
    return None, None, "authoredOn"


def read_medication(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    """A MedicationRequest, MedicationAdministration or MedicationStatement of a drug in the treatment table."""
    from metastasis.interop.fhir.importer import _checked

    kind_name = resource["resourceType"]
    codes = state.codes
    concept = resource.get("medicationCodeableConcept")
    if concept is None:
        state.ignore(ref, f"{kind_name}.medication[x]", "medication given by reference is not read")
        return
    drug = _local(state, concept, "local_drug")
    rxnorm = codes.uri("rxnorm")
    unknown = []
    for i, system, code, _ in codings(concept):
        if drug is None and system == rxnorm:
            drug = codes.drug_by_rxnorm.get(code)
        if system not in codes.systems.values():
            unknown.append((i, system))
    cancer_related = any(codes.profile_kinds.get(p, "").startswith("medication_") for p in profiles_of(resource))
    category = resource.get("category")
    kind = _local(state, category, "local_treatment_kind")
    if drug is None and kind is None:
        why = "drug code not in the treatment table (docs/fhir.md)"
        if cancer_related:
            for i, system in unknown:
                state.warn(ref, f"{kind_name}.medicationCodeableConcept.coding[{i}]", f"unknown code system {system!r}")
            state.warn(ref, f"{kind_name}.medicationCodeableConcept", f"cancer-related medication not read: {why}")
        else:
            state.ignore(ref, f"{kind_name}.medicationCodeableConcept", f"not a cancer drug this mapping reads: {why}")
        return
    if resource.get("status") in _SKIPPED:
        state.ignore(ref, f"{kind_name}.status", f"status {resource.get('status')}")
        return
    if not _checked(state, resource, ref):
        return
    entry = codes.drugs.get(drug) if drug else None
    kind = kind or (entry.kind if entry else "other")
    start_text, end_text, path = _medication_dates(resource)
    start, why = parse_date(start_text)
    if start is None:
        state.warn(ref, f"{kind_name}.{path}", f"treatment not read: no start date ({why})")
        return
    end = parse_date(end_text)[0] if end_text else None
    own = _local(state, category, "local_treatment_kind") is not None
    _add(state, ref, kind, drug, None, start, end, resource.get("status") in _ENDED, _note(resource), own)
    state.use(ref, resource, "treatments")


def read_procedure(state: _State, resource: Mapping[str, Any], ref: str) -> None:
    """A cancer-related surgical procedure or radiotherapy course summary."""
    from metastasis.interop.fhir.importer import _checked

    codes = state.codes
    kinds = {codes.profile_kinds.get(p) for p in profiles_of(resource)}
    category = resource.get("category")
    kind = _local(state, category, "local_treatment_kind")
    if kind is None:
        kind = "surgery" if "surgery" in kinds else "radiotherapy" if "radiotherapy" in kinds else None
    if kind is None:
        table = codes.procedures
        kind = next((table[(s, c)] for _, s, c, _ in codings(resource.get("code")) if (s, c) in table), None)
    if kind is None:
        state.ignore(ref, "Procedure.code", "not a cancer surgery or radiotherapy this mapping reads")
        return
    if resource.get("status") in _SKIPPED:
        state.ignore(ref, "Procedure.status", f"status {resource.get('status')}")
        return
    if not _checked(state, resource, ref):
        return
    period = resource.get("performedPeriod") if isinstance(resource.get("performedPeriod"), dict) else {}
    start_text = resource.get("performedDateTime") or period.get("start")
    start, why = parse_date(start_text)
    if start is None:
        state.warn(ref, "Procedure.performed[x]", f"procedure not read: no date ({why})")
        return
    end = parse_date(period["end"])[0] if period.get("end") else None
    roles = _roles(state, category)
    own = _local(state, category, "local_treatment_kind") is not None
    site = _procedure_site(state, resource)
    marked = PRIMARY_SURGERY in roles or DATE_ONLY in roles
    # The surgery date is the operation on the primary: the one marked so, else (other senders) any cancer
    # surgery not aimed at a metastasis.
    if kind == "surgery" and (marked or (not own and site is None)):
        state.push(state.surgeries, (start, ref, marked))
    if DATE_ONLY in roles:
        state.use(ref, resource, "dates.surgery")
        return
    note = _note(resource)
    if note is None and not own:
        concept = resource.get("code") or {}
        note = concept.get("text") or next((d for _, _, _, d in codings(concept) if d), None)
    if kind == "surgery" and end is not None and end == start:
        end = None
    _add(state, ref, kind, None, site, start, end, resource.get("status") in _ENDED and kind != "surgery", note, own)
    state.use(ref, resource, "treatments", *(["dates.surgery"] if kind == "surgery" and site is None else []))


def _procedure_site(state: _State, resource: Mapping[str, Any]) -> str | None:
    from metastasis.interop.fhir.sites import _catalogue

    local = state.codes.uri("local_site")
    catalogue = _catalogue()
    for site in resource.get("bodySite") or ():
        for _, system, code, _ in codings(site):
            if system == local:
                return code
            if (system, code) in catalogue:
                return catalogue[(system, code)]
    return None


def _add(
    state: _State,
    ref: str,
    kind: str,
    drug: str | None,
    site: str | None,
    start: datetime.date,
    end: datetime.date | None,
    ended: bool,
    note: str | None,
    own: bool,
) -> None:
    from metastasis.interop.fhir.importer import _Course

    gap = state.codes.course_gap_days.get("medication" if drug else kind)
    if not own and gap is not None:
        for course in state.courses:
            if (course.kind, course.drug, course.site) != (kind, drug, site) or course.resources[0].startswith("own:"):
                continue
            if abs((start - course.last).days) <= gap or course.start <= start <= (course.end or course.last):
                course.start = min(course.start, start)
                course.last = max(course.last, end or start)
                course.end = max(course.end, end) if course.end and end else course.end or end
                course.ended = ended
                course.resources.append(ref)
                return
    course = _Course(kind, drug, site, start, end, ended, end or start, note, [("own:" if own else "") + ref])
    state.push(state.courses, course)


def close_courses(state: _State) -> None:
    """Turn the courses into case treatments; an end not given is the last record's date when all ended."""
    from metastasis.interop.fhir.importer import _Item

    for course in sorted(state.courses, key=lambda c: c.start):
        refs = [r.removeprefix("own:") for r in course.resources]
        item: dict[str, Any] = {"kind": course.kind, "start": course.start.isoformat()}
        if course.drug:
            item["drug"] = course.drug
        if course.site:
            item["site"] = course.site
        end = course.end
        if end is None and course.ended and course.last > course.start:
            end = course.last
        if end is not None:
            item["end"] = end.isoformat()
        if course.note:
            item["note"] = course.note
        state.lists["treatments"].append(_Item(item, refs[0], "(treatment)"))
        if len(refs) > 1:
            for ref in refs[1:]:
                state.used[ref] = state.used[ref].model_copy(update={"note": f"merged into the course of {refs[0]}"})
    primary = [s for s in state.surgeries if s[2]] or state.surgeries
    for when, ref, _ in primary:
        state.candidates["dates.surgery"].append(
            Candidate(value=when.isoformat(), date=when, resource=ref, path="Procedure.performed[x]")
        )
