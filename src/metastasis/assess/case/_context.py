"""What every section builder shares: the case, 'today', the data files, the assessment log and case facts.

The facts here are readings of the case that several sections need (the subtype, the bone metastases and
their first date, lesion counts, JSON paths of records); each reading is documented where it is a choice.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from metastasis._yaml import load_data
from metastasis.assess.case.models import Assessment, AssessmentStatus, MissingData, Provenance, ProvenanceKind, Value
from metastasis.domain import Case, LabResult
from metastasis.domain.vocabularies import is_under
from metastasis.errors import DataIntegrityError
from metastasis.evidence.registry import check_cited
from metastasis.knowledge import SiteGroup, get_site, organ_of

_PACKAGE = "metastasis.assess.case"


def _check_sources(node: Any, where: str) -> None:
    """Every ``sources`` list anywhere in a data file must name registered sources (fails at first load)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "sources":
                try:
                    check_cited(value)
                except DataIntegrityError as exc:
                    raise DataIntegrityError(f"{where}: {exc}") from None
            else:
                _check_sources(value, where)
    elif isinstance(node, list):
        for item in node:
            _check_sources(item, where)


@cache
def data(name: str) -> Any:
    """The parsed ``data/<name>.yaml`` of this package, with its source ids checked (cached; do not mutate)."""
    path = resources.files(_PACKAGE).joinpath("data").joinpath(f"{name}.yaml")
    try:
        loaded = load_data(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataIntegrityError(f"{_PACKAGE}/data/{name}.yaml: cannot read: {exc}") from exc
    _check_sources(loaded, f"{name}.yaml")
    return loaded


def wording(key: str, **values: Any) -> str:
    """A text of ``data/wording.yaml`` (dotted key), with its placeholders filled."""
    node: Any = data("wording")
    for part in key.split("."):
        node = node[part]
    return " ".join(str(node).split()).format(**values)


def head(section_id: str) -> dict[str, str]:
    """The id and the two titles of a section (``Section(**head("staging"), ...)``)."""
    titles = data("wording")["sections"][section_id]
    return {"id": section_id, "title": titles["title"], "plain_title": titles["plain"]}


def day(value: datetime.date) -> str:
    """Dates as the report prints them (ISO, unambiguous in every country)."""
    return value.isoformat()


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is in the same month or earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """``start`` plus whole calendar months, on the last day of the month when the day does not exist; the last
    representable date (9999-12-31) when the sum is later."""
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    if year > datetime.MAXYEAR:
        return datetime.date.max
    return datetime.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def recorded(label: str, value: float | int | str, unit: str, detail: str, *paths: str) -> Value:
    """A value copied from the case."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return Value(
        label=label,
        value=value,
        unit=unit,
        display=f"{shown} {unit}".strip(),
        provenance=Provenance(kind=ProvenanceKind.RECORDED, detail=detail, paths=paths),
    )


def calculated(
    label: str, value: float | int | str, unit: str, detail: str, sources: Iterable[str], *paths: str
) -> Value:
    """A value computed by a rule or model of the package."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return Value(
        label=label,
        value=value,
        unit=unit,
        display=f"{shown} {unit}".strip(),
        provenance=Provenance(
            kind=ProvenanceKind.CALCULATED, detail=detail, paths=paths, sources=tuple(dict.fromkeys(sources))
        ),
    )


def published(label: str, value: float | int | str, display: str, detail: str, sources: Iterable[str]) -> Value:
    """A figure from a publication."""
    return Value(
        label=label,
        value=value,
        display=display,
        provenance=Provenance(kind=ProvenanceKind.PUBLISHED, detail=detail, sources=tuple(sources)),
    )


