"""The code maps of the FHIR mCODE mapping, loaded once from ``interop/fhir/data/codes.yaml`` and checked.

Every code the import reads or the export writes comes from here. Loading checks the file against the rest of
the package: each table's sources are registered, each system name is declared, no code is mapped twice, and
each target is a valid value of the case schema (TNM labels parse, stage groups exist, drug kinds and lab
analytes and units are the case's own). A broken file fails loudly at first use, never with a wrong mapping.

Example
-------
>>> codes = fhir_codes()
>>> codes.tnm_observation[(codes.uri("loinc"), "21905-5")]
('T', 'clinical')
>>> codes.drug_by_rxnorm["583214"]
'paclitaxel'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, get_args

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError, InvalidInputError

Key = tuple[str, str]
"""A coding as (system URI, code)."""

COARSE_STAGES: tuple[str, ...] = ("I", "II", "III")
"""Stage groups without their subgroup letter, as generic SNOMED CT 'Stage N' codes name them."""


@dataclass(frozen=True)
class Coding:
    """One coding to write: system URI, code and display."""

    system: str
    code: str
    display: str | None = None

    def to_fhir(self) -> dict[str, str]:
        """The coding as FHIR JSON."""
        found = {"system": self.system, "code": self.code}
        if self.display:
            found["display"] = self.display
        return found


@dataclass(frozen=True)
class DrugEntry:
    """A drug of the treatment table: its kind and RxNorm codes."""

    drug: str
    kind: str
    rxnorm: tuple[str, ...]


@dataclass(frozen=True)
class FhirCodes:
    """Every lookup table of the mapping, both ways. Build it with :func:`fhir_codes`."""

    systems: Mapping[str, str]
    extensions: Mapping[str, str]
    profiles: Mapping[str, str]
    profile_kinds: Mapping[str, str]
    us_core: Mapping[str, str]
    breast_primary_snomed: frozenset[str]
    breast_primary_export: Coding
    left_female_primary: str
    generic_malignant: str
    laterality: Mapping[Key, str]
    laterality_export: Mapping[str, Coding]
    breast_body_site: Mapping[str, Coding]
    location: Mapping[str, str]
    location_export: Mapping[str, Coding]
    histology: Mapping[Key, str]
    histology_export: Mapping[str, Coding]
    tnm_observation: Mapping[Key, tuple[str, str]]
    tnm_observation_export: Mapping[tuple[str, str], Coding]
    tnm_values: Mapping[str, str]
    tnm_values_export: Mapping[str, str]
    staging_method: Coding
    stage_values: Mapping[str, str]
    stage_values_export: Mapping[str, str]
    markers: Mapping[Key, str]
    markers_export: Mapping[str, Coding]
    result_values: Mapping[Key, str]
    result_values_export: Mapping[str, Coding]
    grade_values: Mapping[Key, int]
    tumor_size: Coding
    tumor_longest: Coding
    size_units: Mapping[str, float]
    performance: Mapping[str, Coding]
    performance_answers: Mapping[str, Mapping[int, str]]
    disease_status_code: Coding
    disease_status: Mapping[str, str]
    labs: Mapping[str, str]
    labs_export: Mapping[str, str]
    ucum: Mapping[str, tuple[str, float]]
    ucum_export: Mapping[str, str]
    drugs: Mapping[str, DrugEntry]
    drug_by_rxnorm: Mapping[str, str]
    procedures: Mapping[Key, str]
    radiotherapy_code: Coding
    course_gap_days: Mapping[str, int]
    secondary_generic: Coding
    body_structures: Mapping[str, str]
    sources: tuple[str, ...]

    def uri(self, name: str) -> str:
        """The URI of a code system by its short name (``loinc``, ``snomed``, ``local_site`` ...)."""
        return self.systems[name]

    def profile(self, kind: str) -> str:
        """The mCODE profile URL written for a kind of resource (``patient``, ``tnm_t`` ...)."""
        return self.profiles[kind]

    @cached_property
    def observation_kinds(self) -> Mapping[Key, tuple[int, str, Any]]:
        """What an Observation's coding says it is: ``(rank, kind, detail)`` by (system, code).

        When several codings of one Observation are known, the lowest rank wins: TNM and stage group 0, HER2 1,
        other markers 2, tumour size 3, laboratory 4, disease status 5, performance status 6 (the package's own
        score codes, rank 7, are recognised by their system). One dict lookup per coding: the import asks it for
        every Observation of a bundle, hundreds per Synthea patient.
        """
        found: dict[Key, tuple[int, str, Any]] = {}
        for scale, coding in self.performance.items():  # lowest rank last: it overwrites
            found.setdefault((coding.system, coding.code), (6, "performance", scale))
        status = self.disease_status_code
        found[(status.system, status.code)] = (5, "status", None)
        loinc = self.uri("loinc")
        found.update({(loinc, code): (4, "lab", analyte) for code, analyte in self.labs.items()})
        found[(self.tumor_size.system, self.tumor_size.code)] = (3, "size", None)
        found.update({key: (1 if m == "her2" else 2, "marker", m) for key, m in self.markers.items()})
        found.update({key: (0, "tnm", detail) for key, detail in self.tnm_observation.items()})
        return found


def _fail(table: str, message: str) -> DataIntegrityError:
    return DataIntegrityError(f"interop/fhir/data/codes.yaml, {table}: {message}")


def _unique(table: str, pairs: Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    found: dict[Any, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _fail(table, f"{key!r} is mapped twice")
        found[key] = value
    return found


class _Reader:
    """Reads the tables of the YAML file, resolving system names and checking sources as it goes."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        from metastasis.evidence import check_cited

        self.data = data
        self.systems: dict[str, str] = dict(data["systems"])
        self._check_cited = check_cited
        self.sources: list[str] = []

    def cite(self, table: str, ids: Iterable[str] | None) -> None:
        listed = tuple(ids or ())
        if not listed:
            raise _fail(table, "no sources")
        try:
            self._check_cited(listed)
        except DataIntegrityError as exc:
            raise _fail(table, str(exc)) from None
        self.sources.extend(listed)

    def system(self, table: str, name: str) -> str:
        if name not in self.systems:
            raise _fail(table, f"unknown system {name!r}")
        return self.systems[name]

    def coding(self, table: str, row: Mapping[str, Any]) -> Coding:
        return Coding(self.system(table, row["system"]), str(row["code"]), row.get("display"))

    def rows(self, table: str) -> list[Mapping[str, Any]]:
        rows = self.data[table]
        self.cite(table, self.data.get(f"{table}_sources") or [s for r in rows for s in r.get("sources", [])])
        return rows


