"""``Case``: one patient's breast cancer, as one versioned, documented, validated record.

A case holds what the assessments need and nothing that identifies the person: demographics, the primary
tumour at diagnosis, predictive test results (germline BRCA, PD-L1, PIK3CA, AKT1, PTEN, ESR1), key dates,
metastatic sites and bone lesions, labs with units and dates, symptoms, performance status, treatments,
skeletal-related events and specialist reviews. Every field is described, so
``Case.model_json_schema()`` (``metastasis schema``) documents itself.

Building a ``Case`` checks each value and the consistency rules of :mod:`metastasis.domain.checks`; errors
raise, warnings are listed by :meth:`Case.check`. :func:`metastasis.domain.validate_case` lists every problem
of raw data at once with JSON paths; nothing is ever corrected silently.

Example
-------
>>> case = Case(schema_version="1.0", patient={"age_at_diagnosis": 58},
...             tumour={"t": "cT2", "n": "cN1", "m": "cM1", "er": "+"},
...             dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-18"},
...             metastatic_sites=[{"site": "spine_lumbar"}, {"site": "pelvis"}])
>>> case.distant_sites(), case.tumour.er.value
(('spine_lumbar', 'pelvis'), 'positive')
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from metastasis.domain._types import CaseDate, CaseModel
from metastasis.domain.clinical import PerformanceStatus, SymptomReport
from metastasis.domain.events import SkeletalRelatedEvent
from metastasis.domain.labs import LabResult
from metastasis.domain.patient import Patient
from metastasis.domain.predictive import Biomarkers
from metastasis.domain.problems import CaseValidation, raise_errors, rules_skipped
from metastasis.domain.sites import BoneLesion, MetastaticSite
from metastasis.domain.treatments import Review, Treatment, TreatmentKind
from metastasis.domain.tumour import Tumour
from metastasis.errors import InvalidInputError

CASE_SCHEMA_VERSION = "1.1"
"""The version of the case schema this package writes. See docs/case.md for the versioning policy.

