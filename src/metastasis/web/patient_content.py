"""What the patient pages show that is not a form result: red flags, symptom groups by body area, site
frequencies, the chosen reference statistics, the explainers, and the numbered sources of a page, read from the
library's data and arranged for plain-language pages.

Nothing clinical is written here: texts, numbers and sources come from the library. The strings below are page
wording (headings, body-area names, the emergency phone numbers the library's own advice names) and the page's
choice of which published figures to show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlparse

from metastasis.assess.case._context import wording
from metastasis.assess.case.actions import questions_to_ask
from metastasis.assess.case.prognosis import statistic_statement
from metastasis.assess.triage_models import Rule, Urgency, actions, rules, symptoms
from metastasis.evidence import get_source
from metastasis.knowledge import SiteFrequency, get_site, organ_of, site_frequencies
from metastasis.knowledge.education import Explainer, TopicGroup, explain, topic_groups, topics
from metastasis.knowledge.guides import GlossaryEntry, glossary, link_terms
from metastasis.knowledge.quiz import QuizItem, topic_quiz_items
from metastasis.predict.statistics import ReferenceStatistic, ReferenceStatistics

#: Explainers shown in full on the "what metastasis is and where it spreads" page.
SPREAD_TOPICS: tuple[str, ...] = ("what_is_metastasis", "bone_spread_facts", "systemic_disease")
#: The explainer shown on the statistics page.
STATISTICS_TOPIC = "survival_statistics"

#: Page headings for each kind of site-frequency figure (the library's FrequencyMeasure values).
MEASURE_HEADINGS: dict[str, tuple[str, str]] = {
    "autopsy_patients": (
        "In people who died of breast cancer",
        "Out of 100 people who died of breast cancer and were examined after death: how many had cancer in each "
        "place. One person can have cancer in more than one place, so the numbers add up to more than 100.",
    ),
    "at_diagnosis": (
        "When breast cancer is first found",
        "Out of 100 people just found to have breast cancer: how many already had cancer in each place.",
    ),
}

#: Banner headings for each urgency level of the triage (the action itself is the library's text).
URGENCY_TITLES: dict[str, str] = {
    Urgency.EMERGENCY_NOW.value: "Get help now",
    Urgency.SAME_DAY.value: "Get help today",
    Urgency.SOON.value: "Get help in the next few days",
    Urgency.ROUTINE.value: "Not urgent",
}

GENERAL_GROUP = "Other changes in how you feel"


def refs(*lists: Iterable[str]) -> list[str]:
    """Source ids of several items, each once, in order of first citation (for one reference list per page)."""
    seen: dict[str, None] = {}
    for ids in lists:
        seen.update(dict.fromkeys(ids))
    return list(seen)


def red_flags() -> list[Rule]:
    """The rules that call for emergency help now, in the library's order."""
    return [rule for rule in rules() if rule.urgency is Urgency.EMERGENCY_NOW]


def emergency_action() -> str:
    """The library's 'what to do now' for an emergency."""
    return actions().urgency[Urgency.EMERGENCY_NOW]


def triage_notice() -> str:
    """The library's reminder that triage is not a diagnosis."""
    return actions().notice


#: Body areas of the symptom checker, by the library site a symptom points to most: (anchor, name on the page).
BODY_AREAS: dict[str, tuple[str, str]] = {
    "spine": ("area-back", "Back, neck and nerves"),
    "bone": ("area-bones", "Bones"),
    "brain": ("area-head", "Head, sight and thinking"),
    "lung": ("area-chest", "Chest and breathing"),
    "liver": ("area-belly", "Belly and eating"),
    "skin_chest_wall": ("area-skin", "Skin and chest wall"),
    "nodes_regional": ("area-lumps", "Lumps in the neck or armpit"),
}
GENERAL_AREA = ("area-general", GENERAL_GROUP)


@dataclass
class SymptomGroup:
    """The symptoms of one body area (``anchor`` is its element id on the page)."""

    title: str
    anchor: str = ""
    symptoms: list[tuple[str, str]] = field(default_factory=list)


def symptom_groups() -> list[SymptomGroup]:
    """The symptom vocabulary by body area: each symptom goes to the site it points to most strongly (first on
    ties), areas in the page's order; a site without a named area gets its own, and symptoms that point to no
    site form a general area at the end."""
    groups: dict[str, SymptomGroup] = {}
    general = SymptomGroup(GENERAL_AREA[1], GENERAL_AREA[0])
    for symptom in symptoms().values():
        if not symptom.points_to:
            general.symptoms.append((symptom.id, symptom.label))
            continue
        top = max(symptom.points_to.values())
        site_id = next(site for site, weight in symptom.points_to.items() if weight == top)
        if site_id not in groups:
            anchor, title = BODY_AREAS.get(site_id) or (
                f"area-{len(BODY_AREAS) + len(groups) + 1}",
                f"Signs linked to {get_site(site_id).plain_name}",
            )
            groups[site_id] = SymptomGroup(title, anchor)
        groups[site_id].symptoms.append((symptom.id, symptom.label))
    order = list(BODY_AREAS)
    ranked = sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    return [group for _, group in ranked] + ([general] if general.symptoms else [])


