"""The metastatic cascade: per-step survival, the inefficiency it implies, and how many shed cells succeed.

Every metastasis passes the same steps: local invasion, intravasation, survival in the circulation, arrest
and extravasation, proliferation at the new site, and angiogenesis with persistent growth. The cited
experiments (mouse melanoma cells injected into the blood) measure the fraction of cells left after each
step; :func:`cascade` turns them into conditional per-step fractions, multiplies them into the overall
fraction of shed cells that found a macroscopic metastasis, and simulates ``cells`` shed cells through the
steps by binomial thinning (vectorised over ``replicates``).

Example
-------
>>> result = cascade(cells=10_000, replicates=200, seed=1)
>>> result.start_step, f"{result.overall_fraction:.2e}"
('survival_in_circulation', '2.50e-04')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason, Verification, get_source
from metastasis.evidence.records import CitedRecord

_Cited = CitedRecord


class _StepSpec(_Cited):
    id: str
    name: str
    text: str
    cumulative: float | None = Field(default=None, gt=0, le=1)
    conditional: float | None = Field(default=None, gt=0, le=1)
    bound: Literal["lower", "approximate"] | None = None
    measured: str | None = None
    not_quantified: str | None = None

    @model_validator(mode="after")
    def _one_number(self) -> _StepSpec:
        numbers = (self.cumulative is not None) + (self.conditional is not None)
        if numbers > 1 or (numbers == 0) == (self.not_quantified is None):
            raise ValueError(f"step {self.id}: give one of cumulative / conditional, or not_quantified")
        return self


class _Comparison(_Cited):
    id: str
    text: str
    value: float
    unit: str


class _Assumption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    text: str


class _CascadeSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    steps: tuple[_StepSpec, ...]
    comparisons: tuple[_Comparison, ...]
    assumptions: tuple[_Assumption, ...]


@cache
def _spec() -> _CascadeSpec:
    path = resources.files("metastasis.simulate.cascade").joinpath("data").joinpath("cascade.yaml")
    try:
        spec = _CascadeSpec.model_validate(load_data(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise DataIntegrityError(f"simulate/cascade/data/cascade.yaml: {exc}") from exc
    previous = 1.0
    for step in spec.steps:
        if step.cumulative is not None:
            if step.cumulative > previous:
                raise DataIntegrityError(f"cascade.yaml: cumulative fraction rises at step {step.id}")
            previous = step.cumulative
        elif step.conditional is not None:
            previous *= step.conditional
    return spec


STEPS: tuple[str, ...] = tuple(step.id for step in _spec().steps)
"""The step ids, in order."""


class StepResult(BaseModel):
    """One step of the cascade with its per-step survival and where that number comes from."""

    model_config = ConfigDict(frozen=True)

    id: str
    name: str
    text: str
    fraction: float | None = Field(description="Fraction of cells entering the step that complete it.")
    survivors: float | None = Field(description="Fraction of the starting cells still in the cascade after it.")
    basis: str = Field(description="measured (cumulative), measured (per step), derived, user, not quantified.")
    bound: str | None = None
    measured: str | None = None
    verification: str = Field(description="Weakest verification among the step's sources ('user' if given).")
    sources: list[str]
    simulated_mean: float | None = Field(default=None, description="Mean simulated cells left after the step.")


class Comparison(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    text: str
    value: float
    unit: str
    verification: str
    sources: list[str]


class CascadeResult(Evidenced):
    """Per-step survival, overall inefficiency, and a stochastic simulation of ``cells`` shed cells."""

    steps: list[StepResult]
    start_step: str = Field(description="First quantified step: the cells are counted as they enter it.")
    overall_fraction: float = Field(description="Product of the quantified per-step fractions.")
    inefficiency: float = Field(description="1 - overall_fraction: share of cells that never found a metastasis.")
    cells_per_metastasis: float
    cells: int
    replicates: int
    seed: int | None
    expected_metastases: float
    probability_at_least_one: float = Field(description="Exact: 1 - (1 - overall)^cells.")
    cells_for_even_chance: int = Field(description="Cells needed for a 50% chance of at least one metastasis.")
    simulated_mean: float
    simulated_sd: float
    simulated_quantiles: dict[str, float]
    simulated_at_least_one: float
    comparisons: list[Comparison]


def _verification(sources: tuple[str, ...]) -> str:
    order = [Verification.UNVERIFIED, Verification.CORROBORATED, Verification.VERIFIED]
    return min((get_source(s).verification for s in sources), key=order.index).value


def step_fractions(fractions: Mapping[str, float] | None = None) -> list[StepResult]:
    """The per-step survival fractions: from the data, with ``fractions`` ({step id: value}) overriding.

    A conditional fraction derived from two cumulative figures has basis ``derived``; where the earlier
    figure comes from an unverified source the derived value is unverified too.
    """
    overrides = _check_fractions(fractions)
    results: list[StepResult] = []
    survivors = 1.0
    started = False
    for step, (published, basis, sources) in zip(_spec().steps, _published(), strict=True):
        fraction = overrides.get(step.id, published)
        if step.id in overrides:
            basis, sources = "user", ()
        if fraction is not None:
            started = True
            survivors *= fraction
        results.append(
            StepResult(
                id=step.id,
                name=step.name,
                text=step.text if fraction is not None else f"{step.text} {step.not_quantified or ''}".strip(),
                fraction=fraction,
                survivors=survivors if started else None,
                basis=basis,
                bound=None if step.id in overrides else step.bound,
                measured=None if step.id in overrides else step.measured,
                verification="user" if step.id in overrides else _verification(sources) if fraction else "-",
                sources=list(sources),
            )
        )
    return results


@cache
def _published() -> tuple[tuple[float | None, str, tuple[str, ...]], ...]:
    """Per step: the published conditional fraction, its basis and the sources it rests on.

    A conditional fraction derived from two consecutive cumulative figures rests on the sources of both.
    """
    out: list[tuple[float | None, str, tuple[str, ...]]] = []
    cumulative, previous_sources = 1.0, ()
    for step in _spec().steps:
        if step.conditional is not None:
            out.append((step.conditional, "measured (per step)", step.sources))
            cumulative *= step.conditional
            previous_sources = step.sources
        elif step.cumulative is not None:
            first = not previous_sources
            sources = step.sources if first else tuple(dict.fromkeys(step.sources + previous_sources))
            out.append((step.cumulative / cumulative, "measured (cumulative)" if first else "derived", sources))
            cumulative, previous_sources = step.cumulative, step.sources
        else:
            out.append((None, "not quantified", step.sources))
    return tuple(out)


def _check_fractions(fractions: Mapping[str, float] | None) -> dict[str, float]:
    if fractions is None:
        return {}
    if not isinstance(fractions, Mapping):
        raise InvalidInputError("fractions", fractions, "a {step id: fraction} mapping")
    checked: dict[str, float] = {}
    for key, value in fractions.items():
        if key not in STEPS:
            raise InvalidInputError("fractions", key, STEPS)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < float(value) <= 1:
            raise InvalidInputError(f"fractions[{key}]", value, "a fraction in (0, 1]")
        checked[key] = float(value)
    return checked


def simulate_cascade(fractions: np.ndarray, cells: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """Cells left after each step, by binomial thinning: array (replicates, len(fractions) + 1)."""
    counts = np.empty((replicates, fractions.size + 1), dtype=np.int64)
    counts[:, 0] = cells
    for k, p in enumerate(fractions, start=1):
        counts[:, k] = rng.binomial(counts[:, k - 1], p)
    return counts


def cascade(
    cells: int = 10_000,
    replicates: int = 1_000,
    seed: int | None = None,
    fractions: Mapping[str, float] | None = None,
) -> CascadeResult:
    """How many of ``cells`` shed cells found a macroscopic metastasis, exactly and by simulation.

    Parameters
    ----------
    cells:
        Cells entering the first quantified step (by default shed cells entering the circulation).
    replicates:
        Independent simulated runs.
    seed:
        Int >= 0 for reproducible simulations.
    fractions:
        ``{step id: fraction}`` overriding the published per-step survival (e.g. to quantify intravasation).

    References
    ----------
    Luzzi KJ, et al. Am J Pathol. 1998;153(3):865-873 (unverified here); Koop S, et al. Cancer Res.
    1995;55(12):2520-2523; Chambers AF, et al. Surg Oncol Clin N Am. 2001;10(2):243-255.
    """
    cells = _count("cells", cells)
    replicates = _count("replicates", replicates)
    if seed is not None:
        seed = _count("seed", seed, minimum=0)
    steps = step_fractions(fractions)
    quantified = [s for s in steps if s.fraction is not None]
    p = np.array([s.fraction for s in quantified], dtype=float)
    overall = float(np.prod(p))
    counts = simulate_cascade(p, cells, replicates, np.random.default_rng(seed))
    means = counts[:, 1:].mean(axis=0)
    steps = [
        s.model_copy(update={"simulated_mean": float(means[quantified.index(s)])}) if s.fraction is not None else s
        for s in steps
    ]
    final = counts[:, -1]
    spec = _spec()
    reasons = [
        Reason(
            rule=f"cascade.step:{s.id}",
            text=_step_text(s),
            sources=tuple(s.sources),
        )
        for s in steps
    ]
    reasons.append(
        Reason(
            rule="cascade.overall",
            text=f"Overall fraction = product of the per-step fractions = {overall:.3g}.",
            sources=(),
        )
    )
    reasons.append(
        Reason(
            rule="cascade.comparisons",
            text="Other published figures on metastatic inefficiency are listed for comparison, not used.",
            sources=tuple(dict.fromkeys(s for c in spec.comparisons for s in c.sources)),
        )
    )
    caveats = [f"Assumption ({a.id}): {a.text}" for a in spec.assumptions]
    for s in steps:
        if s.verification == Verification.UNVERIFIED.value:
            caveats.append(f"Step {s.id}: its figure rests on an unverified source ({', '.join(s.sources)}).")
        if s.bound == "lower":
            caveats.append(f"Step {s.id}: the published figure is a lower bound ('more than').")
    if not fractions:
        caveats.append(
            "The recalled figures of Luzzi 1998 do not quite agree: 1 in 40 cells forming micrometastases and "
            "1 in 100 of those persisting give 0.025% of injected cells, while 0.02% is quoted as the overall."
        )
        caveats.append(
            "Fidler 1970 (radiolabel) found only about 1% of cells alive at 24 hours, where intravital microscopy "
            "(Koop 1995, Luzzi 1998) found most cells survive and extravasate: the sources conflict on where the "
            "inefficiency lies."
        )
    return CascadeResult(
        steps=steps,
        start_step=quantified[0].id,
        overall_fraction=overall,
        inefficiency=1.0 - overall,
        cells_per_metastasis=1.0 / overall,
        cells=cells,
        replicates=replicates,
        seed=seed,
        expected_metastases=cells * overall,
        probability_at_least_one=float(-np.expm1(cells * np.log1p(-overall))) if overall < 1 else 1.0,
        cells_for_even_chance=math.ceil(math.log(0.5) / math.log1p(-overall)) if overall < 1 else 1,
        simulated_mean=float(final.mean()),
        simulated_sd=float(final.std(ddof=1)) if replicates > 1 else 0.0,
        simulated_quantiles={f"{q:g}": float(np.quantile(final, q)) for q in (0.05, 0.5, 0.95)},
        simulated_at_least_one=float(np.mean(final > 0)),
        comparisons=[
            Comparison(
                id=c.id,
                text=c.text,
                value=c.value,
                unit=c.unit,
                verification=_verification(c.sources),
                sources=list(c.sources),
            )
            for c in spec.comparisons
        ],
        reasons=reasons,
        caveats=caveats,
    )


def _step_text(step: StepResult) -> str:
    if step.fraction is None:
        return f"{step.name}: not quantified; {step.text}"
    origin = step.measured or "value given by the user"
    return f"{step.name}: {step.fraction:.4g} of entering cells complete it ({step.basis}; {origin})."


def _count(field: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < minimum:
        raise InvalidInputError(field, value, f"a whole number >= {minimum}")
    return int(value)
