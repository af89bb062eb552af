"""The catalogue of metastatic sites, the primaries that spread to bone, and site-frequency facts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.knowledge._data import load_model, load_models
from metastasis.knowledge.models import CodeSystem, Facts, Primary, Site, SiteCode, SiteFrequency

_PKG = "metastasis.knowledge"
# The shape of a code in each system: ICD-O-3 topography C00.0-C80.9; ICD-10-CM letter, two digits, optional
# subcategory; SNOMED CT identifiers are 6-18 digits. A code in the wrong system fails at load.
_CODE_SHAPES = {
    CodeSystem.ICD_O_3_TOPOGRAPHY: re.compile(r"C[0-7]\d\.\d|C80\.9"),
    CodeSystem.ICD_10_CM: re.compile(r"[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?"),
    CodeSystem.SNOMED_CT: re.compile(r"[1-9]\d{5,17}"),
}


def _check_codes(site: Site) -> None:
    """Each code has the shape of its system, and is listed once per site."""
    keys = [(code.system, code.code) for code in site.codes]
    if len(keys) != len(set(keys)):
        raise DataIntegrityError(f"sites.yaml: {site.id} lists a code twice")
    for code in site.codes:
        if not _CODE_SHAPES[code.system].fullmatch(code.code):
            raise DataIntegrityError(f"sites.yaml: {site.id}: {code.code!r} is not a {code.system.value} code")


@cache
def _sites() -> Mapping[str, Site]:
    sites = {site.id: site for site in load_models(_PKG, "sites.yaml", Site)}
    for site in sites.values():
        if site.parent is not None and site.parent not in sites:
            raise DataIntegrityError(f"sites.yaml: {site.id} names unknown parent {site.parent!r}")
        _check_codes(site)
    return MappingProxyType(sites)


@cache
def _primaries() -> Mapping[str, Primary]:
    return MappingProxyType({p.id: p for p in load_models(_PKG, "primaries.yaml", Primary)})


@cache
def facts() -> Facts:
    """Site-frequency facts and the rank of bone among metastatic sites.

    Example
    -------
    >>> facts().bone_rank.after
    ('lung', 'liver')
    """
    return load_model(_PKG, "facts.yaml", Facts)


def all_sites() -> tuple[Site, ...]:
    """Every site in catalogue order (organs, with bone subsites after bone)."""
    return tuple(_sites().values())


def site_ids() -> tuple[str, ...]:
    """The valid site codes."""
    return tuple(_sites())


def get_site(site_id: str) -> Site:
    """The site with this id; :class:`InvalidInputError` (listing valid ids) when unknown.

    Example
    -------
    >>> get_site("liver").group.value
    'visceral'
    """
    key = site_id.strip().lower() if isinstance(site_id, str) else site_id
    try:
        return _sites()[key]
    except (KeyError, TypeError):
        raise InvalidInputError("site", site_id, site_ids()) from None


def normalise_sites(site_ids_: Iterable[str]) -> tuple[Site, ...]:
    """Validate site ids and return the sites, without duplicates, in the order given."""
    seen: dict[str, Site] = {}
    for site_id in site_ids_:
        site = get_site(site_id)
        seen.setdefault(site.id, site)
    return tuple(seen.values())


def organ_of(site: Site) -> Site:
    """The top-level organ a (sub)site belongs to: ``spine_lumbar`` -> ``bone``."""
    while site.parent is not None:
        site = _sites()[site.parent]
    return site


def children(site_id: str) -> tuple[Site, ...]:
    """Direct subsites of a site."""
    parent = get_site(site_id).id
    return tuple(site for site in _sites().values() if site.parent == parent)


def codes_for(site_id: str) -> tuple[SiteCode, ...]:
    """The site's own codes, or those of its nearest ancestor that has codes in the same system.

    Subsites such as ``spine`` are coded as secondary bone disease; ICD-O-3 body-site codes of the subsite
    itself come first when present.
    """
    site = get_site(site_id)
    found = list(site.codes)
    systems = {code.system for code in found}
    ancestor = site
    while ancestor.parent is not None:
        ancestor = _sites()[ancestor.parent]
        extra = [code for code in ancestor.codes if code.system not in systems]
        found.extend(extra)
        systems.update(code.system for code in extra)
    return tuple(found)


def bone_primaries() -> tuple[Primary, ...]:
    """Primary cancers that commonly spread to bone, with their typical lesion type.

    Example
    -------
    >>> {p.id: p.lesion_type.value for p in bone_primaries()}["prostate"]
    'osteoblastic'
    """
    return tuple(_primaries().values())


def get_primary(primary_id: str) -> Primary:
    """One primary by id; :class:`InvalidInputError` when unknown."""
    try:
        return _primaries()[primary_id.strip().lower()]
    except (KeyError, AttributeError):
        raise InvalidInputError("primary", primary_id, tuple(_primaries())) from None


def site_frequencies(measure: str | None = None) -> tuple[SiteFrequency, ...]:
    """Published breast-cancer site frequencies, optionally for one measure only."""
    rows = facts().frequencies
    if measure is None:
        return rows
    allowed = sorted({row.measure.value for row in rows})
    if measure not in allowed:
        raise InvalidInputError("measure", measure, allowed)
    return tuple(row for row in rows if row.measure.value == measure)
