"""Metastatic sites <-> secondary cancer conditions, with the codes of the knowledge catalogue.

The site codes (SNOMED CT disorders, ICD-10-CM, ICD-O-3 topography) are the catalogue's own
(:mod:`metastasis.knowledge.sites`), never a second copy; SNOMED CT body structures come from the FHIR code
maps. A site id finer than any standard code (``spine_thoracic``) also travels as this package's site code, so
that a round trip keeps it; a receiver that does not know that code still has the standard ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cache
from typing import Any

from metastasis.interop.fhir.codes import Coding, FhirCodes
from metastasis.interop.fhir.reading import codings

_SYSTEM_NAMES = {"snomed-ct": "snomed", "icd-10-cm": "icd10cm", "icd-o-3-topography": "icdo3"}


@cache
def _catalogue() -> Mapping[tuple[str, str], str]:
    """(system URI, code) -> site id; a code shared by several sites maps to their organ (e.g. bone)."""
    from metastasis.interop.fhir.codes import fhir_codes
    from metastasis.knowledge.sites import all_sites, organ_of

    codes = fhir_codes()
    found: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for site in all_sites():
        for code in site.codes:
            found[(codes.uri(_SYSTEM_NAMES[code.system.value]), code.code)].append(site)
    return {key: (sites[0].id if len(sites) == 1 else organ_of(sites[0]).id) for key, sites in found.items()}


def site_of_condition(codes: FhirCodes, resource: Mapping[str, Any]) -> tuple[str | None, str | None, str | None]:
    """The site id of a Condition that is a metastasis: ``(site, element path, note)``; ``site`` is None when
    neither its body site nor its code names a known site.

    The package's own site code wins (exact), then a body site (more specific than most disorder codes), then
    the disorder code.
    """
    catalogue = _catalogue()
    local = codes.uri("local_site")
    snomed = codes.uri("snomed")
    body: list[tuple[str, str]] = []
    for s, site in enumerate(resource.get("bodySite") or ()):
        for i, system, code, _ in codings(site):
            path = f"Condition.bodySite[{s}].coding[{i}]"
            if system == local:
                return code, path, None
            if system == snomed and code in codes.body_structures:
                body.append((codes.body_structures[code], path))
            elif (system, code) in catalogue:
                body.append((catalogue[(system, code)], path))
    if body:
        return body[0][0], body[0][1], None
    for i, system, code, _ in codings(resource.get("code")):
        if system == local:
            return code, f"Condition.code.coding[{i}]", None
        if (system, code) in catalogue:
            return catalogue[(system, code)], f"Condition.code.coding[{i}]", None
    return None, None, None


def site_codings(codes: FhirCodes, site_id: str) -> tuple[list[Coding], list[Coding]]:
    """The codings written for a site: ``(Condition.code codings, bodySite codings)``.

    Unverified catalogue codes are not written (they are read). The code is the catalogue's SNOMED CT disorder
    and ICD-10-CM code when it has them, else SNOMED CT 128462008 (secondary malignant neoplastic disease) with
    the site in the body site, as mCODE allows.
    """
    from metastasis.knowledge.sites import codes_for

    by_system: dict[str, list[Coding]] = defaultdict(list)
    for code in codes_for(site_id):
        if code.flagged:
            continue
        system = codes.uri(_SYSTEM_NAMES[code.system.value])
        by_system[code.system.value].append(Coding(system, code.code, code.display))
    condition = [*by_system["snomed-ct"], *by_system["icd-10-cm"]]
    if not by_system["snomed-ct"]:
        condition.insert(0, codes.secondary_generic)
    body = [Coding(codes.uri("local_site"), site_id, None), *by_system["icd-o-3-topography"]]
    structure = next((code for code, site in codes.body_structures.items() if site == site_id), None)
    if structure is not None:
        body.append(Coding(codes.uri("snomed"), structure, None))
    return condition, body