@dataclass(frozen=True)
class FrequencyTable:
    """Site frequencies of one kind, with the page's heading and plain description of that kind."""

    measure: str
    title: str
    meaning: str
    rows: list[tuple[str, SiteFrequency]]


def frequency_tables() -> list[FrequencyTable]:
    """The published site frequencies, one table per kind of number (kinds are never mixed)."""
    tables: dict[str, list[tuple[str, SiteFrequency]]] = {}
    for row in site_frequencies():
        tables.setdefault(row.measure.value, []).append((get_site(row.site).plain_name, row))
    return [FrequencyTable(measure, *MEASURE_HEADINGS[measure], rows) for measure, rows in tables.items()]


def explainers(ids: Iterable[str]) -> list[Explainer]:
    """The library's explainers with these ids."""
    return [explain(topic) for topic in ids]


def all_topics() -> dict[str, str]:
    """Every explainer id with its title."""
    return topics()


def topic_index() -> list[tuple[TopicGroup, list[Explainer]]]:
    """The explainers by group, for the topic index."""
    return topic_groups()


def glossary_entries() -> list[GlossaryEntry]:
    """The glossary, sorted by term (case-insensitive), for the glossary page."""
    return sorted(glossary(), key=lambda entry: entry.term.lower())


def topic_quiz(topic: str) -> list[QuizItem]:
    """The quiz questions whose explanation links back to this explainer (the topic page's self-check)."""
    return topic_quiz_items(topic)


class Linker:
    """Links the first use of each glossary term on one page (later uses stay plain text).

    Example
    -------
    >>> linker = Linker()
    >>> [e.term for _, e in linker("A biopsy.") if e], [e for _, e in linker("A biopsy.") if e]
    (['biopsy'], [])
    """

    def __init__(self) -> None:
        self._done: set[str] = set()

    def __call__(self, text: str) -> list[tuple[str, GlossaryEntry | None]]:
        """The pieces of ``text``: (text, entry) for a linked term, (text, None) for plain text."""
        return link_terms(text, self._done)


#: The statistics page: one published figure per fact, breast cancer only (ids of the library's reference
#: statistics). Where two sources give the same fact, the page shows the more recent or better-checked one.
STATISTICS_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Five years after diagnosis, by how far the cancer had spread",
        ("acs-seer-localized", "acs-seer-regional", "acs-seer-distant", "acs-seer-all"),
    ),
    ("Five years after the cancer spread", ("esme-2020-all-5y",)),
    (
        "After the cancer spread to the bones",
        ("svensson-breast-1y", "svensson-breast-5y", "seer-bone-only-breast-5y"),
    ),
    (
        "How long half of the people lived after the cancer spread",
        ("esme-2020-all", "esme-2020-hr-pos-her2-neg", "esme-2020-her2-pos", "esme-2020-triple-negative"),
    ),
)

#: Plain names for the groups of the chosen figures (the library's group names are written for clinicians).
GROUP_NAMES: dict[str, str] = {
    "acs-seer-localized": "Only in the breast",
    "acs-seer-regional": "Spread to nearby tissue or lymph nodes",
    "acs-seer-distant": "Spread to other parts of the body",
    "acs-seer-all": "All people with breast cancer",
    "esme-2020-all-5y": "Alive 5 years after the spread was found",
    "esme-2020-all": "All types of breast cancer",
    "esme-2020-hr-pos-her2-neg": "Hormone receptor positive, HER2 negative",
    "esme-2020-her2-pos": "HER2 positive",
    "esme-2020-triple-negative": "Triple negative",
    "svensson-breast-1y": "Alive 1 year after the bone spread was found",
    "svensson-breast-5y": "Alive 5 years after the bone spread was found",
    "seer-bone-only-breast-5y": "Alive 5 years later, when the spread was only in the bones",
}


@dataclass(frozen=True)
class Figure:
    """One reference statistic as the statistics page shows it: a plain name, the library's plain meaning, and
    (for a share of people) how many in 100 to draw."""

    stat: ReferenceStatistic
    name: str
    plain: str
    in_100: int | None


@dataclass(frozen=True)
class StatSection:
    """One section of the statistics page: its figures, the kind of number they share (``share`` of people,
    ``relative`` survival or ``median`` months) and their sources."""

    title: str
    kind: str
    figures: list[Figure]
    sources: list[str]


def _kind(stat: ReferenceStatistic) -> str:
    if "months" in stat.measure:
        return "median"
    return "relative" if "relative" in stat.measure else "share"


