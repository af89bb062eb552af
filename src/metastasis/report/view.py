"""Audience views of a :class:`~metastasis.assess.case.Report`: the same facts, worded for a clinician or a patient.

:func:`build_view` turns the report into a :class:`ReportView` - plain data that every rendering (terminal,
Markdown, HTML, JSON) lays out. The clinician view is concise, with numbers, rules and sources; the patient view
uses the plain wording, puts what to do now first and adds the questions to ask. Both number the references
in order of first citation, mark every item that rests on an unverified source, and say where every number
comes from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from metastasis.assess.case import AssessmentStatus, Report, Section, SectionStatus, Statement, Value
from metastasis.errors import InvalidInputError

Audience = Literal["clinician", "patient"]
AUDIENCES: tuple[str, ...] = ("clinician", "patient")

_KIND_WORDS = {
    "clinician": {
        "recorded": "recorded",
        "calculated": "calculated",
        "published": "published",
        "assumed": "assumption",
    },
    "patient": {
        "recorded": "from your records",
        "calculated": "worked out from your records by a rule or model",
        "published": "from a published study",
        "assumed": "an assumption of the model",
    },
}
_PATIENT_TEXT = {
    "title": "Your breast cancer report",
    "not_medical_advice": "This report is for learning and for talking with your care team. It is not medical advice.",
    "missing": "Details not in this report yet",
    "missing_note": "Your care team may have these details. With them, this report could say more.",
}
_SEVERITY_WORDS = {
    "clinician": {"emergency": "emergency", "high": "high", "moderate": "moderate", "low": "low"},
    "patient": {"emergency": "Now", "high": "Important", "moderate": "Soon", "low": "When you can"},
}


class ValueView(BaseModel):
    label: str
    display: str
    provenance: str = Field(description="Where the number comes from, in the audience's words.")
    detail: str
    paths: list[str]
    refs: list[int]


class ItemView(BaseModel):
    id: str
    label: str | None
    text: str
    refs: list[int]
    unverified: bool
    values: list[ValueView] = Field(default_factory=list)


class TableView(BaseModel):
    caption: str
    header: list[str]
    rows: list[list[str]]


class FigureView(BaseModel):
    id: str
    caption: str
    svg: str | None = Field(default=None, description="Inline SVG (HTML only).")


class SectionView(BaseModel):
    id: str
    title: str
    status: str
    note: str | None
    items: list[ItemView]
    tables: list[TableView] = Field(default_factory=list)
    figures: list[FigureView] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)


class AlertView(BaseModel):
    id: str
    severity: str
    severity_label: str
    title: str
    text: str
    action: str
    rule: str | None
    dates: list[str]
    paths: list[str]
    refs: list[int]
    unverified: bool


class ActionView(BaseModel):
    severity: str
    severity_label: str
    text: str
    refs: list[int]


class MissingView(BaseModel):
    item: str
    path: str
    needed_by: list[str]
    needed_by_names: list[str] = Field(default_factory=list, description="The assessments that need it, by name.")


class KeyFactView(BaseModel):
    """One line of the summary: a key finding (stage, pattern, urgency, bone score, calcium, performance)."""

    section: str
    section_title: str
    text: str
    refs: list[int]
    unverified: bool


class ReadMoreView(BaseModel):
    """A plain-language explainer relevant to the case (the patient's view): its topic id, title and answer."""

    topic: str
    title: str
    summary: str


def _read_more(report: Report) -> list[ReadMoreView]:
    from metastasis.knowledge.case_topics import topics_for_case
    from metastasis.knowledge.education import explain

    found = [explain(topic) for topic in topics_for_case(report.case)]
    return [ReadMoreView(topic=e.id, title=e.title, summary=e.summary) for e in found]


class ReferenceView(BaseModel):
    number: int
    id: str
    citation: str
    link: str | None
    verification: str
    unverified: bool


class ReportView(BaseModel):
    """One audience's view of a report, ready to lay out."""

    audience: Audience
    title: str
    subtitle: str
    summary: str | None
    alerts: list[AlertView]
    actions: list[ActionView]
    sections: list[SectionView]
    key_facts: list[KeyFactView] = Field(default_factory=list, description="The summary's key findings, in order.")
    questions: list[str]
    read_more: list[ReadMoreView] = Field(
        default_factory=list, description="Explainers relevant to the case (the patient's view only)."
    )
    missing: list[MissingView]
    missing_intro: str
    missing_note: str | None
    not_applicable: list[str]
    caveats: list[str]
    references: list[ReferenceView]
    disclaimer: str
    generator: str


def _refs(numbers: dict[str, int], sources: Iterable[str]) -> list[int]:
    return sorted({numbers[s] for s in sources if s in numbers})


def _value(value: Value, audience: Audience, numbers: dict[str, int]) -> ValueView:
    provenance = value.provenance
    return ValueView(
        label=value.label,
        display=value.display,
        provenance=_KIND_WORDS[audience][provenance.kind.value],
        detail=provenance.detail,
        paths=list(provenance.paths),
        refs=_refs(numbers, provenance.sources),
    )


def _item(statement: Statement, audience: Audience, numbers: dict[str, int]) -> ItemView | None:
    text = statement.text if audience == "clinician" else statement.plain
    if not text:
        return None
    return ItemView(
        id=statement.id,
        label=statement.label,
        text=text,
        refs=_refs(numbers, statement.all_sources),
        unverified=statement.unverified,
        values=[_value(v, audience, numbers) for v in statement.values]
        if audience == "clinician" or statement.patient_values
        else [],
    )


def _tables(report: Report, section: Section) -> list[TableView]:
    """The clinician's tables: calcium results and bone-lesion scores."""
    if section.id == "calcium" and report.calcium.points:
        rows = []
        for p in report.calcium.points:
            corrected = f"{p.corrected.value:g} {p.corrected.unit}" if p.corrected else "not corrected"
            albumin = f"{p.corrected.albumin:g} {p.corrected.albumin_unit}" if p.corrected else "-"
            grade = str(p.grade.grade) if p.grade else "-"
            uln = f"{p.grade.uln:g}{' (default)' if p.uln_is_default else ''}" if p.grade else "-"
            rows.append([p.date.isoformat(), f"{p.measured:g} {p.unit}", albumin, corrected, uln, grade, p.path])
        return [
            TableView(
                caption="Calcium results (corrected with the albumin of the same day)",
                header=["date", "measured", "albumin", "corrected", "ULN", "CTCAE grade", "record"],
                rows=rows,
            )
        ]
    if section.id == "bone_scores" and any(lesion.scores for lesion in report.bone_scores.lesions):
        rows = []
        for lesion in report.bone_scores.lesions:
            for result in lesion.scores.values():
                total = f"grade {result.grade}" if result.score == "bilsky_escc" else str(result.total)  # type: ignore[attr-defined]
                rows.append([lesion.label, result.name, total, result.band_label, lesion.path])
        header = ["lesion", "score", "total", "band", "record"]
        return [TableView(caption="Scores per lesion", header=header, rows=rows)]
    return []


def _figures(report: Report, section: Section, audience: Audience, svg: bool, narrow: bool) -> list[FigureView]:
    from metastasis.report import plot

    wanted = {
        "calcium": ("calcium-trend", "Calcium over time", "Your calcium level over time"),
        "spread": ("spread-sites", "Spread chain: site probabilities by model step", None),
        "bone_simulation": (
            "bone-simulation",
            "Bone remodelling model (a dimensionless teaching model, not the patient's bone): untreated and treated",
            None,
        ),
        "prognosis": (
            "predict-outcomes",
            "PREDICT Breast: survival by treatment and outcomes at 10 years",
            "What happens to 100 women like you, 10 years after surgery",
        ),
    }
    if section.id not in wanted:
        return []
    figure_id, clinician_caption, patient_caption = wanted[section.id]
    caption = clinician_caption if audience == "clinician" else patient_caption
    if caption is None or not plot.has_figure(report, section.id):
        return []
    if not svg:
        return [FigureView(id=figure_id, caption=caption)]
    drawn = plot.section_svg(report, section.id, figure_id, narrow=narrow)  # ids prefixed; model figures memoised
    return [] if drawn is None else [FigureView(id=figure_id, caption=caption, svg=drawn)]


def _section(
    report: Report, section: Section, audience: Audience, numbers: dict[str, int], svg: bool, narrow: bool
) -> SectionView:
    items = [i for s in section.statements if (i := _item(s, audience, numbers)) is not None]
    clinician = audience == "clinician"
    return SectionView(
        id=section.id,
        title=section.title if clinician else section.plain_title,
        status=section.status.value,
        note=section.note,
        items=items,
        tables=_tables(report, section) if clinician else [],
        figures=_figures(report, section, audience, svg, narrow) if items else [],
        caveats=list(section.caveats) if clinician else [],
    )


#: Items that make the summary's key findings: an id, or a prefix ending in "." for one item per lesion.
KEY_FACTS: tuple[str, ...] = (
    "staging.stage",
    "pattern.category",
    "triage.urgency",
    "bone_scores.mirels.",
    "bone_scores.sins.",
    "bone_scores.bilsky_escc.",
    "calcium.latest",
    "performance.latest",
    "prognosis.predict",
)


def _key_facts(sections: list[SectionView]) -> list[KeyFactView]:
    def rank(item_id: str) -> int | None:
        for n, key in enumerate(KEY_FACTS):
            if item_id == key or (key.endswith(".") and item_id.startswith(key)):
                return n
        return None

    found = [
        (n, KeyFactView(section=s.id, section_title=s.title, text=i.text, refs=i.refs, unverified=i.unverified))
        for s in sections
        for i in s.items
        if (n := rank(i.id)) is not None
    ]
    return [fact for _, fact in sorted(found, key=lambda pair: pair[0])]


def build_view(
    report: Report, audience: Audience = "clinician", *, figures: bool = False, narrow_figures: bool = False
) -> ReportView:
    """The report for one audience.

    Parameters
    ----------
    report:
        From :func:`metastasis.assess_case`.
    audience:
        ``"clinician"`` (concise: numbers, rules, sources, tables) or ``"patient"`` (plain language, what to do
        now, questions to ask).
    figures:
        Draw the figures as inline SVG (the HTML report); otherwise only their captions are listed.
    narrow_figures:
        With ``figures``, draw each figure twice, wide and for a phone (classed ``chart-wide`` and ``chart-narrow``
        for a web page's stylesheet to show one); the standalone report keeps the one wide drawing.

    Returns
    -------
    ReportView
        Sections with items (text, reference numbers, unverified mark, values with provenance), the key findings
        for a summary, alerts, what to do now, questions, missing data, caveats and the numbered references.
    """
    if audience not in AUDIENCES:
        raise InvalidInputError("audience", audience, AUDIENCES)
    clinician = audience == "clinician"
    numbers = {ref.id: ref.number for ref in report.references}
    sections = []
    for section in report.sections():
        view = _section(report, section, audience, numbers, figures, narrow_figures)
        if clinician or view.items:
            sections.append(view)
    alerts = [
        AlertView(
            id=a.id,
            severity=a.severity.value,
            severity_label=_SEVERITY_WORDS[audience][a.severity.value],
            title=a.title if clinician else a.plain_title,
            text=a.text if clinician else a.plain,
            action=a.action if clinician else a.plain_action,
            rule=a.rule if clinician else None,
            dates=[d.isoformat() for d in a.dates],
            paths=list(a.paths) if clinician else [],
            refs=_refs(numbers, a.sources),
            unverified=a.unverified,
        )
        for a in report.alerts
    ]
    actions = [
        ActionView(
            severity=a.severity.value,
            severity_label=_SEVERITY_WORDS[audience][a.severity.value],
            text=a.text if clinician else a.plain,
            refs=_refs(numbers, a.sources),
        )
        for a in report.actions
    ]
    names = {a.id: a.name for a in report.assessments}
    missing = [
        MissingView(
            item=m.item,
            path=m.path,
            needed_by=list(m.needed_by),
            needed_by_names=[names.get(n, n.replace("_", " ")) for n in m.needed_by],
        )
        for m in report.missing_data
    ]
    not_applicable = [
        f"{a.name}: {a.note}"
        for a in report.assessments
        if a.status is AssessmentStatus.NOT_APPLICABLE and a.note and clinician
    ]
    title = report.title or report.case_id or "Case report"
    as_of = report.as_of.isoformat()
    # A case's label is for the care team's files; the patient's copy names only the date it describes.
    subtitle = f"Case {report.case_id or '(no id)'} - as of {as_of}" if clinician else f"As of {as_of}"
    references = [
        ReferenceView(
            number=ref.number,
            id=ref.id,
            citation=" ".join(ref.citation.split()),
            link=ref.link,
            verification=ref.verification.value,
            unverified=ref.verification.value == "unverified",
        )
        for ref in report.references
    ]
    caveats = list(report.caveats)
    if not clinician:
        caveats = [_PATIENT_TEXT["not_medical_advice"]]
    return ReportView(
        audience=audience,
        title=title if clinician else f"{_PATIENT_TEXT['title']}: {title}",
        subtitle=subtitle,
        summary=report.description,
        alerts=alerts,
        actions=actions,
        sections=sections,
        key_facts=_key_facts(sections),
        questions=list(report.questions) if not clinician else [],
        read_more=[] if clinician else _read_more(report),
        missing=missing,
        missing_intro="What to measure or record next" if clinician else _PATIENT_TEXT["missing"],
        missing_note=None if clinician else _PATIENT_TEXT["missing_note"],
        not_applicable=not_applicable,
        caveats=caveats,
        references=references,
        disclaimer=report.disclaimer,
        generator=report.generator,
    )


SECTION_STATUS_WORDS = {
    SectionStatus.ASSESSED.value: "assessed",
    SectionStatus.PARTIAL.value: "partly assessed (see missing data)",
    SectionStatus.NOT_ASSESSED.value: "not assessed (see missing data)",
    SectionStatus.NOT_APPLICABLE.value: "not applicable",
}
"""How each section status is shown."""