def _check_values(table: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed)
    for value in values:
        if value not in allowed_set:
            raise _fail(table, f"{value!r} is not one of {sorted(allowed_set)}")


def _tnm_labels(rows: list[Mapping[str, Any]]) -> dict[str, str]:
    from metastasis.staging.tnm import parse_category

    labels = _unique("tnm_values", ((str(r["code"]), str(r["label"])) for r in rows))
    for label in labels.values():
        axis = label.lstrip("cpyr")[:1]
        try:
            parsed = parse_category(label, axis, field="label").label  # type: ignore[arg-type]
        except InvalidInputError as exc:
            raise _fail("tnm_values", str(exc)) from None
        if parsed != label:
            raise _fail("tnm_values", f"{label!r} is not written as the staging parser writes it ({parsed})")
    return labels


def _stage_rows(reader: _Reader) -> tuple[dict[str, str], dict[str, str]]:
    from metastasis.staging.tables import STAGES

    rows = reader.rows("stage_values")
    values = _unique("stage_values", ((str(r["code"]), str(r["stage"])) for r in rows))
    _check_values("stage_values", values.values(), (*STAGES, *COARSE_STAGES))
    exported = _unique("stage_values", ((str(r["stage"]), str(r["code"])) for r in rows if r.get("ajcc")))
    return values, exported


def _drugs(reader: _Reader) -> tuple[dict[str, DrugEntry], dict[str, str]]:
    from metastasis.domain.treatments import TreatmentKind
    from metastasis.domain.vocabularies import bone_targeted_drugs

    rows = reader.rows("drugs")
    entries = _unique(
        "drugs",
        ((r["drug"], DrugEntry(r["drug"], r["kind"], tuple(str(c) for c in r["rxnorm"]))) for r in rows),
    )
    _check_values("drugs", (e.kind for e in entries.values()), (k.value for k in TreatmentKind))
    for entry in entries.values():
        if entry.kind == TreatmentKind.BONE_TARGETED and entry.drug not in bone_targeted_drugs():
            raise _fail("drugs", f"{entry.drug!r} is not a bone-targeted drug of the case schema")
    by_code = _unique("drugs", ((code, e.drug) for e in entries.values() for code in e.rxnorm))
    return entries, by_code


