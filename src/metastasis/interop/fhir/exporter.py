"""Write a case as an mCODE FHIR R4 Bundle: :func:`bundle_from_case`.

Every resource carries its mCODE profile (US Core where mCODE has none: laboratory results, risk scores and the
report) and refers to the others by ``urn:uuid`` full URLs, resolvable inside the bundle whatever its type.
Resource ids are derived from the case id and the record's place, so the same case gives the same bundle. The
case holds no birth date, name or identifier, and none is made up: the age at diagnosis travels in an extension
of the primary cancer condition. The bundle is checked against the ``fhir.resources`` R4B models before it is
returned.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from metastasis.domain.case import Case
from metastasis.domain.treatments import Treatment, TreatmentKind
from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.interop.fhir.codes import Coding, FhirCodes, fhir_codes
from metastasis.interop.fhir.sites import site_codings
from metastasis.interop.fhir.treatments import DATE_ONLY, PRIMARY_SURGERY

BundleType = Literal["collection", "transaction"]
BUNDLE_TYPES: tuple[str, ...] = ("collection", "transaction")
_NAMESPACE = uuid.UUID("6f1c7d1e-0b5e-4c55-9a53-3f1e5d0a8c21")  # fixed: same case, same ids
_CLINICAL_PREFIXES = ("c", "yc", "rc", "")
_MEDICATION_KINDS = frozenset(TreatmentKind) - {TreatmentKind.SURGERY, TreatmentKind.RADIOTHERAPY}


class _Writer:
    """Collects the resources of one bundle with stable ids."""

    def __init__(self, case: Case, codes: FhirCodes) -> None:
        self.case = case
        self.codes = codes
        self.seed = case.id or case.title or "case"
        self.entries: list[dict[str, Any]] = []

    def ref(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{self.seed}/{name}')}"

    def add(self, name: str, resource: dict[str, Any], profile: str) -> str:
        full_url = self.ref(name)
        resource = {
            "resourceType": resource.pop("resourceType"),
            "id": full_url.removeprefix("urn:uuid:"),
            "meta": {"profile": [profile]},
            **resource,
        }
        self.entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    def mcode(self, kind: str) -> str:
        return self.codes.profile(kind)

    def coding(self, system: str, code: str, display: str | None = None) -> dict[str, str]:
        return Coding(self.codes.uri(system), code, display).to_fhir()

    @property
    def patient(self) -> dict[str, str]:
        return {"reference": self.ref("patient")}

    @property
    def primary(self) -> dict[str, str]:
        return {"reference": self.ref("primary")}


def bundle_from_case(
    case: Case,
    *,
    bundle_type: BundleType = "collection",
    with_assessment: bool = False,
) -> dict[str, Any]:
    """Write a case as an mCODE (FHIR R4) Bundle.

    Parameters
    ----------
    case:
        The case.
    bundle_type:
        ``collection`` (an mCODE patient bundle) or ``transaction`` (entries carry ``POST`` requests).
    with_assessment:
        Also write the assessment (:func:`metastasis.assess_case`): the derived stage group as an Observation
        citing its method, each risk score as an Observation with its items as components, and the clinician
        report as a DiagnosticReport whose presentedForm holds the rendered HTML and Markdown.

    Returns
    -------
    dict
        The Bundle as FHIR JSON (validated with the fhir.resources R4B models).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> bundle = bundle_from_case(load_example_case("early-hr-positive"), bundle_type="transaction")
    >>> bundle["entry"][0]["request"], bundle["entry"][0]["resource"]["resourceType"]
    ({'method': 'POST', 'url': 'Patient'}, 'Patient')
    """
    if bundle_type not in BUNDLE_TYPES:
        raise InvalidInputError("bundle_type", bundle_type, BUNDLE_TYPES)
    writer = _Writer(case, fhir_codes())
    _patient(writer)
    _primary(writer)
    tnm = _tnm(writer)
    _markers(writer)
    _sites(writer)
    _labs(writer)
    _performance(writer)
    _treatments(writer)
    if with_assessment:
        from metastasis.interop.fhir.assessment import add_assessment

        add_assessment(writer, tnm)
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": bundle_type}
    if bundle_type == "collection":
        bundle["meta"] = {"profile": [writer.mcode("bundle")]}
    if case.as_of is not None:
        bundle["timestamp"] = f"{case.as_of.isoformat()}T00:00:00Z"
    if bundle_type == "transaction":
        for entry in writer.entries:
            entry["request"] = {"method": "POST", "url": entry["resource"]["resourceType"]}
    bundle["entry"] = writer.entries
    _validate(bundle)
    return bundle


def _validate(bundle: dict[str, Any]) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    try:
        Bundle.model_validate(bundle)
    except ValidationError as exc:  # a bug in this module, not bad input
        raise DataIntegrityError(f"exported bundle is not valid FHIR R4: {exc.errors()[0]}") from None


# --- patient and primary -----------------------------------------------------------------------------------


def _patient(w: _Writer) -> None:
    resource: dict[str, Any] = {"resourceType": "Patient"}
    if w.case.patient.sex is not None:
        resource["gender"] = w.case.patient.sex
    w.add("patient", resource, w.mcode("patient"))


def _primary(w: _Writer) -> None:
    case, codes = w.case, w.codes
    tumour = case.tumour
    resource: dict[str, Any] = {
        "resourceType": "Condition",
        "code": {"coding": [codes.breast_primary_export.to_fhir()]},
        "subject": w.patient,
    }
    extensions = []
    if case.patient.age_at_diagnosis is not None:
        age = {"value": case.patient.age_at_diagnosis, "unit": "a", "system": codes.uri("ucum"), "code": "a"}
        extensions.append({"url": codes.extensions["age_at_diagnosis"], "valueAge": age})
    if tumour.histology is not None:
        coding = codes.histology_export.get(tumour.histology) or Coding(codes.uri("local_histology"), tumour.histology)
        concept = {"coding": [coding.to_fhir()]}
        extensions.append({"url": codes.extensions["histology"], "valueCodeableConcept": concept})
    if extensions:
        resource["extension"] = extensions
    site = _breast_site(w)
    if site:
        resource["bodySite"] = [site]
    if case.dates.diagnosis is not None:
        resource["onsetDateTime"] = case.dates.diagnosis.isoformat()
    w.add("primary", resource, w.mcode("primary_condition"))


def _breast_site(w: _Writer) -> dict[str, Any] | None:
    tumour, codes = w.case.tumour, w.codes
    side = tumour.laterality if tumour.laterality in ("left", "right") else "breast"
    site: dict[str, Any] = {"coding": [codes.breast_body_site[side].to_fhir()]}
    if tumour.location is not None:
        site["coding"].append(codes.location_export[tumour.location].to_fhir())
    if tumour.laterality in codes.laterality_export:
        value = {"coding": [codes.laterality_export[tumour.laterality].to_fhir()]}
        site["extension"] = [{"url": codes.extensions["laterality"], "valueCodeableConcept": value}]
    if tumour.location is None and tumour.laterality is None:
        return None
    return site


# --- staging and markers -----------------------------------------------------------------------------------


def _basis(label: str) -> str:
    prefix = label[: len(label) - len(label.lstrip("cpyr"))]
    return "clinical" if prefix in _CLINICAL_PREFIXES else "pathological"


def _observation(w: _Writer, code: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Observation", "status": "final", "code": {"coding": code}}
    resource["subject"] = w.patient
    resource.update(fields)
    return resource


def _tnm(w: _Writer) -> list[str]:
    codes, tumour = w.codes, w.case.tumour
    refs = []
    for axis, label, kind in (("T", tumour.t, "tnm_t"), ("N", tumour.n, "tnm_n"), ("M", tumour.m, "tnm_m")):
        if label is None:
            continue
        basis = _basis(label)
        value = [w.coding("ajcc", label)]
        if label in codes.tnm_values_export:
            value.append(w.coding("snomed", codes.tnm_values_export[label]))
        resource = _observation(
            w,
            [codes.tnm_observation_export[(axis, basis)].to_fhir()],
            focus=[w.primary],
            method={"coding": [codes.staging_method.to_fhir()]},
            valueCodeableConcept={"coding": value, "text": label},
        )
        refs.append(w.add(f"tnm-{axis}", resource, w.mcode(kind)))
    return refs


def _result_value(w: _Writer, status: str) -> dict[str, Any]:
    coding = w.codes.result_values_export.get(status)
    if coding is None:  # unknown: no result, said in words
        return {"coding": [w.coding("data_absent", "unknown")], "text": status}
    return {"coding": [coding.to_fhir()], "text": status}


def _markers(w: _Writer) -> None:
    codes, tumour = w.codes, w.case.tumour
    values: list[tuple[str, dict[str, Any]]] = []
    for name in ("er", "pr", "her2", "her2_ish", "ki67"):
        status = getattr(tumour, name)
        if status is not None:
            values.append((name, {"valueCodeableConcept": _result_value(w, status.value)}))
    if tumour.her2_ihc is not None:
        concept = {"coding": [w.coding("local_marker", tumour.her2_ihc)], "text": f"IHC {tumour.her2_ihc}"}
        values.append(("her2_ihc", {"valueCodeableConcept": concept}))
    if tumour.oncotype_rs is not None:
        quantity = {"value": tumour.oncotype_rs, "unit": "Recurrence score", "system": codes.uri("ucum"), "code": "1"}
        values.append(("oncotype_rs", {"valueQuantity": quantity}))
    if tumour.ki67_percent is not None:
        quantity = {"value": tumour.ki67_percent, "unit": "%", "system": codes.uri("ucum"), "code": "%"}
        values.append(("ki67_percent", {"valueQuantity": quantity}))
    if tumour.grade is not None:
        known = {v: k for k, v in codes.grade_values.items()}.get(tumour.grade)
        concept: dict[str, Any] = {"text": f"Nottingham grade {tumour.grade}"}
        if known is not None:
            concept["coding"] = [{"system": known[0], "code": known[1]}]
        values.append(("grade", {"valueCodeableConcept": concept}))
    for name, value in values:
        resource = _observation(w, [codes.markers_export[name].to_fhir()], focus=[w.primary], **value)
        profile = w.mcode("tumor_marker") if name != "grade" else codes.us_core["lab"]
        w.add(f"marker-{name}", resource, profile)
    if tumour.size_mm is not None:
        quantity = {"value": tumour.size_mm, "unit": "mm", "system": codes.uri("ucum"), "code": "mm"}
        component = {"code": {"coding": [codes.tumor_longest.to_fhir()]}, "valueQuantity": quantity}
        resource = _observation(w, [codes.tumor_size.to_fhir()], focus=[w.primary], component=[component])
        w.add("tumour-size", resource, w.mcode("tumor_size"))


# --- metastases, labs, performance -------------------------------------------------------------------------


def _sites(w: _Writer) -> None:
    for index, site in enumerate(w.case.metastatic_sites):
        condition, body = site_codings(w.codes, site.site)
        resource: dict[str, Any] = {
            "resourceType": "Condition",
            "extension": [{"url": w.codes.extensions["related_condition"], "valueReference": w.primary}],
            "code": {"coding": [c.to_fhir() for c in condition]},
            "bodySite": [{"coding": [c.to_fhir() for c in body]}],
            "subject": w.patient,
        }
        if site.date is not None:
            resource["onsetDateTime"] = site.date.isoformat()
        if site.note:
            resource["note"] = [{"text": site.note}]
        w.add(f"site-{index}", resource, w.mcode("secondary_condition"))


def _labs(w: _Writer) -> None:
    codes = w.codes
    category = [{"coding": [w.coding("observation_category", "laboratory")]}]
    for index, lab in enumerate(w.case.labs):
        unit = codes.ucum_export.get(lab.unit, lab.unit)
        quantity = {"value": lab.value, "unit": lab.unit, "system": codes.uri("ucum"), "code": unit}
        resource = _observation(
            w,
            [w.coding("loinc", codes.labs_export[lab.analyte])],
            category=category,
            effectiveDateTime=lab.date.isoformat(),
            valueQuantity=quantity,
        )
        if lab.uln is not None:
            resource["referenceRange"] = [{"high": {**quantity, "value": lab.uln}}]
        if lab.note:
            resource["note"] = [{"text": lab.note}]
        w.add(f"lab-{index}", resource, codes.us_core["lab"])


def _performance(w: _Writer) -> None:
    codes = w.codes
    for index, ps in enumerate(w.case.performance_status):
        answer = codes.performance_answers[ps.scale].get(ps.value)
        resource = _observation(w, [codes.performance[ps.scale].to_fhir()], valueInteger=ps.value)
        if answer is not None:
            resource["interpretation"] = [{"coding": [w.coding("loinc", answer)]}]
        if ps.date is not None:
            resource["effectiveDateTime"] = ps.date.isoformat()
        w.add(f"performance-{index}", resource, w.mcode(ps.scale))


# --- treatments --------------------------------------------------------------------------------------------


def _treatments(w: _Writer) -> None:
    surgery = w.case.dates.surgery
    primary_done = False
    for index, treatment in enumerate(w.case.treatments):
        if treatment.kind in _MEDICATION_KINDS:
            _medication(w, index, treatment)
            continue
        primary = (
            not primary_done
            and treatment.kind is TreatmentKind.SURGERY
            and treatment.start == surgery
            and treatment.site is None
        )
        primary_done = primary_done or primary
        _procedure(w, f"treatment-{index}", treatment, (PRIMARY_SURGERY,) if primary else ())
    if surgery is not None and not primary_done:
        only = Treatment(kind=TreatmentKind.SURGERY, start=surgery)
        _procedure(w, "surgery-date", only, (DATE_ONLY,))


def _kind_concept(w: _Writer, kind: str, roles: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"coding": [w.coding("local_treatment_kind", kind), *(w.coding("local_role", r) for r in roles)]}


def _medication(w: _Writer, index: int, treatment: Treatment) -> None:
    codes = w.codes
    concept: dict[str, Any] = {"text": treatment.drug or treatment.kind.value}
    if treatment.drug:
        coding = [w.coding("local_drug", treatment.drug)]
        entry = codes.drugs.get(treatment.drug)
        if entry is not None and entry.rxnorm:
            coding.append(w.coding("rxnorm", entry.rxnorm[0]))
        concept["coding"] = coding
    bounds = {"start": treatment.start.isoformat()}
    if treatment.end is not None:
        bounds["end"] = treatment.end.isoformat()
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "active" if treatment.ongoing else "completed",
        "intent": "order",
        "category": [_kind_concept(w, treatment.kind.value)],
        "medicationCodeableConcept": concept,
        "subject": w.patient,
        "authoredOn": treatment.start.isoformat(),
        "reasonReference": [w.primary],
        "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": bounds}}}],
    }
    if treatment.note:
        resource["note"] = [{"text": treatment.note}]
    w.add(f"treatment-{index}", resource, w.mcode("medication_request"))


def _procedure(w: _Writer, name: str, treatment: Treatment, roles: tuple[str, ...]) -> None:
    codes = w.codes
    kind = treatment.kind.value
    code = (
        {"coding": [codes.radiotherapy_code.to_fhir()], "text": "Radiotherapy course"}
        if treatment.kind is TreatmentKind.RADIOTHERAPY
        else {"text": "Cancer-related surgery"}
    )
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "in-progress" if treatment.kind is TreatmentKind.RADIOTHERAPY and treatment.ongoing else "completed",
        "category": _kind_concept(w, kind, roles),
        "code": code,
        "subject": w.patient,
        "reasonReference": [w.primary],
    }
    if treatment.end is not None:
        resource["performedPeriod"] = {"start": treatment.start.isoformat(), "end": treatment.end.isoformat()}
    else:
        resource["performedDateTime"] = treatment.start.isoformat()
    if treatment.site is not None:
        _, body = site_codings(codes, treatment.site)
        resource["bodySite"] = [{"coding": [c.to_fhir() for c in body]}]
    if treatment.note:
        resource["note"] = [{"text": treatment.note}]
    w.add(name, resource, w.mcode("surgery" if treatment.kind is TreatmentKind.SURGERY else "radiotherapy"))
