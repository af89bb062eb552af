"""The case and its parts, as typed values (pydantic): biomarkers, events, and the whole case.

* :class:`Case` — one patient's case (schema version :data:`CASE_SCHEMA_VERSION`), read and written as JSON or
  YAML (:func:`load_case`, :meth:`Case.to_json`, :meth:`Case.to_yaml`); :func:`case_json_schema` publishes it.
* :func:`validate_case` — every problem of raw case data at once, each with its JSON path.
* Parts: :class:`Patient`, :class:`Tumour`, :class:`MetastaticSite`, :class:`BoneLesion`,
  :class:`SpinalDetails`, :class:`LabResult`, :class:`SymptomReport`, :class:`PerformanceStatus`,
  :class:`Treatment`, :class:`Review`, :class:`SkeletalRelatedEvent`.

Example
-------
>>> from metastasis.domain import validate_case
>>> report = validate_case({"schema_version": "1.0", "tumour": {"m": "cM0"},
...                         "metastatic_sites": [{"site": "liver"}]})
>>> report.ok, report.problems[0].path
(False, '$.tumour.m')
"""

from metastasis.domain.case import CASE_SCHEMA_VERSION, SUPPORTED_SCHEMA_VERSIONS, Case, CaseDates, case_json_schema
from metastasis.domain.clinical import PerformanceStatus, SymptomReport
from metastasis.domain.events import SkeletalEventKind, SkeletalRelatedEvent
from metastasis.domain.io import dumps_json, dumps_yaml, load_case, loads_case, read_case_data, write_case
from metastasis.domain.labs import LabResult
from metastasis.domain.patient import Patient
from metastasis.domain.problems import CaseValidation, CaseValidationError, Problem, Severity
from metastasis.domain.sites import BoneLesion, MetastaticSite, SpinalDetails
from metastasis.domain.treatments import Review, ReviewKind, Treatment, TreatmentKind
from metastasis.domain.tumour import Tumour
from metastasis.domain.validation import validate_case

__all__ = [
    "CASE_SCHEMA_VERSION",
    "SUPPORTED_SCHEMA_VERSIONS",
    "BoneLesion",
    "Case",
    "CaseDates",
    "CaseValidation",
    "CaseValidationError",
    "LabResult",
    "MetastaticSite",
    "Patient",
    "PerformanceStatus",
    "Problem",
    "Review",
    "ReviewKind",
    "Severity",
    "SkeletalEventKind",
    "SkeletalRelatedEvent",
    "SpinalDetails",
    "SymptomReport",
    "Treatment",
    "TreatmentKind",
    "Tumour",
    "case_json_schema",
    "dumps_json",
    "dumps_yaml",
    "load_case",
    "loads_case",
    "read_case_data",
    "validate_case",
    "write_case",
]
