"""The whole-case report as data: statements with sources, numbers with provenance, alerts, missing data.

A :class:`Report` holds the facts once; the clinician and patient views (:mod:`metastasis.report`) are two
renderings of the same facts. Every :class:`Statement` carries a clinician text, a plain-language text and the
ids of the sources it rests on; every :class:`Value` says where its number came from (:class:`Provenance`).
Each section keeps the library results it was built from (with their reasons, caveats and sources), so nothing
is lost between the capability and the report.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from metastasis.assess.calcium import CorrectedCalciumResult, HypercalcemiaResult
from metastasis.assess.performance import MappingResult, PerformanceResult
from metastasis.assess.result import ScoreResult
from metastasis.assess.triage import TriageResult
from metastasis.domain import Case
from metastasis.evidence import Evidenced, Verification, get_source
from metastasis.evidence.registry import check_cited
from metastasis.knowledge import DiseasePattern, OligometastaticResult, PresentationResult
from metastasis.knowledge.options import OptionsResult
from metastasis.predict import PredictResult
from metastasis.predict.late_recurrence import LateRecurrenceResult
from metastasis.predict.statistics import ReferenceStatistic
from metastasis.staging import StageResult

REPORT_VERSION = "1.0"
"""Version of the report's JSON shape."""


def _unverified(sources: tuple[str, ...]) -> bool:
    return any(get_source(s).verification is Verification.UNVERIFIED for s in sources)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class ProvenanceKind(StrEnum):
    """Where a number comes from."""

    RECORDED = "recorded"
    """Copied from the case file (the paths say where)."""
    CALCULATED = "calculated"
    """Computed by a rule or model of this package from recorded values (the sources say which)."""
    PUBLISHED = "published"
    """A figure from a publication (a cohort, a trial): it describes a group, not this patient."""
    ASSUMED = "assumed"
    """A modelling or reading assumption of this package, flagged as such."""


class Provenance(_Frozen):
    """Where a number came from: the case (JSON paths), a calculation, a publication or an assumption."""

    kind: ProvenanceKind
    detail: str = Field(description="In words: the record and date, the formula or model, the cohort.")
    paths: tuple[str, ...] = Field(default=(), description="JSON paths of the case values used.")
    sources: tuple[str, ...] = Field(default=(), description="Ids of the sources of the rule, model or figure.")

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class Value(_Frozen):
    """A number (or a short coded value) shown in the report, with its unit and provenance."""

    label: str
    value: float | int | str
    unit: str = ""
    display: str = Field(description="The value as shown, with its unit.")
    provenance: Provenance


class Statement(_Frozen):
    """One conclusion of the report in two wordings, with the sources it rests on and the numbers it uses."""

    id: str = Field(description="Stable key, e.g. 'staging.stage' (tests and links use it).")
    label: str | None = Field(default=None, description="A short name shown before the text (an option's name).")
    text: str = Field(description="Clinician wording: concise, with numbers.")
    plain: str | None = Field(default=None, description="Patient wording (plain language); None: clinician only.")
    sources: tuple[str, ...] = ()
    values: tuple[Value, ...] = ()
    patient_values: bool = Field(
        default=True,
        description="Show the values in the patient view (False for model outputs a patient could misread).",
    )

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def all_sources(self) -> list[str]:
        """The statement's sources and those of its values' provenance, in order of first citation."""
        found = dict.fromkeys(self.sources)
        for value in self.values:
            found.update(dict.fromkeys(value.provenance.sources))
        return list(found)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unverified(self) -> bool:
        """True when any source behind the statement is unverified (shown as a mark in every rendering)."""
        return _unverified(tuple(self.all_sources))


class AssessmentStatus(StrEnum):
    DONE = "done"
    NOT_RUN = "not_run"
    """The data do not allow it yet: ``missing`` says what to record."""
    NOT_APPLICABLE = "not_applicable"
    """It does not apply to this case (``note`` says why)."""


class MissingData(_Frozen):
    """An input an assessment needs that the case does not hold: what to measure or record next."""

    item: str = Field(description="What is missing, in words.")
    path: str = Field(description="Where to record it in the case (JSON path).")
    needed_by: tuple[str, ...] = Field(description="Ids of the assessments that need it.")


class Assessment(_Frozen):
    """One assessment the report tried: done, not run (with the data it lacks) or not applicable (and why)."""

    id: str
    name: str
    section: str
    status: AssessmentStatus
    missing: tuple[MissingData, ...] = ()
    note: str | None = None
    subject: str | None = Field(default=None, description="The lesion it applies to, for per-lesion scores.")


class AlertSeverity(StrEnum):
    """How soon an alert needs attention, most urgent first."""

    EMERGENCY = "emergency"
    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"

    @property
    def rank(self) -> int:
        return list(AlertSeverity).index(self)


