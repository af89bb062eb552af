"""The whole-case assessment: one :class:`metastasis.domain.Case` in, one evidence-cited :class:`Report` out.

:func:`assess_case` runs every assessment the case's data support - staging, disease pattern, triage and red
flags, bone risk scores per lesion, calcium and its trend, performance status, prognosis, spread simulation,
treatment options - raises the timeline alerts a careful clinician would raise, says what to do now, and lists,
for every assessment it could not run, the data that are missing. Renderings (terminal, Markdown, HTML, JSON;
clinician and patient views) are in :mod:`metastasis.report`. See ``docs/report.md``.

Example
-------
>>> from metastasis.examples.cases import load_example_case
>>> report = assess_case(load_example_case("hypercalcaemia"))
>>> report.alert("calcium_rising").severity.value
'high'
"""

from metastasis.assess.case.engine import assess_case
from metastasis.assess.case.models import (
    Action,
    Alert,
    AlertSeverity,
    Assessment,
    AssessmentStatus,
    MissingData,
    Provenance,
    ProvenanceKind,
    Reference,
    Report,
    Section,
    SectionStatus,
    Statement,
    Value,
)

__all__ = [
    "Action",
    "Alert",
    "AlertSeverity",
    "Assessment",
    "AssessmentStatus",
    "MissingData",
    "Provenance",
    "ProvenanceKind",
    "Reference",
    "Report",
    "Section",
    "SectionStatus",
    "Statement",
    "Value",
    "assess_case",
]
