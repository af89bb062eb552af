"""The controlled vocabularies a case reuses, read from the packages that own them (never a second copy).

Each function imports its owner on first call, so :mod:`metastasis.domain` can be imported without pulling in
the assessment, knowledge or prognosis packages.

Example
-------
>>> "spine_thoracic" in metastatic_site_ids()
True
>>> sins_choices("location")
('junctional', 'mobile', 'semi_rigid', 'rigid')
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import import_module, resources
from typing import Any, get_args

import yaml

from metastasis.errors import DataIntegrityError


def metastatic_site_ids() -> tuple[str, ...]:
    """Site ids of the knowledge catalogue (:func:`metastasis.knowledge.site_ids`)."""
    from metastasis.knowledge.sites import site_ids

    return site_ids()


def bone_site_ids() -> tuple[str, ...]:
    """Catalogue sites that are bone or one of its subsites (``bone``, ``spine_thoracic``, ``long_bones`` ...)."""
    from metastasis.knowledge.sites import all_sites, organ_of

    return tuple(site.id for site in all_sites() if organ_of(site).id == "bone")


def is_under(site_id: str, ancestor: str) -> bool:
    """Whether ``site_id`` is ``ancestor`` or one of its subsites in the catalogue."""
    from metastasis.knowledge.sites import get_site

    site = get_site(site_id)
    while True:
        if site.id == ancestor:
            return True
        if site.parent is None:
            return False
        site = get_site(site.parent)


def symptom_ids() -> tuple[str, ...]:
    """Symptom ids of the triage vocabulary (:func:`metastasis.assess.triage.symptom_vocabulary`)."""
    from metastasis.assess.triage_models import symptoms

    return tuple(symptoms())


def symptom_aliases() -> Mapping[str, str]:
    """Other spellings the triage accepts (``leg_weakness`` -> ``limb_weakness``)."""
    from metastasis.assess.triage_models import aliases

    return aliases()


def menopausal_statuses() -> tuple[str, ...]:
    """Menopausal statuses used by the treatment-option catalogue."""
    from metastasis.knowledge.options import MENOPAUSAL

    return MENOPAUSAL


def detection_modes() -> tuple[str, ...]:
    """How the cancer was found, as PREDICT Breast takes it (screen, clinical, unknown)."""
    from metastasis.predict.predict_breast import Detection

    return tuple(get_args(Detection))


def lesion_types() -> tuple[str, ...]:
    """Radiographic type of one bone lesion (knowledge ``LesionType`` less ``variable``, which describes primaries)."""
    from metastasis.knowledge.models import LesionType

    return tuple(t.value for t in LesionType if t is not LesionType.VARIABLE)


_SINS_ITEMS = {
    "location": "SinsLocation",
    "pain": "SinsPain",
    "alignment": "SinsAlignment",
    "collapse": "SinsCollapse",
    "posterolateral": "SinsPosterolateral",
}
_MIRELS_ITEMS = {"site": "MirelsSite", "pain": "MirelsPain", "size": "MirelsSize"}


def sins_choices(item: str) -> tuple[str, ...]:
    """Allowed values of one SINS item, from the signature of :func:`metastasis.assess.sins`."""
    module = import_module("metastasis.assess.sins")
    return tuple(get_args(getattr(module, _SINS_ITEMS[item])))


def mirels_choices(item: str) -> tuple[str, ...]:
    """Allowed values of one Mirels item, from the signature of :func:`metastasis.assess.mirels`."""
    module = import_module("metastasis.assess.mirels")
    return tuple(get_args(getattr(module, _MIRELS_ITEMS[item])))


def escc_grades() -> tuple[str, ...]:
    """Bilsky ESCC grade labels (:func:`metastasis.assess.escc_grades`)."""
    from metastasis.assess.bilsky import escc_grades as grades

    return grades()


def palsy_choices() -> tuple[str, ...]:
    """Neurological deficit from spinal metastasis as the revised Tokuhashi score grades it."""
    from metastasis.assess.spine_survival import TokuhashiPalsy

    return tuple(get_args(TokuhashiPalsy))


@cache
def _domain_data(name: str) -> dict[str, Any]:
    text = resources.files("metastasis.domain").joinpath("data", name).read_text("utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise DataIntegrityError(f"domain/data/{name}: expected a mapping")
    return data


@cache
def lab_units() -> Mapping[str, dict[str, str]]:
    """Accepted units per analyte: ``{analyte: {unit: system}}`` with system ``conventional``/``si``/``other``."""
    data = _domain_data("labs.yaml")
    return {analyte: dict(spec["units"]) for analyte, spec in data["analytes"].items()}


@cache
def lab_unit_aliases() -> Mapping[str, str]:
    """Other spellings of units (``IU/L`` -> ``U/L``, ``umol/L`` -> ``µmol/L``)."""
    return dict(_domain_data("labs.yaml")["unit_aliases"])


def lab_analytes() -> tuple[str, ...]:
    """The analytes a case can carry."""
    return tuple(lab_units())


def lab_label(analyte: str) -> str:
    """Readable name of an analyte."""
    return str(_domain_data("labs.yaml")["analytes"][analyte]["label"])


@cache
def bone_targeted_drugs() -> tuple[str, ...]:
    """Bone-targeted agents a case can name (with the sources that list them)."""
    from metastasis.evidence import check_cited

    data = _domain_data("treatments.yaml")["bone_targeted_drugs"]
    check_cited(data["sources"])
    return tuple(data["drugs"])


def bone_targeted_drug_sources() -> tuple[str, ...]:
    """Sources of :func:`bone_targeted_drugs`."""
    return tuple(_domain_data("treatments.yaml")["bone_targeted_drugs"]["sources"])
