"""Load ``trials/data/concepts.yaml`` once and check it: every pattern compiles, every source is registered,
every treatment kind, lab analyte, unit and site it names exists in the case model.

Example
-------
>>> vocab = vocabulary()
>>> sorted(vocab.sites)[:3], vocab.prior_classes["taxane"].could_be
(['bone', 'bone_only', 'brain'], ('chemotherapy', 'other'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError
from metastasis.evidence import check_cited

_FLAGS = re.IGNORECASE


def _compile(where: str, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern.strip():
        raise DataIntegrityError(f"trials/data/concepts.yaml: {where}: expected a regular expression")
    try:
        return re.compile(pattern.strip(), _FLAGS)
    except re.error as exc:
        raise DataIntegrityError(f"trials/data/concepts.yaml: {where}: bad pattern ({exc})") from None


@dataclass(frozen=True)
class SiteConcept:
    name: str
    pattern: re.Pattern[str]
    case_sites: tuple[str, ...]


@dataclass(frozen=True)
class SettingConcept:
    name: str
    pattern: re.Pattern[str]
    accepts: frozenset[str]


@dataclass(frozen=True)
class PriorClass:
    name: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    kinds: tuple[str, ...]
    could_be: tuple[str, ...]


@dataclass(frozen=True)
class LabConcept:
    name: str
    pattern: re.Pattern[str]
    analytes: tuple[str, ...]  # empty: a case cannot record it


@dataclass(frozen=True)
class Vocabulary:
    """The compiled concept vocabularies with the sources of each group."""

    negation: re.Pattern[str]
    not_negation: re.Pattern[str]
    clause_break: re.Pattern[str]
    window: int
    permission: re.Pattern[str]
    condition: re.Pattern[str]
    alternative: re.Pattern[str]
    filler: frozenset[str]
    receptors: dict[str, re.Pattern[str]]
    settings: dict[str, SettingConcept]
    sites: dict[str, SiteConcept]
    site_qualifiers: re.Pattern[str]
    measurable: re.Pattern[str]
    ecog: re.Pattern[str]
    karnofsky: re.Pattern[str]
    demographics: dict[str, re.Pattern[str]]
    life_expectancy: re.Pattern[str]
    prior_before: re.Pattern[str]
    prior_metastatic: re.Pattern[str]
    prior_classes: dict[str, PriorClass]
    lines: re.Pattern[str]
    systemic_kinds: tuple[str, ...]
    labs: dict[str, LabConcept]
    uln: re.Pattern[str]
    units: dict[str, str]
    identities: tuple[tuple[str, str, float], ...]
    relevance: dict[str, re.Pattern[str]]
    tiers: tuple[str, ...]
    relevant: frozenset[str]
    sources: dict[str, tuple[str, ...]]


def _text() -> str:
    return resources.files("metastasis.trials").joinpath("data").joinpath("concepts.yaml").read_text("utf-8")


def _check_vocabulary(data: dict[str, Any]) -> None:
    from metastasis.domain import TreatmentKind
    from metastasis.domain.vocabularies import lab_analytes, lab_units, metastatic_site_ids

    kinds = {k.value for k in TreatmentKind}
    for name, item in data["prior"]["classes"].items():
        for kind in (*item["kinds"], *item["could_be"]):
            if kind not in kinds:
                raise DataIntegrityError(f"trials/data/concepts.yaml: prior.{name}: unknown treatment kind {kind!r}")
    for kind in data["prior"]["systemic_kinds"]:
        if kind not in kinds:
            raise DataIntegrityError(f"trials/data/concepts.yaml: prior.systemic_kinds: unknown kind {kind!r}")
    analytes = set(lab_analytes())
    all_units = {unit for units in lab_units().values() for unit in units}
    for name, item in data["labs"]["analytes"].items():
        targets = item["analyte"] if isinstance(item["analyte"], list) else [item["analyte"]]
        for target in targets:
            if target is not None and target not in analytes:
                raise DataIntegrityError(f"trials/data/concepts.yaml: labs.{name}: unknown analyte {target!r}")
    for spelling, unit in data["labs"]["units"].items():
        if unit not in all_units:
            raise DataIntegrityError(f"trials/data/concepts.yaml: labs.units.{spelling}: unknown unit {unit!r}")
    sites = set(metastatic_site_ids())
    for name, item in data["sites"]["concepts"].items():
        for site in item["case_sites"]:
            if site not in sites:
                raise DataIntegrityError(f"trials/data/concepts.yaml: sites.{name}: unknown site {site!r}")
    relevance = data["relevance"]
    if not set(relevance["relevant"]) <= set(relevance["tiers"]):
        raise DataIntegrityError("trials/data/concepts.yaml: relevance.relevant names a tier not in relevance.tiers")
    for name, item in data["settings"]["concepts"].items():
        if not set(item["accepts"]) <= {"metastatic", "non_metastatic"}:
            raise DataIntegrityError(f"trials/data/concepts.yaml: settings.{name}: bad accepts {item['accepts']}")


@cache
def vocabulary() -> Vocabulary:
    """The concept vocabularies, loaded and checked once (a bad file raises :class:`DataIntegrityError`)."""
    data = load_data(_text())
    _check_vocabulary(data)
    sources: dict[str, tuple[str, ...]] = {"general": check_cited(data["sources"])}
    for group in ("receptors", "settings", "sites", "measurable", "demographics", "life_expectancy", "prior", "labs"):
        sources[group] = check_cited(data[group]["sources"])
    sources["relevance"] = check_cited(data["relevance"]["sources"])
    for scale in ("ecog", "karnofsky"):
        sources[scale] = check_cited(data["performance"][scale]["sources"])
    negation = data["negation"]
    labs = data["labs"]
    prior = data["prior"]
    return Vocabulary(
        negation=_compile("negation.words", negation["words"]),
        not_negation=_compile("negation.not_negation", negation["not_negation"]),
        clause_break=_compile("negation.clause_break", negation["clause_break"]),
        window=int(negation["window"]),
        permission=_compile("permission", data["permission"]),
        condition=_compile("condition", data["condition"]),
        alternative=_compile("alternative", data["alternative"]),
        filler=frozenset(data["filler"].split()),
        receptors={k: _compile(f"receptors.{k}", v) for k, v in data["receptors"]["concepts"].items()},
        settings={
            k: SettingConcept(k, _compile(f"settings.{k}", v["pattern"]), frozenset(v["accepts"]))
            for k, v in data["settings"]["concepts"].items()
        },
        sites={
            k: SiteConcept(k, _compile(f"sites.{k}", v["pattern"]), tuple(v["case_sites"]))
            for k, v in data["sites"]["concepts"].items()
        },
        site_qualifiers=_compile("sites.qualifiers", data["sites"]["qualifiers"]),
        measurable=_compile("measurable", data["measurable"]["pattern"]),
        ecog=_compile("performance.ecog", data["performance"]["ecog"]["pattern"]),
        karnofsky=_compile("performance.karnofsky", data["performance"]["karnofsky"]["pattern"]),
        demographics={k: _compile(f"demographics.{k}", v) for k, v in data["demographics"].items() if k != "sources"},
        life_expectancy=_compile("life_expectancy", data["life_expectancy"]["pattern"]),
        prior_before=_compile("prior.pattern_before", prior["pattern_before"]),
        prior_metastatic=_compile("prior.setting_metastatic", prior["setting_metastatic"]),
        prior_classes={
            k: PriorClass(
                k,
                _compile(f"prior.{k}", v["pattern"]),
                tuple(n.lower() for n in v["names"]),
                tuple(v["kinds"]),
                tuple(v["could_be"]),
            )
            for k, v in prior["classes"].items()
        },
        lines=_compile("prior.lines", prior["lines"]),
        systemic_kinds=tuple(prior["systemic_kinds"]),
        labs={
            k: LabConcept(
                k,
                _compile(f"labs.{k}", v["pattern"]),
                tuple(a for a in (v["analyte"] if isinstance(v["analyte"], list) else [v["analyte"]]) if a),
            )
            for k, v in labs["analytes"].items()
        },
        uln=_compile("labs.uln", labs["uln"]),
        units={k.strip().lower(): v for k, v in labs["units"].items()},
        identities=tuple((i["from"], i["to"], float(i["factor"])) for i in labs["identities"]),
        relevance={
            k: _compile(f"relevance.{k}", v)
            for k, v in data["relevance"].items()
            if k not in ("sources", "tiers", "relevant")
        },
        tiers=tuple(data["relevance"]["tiers"]),
        relevant=frozenset(data["relevance"]["relevant"]),
        sources=sources,
    )
