"""One evidence-carrying summary of a spread chain: site probabilities, pathways, first-passage times, roles.

:func:`spread_report` puts the exact (linear-algebra) results next to a Monte Carlo run of the same chain, so
that every figure can be checked against its simulated counterpart, and attaches the reasons, sources and
caveats of the parameterisation. The CLI (``metastasis spread``) prints it; ``--json`` serialises it.
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.simulate.spread import _validate
from metastasis.simulate.spread.calendar import CalendarTime
from metastasis.simulate.spread.chain import MarkovChain
from metastasis.simulate.spread.defaults import (
    BreastModel,
    breast_calendar,
    breast_model,
    calendar_parameters,
    describe,
)
from metastasis.simulate.spread.sampling import empirical_distributions, site_orders

FIRST_PASSAGE_MAX_STEPS = 100_000
"""Cap on simulated steps per walker when estimating first-passage times by Monte Carlo."""


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class SiteProbability(_Row):
    """Probability of being at a site after each step (exact), and the simulated share after the last step."""

    site: str
    by_step: list[float] = Field(description="Exact probability after 0, 1, ..., steps steps.")
    simulated: float = Field(description="Share of simulated walkers at the site after the last step.")
    standard_error: float = Field(description="Binomial standard error of the simulated share.")


class PathwayEntry(_Row):
    sites: list[str]
    probability: float


class OrderEntry(_Row):
    """An order in which simulated walkers first reached sites, and the share of walkers that followed it."""

    sites: list[str]
    share: float


class PassageEntry(_Row):
    """Mean first-passage time from the start to one site: exact and simulated."""

    site: str
    mean_steps: float | None = Field(description="Exact expected steps; None when not reached with certainty.")
    reach_probability: float = Field(description="Probability of ever reaching the site.")
    within_horizon: float = Field(description="Share of simulated walkers that reached the site within `steps`.")
    simulated_mean_steps: float | None = None
    simulated_standard_error: float | None = None
    expected_years: float | None = Field(default=None, description="Under the calendar-time assumption.")


class RoleEntry(_Row):
    site: str
    role: str
    ratio: float | None = Field(description="Outgoing / incoming probability; None when nothing comes in.")
    outgoing: float
    incoming: float


class SpreadReport(Evidenced):
    """Exact and simulated results of a spread chain from one start site."""

    model: str = Field(description="'breast default (<subtype>)' or 'user matrix'.")
    subtype: str | None
    sites: list[str]
    start: str
    steps: int
    patients: int
    seed: int | None
    site_probabilities: list[SiteProbability]
    max_abs_z: float = Field(description="Largest |simulated - exact| / standard error after the last step.")
    pathways_one_step: list[PathwayEntry]
    pathways_two_step: list[PathwayEntry]
    simulated_orders: list[OrderEntry] = Field(
        description="Most common orders of first visits within `steps` (simulated; the first is the first site)."
    )
    first_passage: list[PassageEntry]
    roles: list[RoleEntry]
    roles_among: list[str] = Field(description="Sites whose mutual transitions define the roles.")
    stationary: dict[str, float] | None = Field(description="None when the chain has several closed classes.")
    matrix: list[list[float]]
    calendar: dict[str, str] | None = Field(default=None, description="The clock used for expected years.")


def spread_report(
    chain: MarkovChain | None = None,
    *,
    subtype: str = "all",
    start: str | None = None,
    steps: int = 5,
    patients: int = 100_000,
    seed: int | None = None,
    top: int = 5,
    calendar: CalendarTime | None = None,
    years: bool = True,
) -> SpreadReport:
    """Summarise a chain from ``start``: exact results next to a Monte Carlo run of ``patients`` walkers.

    Parameters
    ----------
    chain:
        Your own chain; default: the breast default chain of ``subtype``.
    subtype:
        Breast subtype of the default chain (ignored with ``chain``).
    start:
        Start site; default: the primary of the breast default (required with your own chain).
    steps, patients, seed:
        Horizon of the exact distributions and of the simulation, simulated walkers, random seed.
    top:
        Number of one- and two-step pathways listed.
    calendar:
        Clock for expected years; default: the breast default clock (with the breast chain only).
    years:
        Report expected years (the clock is a modelling assumption; it is flagged in the caveats).

    Example
    -------
    >>> report = spread_report(subtype="tnbc", steps=3, patients=10_000, seed=1)
    >>> report.start, len(report.site_probabilities)
    ('breast', 5)
    """
    steps = _validate.count("steps", steps, 1)
    patients = _validate.count("patients", patients, 1)
    top = _validate.count("top", top, 1)
    model: BreastModel | None = None
    primary: str | None = None
    if chain is None:
        model = breast_model(subtype)
        chain = model.chain()
        primary = model.primary
        start = primary if start is None else start
        among = [s for s in chain.sites if s != model.primary]
        if calendar is None and years:
            calendar = breast_calendar()
    elif start is None:
        raise InvalidInputError("start", None, chain.sites, detail="give the start site for your own chain")
    else:
        primary = start  # with your own chain the start is treated as the primary (first-step clock)
        among = list(chain.sites)
    origin = chain.index(start, "start")
    rng = _validate.rng(seed)
    exact = chain.distributions(start, steps)
    paths = chain.simulate(start=start, steps=steps, patients=patients, seed=rng)
    simulated = empirical_distributions(paths, chain.n_sites)[-1]
    se = np.sqrt(exact[-1] * (1.0 - exact[-1]) / patients)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, np.abs(simulated - exact[-1]) / se, 0.0)
    reached = np.zeros(chain.n_sites)
    for j in range(chain.n_sites):
        reached[j] = float(np.mean(np.any(paths[:, 1:] == j, axis=1)))
    passages = []
    for j, site in enumerate(chain.sites):
        if j == origin:
            continue
        mean = chain.mean_first_passage(start, site)
        entry = {
            "site": site,
            "mean_steps": mean if math.isfinite(mean) else None,
            "reach_probability": chain.reach_probability(start, site),
            "within_horizon": float(reached[j]),
        }
        if math.isfinite(mean):
            hits = chain.simulate_first_passage(
                start, site, patients, seed=rng, max_steps=min(FIRST_PASSAGE_MAX_STEPS, int(100 * mean) + 1000)
            )
            hits = hits[hits > 0]
            entry["simulated_mean_steps"] = float(hits.mean())
            entry["simulated_standard_error"] = (
                float(hits.std(ddof=1) / math.sqrt(hits.size)) if hits.size > 1 else None
            )
            if calendar is not None and years:
                entry["expected_years"] = calendar.expected_years(mean, from_primary=start == primary)
        passages.append(PassageEntry(**entry))
    roles = [
        RoleEntry(
            site=r.site,
            role=r.role,
            ratio=r.ratio if math.isfinite(r.ratio) else None,
            outgoing=r.outgoing,
            incoming=r.incoming,
        )
        for r in chain.spreader_sponge(among=among).values()
    ]
    reasons, caveats = _evidence(model, chain, calendar if years else None)
    if calendar is not None and years and start != primary:
        caveats.append(f"The walk starts at {start}, not at the primary: every step is timed as a later step.")
    label = f"breast default ({model.subtype})" if model is not None else "user matrix"
    return SpreadReport(
        model=label,
        subtype=model.subtype if model else None,
        sites=list(chain.sites),
        start=start,
        steps=steps,
        patients=patients,
        seed=seed if isinstance(seed, int) else None,
        site_probabilities=[
            SiteProbability(
                site=site,
                by_step=[float(x) for x in exact[:, j]],
                simulated=float(simulated[j]),
                standard_error=float(se[j]),
            )
            for j, site in enumerate(chain.sites)
        ],
        max_abs_z=float(z.max()),
        pathways_one_step=[
            PathwayEntry(sites=list(p.sites), probability=p.probability) for p in chain.pathways(start, 1, top)
        ],
        pathways_two_step=[
            PathwayEntry(sites=list(p.sites), probability=p.probability) for p in chain.pathways(start, 2, top)
        ],
        simulated_orders=[
            OrderEntry(sites=list(order), share=share) for order, share in site_orders(paths, chain.sites, top)
        ],
        first_passage=passages,
        roles=roles,
        roles_among=among,
        stationary=_stationary_or_none(chain, caveats),
        matrix=[[float(x) for x in row] for row in chain.matrix],
        calendar=_calendar_summary(calendar) if (calendar is not None and years) else None,
        reasons=reasons,
        caveats=caveats,
    )


def _evidence(
    model: BreastModel | None, chain: MarkovChain, calendar: CalendarTime | None
) -> tuple[list[Reason], list[str]]:
    reasons: list[Reason] = []
    caveats: list[str] = []
    if model is not None:
        reasons.extend(model.reasons)
        caveats.extend(model.caveats)
    else:
        reasons.append(
            Reason(
                rule="spread.user_matrix",
                text=f"Transition matrix supplied by the user over {len(chain.sites)} sites.",
                sources=(),
            )
        )
        caveats.append("The transition matrix was supplied by the user; its sources are the user's to check.")
    reasons.append(
        Reason(
            rule="spread.analytic",
            text=(
                "Site probabilities, first-passage times and pathway probabilities are exact (linear algebra); "
                "the simulated figures are a Monte Carlo check of them."
            ),
            sources=("newton-2012-markov-lung",),
        )
    )
    reasons.append(
        Reason(
            rule="spread.roles",
            text=(
                "Spreader: total outgoing probability above total incoming (self-transitions excluded); sponge: below."
            ),
            sources=("newton-2013-spreaders-sponges", "spreader-sponge-definition"),
        )
    )
    caveats.append(
        "Spreader/sponge definition reconstructed, not checked against Newton et al. 2013 "
        "(source spreader-sponge-definition is unverified)."
    )
    caveats.append("Time is counted in model steps; one step is one new metastatic event, not a fixed interval.")
    if calendar is not None and calendar != breast_calendar():
        reasons.append(
            Reason(
                rule="spread.calendar:user",
                text=(
                    f"Calendar time supplied by the user: exponential steps, first median "
                    f"{calendar.first_step_median_years:g} years, later median {calendar.later_step_median_years:g}."
                ),
                sources=(),
            )
        )
    elif calendar is not None:
        for parameter in calendar_parameters():
            reasons.append(
                Reason(
                    rule=f"spread.calendar:{parameter.id}",
                    text=f"{parameter.id} = {describe(parameter.value)}: {parameter.text}",
                    sources=parameter.sources,
                )
            )
            if parameter.assumption:
                caveats.append(f"Assumption ({parameter.id}): {parameter.text}")
        caveats.append(
            f"Expected years assume a first-step median of {calendar.first_step_median_years:g} years and a "
            f"later-step median of {calendar.later_step_median_years:g} years (a modelling assumption)."
        )
    return reasons, list(dict.fromkeys(caveats))


def _stationary_or_none(chain: MarkovChain, caveats: list[str]) -> dict[str, float] | None:
    try:
        return chain.stationary()
    except InvalidInputError:
        caveats.append("The chain has more than one closed class, so it has no unique stationary distribution.")
        return None


def _calendar_summary(calendar: CalendarTime) -> dict[str, str]:
    return {
        "first_step_median_years": f"{calendar.first_step_median_years:g}",
        "later_step_median_years": f"{calendar.later_step_median_years:g}",
        "distribution": "exponential (assumption)",
    }