@dataclass
class Context:
    """The case being assessed, the date treated as today, and the log of assessments tried."""

    case: Case
    today: datetime.date
    assessments: list[Assessment] = field(default_factory=list)

    # --- the assessment log ----------------------------------------------------------------------------

    def _spec(self, assessment_id: str) -> dict[str, Any]:
        return data("inputs")["assessments"][assessment_id]

    def done(self, assessment_id: str, *, subject: str | None = None, note: str | None = None) -> None:
        spec = self._spec(assessment_id)
        self.assessments.append(
            Assessment(
                id=assessment_id,
                name=spec["name"],
                section=spec["section"],
                status=AssessmentStatus.DONE,
                subject=subject,
                note=note,
            )
        )

    def not_run(
        self, assessment_id: str, keys: Iterable[str], *, index: int | None = None, subject: str | None = None
    ) -> None:
        """Record that an assessment could not run for lack of the inputs ``keys`` (from ``inputs.yaml``)."""
        spec = self._spec(assessment_id)
        missing = []
        for key in keys:
            item = spec["inputs"][key]
            path = item["path"].replace("{i}", str(index)) if index is not None else item["path"]
            missing.append(MissingData(item=item["label"], path=path, needed_by=(assessment_id,)))
        self.assessments.append(
            Assessment(
                id=assessment_id,
                name=spec["name"],
                section=spec["section"],
                status=AssessmentStatus.NOT_RUN,
                missing=tuple(missing),
                subject=subject,
            )
        )

    def not_applicable(self, assessment_id: str, note: str, *, subject: str | None = None) -> None:
        spec = self._spec(assessment_id)
        self.assessments.append(
            Assessment(
                id=assessment_id,
                name=spec["name"],
                section=spec["section"],
                status=AssessmentStatus.NOT_APPLICABLE,
                note=note,
                subject=subject,
            )
        )

    def status_of(self, section: str) -> list[AssessmentStatus]:
        return [a.status for a in self.assessments if a.section == section]

    # --- facts about the case --------------------------------------------------------------------------

    @property
    def metastatic(self) -> bool:
        """Distant metastasis recorded: a distant site, a bone lesion or an M1 at diagnosis."""
        case = self.case
        m1 = case.tumour.m is not None and "M1" in case.tumour.m
        return bool(case.distant_sites() or case.bone_lesions or m1)

    def subtype(self) -> str | None:
        """``hr+/her2-``, ``hr+/her2+``, ``hr-/her2+``, ``triple-negative``, or ``None`` when not known.

        Hormone-receptor positive means ER or PR positive; negative needs both known negative. HER2 equivocal
        or unknown leaves the subtype unknown (nothing is guessed).
        """
        tumour = self.case.tumour
        er = tumour.er.value if tumour.er else "unknown"
        pr = tumour.pr.value if tumour.pr else "unknown"
        her2 = tumour.her2.value if tumour.her2 else "unknown"
        if "positive" in (er, pr):
            hr = "hr+"
        elif er == "negative" and pr == "negative":
            hr = "hr-"
        else:
            return None
        if her2 not in ("positive", "negative"):
            return None
        if hr == "hr-" and her2 == "negative":
            return "triple-negative"
        return f"{hr}/her2{'+' if her2 == 'positive' else '-'}"

    def hormone_dependent(self) -> bool | None:
        """ER or PR positive (True), both negative (False), otherwise unknown (None)."""
        tumour = self.case.tumour
        statuses = {s.value if s else "unknown" for s in (tumour.er, tumour.pr)}
        if "positive" in statuses:
            return True
        if statuses == {"negative"}:
            return False
        return None

    def bone_site_indices(self) -> list[int]:
        return [i for i, s in enumerate(self.case.metastatic_sites) if organ_of(get_site(s.site)).id == "bone"]

    def has_bone(self) -> bool:
        return bool(self.bone_site_indices() or self.case.bone_lesions)

    def bone_metastasis_date(self) -> tuple[datetime.date | None, tuple[str, ...]]:
        """First date of bone metastasis: the earliest dated bone site or lesion, else the first metastasis date."""
        found: list[tuple[datetime.date, str]] = []
        for i in self.bone_site_indices():
            site = self.case.metastatic_sites[i]
            if site.date is not None:
                found.append((site.date, f"$.metastatic_sites[{i}].date"))
        for i, lesion in enumerate(self.case.bone_lesions):
            if lesion.date is not None:
                found.append((lesion.date, f"$.bone_lesions[{i}].date"))
        if found:
            first = min(d for d, _ in found)
            return first, tuple(p for d, p in found if d == first)
        if self.has_bone() and self.case.first_metastasis_date() is not None:
            return self.case.first_metastasis_date(), ("$.dates.metastasis",)
        return None, ()

    def pathological_fractures(self) -> list[tuple[str, str]]:
        """Pathological fractures the case records, as (JSON path, description): fracture events, and vertebral
        bodies collapsed by a metastasis (``inputs.yaml`` 'pathological_fracture')."""
        rule = data("inputs")["pathological_fracture"]
        found = [
            (f"$.events[{i}]", f"{event.kind.value.replace('_', ' ')} on {day(event.date)}")
            for i, event in enumerate(self.case.events)
            if event.kind.value in rule["events"]
        ]
        for i, lesion in enumerate(self.case.bone_lesions):
            collapse = lesion.spine.collapse if lesion.spine is not None else None
            if lesion.is_spinal and collapse in rule["spinal_collapse"]:
                where = lesion.spine.level if lesion.spine and lesion.spine.level else lesion.site
                found.append(
                    (
                        f"$.bone_lesions[{i}].spine.collapse",
                        f"vertebral body collapse {collapse.replace('_', ' ')}% at {where} (compression fracture)",
                    )
                )
        return found

    def visceral_sites(self) -> list[str]:
        """Distant sites in a visceral organ or the central nervous system."""
        groups = {SiteGroup.VISCERAL, SiteGroup.CNS}
        return [s for s in self.case.distant_sites() if organ_of(get_site(s)).group in groups]

    def lesion_counts(self) -> LesionCounts:
        """Bone lesions counted from the site records and the lesion records (see :class:`LesionCounts`)."""
        case = self.case
        vertebral = extraspinal = 0
        exact = True
        claimed: set[int] = set()
        for i in self.bone_site_indices():
            site = case.metastatic_sites[i]
            under = [j for j, lesion in enumerate(case.bone_lesions) if is_under(lesion.site, site.site)]
            claimed.update(under)
            if site.lesion_count is not None:
                count = max(site.lesion_count, len(under))
            else:
                count = max(1, len(under))
                exact = False
            if is_under(site.site, "spine"):
                vertebral += count
            else:
                extraspinal += count
        for j, lesion in enumerate(case.bone_lesions):
            if j in claimed:
                continue
            exact = False
            if lesion.is_spinal:
                vertebral += 1
            else:
                extraspinal += 1
        other_counts = [
            s.lesion_count
            for i, s in enumerate(case.metastatic_sites)
            if s.distant and i not in self.bone_site_indices()
        ]
        all_exact = exact and all(c is not None for c in other_counts)
        total = vertebral + extraspinal + sum(c or 0 for c in other_counts) if all_exact else None
        return LesionCounts(vertebral=vertebral, extraspinal=extraspinal, exact=exact, total=total)

    def lab_path(self, lab: LabResult) -> str:
        """JSON path of a lab result of the case."""
        for i, item in enumerate(self.case.labs):
            if item is lab:
                return f"$.labs[{i}]"
        raise AssertionError("lab not in case")  # pragma: no cover

    def lab_on(self, analyte: str, date: datetime.date) -> LabResult | None:
        """The result of ``analyte`` taken on ``date`` (the last recorded when there are several), or ``None``."""
        same = [lab for lab in self.case.labs_for(analyte) if lab.date == date]
        return same[-1] if same else None

    def performance_path(self, index_of: object) -> str:
        for i, item in enumerate(self.case.performance_status):
            if item is index_of:
                return f"$.performance_status[{i}]"
        raise AssertionError("performance status not in case")  # pragma: no cover


@dataclass(frozen=True)
class LesionCounts:
    """Bone metastases counted from the case.

    A site record counts its ``lesion_count`` (at least the number of lesion records under it); a site without
    a count counts its lesion records, at least one, and makes the counts lower bounds (``exact`` False).
    Lesion records under no site record count one each (also lower bounds). ``total`` counts the lesions at
    every distant site, and is ``None`` unless every site has a count.
    """

    vertebral: int
    extraspinal: int
    exact: bool
    total: int | None

    @property
    def bone(self) -> int:
        return self.vertebral + self.extraspinal

    @property
    def solitary(self) -> bool | None:
        """True for one bone metastasis, False for several, None when a lower bound of one cannot decide."""
        if self.bone >= 2:
            return False
        return True if self.exact else None

    def caveat(self) -> str | None:
        if self.exact:
            return None
        return (
            f"Bone metastases were counted from the recorded sites and lesions ({self.vertebral} vertebral, "
            f"{self.extraspinal} other; at least): record a lesion count for each bone site for exact counts."
        )
