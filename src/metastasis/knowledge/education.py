"""Plain-language explainers for patients and families: every step of the pathway, from how breast cancer spreads
to tests, treatments and their side effects, what the numbers mean, and where to find help.

Each explainer answers its question in one sentence first, then in short paragraphs and headed sections; it says
what the reader can do or ask, when to get help now, which topics are related and what to read next, and it
cites the sources its facts rest on. Its review status is for the care team, never shown in the running text.
The texts live in ``knowledge/data/explainers.yaml`` and the topic groups in ``topic_groups.yaml``; both are
checked when first read (unknown groups, related topics or next steps fail loudly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from pydantic import Field

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence.records import CitedRecord, DataRecord
from metastasis.knowledge._data import load_models
from metastasis.knowledge.models import _Cited

#: What every explainer page says under "Get help now" when the explainer names nothing more specific (the page
#: links the red-flag list of the triage rules, where each sign and its source are given).
HELP_NOW_DEFAULT = (
    "If you have a red flag, call emergency services now. For any other worry, call your cancer care team."
)


class ReviewStatus(StrEnum):
    """How far an explainer has been checked (shown to the care team, never in the running text)."""

    DRAFT = "draft"
    """Written, not yet checked against its sources."""
    CHECKED_AGAINST_SOURCES = "checked_against_sources"
    """Every factual sentence was checked against the cited sources by the author; no clinician has reviewed it."""
    CLINICIAN_REVIEWED = "clinician_reviewed"
    """Reviewed by a clinician."""


class Review(DataRecord):
    """Who checked an explainer, how, and when."""

    status: ReviewStatus
    date: dt.date
    by: str = Field(min_length=3)


class Section(CitedRecord):
    """A headed part of an explainer; ``sources`` are the footnotes of this part (the explainer's own when empty)."""

    heading: str = Field(min_length=3)
    paragraphs: tuple[str, ...] = Field(min_length=1)


class TopicGroup(DataRecord):
    """A group of explainers on the topic index and in ``learn --list``."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    title: str
    blurb: str


class Explainer(_Cited):
    """One explainer: the one-sentence answer, short paragraphs and sections, what to do, and its sources.

    Example
    -------
    >>> e = explain("jaw-care")
    >>> e.group, "bone_targeted_drugs" in e.related
    ('treatment', True)
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    group: str
    summary: str = Field(min_length=10, description="The answer in one sentence, shown first.")
    paragraphs: tuple[str, ...] = Field(min_length=1)
    sections: tuple[Section, ...] = ()
    you_can: tuple[str, ...] = Field(default=(), description="What the reader can do or ask.")
    help_now: str = Field(default="", description="When to get help now (the page links the red flags).")
    related: tuple[str, ...] = ()
    next_step: str | None = Field(default=None, description="The topic to read next.")
    review: Review

    @property
    def text(self) -> str:
        """The explainer's running text as one block: the answer, the paragraphs, then each section."""
        parts = [self.summary, *self.paragraphs]
        for section in self.sections:
            parts += section.paragraphs
        return "\n\n".join(parts)

    @property
    def all_sources(self) -> tuple[str, ...]:
        """Every source cited by the explainer and its sections, once each, in order of first citation."""
        seen = dict.fromkeys(self.sources)
        for section in self.sections:
            seen.update(dict.fromkeys(section.sources))
        return tuple(seen)


@cache
def _groups() -> Mapping[str, TopicGroup]:
    return MappingProxyType({g.id: g for g in load_models("metastasis.knowledge", "topic_groups.yaml", TopicGroup)})


@cache
def _explainers() -> Mapping[str, Explainer]:
    found: dict[str, Explainer] = {}
    for explainer in load_models("metastasis.knowledge", "explainers.yaml", Explainer):
        if explainer.id in found:
            raise DataIntegrityError(f"explainers.yaml: duplicate topic {explainer.id!r}")
        found[explainer.id] = explainer
    groups = _groups()
    for explainer in found.values():
        if explainer.group not in groups:
            raise DataIntegrityError(f"explainers.yaml: {explainer.id}: unknown group {explainer.group!r}")
        links = [*explainer.related, *([explainer.next_step] if explainer.next_step else [])]
        missing = [link for link in links if link not in found or link == explainer.id]
        if missing:
            raise DataIntegrityError(f"explainers.yaml: {explainer.id}: bad links {missing}")
    return MappingProxyType(found)


def topics() -> dict[str, str]:
    """Explainer ids with their titles, in reading order.

    Example
    -------
    >>> "what_is_metastasis" in topics()
    True
    """
    return {key: explainer.title for key, explainer in _explainers().items()}


def topic_groups() -> list[tuple[TopicGroup, list[Explainer]]]:
    """The explainers by group, groups in their reading order (for ``learn --list`` and the topic index).

    Example
    -------
    >>> topic_groups()[0][0].id
    'spread'
    """
    return [(group, [e for e in _explainers().values() if e.group == group.id]) for group in _groups().values()]


def explain(topic: str) -> Explainer:
    """The explainer for a topic id (``-`` and ``_`` are interchangeable); unknown ids list the valid ones.

    Parameters
    ----------
    topic:
        A topic id such as ``bone-lesions`` or ``jaw_care``.

    Returns
    -------
    Explainer
        The explainer, with its sources.

    Example
    -------
    >>> explain("bone-lesions").title
    'Osteolytic and osteoblastic bone lesions'
    """
    key = topic.strip().lower().replace("-", "_") if isinstance(topic, str) else topic
    try:
        return _explainers()[key]
    except (KeyError, TypeError):
        raise InvalidInputError("topic", topic, tuple(_explainers())) from None


def search_topics(query: str, limit: int = 50) -> list[Explainer]:
    """Explainers whose title, answer or text contain every word of ``query`` (case-insensitive), title matches
    first; an empty query gives none. Bounded: the query is cut to 100 characters and 10 words.

    Example
    -------
    >>> [e.id for e in search_topics("jaw")][:1]
    ['jaw_care']
    """
    if not isinstance(query, str):
        raise InvalidInputError("q", query, "text")
    words = [w for w in query.lower()[:100].split() if w][:10]
    if not words:
        return []
    hits: list[tuple[int, int, Explainer]] = []
    for order, explainer in enumerate(_explainers().values()):
        title = explainer.title.lower()
        body = f"{title} {explainer.text.lower()}"
        if all(word in body for word in words):
            hits.append((0 if all(word in title for word in words) else 1, order, explainer))
    return [explainer for _, _, explainer in sorted(hits, key=lambda hit: hit[:2])][:limit]