1.1 added optional fields only (``tumour.her2_ihc``, ``tumour.her2_ish`` and the ``biomarkers`` section); every
1.0 case is a valid 1.1 case.
"""

SchemaVersion = Literal["1.0", "1.1"]
SUPPORTED_SCHEMA_VERSIONS: tuple[str, ...] = ("1.0", "1.1")
"""Versions this package reads."""


class CaseDates(CaseModel):
    """Key dates of the disease course."""

    diagnosis: CaseDate | None = Field(
        default=None, description="First diagnosis of breast cancer (biopsy or clinical diagnosis)."
    )
    surgery: CaseDate | None = Field(default=None, description="Surgery of the primary tumour, when done.")
    metastasis: CaseDate | None = Field(default=None, description="First diagnosis of distant metastasis.")


class Case(CaseModel):
    """One patient's case: the single input of the whole-case assessment and report.

    Decision support and education only, not a medical device. Do not put names or identifiers in a case.
    """

    schema_version: SchemaVersion = Field(
        description="Version of this schema the case was written for (MAJOR.MINOR); this package reads 1.0 and "
        "1.1. Write 1.1 when the case uses a 1.1 field (tumour.her2_ihc, tumour.her2_ish, biomarkers)."
    )
    id: str | None = Field(default=None, description="A short label for the case (not a patient identifier).")
    title: str | None = Field(default=None, description="One-line title.")
    description: str | None = Field(default=None, description="One paragraph telling the story of the case.")
    as_of: CaseDate | None = Field(
        default=None,
        description="The date the case describes; no recorded date may be later. Assessments use it as 'today' "
        "(the day they run when absent).",
    )
    patient: Patient = Field(default_factory=Patient, description="Age at diagnosis, sex, menopausal status.")
    tumour: Tumour = Field(default_factory=Tumour, description="The primary tumour at diagnosis.")
    biomarkers: Biomarkers = Field(
        default_factory=Biomarkers,
        description="Predictive tests for metastatic disease: germline BRCA, PD-L1, PIK3CA, AKT1, PTEN, ESR1 "
        "(schema 1.1).",
    )
    dates: CaseDates = Field(default_factory=CaseDates, description="Diagnosis, surgery and metastasis dates.")
    metastatic_sites: tuple[MetastaticSite, ...] = Field(
        default=(), description="Organs and bone regions with distant metastasis."
    )
    bone_lesions: tuple[BoneLesion, ...] = Field(
        default=(), description="Individual bone metastases with what Mirels, SINS and ESCC need."
    )
    labs: tuple[LabResult, ...] = Field(default=(), description="Laboratory results with units and dates.")
    symptoms: tuple[SymptomReport, ...] = Field(default=(), description="Symptoms now (triage vocabulary).")
    performance_status: tuple[PerformanceStatus, ...] = Field(default=(), description="ECOG or Karnofsky assessments.")
    treatments: tuple[Treatment, ...] = Field(default=(), description="Treatments with start and end dates.")
    events: tuple[SkeletalRelatedEvent, ...] = Field(
        default=(), description="Skeletal-related events (fracture, cord compression, ...), each with its date."
    )
    reviews: tuple[Review, ...] = Field(
        default=(), description="Specialist reviews, e.g. a surgical review of an unstable spine."
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Case:
        if rules_skipped(info):
            return self
        from metastasis.domain.checks import case_issues

        raise_errors(case_issues(self))
        return self

    # --- questions the assessments ask ---------------------------------------------------------------

    def distant_sites(self) -> tuple[str, ...]:
        """Ids of the sites with distant metastasis, without duplicates, in the order recorded."""
        return tuple(dict.fromkeys(s.site for s in self.metastatic_sites if s.distant))

    def first_metastasis_date(self) -> datetime.date | None:
        """``dates.metastasis``, else the earliest date recorded on a metastatic site or bone lesion."""
        if self.dates.metastasis is not None:
            return self.dates.metastasis
        found = [item.date for item in (*self.metastatic_sites, *self.bone_lesions) if item.date is not None]
        return min(found, default=None)

    def labs_for(self, analyte: str) -> tuple[LabResult, ...]:
        """The results of one analyte, oldest first (an unknown analyte raises, so a typo is not 'no result')."""
        from metastasis.domain.vocabularies import lab_analytes

        if analyte not in lab_analytes():
            raise InvalidInputError("analyte", analyte, lab_analytes())
        return tuple(sorted((lab for lab in self.labs if lab.analyte == analyte), key=lambda lab: lab.date))

    def latest_lab(self, analyte: str) -> LabResult | None:
        """The most recent result of one analyte, or ``None``."""
        results = self.labs_for(analyte)
        return results[-1] if results else None

    def latest_performance(self, scale: str | None = None) -> PerformanceStatus | None:
        """The most recent performance status (optionally on one scale); undated ones count as oldest."""
        if scale not in (None, "ecog", "karnofsky"):
            raise InvalidInputError("scale", scale, ("ecog", "karnofsky"))
        chosen = [p for p in self.performance_status if scale is None or p.scale == scale]
        dated = sorted(chosen, key=lambda p: p.date or datetime.date.min)
        return dated[-1] if dated else None

    def symptom_ids(self) -> tuple[str, ...]:
        """The symptom ids, as the triage takes them."""
        return tuple(dict.fromkeys(s.id for s in self.symptoms))

    def treatments_of(self, kind: TreatmentKind | str) -> tuple[Treatment, ...]:
        """The treatments of one kind, earliest first."""
        try:
            wanted = TreatmentKind(kind)
        except ValueError:
            raise InvalidInputError("kind", kind, tuple(TreatmentKind)) from None
        return tuple(sorted((t for t in self.treatments if t.kind is wanted), key=lambda t: t.start))

    # --- checking, reading and writing ---------------------------------------------------------------

    def check(self) -> CaseValidation:
        """The warnings of this case (a ``Case`` cannot hold errors: building it raised them)."""
        from metastasis.domain.checks import case_issues
        from metastasis.domain.validation import with_caveats

        problems = tuple(issue.to_problem() for issue in case_issues(self))
        return with_caveats(CaseValidation(problems=problems, case=self))

    @classmethod
    def from_file(cls, path: str | Path) -> Case:
        """Read a case from a ``.json``, ``.yaml`` or ``.yml`` file (see :func:`metastasis.domain.load_case`)."""
        from metastasis.domain.io import load_case

        return load_case(path)

    @classmethod
    def from_data(cls, data: Any, *, source: str = "case") -> Case:
        """Validate parsed data; :class:`CaseValidationError` lists every error at once."""
        from metastasis.domain.validation import validate_case

        report = validate_case(data)
        report.raise_for_errors(source=source)
        assert report.case is not None
        return report.case

    def to_json(self, *, indent: int = 2) -> str:
        """The case as JSON text (fields left at their defaults are omitted)."""
        from metastasis.domain.io import dumps_json

        return dumps_json(self, indent=indent)

    def to_yaml(self) -> str:
        """The case as YAML text (fields left at their defaults are omitted)."""
        from metastasis.domain.io import dumps_yaml

        return dumps_yaml(self)

    def to_file(self, path: str | Path) -> Path:
        """Write the case as JSON or YAML, by the file's suffix; returns the path."""
        from metastasis.domain.io import write_case

        return write_case(self, path)


CaseValidation.model_rebuild(_types_namespace={"Case": Case})


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case, as ``metastasis schema`` prints it.

    Example
    -------
    >>> schema = case_json_schema()
    >>> schema["properties"]["schema_version"]["enum"]
    ['1.0', '1.1']
    """
    from metastasis import DISCLAIMER

    schema = Case.model_json_schema()
    # The shared event type leaves the date optional; in a case it is required (rule events.date_missing).
    event = schema["$defs"]["SkeletalRelatedEvent"]
    event["required"] = sorted({*event.get("required", []), "date"})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": f"metastasis case schema {CASE_SCHEMA_VERSION}. {DISCLAIMER}",
        **schema,
    }
