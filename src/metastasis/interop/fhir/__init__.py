"""FHIR mCODE (STU4) import and export of a case.

* :func:`case_from_bundle` reads an mCODE FHIR R4 Bundle into a :class:`~metastasis.domain.Case`, with every
  resource used, every resource or element ignored and why, warnings and conflicts (:class:`ImportResult`).
* :func:`bundle_from_case` writes a case (and, optionally, its assessment) as an mCODE Bundle.

The code maps live in ``interop/fhir/data/codes.yaml`` with their sources; docs/fhir.md has the mapping table.
Decision support and education only, not a medical device.

Example
-------
>>> from metastasis.examples.cases import load_example_case
>>> bundle = bundle_from_case(load_example_case("de-novo-bone-only"))
>>> bundle["resourceType"], bundle["type"]
('Bundle', 'collection')
>>> case_from_bundle(bundle).case.distant_sites()
('spine_lumbar', 'pelvis')
"""

from metastasis.interop.fhir.exporter import bundle_from_case
from metastasis.interop.fhir.importer import MAX_ENTRIES, case_from_bundle
from metastasis.interop.fhir.model import (
    Candidate,
    Conflict,
    DiseaseStatus,
    Finding,
    ImportResult,
    RecordedStage,
    UsedResource,
)

__all__ = [
    "MAX_ENTRIES",
    "Candidate",
    "Conflict",
    "DiseaseStatus",
    "Finding",
    "ImportResult",
    "RecordedStage",
    "UsedResource",
    "bundle_from_case",
    "case_from_bundle",
]