class Alert(_Frozen):
    """A timeline alert: what fired, why (the rule), how urgent, on which dates and records, and what to do.

    One clinical situation gives one alert: the triage rules that fired for one condition, and the timeline alerts
    about the same condition (e.g. high-grade ESCC within suspected cord compression), are its ``findings``.
    """

    id: str = Field(description="Id of the alert rule, e.g. 'bta_not_started' or 'red_flag:spinal_cord_compression'.")
    condition: str | None = Field(default=None, description="The clinical situation it is about, if any.")
    findings: tuple[str, ...] = Field(
        default=(), description="What fired inside it: each triage rule with its findings, and folded alerts."
    )
    severity: AlertSeverity
    title: str
    plain_title: str
    text: str
    plain: str
    rule: str = Field(description="The rule that fired, in words.")
    action: str
    plain_action: str
    questions: tuple[str, ...] = ()
    sources: tuple[str, ...]
    dates: tuple[datetime.date, ...] = Field(default=(), description="The dates that triggered the alert.")
    paths: tuple[str, ...] = Field(default=(), description="JSON paths of the case records that triggered it.")
    values: tuple[Value, ...] = ()
    caveats: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def unverified(self) -> bool:
        return _unverified(self.sources)


class Action(_Frozen):
    """One thing to do now, most urgent first; ``plain`` is for the patient."""

    severity: AlertSeverity
    text: str
    plain: str
    origin: str = Field(description="What asked for it: an alert id, 'triage', 'missing_data' or 'routine'.")
    sources: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class SectionStatus(StrEnum):
    ASSESSED = "assessed"
    PARTIAL = "partial"
    """Some of the section's assessments ran; the others lack data."""
    NOT_ASSESSED = "not_assessed"
    NOT_APPLICABLE = "not_applicable"


class Section(Evidenced):
    """A part of the report: its statements, plus the reasons and caveats of the results behind them."""

    id: str
    title: str
    plain_title: str
    status: SectionStatus = SectionStatus.ASSESSED
    statements: list[Statement] = Field(default_factory=list)
    note: str | None = Field(default=None, description="Why the section is not applicable, when it is not.")

    def statement(self, statement_id: str) -> Statement | None:
        """The statement with this id, or ``None``."""
        return next((s for s in self.statements if s.id == statement_id), None)


class StagingSection(Section):
    stage: StageResult | None = None
    presentation: Literal["de_novo", "recurrent", "early"] | None = None


class PatternSection(Section):
    pattern: DiseasePattern | None = None
    presentation: PresentationResult | None = None
    oligometastatic: OligometastaticResult | None = None


class FollowedSymptom(_Frozen):
    """A symptom explained by completed imaging: followed, not triaged again (until it changes)."""

    symptom: str = Field(description="Symptom id of the triage vocabulary.")
    onset: datetime.date
    imaged: datetime.date = Field(description="Date of the imaged lesion that explains it.")
    lesion: str = Field(description="The lesion in words.")
    findings: str = Field(description="What the imaging found, as the scores that allowed it (e.g. SINS band).")
    paths: tuple[str, ...] = Field(description="JSON paths of the symptom and the lesion.")


class TriageSection(Section):
    triage: TriageResult | None = None
    followed: list[FollowedSymptom] = Field(
        default_factory=list, description="Symptoms explained by completed imaging, left out of the triage."
    )


class LesionScores(_Frozen):
    """The scores of one bone lesion."""

    index: int = Field(description="Position of the lesion in the case's bone_lesions.")
    label: str = Field(description="The lesion in words (site, subsite, level).")
    site: str
    path: str
    scores: dict[str, ScoreResult] = Field(default_factory=dict, description="By score id: mirels, sins, bilsky_escc.")


class BoneScoresSection(Section):
    lesions: list[LesionScores] = Field(default_factory=list)
    patient_scores: dict[str, list[ScoreResult]] = Field(
        default_factory=dict,
        description="Patient-level scores by id; several results when an input is a range (KPS mapped from ECOG).",
    )


class CalciumPoint(_Frozen):
    """One calcium result, corrected for the albumin of the same day when there is one, and graded."""

    date: datetime.date
    path: str
    measured: float
    unit: str
    albumin_path: str | None = None
    corrected: CorrectedCalciumResult | None = None
    grade: HypercalcemiaResult | None = None
    uln_is_default: bool = False


class CalciumSection(Section):
    points: list[CalciumPoint] = Field(default_factory=list)
    trend: Literal["rising", "falling", "unchanged"] | None = None


class PerformanceSection(Section):
    latest: PerformanceResult | None = None
    mapping: MappingResult | None = None


class PrognosisSection(Section):
    predict: PredictResult | None = None
    late_recurrence: LateRecurrenceResult | None = None
    statistics: list[ReferenceStatistic] = Field(default_factory=list)