def statistics_sections(result: ReferenceStatistics) -> list[StatSection]:
    """The page's chosen figures, by section, with the library's plain meaning of each.

    Parameters
    ----------
    result:
        The library's reference statistics (all of them).

    Returns
    -------
    list[StatSection]
        The sections of :data:`STATISTICS_SECTIONS`, each with one kind of number.

    Example
    -------
    >>> from metastasis.predict.statistics import reference_statistics
    >>> statistics_sections(reference_statistics())[0].figures[0].in_100
    99
    """
    by_id = {stat.id: stat for stat in result.statistics}
    sections = []
    for title, ids in STATISTICS_SECTIONS:
        stats = [by_id[stat_id] for stat_id in ids]
        figures = [
            Figure(
                stat,
                GROUP_NAMES[stat.id],
                statistic_statement(stat).plain,
                None if _kind(stat) == "median" else round(100 * stat.value),
            )
            for stat in stats
        ]
        sections.append(StatSection(title, _kind(stats[0]), figures, refs(*(stat.sources for stat in stats))))
    return sections


def statistics_caveat() -> str:
    """The library's plain words on what survival numbers cannot tell one person."""
    return wording("prognosis.statistics_caveat")


#: Emergency phone numbers and where each works, as the library's emergency advice names them.
EMERGENCY_NUMBERS: tuple[tuple[str, str], ...] = (("999", "UK"), ("911", "US and Canada"), ("112", "EU"))

_SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
_NOTE = re.compile(r"\s*\([^()]*(?:research notes|commit)[^()]*\)|,[^,.()]*research notes")
_CLAIM = re.compile(r"^Claim stated in the project issue \(#\d+\):\s*")
_AUTHORS = re.compile(r"\b[A-Z]{1,3}(?:,|$| et al)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_FREE_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?![^()]*\))")  # not inside brackets


@dataclass(frozen=True)
class Reference:
    """A source as a reader sees it: authors (or the body that wrote it), title, the rest, year and link."""

    number: int
    authors: str
    title: str
    details: str
    year: str | None
    link: str | None
    link_text: str | None


def _clean(citation: str) -> str:
    """The citation without the package's own notes on it (commits, research notes, where a claim was stated)."""
    return _CLAIM.sub("", _NOTE.sub("", " ".join(citation.split())))


def _sentences(citation: str) -> list[str]:
    """The citation's sentences, without the package's own notes (commits, table names, research notes)."""
    text = _clean(citation)
    kept = []
    for sentence in text.split(". "):
        if _SNAKE.search(sentence):
            sentence = re.split(r":\s*tables?\b", sentence)[0]
        if sentence and not _SNAKE.search(sentence) and " commit " not in f" {sentence} ":
            kept.append(sentence.rstrip("."))
    return kept


def reference(number: int, source_id: str) -> Reference:
    """A readable reference from the library's source record.

    Parameters
    ----------
    number:
        The footnote number on the page.
    source_id:
        The source's id in the library's registry.

    Returns
    -------
    Reference
        Authors, title and the rest of the citation, the first year it names, and its link.

    Example
    -------
    >>> reference(1, "cummings-2014-autopsy").year
    '2014'
    """
    source = get_source(source_id)
    parts = _sentences(source.citation) or [_clean(source.citation)]
    # The first sentence names the authors or the body that wrote it; a long or lower-case one is a description.
    first = parts[0]
    named = first[:1].isupper() and (len(first.split()) <= 12 or _AUTHORS.search(first) is not None)
    authors = first if len(parts) > 1 and named else ""
    rest = parts[1:] if authors else [". ".join(parts)]
    rest[0] = rest[0][:1].upper() + rest[0][1:]
    # The publication details name the year first; a number like "(N = 2046)" in a title or a journal name like
    # "Spine (Phila Pa 1976)" is not it.
    details = ". ".join(rest[1:])
    year = _FREE_YEAR.search(details) or _YEAR.search(details) or _YEAR.search(" ".join(parts))
    link = source.link
    link_text = None
    if link:
        link_text = f"doi.org/{source.doi}" if source.doi else urlparse(link).netloc.removeprefix("www.")
    return Reference(
        number=number,
        authors=authors,
        title=rest[0],
        details=details,
        year=year.group(0) if year else None,
        link=link,
        link_text=link_text,
    )


class Footnotes:
    """The sources cited on one page, numbered in the order they are first cited.

    Example
    -------
    >>> notes = Footnotes()
    >>> notes.cite(["nice-ng234-mscc", "ctcae-v5"]), notes.cite(["ctcae-v5"])
    ([1, 2], [2])
    """

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def cite(self, ids: Iterable[str]) -> list[int]:
        """The footnote numbers of these sources, giving new ones the next numbers."""
        found: list[int] = []
        for source_id in ids:
            number = self._numbers.setdefault(source_id, len(self._numbers) + 1)
            if number not in found:
                found.append(number)
        return sorted(found)

    def references(self) -> list[Reference]:
        """Every cited source as a readable reference, by number."""
        return [reference(number, source_id) for source_id, number in self._numbers.items()]


def questions(sites: Iterable[str]) -> list[str]:
    """The library's questions to ask the care team, for metastatic disease (and bone spread when present)."""
    bone = any(organ_of(get_site(site)).id == "bone" for site in sites)
    return questions_to_ask([], metastatic=True, bone=bone)
