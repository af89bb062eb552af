"""What the patient pages show that is not a form result: red flags, symptom groups, site frequencies, reference
statistics and the explainers, read from the library's data and arranged for plain-language pages.

Nothing clinical is written here: texts, numbers and sources come from the library. The few strings below are
page wording (headings for kinds of numbers and urgency levels).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from metastasis.assess.case.actions import questions_to_ask
from metastasis.assess.case.prognosis import statistic_statement
from metastasis.assess.triage_models import Rule, Urgency, actions, rules, symptoms
from metastasis.knowledge import SiteFrequency, facts, get_site, organ_of, site_frequencies
from metastasis.knowledge.education import Explainer, explain, topics
from metastasis.predict.statistics import TOPIC_TITLES, TOPICS, ReferenceStatistic, ReferenceStatistics

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


@dataclass
class SymptomGroup:
    """Symptoms grouped by the part of the body they point to most (from the vocabulary's weights)."""

    title: str
    symptoms: list[tuple[str, str]] = field(default_factory=list)


def symptom_groups() -> list[SymptomGroup]:
    """The symptom vocabulary grouped by the site each symptom points to most strongly (first on ties);
    symptoms that point to no site form a general group at the end."""
    groups: dict[str, SymptomGroup] = {}
    general = SymptomGroup(GENERAL_GROUP)
    for symptom in symptoms().values():
        if not symptom.points_to:
            general.symptoms.append((symptom.id, symptom.label))
            continue
        top = max(symptom.points_to.values())
        site_id = next(site for site, weight in symptom.points_to.items() if weight == top)
        if site_id not in groups:
            groups[site_id] = SymptomGroup(f"Signs linked to {get_site(site_id).plain_name}")
        groups[site_id].symptoms.append((symptom.id, symptom.label))
    return [*groups.values(), *([general] if general.symptoms else [])]


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


def bone_rank() -> tuple[str, tuple[str, ...]]:
    """Where bone ranks among metastatic sites over all cancers: text and sources."""
    rank = facts().bone_rank
    return rank.text, rank.sources


def explainers(ids: Iterable[str]) -> list[Explainer]:
    """The library's explainers with these ids."""
    return [explain(topic) for topic in ids]


def all_topics() -> dict[str, str]:
    """Every explainer id with its title."""
    return topics()


@dataclass(frozen=True)
class Figure:
    """One reference statistic as the page shows it: the library's plain meaning and its figure line."""

    stat: ReferenceStatistic
    plain: str


def statistics_by_topic(result: ReferenceStatistics) -> list[tuple[str, list[Figure]]]:
    """Reference statistics grouped by topic, in the library's topic order, with the library's plain meaning."""
    grouped: dict[str, list[Figure]] = {topic: [] for topic in TOPICS}
    for stat in result.statistics:
        grouped[stat.topic].append(Figure(stat, statistic_statement(stat).plain))
    return [(TOPIC_TITLES[topic], figures) for topic, figures in grouped.items() if figures]


def questions(sites: Iterable[str]) -> list[str]:
    """The library's questions to ask the care team, for metastatic disease (and bone spread when present)."""
    bone = any(organ_of(get_site(site)).id == "bone" for site in sites)
    return questions_to_ask([], metastatic=True, bone=bone)