class SpreadSection(Section):
    subtype: str | None = None
    model_sites: list[str] = Field(default_factory=list, description="Sites of the spread model.")
    current: list[str] = Field(default_factory=list, description="Model sites involved now.")
    start: dict[str, float] = Field(default_factory=dict, description="Start distribution over the model sites.")
    next_step: dict[str, float] = Field(default_factory=dict, description="Probability of each site one step on.")
    by_step: list[dict[str, float]] = Field(default_factory=list, description="Distributions after 0..steps steps.")


class OptionsSection(Section):
    options: OptionsResult | None = None


class BoneSimulationSection(Section):
    lesion: str | None = Field(default=None, description="Lesion phenotype simulated (bone model's name).")
    drug: str | None = Field(default=None, description="Bone-targeted agent simulated (bone model's name).")
    start_day: float | None = Field(default=None, description="Day of the first dose after the lesion's start.")
    years: float | None = None
    recorded_drug: bool | None = Field(default=None, description="True: the case records this agent.")
    summary: dict[str, Any] | None = Field(default=None, description="The scenario's milestones (LesionSummary).")


class Reference(_Frozen):
    """A source cited by the report, numbered in order of first citation."""

    number: int
    id: str
    citation: str
    link: str | None
    verification: Verification
    notes: str


class Report(BaseModel):
    """The whole-case assessment of one case: every section, the alerts, what to do now and what is missing.

    Build it with :func:`metastasis.assess_case`; render it with :mod:`metastasis.report`.
    """

    report_version: Literal["1.0"] = REPORT_VERSION
    generator: str = Field(description="The package and version that produced the report.")
    case_id: str | None
    title: str | None
    description: str | None
    as_of: datetime.date = Field(description="The date the report treats as today (the case's as_of).")
    as_of_is_default: bool = Field(description="True when the case has no as_of and the run date was used.")
    case: Case
    staging: StagingSection
    pattern: PatternSection
    triage: TriageSection
    bone_scores: BoneScoresSection
    calcium: CalciumSection
    performance: PerformanceSection
    prognosis: PrognosisSection
    spread: SpreadSection
    options: OptionsSection
    bone_simulation: BoneSimulationSection
    trials: Section | None = Field(
        default=None, description="Clinical trials matched to the case; only when a trial store was given."
    )
    alerts: list[Alert]
    actions: list[Action] = Field(description="What to do now, most urgent first (never empty).")
    questions: list[str] = Field(description="Questions the patient can ask the care team.")
    assessments: list[Assessment]
    caveats: list[str]
    disclaimer: str

    SECTION_ORDER: ClassVar[tuple[str, ...]] = (
        "staging",
        "pattern",
        "triage",
        "bone_scores",
        "calcium",
        "performance",
        "prognosis",
        "spread",
        "options",
        "trials",
        "bone_simulation",
    )

    def sections(self) -> list[Section]:
        """The sections in reading order (the trials section only when the report has one)."""
        return [section for name in self.SECTION_ORDER if (section := getattr(self, name)) is not None]

    def statements(self) -> Iterator[Statement]:
        """Every statement of every section, in reading order."""
        for section in self.sections():
            yield from section.statements

    def statement(self, statement_id: str) -> Statement | None:
        """The statement with this id in any section, or ``None``."""
        return next((s for s in self.statements() if s.id == statement_id), None)

    def alert(self, alert_id: str) -> Alert | None:
        """The first alert whose id is ``alert_id`` (or starts with ``alert_id + ':'``), or ``None``."""
        return next((a for a in self.alerts if a.id == alert_id or a.id.startswith(f"{alert_id}:")), None)

    def assessment(self, assessment_id: str, subject: str | None = None) -> Assessment | None:
        """The first assessment with this id (and subject, when given), or ``None``."""
        for item in self.assessments:
            if item.id == assessment_id and (subject is None or item.subject == subject):
                return item
        return None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def missing_data(self) -> list[MissingData]:
        """What to measure or record next: the inputs of every assessment that could not run (no repeats)."""
        needed: dict[tuple[str, str], dict[str, None]] = {}
        for item in self.assessments:
            if item.status is AssessmentStatus.NOT_RUN:
                for missing in item.missing:
                    needed.setdefault((missing.item, missing.path), {}).update(dict.fromkeys(missing.needed_by))
        return [MissingData(item=i, path=p, needed_by=tuple(ids)) for (i, p), ids in needed.items()]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def references(self) -> list[Reference]:
        """Every source cited anywhere in the report, numbered in order of first citation."""
        order: dict[str, None] = {}
        for alert in self.alerts:
            order.update(dict.fromkeys(alert.sources))
        for action in self.actions:
            order.update(dict.fromkeys(action.sources))
        for section in self.sections():
            for statement in section.statements:
                order.update(dict.fromkeys(statement.all_sources))
            order.update(dict.fromkeys(section.sources))
        references = []
        for number, source_id in enumerate(order, start=1):
            source = get_source(source_id)
            references.append(
                Reference(
                    number=number,
                    id=source.id,
                    citation=source.citation,
                    link=source.link,
                    verification=source.verification,
                    notes=source.notes,
                )
            )
        return references
