"""Disease-pattern helpers: bone-only / visceral / multi-organ, oligometastatic, de novo vs recurrent."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.knowledge._data import load_model
from metastasis.knowledge._evidence import unverified_caveats
from metastasis.knowledge.models import SiteGroup
from metastasis.knowledge.sites import normalise_sites, organ_of


class _Threshold(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    text: str
    sources: tuple[str, ...]
    max_lesions: int | None = None
    window_months: int | None = None
    min_organs: int | None = None


class _Patterns(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    oligometastatic: _Threshold
    de_novo: _Threshold
    multi_organ: _Threshold


@cache
def _thresholds() -> _Patterns:
    return load_model("metastasis.knowledge", "patterns.yaml", _Patterns)


class PatternCategory(StrEnum):
    """Coarse pattern used in treatment guidance."""

    BONE_ONLY = "bone_only"
    VISCERAL = "visceral"
    NON_VISCERAL = "non_visceral"


class DiseasePattern(Evidenced):
    """Which kind of metastatic pattern a set of distant sites forms."""

    category: PatternCategory
    bone_only: bool
    visceral: bool
    cns: bool
    multi_organ: bool
    organs: list[str]


_VISCERAL_GROUPS = {SiteGroup.VISCERAL, SiteGroup.CNS}


def classify_pattern(sites: Iterable[str]) -> DiseasePattern:
    """Classify metastatic sites as bone-only, visceral (incl. brain) or other non-visceral, and multi-organ.

    Regional lymph nodes are not distant spread and are ignored; all bone subsites count as one organ.

    Example
    -------
    >>> classify_pattern(["spine_lumbar", "pelvis"]).category.value
    'bone_only'
    >>> classify_pattern(["bone", "liver"]).multi_organ
    True
    """
    given = normalise_sites(sites)
    distant = [site for site in given if site.id != "nodes_regional"]
    if not distant:
        raise InvalidInputError(
            "sites",
            [site.id for site in given],
            "at least one distant metastatic site",
            detail="regional lymph nodes alone are not distant spread",
        )
    organs: dict[str, SiteGroup] = {}
    for site in distant:
        organ = organ_of(site)
        organs.setdefault(organ.id, organ.group)
    groups = set(organs.values())
    bone_only = groups == {SiteGroup.BONE}
    visceral = bool(groups & _VISCERAL_GROUPS)
    category = (
        PatternCategory.BONE_ONLY
        if bone_only
        else PatternCategory.VISCERAL
        if visceral
        else PatternCategory.NON_VISCERAL
    )
    rule = _thresholds().multi_organ
    multi = len(organs) >= (rule.min_organs or 2)
    reasons = [
        Reason(
            rule="pattern.category",
            text=f"Organs involved: {', '.join(organs)}; pattern {category.value}.",
            sources=("cummings-2014-autopsy", "kennecke-2010-subtypes"),
        ),
        Reason(rule="pattern.multi_organ", text=rule.text, sources=rule.sources),
    ]
    caveats = []
    if any(site.id == "nodes_regional" for site in given):
        caveats.append("Regional lymph nodes were ignored: they are part of N staging, not distant spread.")
    return DiseasePattern(
        category=category,
        bone_only=bone_only,
        visceral=visceral,
        cns=SiteGroup.CNS in groups,
        multi_organ=multi,
        organs=list(organs),
        reasons=reasons,
        caveats=caveats + unverified_caveats(reasons),
    )


class OligometastaticResult(Evidenced):
    """Whether a lesion count fits the oligometastatic definition used here."""

    oligometastatic: bool | None
    lesion_count: int
    max_lesions: int


def assess_oligometastatic(lesion_count: int, *, all_treatable_locally: bool | None = None) -> OligometastaticResult:
    """Check the oligometastatic definition: 1 to ``max_lesions`` (5) lesions, all treatable locally.

    ``oligometastatic`` is ``None`` when the count fits but local treatability was not stated.

    Example
    -------
    >>> assess_oligometastatic(3, all_treatable_locally=True).oligometastatic
    True
    >>> assess_oligometastatic(6).oligometastatic
    False
    """
    if isinstance(lesion_count, bool) or not isinstance(lesion_count, int) or lesion_count < 1:
        raise InvalidInputError("lesion_count", lesion_count, "a whole number of metastatic lesions >= 1")
    rule = _thresholds().oligometastatic
    limit = rule.max_lesions or 5
    caveats: list[str] = []
    if lesion_count > limit:
        verdict: bool | None = False
    elif all_treatable_locally is None:
        verdict = None
        caveats.append("The count fits, but whether every lesion can be treated locally was not given.")
    else:
        verdict = all_treatable_locally
    reasons = [
        Reason(
            rule="pattern.oligometastatic",
            text=f"{lesion_count} lesion(s) against a limit of {limit}. {rule.text}",
            sources=rule.sources,
        )
    ]
    return OligometastaticResult(
        oligometastatic=verdict,
        lesion_count=lesion_count,
        max_lesions=limit,
        reasons=reasons,
        caveats=caveats + unverified_caveats(reasons),
    )


class Presentation(StrEnum):
    """Whether metastatic disease was present at first diagnosis or came later."""

    DE_NOVO = "de_novo"
    RECURRENT = "recurrent"


class PresentationResult(Evidenced):
    """De novo stage IV vs recurrent metastatic disease, from two dates."""

    presentation: Presentation
    interval_days: int
    window_months: int


def _add_months(day: dt.date, months: int) -> dt.date | None:
    """The same day ``months`` later (the month's last day when it is shorter); ``None`` past the last date Python
    can represent (9999-12-31), which every date is before."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    if year > dt.MAXYEAR:
        return None
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def classify_presentation(
    diagnosis_date: dt.date, metastasis_date: dt.date, *, window_months: int | None = None
) -> PresentationResult:
    """De novo when metastasis is found within ``window_months`` (default 4) of the first diagnosis.

    Example
    -------
    >>> import datetime as dt
    >>> classify_presentation(dt.date(2020, 1, 10), dt.date(2020, 2, 1)).presentation.value
    'de_novo'
    >>> classify_presentation(dt.date(2015, 1, 10), dt.date(2020, 2, 1)).presentation.value
    'recurrent'
    """
    for field, value in (("diagnosis_date", diagnosis_date), ("metastasis_date", metastasis_date)):
        if not isinstance(value, dt.date):
            raise InvalidInputError(field, value, "a date (YYYY-MM-DD)")
    if metastasis_date < diagnosis_date:
        raise InvalidInputError(
            "metastasis_date", metastasis_date.isoformat(), f"a date on or after {diagnosis_date.isoformat()}"
        )
    rule = _thresholds().de_novo
    months = rule.window_months if window_months is None else window_months
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise InvalidInputError("window_months", window_months, "a whole number of months >= 0")
    window_end = _add_months(diagnosis_date, months)
    de_novo = window_end is None or metastasis_date <= window_end
    reasons = [
        Reason(
            rule="pattern.de_novo_window",
            text=f"Window {months} month(s). {rule.text}",
            sources=rule.sources,
        )
    ]
    return PresentationResult(
        presentation=Presentation.DE_NOVO if de_novo else Presentation.RECURRENT,
        interval_days=(metastasis_date - diagnosis_date).days,
        window_months=months,
        reasons=reasons,
        caveats=unverified_caveats(reasons),
    )
