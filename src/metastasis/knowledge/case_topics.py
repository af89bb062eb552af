"""Which explainers a whole-case patient report should link, from the facts of one case (rules as data in
``knowledge/data/case_topics.yaml``)."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from metastasis.errors import DataIntegrityError
from metastasis.knowledge._data import load_model
from metastasis.knowledge.education import topics
from metastasis.knowledge.sites import get_site, organ_of


class _When(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    metastatic: bool | None = None
    site_group: str | None = None
    site: str | None = None
    treatment: str | None = None
    drug: str | None = None
    on_site_group: str | None = None
    sex: str | None = None
    not_sex: str | None = None
    max_age: int | None = Field(default=None, ge=0, le=120)


class _Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    when: _When
    topics: tuple[str, ...] = Field(min_length=1)


class _CaseTopics(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    always: tuple[str, ...]
    rules: tuple[_Rule, ...]


@cache
def _table() -> _CaseTopics:
    table = load_model("metastasis.knowledge", "case_topics.yaml", _CaseTopics)
    known = topics()
    used = [*table.always, *(t for rule in table.rules for t in rule.topics)]
    missing = sorted({t for t in used if t not in known})
    if missing:
        raise DataIntegrityError(f"case_topics.yaml: unknown topics {missing}")
    return table


class _Facts(BaseModel):
    """What the rules look at in one case."""

    model_config = ConfigDict(frozen=True)

    sites: frozenset[str]
    groups: frozenset[str]
    treatments: tuple[tuple[str, str | None, frozenset[str]], ...]  # (kind, drug, groups of the treated site)
    sex: str | None
    age: int | None


def _groups_of(site_id: str | None) -> frozenset[str]:
    if not site_id:
        return frozenset()
    site = get_site(site_id)
    return frozenset({site.group.value, organ_of(site).id})


def _facts(case: Any) -> _Facts:
    """Distant sites and their organ groups, treatments, sex and age of a case (or of a report carrying one)."""
    case = getattr(case, "case", case)  # a report keeps its case
    sites = {entry.site for entry in getattr(case, "metastatic_sites", ()) if getattr(entry, "distant", True)}
    groups = frozenset(group for site_id in sites for group in _groups_of(site_id))
    treatments = tuple(
        (str(getattr(t.kind, "value", t.kind)), (t.drug or "").strip().lower() or None, _groups_of(t.site))
        for t in getattr(case, "treatments", ())
    )
    patient = getattr(case, "patient", None)
    sex = getattr(patient, "sex", None)
    return _Facts(
        sites=frozenset(sites),
        groups=groups,
        treatments=treatments,
        sex=str(getattr(sex, "value", sex)) if sex else None,
        age=getattr(patient, "age_at_diagnosis", None),
    )


def _holds(w: _When, facts: _Facts) -> bool:
    """True when every condition of a rule holds for the case."""
    if w.metastatic is not None and w.metastatic != bool(facts.sites):
        return False
    if (w.site_group is not None and w.site_group not in facts.groups) or (
        w.site is not None and w.site not in facts.sites
    ):
        return False
    if w.treatment is not None and not any(
        kind == w.treatment
        and (w.drug is None or drug == w.drug)
        and (w.on_site_group is None or w.on_site_group in site_groups)
        for kind, drug, site_groups in facts.treatments
    ):
        return False
    if (w.sex is not None and w.sex != facts.sex) or (w.not_sex is not None and w.not_sex == facts.sex):
        return False
    return w.max_age is None or (facts.age is not None and facts.age <= w.max_age)


def topics_for_case(case: Any) -> list[str]:
    """The explainer ids relevant to one case, each once: the general ones first, then those its facts call for
    (spread to the bone, a bone-targeted drug and which one, a man, a younger woman...), in the order of the rules.

    Parameters
    ----------
    case:
        A :class:`metastasis.domain.Case` (or an object with a ``case`` attribute holding one).

    Returns
    -------
    list[str]
        Topic ids for :func:`metastasis.knowledge.education.explain`.

    Example
    -------
    >>> from metastasis.domain import Case
    >>> case = Case(schema_version="1.0", metastatic_sites=[{"site": "pelvis"}],
    ...             treatments=[{"kind": "bone_targeted", "drug": "denosumab", "start": "2024-04-01"}])
    >>> "jaw_care" in topics_for_case(case)
    True
    """
    facts = _facts(case)
    table = _table()
    chosen = dict.fromkeys(table.always)
    for rule in table.rules:
        if _holds(rule.when, facts):
            chosen.update(dict.fromkeys(rule.topics))
    return list(chosen)
