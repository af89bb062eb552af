"""The default breast-cancer parameterisation of the spread chain, with its sources and assumptions.

The published breast transition matrix (Newton et al., npj Breast Cancer 2015) could not be retrieved, so
the default chain is **reconstructed from marginal site frequencies** with the method of Newton et al. 2012:

1. sites: the primary (breast) and bone, lung, liver, brain;
2. involvement: the percentage of patients with each site involved (Iranian series for all subtypes; the
   Turkish multicentre study per subtype), normalised to shares over the four sites = the stationary target;
3. first site: the Iranian first-site distribution; per subtype, the subtype's involvement shares times each
   site's *earliness* (first-site share / involvement share in the Iranian series), renormalised;
4. the primary's row is the first-site distribution and nothing returns to the primary;
5. the metastatic rows: the mean of a Newton-style ensemble of 1000 matrices whose stationary distribution
   matches the target, each search starting from rows equal to the first-site distribution.

Every step that is not a cited number is a parameter in ``data/breast.yaml`` with ``assumption: true``, and
each result lists those assumptions in its caveats.

Example
-------
>>> model = breast_model("triple-negative")
>>> chain = model.chain()
>>> chain.sites
('breast', 'bone', 'lung', 'liver', 'brain')
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason, Verification, get_source
from metastasis.evidence.registry import check_cited
from metastasis.simulate.spread._data import load_model
from metastasis.simulate.spread.calendar import CalendarTime
from metastasis.simulate.spread.chain import MarkovChain
from metastasis.simulate.spread.fit import EnsembleFit, fit_stationary
from metastasis.simulate.spread.frequencies import FrequencyKind, SiteFrequency, site_frequency

RECONSTRUCTION_CAVEAT = (
    "The breast transition matrix is reconstructed from marginal site frequencies (first site and sites "
    "involved), not estimated from observed site-to-site progression: Newton et al.'s published breast matrix "
    "(npj Breast Cancer 2015) was not retrieved. Which site follows which is therefore not informed by data, "
    "and spreader/sponge labels mostly mirror how common each site is."
)


class Parameter(BaseModel):
    """One model parameter: its value, what it means, and whether it is a cited number or an assumption."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    value: float | int | bool | str
    text: str
    assumption: bool = False
    sources: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class _Subtype(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str
    involvement: str


class _Earliness(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    first_site: str
    involvement: str


class _BreastSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    primary: str
    metastatic_sites: tuple[str, ...]
    subtypes: dict[str, _Subtype]
    aliases: dict[str, str]
    earliness: _Earliness
    parameters: tuple[Parameter, ...]

    def parameter(self, parameter_id: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.id == parameter_id:
                return parameter
        raise DataIntegrityError(f"simulate/spread/data/breast.yaml: no parameter {parameter_id!r}")


@cache
def _spec() -> _BreastSpec:
    spec = load_model("breast.yaml", _BreastSpec)
    for parameter in spec.parameters:
        if not parameter.assumption and not parameter.sources:
            raise DataIntegrityError(f"breast.yaml: parameter {parameter.id!r} has neither sources nor assumption")
    records = [site_frequency(s.involvement) for s in spec.subtypes.values()]
    records += [site_frequency(spec.earliness.first_site), site_frequency(spec.earliness.involvement)]
    for record in records:
        missing = [site for site in spec.metastatic_sites if site not in record.values]
        if missing:
            raise DataIntegrityError(f"breast.yaml: record {record.id} lacks {missing}")
    return spec


CALENDAR_PARAMETERS = ("first_step_median_years", "later_step_median_years", "step_time_distribution")
"""Parameters of the step-to-years clock (reported only where years are reported)."""

SUBTYPES: tuple[str, ...] = ("all", "hr+/her2-", "hr-/her2+", "triple-negative")
"""Subtypes with a default chain (aliases: tnbc, her2+, hr-/her2-, luminal)."""


def normalise_subtype(subtype: str) -> str:
    """The canonical subtype id for ``subtype`` (case and spaces ignored; aliases accepted)."""
    spec = _spec()
    key = subtype.strip().lower().replace(" ", "") if isinstance(subtype, str) else subtype
    key = spec.aliases.get(key, key)
    if key not in spec.subtypes:
        raise InvalidInputError("subtype", subtype, (*spec.subtypes, *spec.aliases))
    return key


class BreastModel(Evidenced):
    """The default breast spread chain for one subtype, with everything it was built from.

    ``matrix`` is the ensemble-mean transition matrix (rows = from), ``matrix_sd`` the ensemble standard
    deviation of each entry (how much the targets leave it undetermined). ``first_site`` and ``target`` are
    distributions over the chain's sites; ``involvement`` keeps the source percentages as published.
    """

    subtype: str
    label: str
    sites: list[str]
    primary: str
    involvement: dict[str, float] = Field(description="% of patients with each modelled site involved (source).")
    involvement_record: str
    first_site: dict[str, float] = Field(description="First-site distribution used as the primary's row.")
    first_site_record: str
    earliness: dict[str, float] = Field(description="First-site share / involvement share per site.")
    target: dict[str, float] = Field(description="Stationary target: involvement normalised to shares.")
    matrix: list[list[float]]
    matrix_sd: list[list[float]]
    ensemble_size: int
    ensemble_seed: int
    max_residual: float = Field(description="Largest L1 distance of a member's stationary distribution to target.")
    parameters: list[Parameter]

    def chain(self) -> MarkovChain:
        """The model as a :class:`MarkovChain`."""
        return MarkovChain(sites=self.sites, matrix=self.matrix)

    def parameter(self, parameter_id: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.id == parameter_id:
                return parameter
        raise InvalidInputError("parameter", parameter_id, [p.id for p in self.parameters])

    @property
    def assumptions(self) -> list[Parameter]:
        """The parameters flagged as modelling assumptions."""
        return [p for p in self.parameters if p.assumption]


def _shares(record: SiteFrequency, sites: tuple[str, ...]) -> np.ndarray:
    values = np.array([record.values[s] for s in sites], dtype=float)
    return values / values.sum()


def _fmt(record: SiteFrequency, sites: tuple[str, ...]) -> str:
    return ", ".join(f"{s} {record.values[s]:g}%" for s in sites)


@cache
def _inputs(subtype: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Target shares, earliness factors and first-site distribution over the metastatic sites."""
    spec = _spec()
    sites = spec.metastatic_sites
    target = _shares(site_frequency(spec.subtypes[subtype].involvement), sites)
    first_all = _shares(site_frequency(spec.earliness.first_site), sites)
    involvement_all = _shares(site_frequency(spec.earliness.involvement), sites)
    earliness = first_all / involvement_all
    first = target * earliness
    return target, earliness, first / first.sum()


@cache
def breast_ensemble(subtype: str = "all") -> EnsembleFit:
    """The Newton-style ensemble behind the default chain of ``subtype`` (cached; about 0.3 s to build)."""
    key = normalise_subtype(subtype)
    spec = _spec()
    target, _, first = _inputs(key)
    sites = (spec.primary, *spec.metastatic_sites)
    target_map = {spec.primary: 0.0, **dict(zip(spec.metastatic_sites, target.tolist(), strict=True))}
    first_row = {spec.primary: 0.0, **dict(zip(spec.metastatic_sites, first.tolist(), strict=True))}
    allowed = np.ones((len(sites), len(sites)), dtype=bool)
    if not spec.parameter("self_transitions").value:
        np.fill_diagonal(allowed, False)
    return fit_stationary(
        target_map,
        method=str(spec.parameter("fit_method").value),  # type: ignore[arg-type]
        n_matrices=int(spec.parameter("ensemble_size").value),
        seed=int(spec.parameter("ensemble_seed").value),
        initial=first_row,
        allowed=allowed,
        fixed_rows={spec.primary: first_row},
        tol=float(spec.parameter("search_tolerance").value),
        step=float(spec.parameter("search_step").value),
    )


@cache
def breast_model(subtype: str = "all") -> BreastModel:
    """The default breast spread model for ``subtype``: ``all``, ``hr+/her2-``, ``hr-/her2+`` or
    ``triple-negative`` (aliases ``tnbc``, ``her2+``, ``hr-/her2-``, ``luminal``).

    Returns
    -------
    BreastModel
        The chain's matrix and its ensemble spread, the inputs (each naming its frequency record, kind and
        population), every parameter with its sources or assumption flag, reasons and caveats.
    """
    key = normalise_subtype(subtype)
    spec = _spec()
    sites = (spec.primary, *spec.metastatic_sites)
    meta = spec.metastatic_sites
    involvement = site_frequency(spec.subtypes[key].involvement)
    first_record = site_frequency(spec.earliness.first_site)
    all_record = site_frequency(spec.earliness.involvement)
    target, earliness, first = _inputs(key)
    fit = breast_ensemble(key)

    def as_map(vector: np.ndarray, primary_value: float = 0.0) -> dict[str, float]:
        return {spec.primary: primary_value, **{s: float(v) for s, v in zip(meta, vector, strict=True)}}

    reasons = [
        Reason(
            rule="spread.breast.sites",
            text=f"Sites: the primary ({spec.primary}), where every walker starts, and {', '.join(meta)}.",
            sources=spec.parameter("start_at_primary").sources,
        ),
        Reason(
            rule=f"spread.breast.involvement:{involvement.id}",
            text=(
                f"Stationary target ({FrequencyKind.RELAPSE_INVOLVEMENT.value}, {involvement.population}): "
                f"{_fmt(involvement, meta)}; normalised to shares over the modelled sites."
            ),
            sources=involvement.sources,
        ),
        Reason(
            rule=f"spread.breast.first_site:{first_record.id}",
            text=(
                f"First-site distribution ({FrequencyKind.FIRST_SITE.value}, {first_record.population}): "
                f"{_fmt(first_record, meta)}; earliness = first-site share / involvement share "
                f"({all_record.id}: {_fmt(all_record, meta)})."
            ),
            sources=tuple(dict.fromkeys(first_record.sources + all_record.sources)),
        ),
        Reason(
            rule="spread.breast.ensemble",
            text=(
                f"Metastatic rows: mean of {len(fit.matrices)} matrices found by Newton-style perturb-and-accept "
                f"searches (seed {fit.seed}) whose stationary distribution is within "
                f"{spec.parameter('search_tolerance').value:g} (L1) of the target."
            ),
            sources=spec.parameter("fit_method").sources,
        ),
    ]
    if key != "all":
        reasons.append(
            Reason(
                rule=f"spread.breast.subtype:{key}",
                text=(
                    f"Subtype {spec.subtypes[key].label}: the source group '{involvement.source_group}' "
                    "stands for this subtype; its involvement shares set the target and, through earliness, "
                    "the first-site distribution."
                ),
                sources=involvement.sources,
            )
        )
    caveats = [RECONSTRUCTION_CAVEAT]
    caveats += [
        f"Assumption ({p.id}): {p.text}" for p in spec.parameters if p.assumption and p.id not in CALENDAR_PARAMETERS
    ]
    caveats += _unverified_caveats(reasons)
    caveats.append(
        "First-site brain share: 10.5% in the Iranian series (used) vs 'less than 5%' in Newton et al. 2015 "
        "(secondary source); the sources conflict."
    )
    if fit.rejected:
        caveats.append(f"{fit.rejected} ensemble members did not reach the tolerance and were left out.")
    return BreastModel(
        subtype=key,
        label=spec.subtypes[key].label,
        sites=list(sites),
        primary=spec.primary,
        involvement={s: involvement.values[s] for s in meta},
        involvement_record=involvement.id,
        first_site=as_map(first),
        first_site_record=first_record.id,
        earliness={s: float(v) for s, v in zip(meta, earliness, strict=True)},
        target=as_map(target),
        matrix=_rows(fit.chain.matrix),
        matrix_sd=_rows(fit.std),
        ensemble_size=len(fit.matrices),
        ensemble_seed=int(spec.parameter("ensemble_seed").value),
        max_residual=float(fit.residuals.max()),
        parameters=list(spec.parameters),
        reasons=reasons,
        caveats=caveats,
    )


def breast_chain(subtype: str = "all") -> MarkovChain:
    """The default breast :class:`MarkovChain` for ``subtype`` (see :func:`breast_model`)."""
    return breast_model(subtype).chain()


def breast_calendar() -> CalendarTime:
    """The default step-to-years clock: first step sourced (median 30 months), later steps an assumption."""
    spec = _spec()
    return CalendarTime(
        first_step_median_years=float(spec.parameter("first_step_median_years").value),
        later_step_median_years=float(spec.parameter("later_step_median_years").value),
    )


def calendar_parameters() -> list[Parameter]:
    """The parameters behind :func:`breast_calendar`."""
    spec = _spec()
    return [spec.parameter(p) for p in CALENDAR_PARAMETERS]


def _rows(matrix: np.ndarray) -> list[list[float]]:
    return [[float(x) for x in row] for row in matrix]


def _unverified_caveats(reasons: list[Reason]) -> list[str]:
    seen: dict[str, None] = {}
    for reason in reasons:
        for source_id in reason.sources:
            seen.setdefault(source_id, None)
    return [
        f"Source {source_id} is unverified: {get_source(source_id).notes.split('. ')[0].strip()}."
        for source_id in seen
        if get_source(source_id).verification is Verification.UNVERIFIED
    ]


def describe(value: Any) -> str:
    """A parameter value as text (booleans as yes/no)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)