def _labs(reader: _Reader) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[str, float]], dict[str, str]]:
    from metastasis.domain.vocabularies import lab_analytes, lab_units

    rows = reader.rows("labs")
    labs = _unique("labs", ((str(r["code"]), r["analyte"]) for r in rows))
    _check_values("labs", labs.values(), lab_analytes())
    first: dict[str, str] = {}
    for code, analyte in labs.items():
        first.setdefault(analyte, code)
    units_rows = reader.rows("ucum_units")
    ucum = _unique("ucum_units", ((r["ucum"], (r["unit"], float(r["factor"]))) for r in units_rows))
    known_units = {unit for units in lab_units().values() for unit in units}
    _check_values("ucum_units", (unit for unit, _ in ucum.values()), known_units)
    back: dict[str, str] = {}
    for code, (unit, factor) in ucum.items():
        if factor == 1:
            back.setdefault(unit, code)
    return labs, first, ucum, back


def _load(data: Mapping[str, Any]) -> FhirCodes:
    from metastasis.domain.tumour import BreastLocation, Histology, Laterality
    from metastasis.knowledge.sites import site_ids

    r = _Reader(data)
    r.cite("systems", data["systems_sources"])
    r.cite("profiles", data["profiles_sources"])
    base = data["profile_base"]
    profiles = {kind: base + name for kind, name in data["profiles"].items()}
    kinds = _unique("profiles", ((url, kind) for kind, url in profiles.items()))
    kinds.update({base + name: kind for name, kind in data["profile_aliases"].items()})
    _check_values("profile_aliases", data["profile_aliases"].values(), profiles)

    primary = data["breast_primary"]
    r.cite("breast_primary", primary["sources"])
    lat_rows = r.rows("laterality")
    laterality = _unique(
        "laterality", (((r.system("laterality", x["system"]), str(x["code"])), x["value"]) for x in lat_rows)
    )
    _check_values("laterality", laterality.values(), get_args(Laterality))
    body = data["breast_body_site"]
    r.cite("breast_body_site", body["sources"])
    loc_rows = r.rows("breast_location")
    location = _unique("breast_location", ((x["code"], x["value"]) for x in loc_rows))
    _check_values("breast_location", location.values(), get_args(BreastLocation))
    hist_rows = r.rows("histology")
    histology = _unique(
        "histology", (((r.system("histology", x["system"]), str(x["code"])), x["value"]) for x in hist_rows)
    )
    _check_values("histology", histology.values(), get_args(Histology))

    tnm_rows = r.rows("tnm_observation_codes")
    tnm_obs = _unique(
        "tnm_observation_codes",
        (((r.system("tnm", x["system"]), str(x["code"])), (x["axis"], x["basis"])) for x in tnm_rows),
    )
    tnm_export = _unique(
        "tnm_observation_codes", (((x["axis"], x["basis"]), r.coding("tnm", x)) for x in tnm_rows if x.get("export"))
    )
    value_rows = data["tnm_values"]
    r.cite("tnm_values", [s for x in value_rows for s in x["sources"]])
    tnm_values = _tnm_labels(value_rows)
    tnm_values_export = {label: code for code, label in tnm_values.items() if label[0] in "cp"}
    stage_values, stage_export = _stage_rows(r)

    marker_rows = r.rows("markers")
    markers = _unique(
        "markers", (((r.system("markers", x["system"]), str(x["code"])), x["field"]) for x in marker_rows)
    )
    markers_export = _unique("markers", ((x["field"], r.coding("markers", x)) for x in marker_rows if x.get("export")))
    result_rows = r.rows("result_values")
    results = _unique(
        "result_values", (((r.system("result_values", x["system"]), str(x["code"])), x["value"]) for x in result_rows)
    )
    results_export = _unique(
        "result_values", ((x["value"], r.coding("result_values", x)) for x in result_rows if x.get("export"))
    )
    grade_rows = r.rows("grade_values")
    grades = _unique(
        "grade_values", (((r.system("grade_values", x["system"]), str(x["code"])), int(x["value"])) for x in grade_rows)
    )

    size = data["tumor_size"]
    r.cite("tumor_size", size["sources"])
    perf = data["performance"]
    r.cite("performance", perf["sources"])
    r.cite("performance_answers", data["performance_answers_sources"])
    status = data["disease_status"]
    r.cite("disease_status", status["sources"])
    labs, labs_export, ucum, ucum_export = _labs(r)
    drugs, drug_by_rxnorm = _drugs(r)
    proc_rows = r.rows("procedures")
    procedures = _unique(
        "procedures", (((r.system("procedures", x["system"]), str(x["code"])), x["kind"]) for x in proc_rows)
    )
    _check_values("procedures", procedures.values(), ("surgery", "radiotherapy"))
    body_rows = data["body_structures"]
    r.cite("body_structures", [s for x in body_rows for s in x["sources"]])
    structures = _unique("body_structures", ((str(x["code"]), x["site"]) for x in body_rows))
    _check_values("body_structures", structures.values(), site_ids())

    return FhirCodes(
        systems=r.systems,
        extensions=dict(data["extensions"]),
        profiles=profiles,
        profile_kinds=kinds,
        us_core=dict(data["us_core_profiles"]),
        breast_primary_snomed=frozenset(primary["snomed"]),
        breast_primary_export=r.coding("breast_primary", primary["export"]),
        left_female_primary=primary["left_female_primary"],
        generic_malignant=primary["snomed_generic_malignant"],
        laterality=laterality,
        laterality_export={x["value"]: r.coding("laterality", x) for x in lat_rows},
        breast_body_site={k: r.coding("breast_body_site", v) for k, v in body.items() if k != "sources"},
        location=location,
        location_export={x["value"]: Coding(r.systems["icdo3"], x["code"], x["display"]) for x in loc_rows},
        histology=histology,
        histology_export={x["value"]: r.coding("histology", x) for x in hist_rows if x.get("export")},
        tnm_observation=tnm_obs,
        tnm_observation_export=tnm_export,
        tnm_values=tnm_values,
        tnm_values_export=tnm_values_export,
        staging_method=r.coding("staging_method", data["staging_method"]),
        stage_values=stage_values,
        stage_values_export=stage_export,
        markers=markers,
        markers_export=markers_export,
        result_values=results,
        result_values_export=results_export,
        grade_values=grades,
        tumor_size=r.coding("tumor_size", size["code"]),
        tumor_longest=r.coding("tumor_size", size["longest_dimension"]),
        size_units={unit: float(f) for unit, f in size["units"].items()},
        performance={k: r.coding("performance", v) for k, v in perf.items() if k != "sources"},
        performance_answers={
            "ecog": {int(k): v for k, v in data["ecog_answers"].items()},
            "karnofsky": {int(k): v for k, v in data["karnofsky_answers"].items()},
        },
        disease_status_code=r.coding("disease_status", status["code"]),
        disease_status={str(x["code"]): x["value"] for x in status["values"]},
        labs=labs,
        labs_export=labs_export,
        ucum=ucum,
        ucum_export=ucum_export,
        drugs=drugs,
        drug_by_rxnorm=drug_by_rxnorm,
        procedures=procedures,
        radiotherapy_code=r.coding("radiotherapy_code", data["radiotherapy_code"]),
        course_gap_days=dict(data["course_gap_days"]),
        secondary_generic=r.coding("secondary_generic", data["secondary_generic"]),
        body_structures=structures,
        sources=tuple(dict.fromkeys(r.sources)),
    )


@cache
def fhir_codes() -> FhirCodes:
    """The checked code maps (read once; :class:`DataIntegrityError` when the data file is inconsistent)."""
    text = resources.files("metastasis.interop.fhir").joinpath("data", "codes.yaml").read_text(encoding="utf-8")
    data = load_data(text)
    if not isinstance(data, dict):
        raise _fail("file", "expected a mapping")
    try:
        return _load(data)
    except KeyError as exc:
        raise _fail("file", f"missing key {exc}") from None
