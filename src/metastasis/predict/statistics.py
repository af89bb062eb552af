"""Reference survival statistics: published figures with their measure, period, population and source.

Statistics describe groups of people diagnosed in the past; they cannot say what will happen to one person,
and treatment has improved since most of them were collected. Every result carries that caveat.

Example
-------
>>> stats = reference_statistics(topic="metastatic_subtype")
>>> any(s.group == "Triple-negative" for s in stats.statistics)
True
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, Field

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason, get_source
from metastasis.predict._data import data_file

Topic = Literal["stage", "overall", "metastatic_subtype", "bone_metastasis"]
TOPICS: tuple[str, ...] = ("stage", "overall", "metastatic_subtype", "bone_metastasis")
TOPIC_TITLES = {
    "stage": "Five-year survival by stage at diagnosis",
    "overall": "Five-year survival, all stages",
    "metastatic_subtype": "Survival with metastatic breast cancer, by subtype",
    "bone_metastasis": "Survival after bone metastasis, by primary cancer",
}
GENERAL_CAVEAT = (
    "Statistics describe groups of people diagnosed in the past, not one person; many things that matter for an "
    "individual (health, treatment, how the cancer responds) are not in them, and treatment keeps improving."
)


class ReferenceStatistic(BaseModel):
    """One published survival figure."""

    id: str
    topic: Topic
    measure: str
    group: str
    value: float = Field(description="A fraction (survival) or months (median survival), per the measure.")
    qualifier: str | None = Field(default=None, description="'about' or 'more than' where the source rounds.")
    interval: tuple[float, float] | None = Field(default=None, description="95% confidence interval.")
    n: int | None = None
    period: str
    population: str
    sources: tuple[str, ...]

    @property
    def verified(self) -> bool:
        """Whether every source of this figure is at least corroborated."""
        return all(get_source(s).verification.value != "unverified" for s in self.sources)

    def display_value(self) -> str:
        """The value as people read it: '51%' or '43.3 months', with its qualifier."""
        text = f"{self.value:g} months" if "months" in self.measure else f"{100 * self.value:.3g}%"
        return f"{self.qualifier} {text}" if self.qualifier else text


class ReferenceStatistics(Evidenced):
    """A selection of reference statistics with reasons (their sources) and caveats."""

    statistics: list[ReferenceStatistic]


@cache
def _all() -> tuple[ReferenceStatistic, ...]:
    items = tuple(ReferenceStatistic.model_validate(row) for row in data_file("reference_statistics.yaml"))
    ids = [s.id for s in items]
    if len(ids) != len(set(ids)):
        raise DataIntegrityError("reference_statistics.yaml: duplicate ids")
    for item in items:
        for source in item.sources:
            get_source(source)
    return items


def reference_statistics(*, topic: str | None = None, group: str | None = None) -> ReferenceStatistics:
    """Published survival statistics, optionally for one topic and/or groups whose name contains ``group``.

    Parameters
    ----------
    topic:
        ``"stage"``, ``"overall"``, ``"metastatic_subtype"`` or ``"bone_metastasis"``; ``None`` for all.
    group:
        Case-insensitive text to match in the group name (for example ``"breast"`` or ``"triple"``).
    """
    if topic is not None and topic not in TOPICS:
        raise InvalidInputError("topic", topic, TOPICS)
    chosen = [s for s in _all() if topic in (None, s.topic) and (group is None or group.lower() in s.group.lower())]
    if not chosen:
        raise InvalidInputError("group", group, sorted({s.group for s in _all() if topic in (None, s.topic)}))
    reasons = [
        Reason(
            rule=f"reference_statistic:{s.id}",
            text=f"{s.group}: {s.measure} {s.display_value()} ({s.population}; {s.period}).",
            sources=s.sources,
        )
        for s in chosen
    ]
    caveats = [GENERAL_CAVEAT]
    unverified = [s.id for s in chosen if not s.verified]
    if unverified:
        caveats.append(f"Not verified against the primary source, treat with care: {', '.join(unverified)}.")
    return ReferenceStatistics(statistics=chosen, reasons=reasons, caveats=caveats)
