"""Bone-targeted drugs: dosing schedules, pharmacokinetics (PK) and pharmacodynamics (PD), kept separate.

* **PK** says how much drug there is over time: denosumab serum concentration (one compartment, first-order
  subcutaneous absorption, linear plus optional Michaelis-Menten elimination) and the amount of zoledronic acid
  bound to bone (each infusion leaves the non-excreted part in bone, released with the terminal half-life).
* **PD** turns exposure into an effect on the bone cells: denosumab is an extra RANKL decoy in the RANKL binding
  denominator (Martinez-Reina and Pivonka), so osteoclast production is scaled by the free-RANKL fraction;
  zoledronic acid raises osteoclast removal (apoptosis) with an Emax law on bone-bound drug (an assumption).
* A :class:`Regimen` (drug, schedule, PK preset) is what the bone models take; ``regimen.bind(days)``
  precomputes the doses and gives fast scalar functions for the ODE right-hand side.

Every number is read from ``data/drugs.yaml`` with its sources.

Example
-------
>>> reg = denosumab(start_day=0)            # 120 mg every 4 weeks (oncology)
>>> bound = reg.bind(365)
>>> round(bound.concentration(27.999) / 1000, 1)   # trough before the second dose, ug/mL
13.7
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Reason
from metastasis.evidence.records import CitedRecord
from metastasis.simulate.bone._data import check_non_negative, check_positive, load_yaml

DRUGS = ("denosumab", "zoledronic-acid")
DenosumabPkPreset = Literal["gibiansky-2012-central", "martinez-reina-2019"]
MAX_DOSES = 10_000


# --- data file ---------------------------------------------------------------------------------------------


class _Block(CitedRecord):
    label: str
    values: dict[str, Any] = Field(default_factory=dict)
    caveats: tuple[str, ...] = ()
    assumption: bool = False


class _Schedule(_Block):
    dose_mg: float
    interval_days: float


class _Cited(CitedRecord):
    value: float
    sources: tuple[str, ...]


class _Denosumab(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str
    molar_mass_g_per_mol: _Cited
    pk_presets: dict[str, _Block]
    pd: _Block
    schedules: dict[str, _Schedule]


class _Zoledronic(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    label: str
    pk: _Block
    pd: _Block
    schedules: dict[str, _Schedule]


class _DrugFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    denosumab: _Denosumab
    zoledronic_acid: _Zoledronic


@cache
def drug_data() -> _DrugFile:
    """The checked ``data/drugs.yaml``."""
    try:
        return _DrugFile.model_validate(load_yaml("drugs"))
    except ValidationError as exc:
        raise DataIntegrityError(f"simulate/bone/data/drugs.yaml: {exc}") from exc


# --- schedules -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DosingSchedule:
    """Repeated doses: ``dose_mg`` every ``interval_days`` from ``start_day`` (``n_doses`` or until the end)."""

    dose_mg: float
    interval_days: float
    start_day: float = 0.0
    n_doses: int | None = None

    def __post_init__(self) -> None:
        check_positive("dose_mg", self.dose_mg)
        check_positive("interval_days", self.interval_days)
        check_non_negative("start_day", self.start_day)
        if self.n_doses is not None and not (isinstance(self.n_doses, int) and 1 <= self.n_doses <= MAX_DOSES):
            raise InvalidInputError("n_doses", self.n_doses, f"a whole number from 1 to {MAX_DOSES}, or None")

    def dose_days(self, until: float) -> np.ndarray:
        """Days of the doses given up to and including ``until``."""
        if until < self.start_day:
            return np.empty(0)
        count = math.floor((until - self.start_day) / self.interval_days + 1e-9) + 1
        if self.n_doses is not None:
            count = min(count, self.n_doses)
        if count > MAX_DOSES:
            raise InvalidInputError(
                "interval_days", self.interval_days, f"an interval giving at most {MAX_DOSES} doses"
            )
        return self.start_day + self.interval_days * np.arange(count)


# --- pharmacokinetics ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DenosumabPK:
    """One-compartment denosumab PK: first-order absorption, linear and Michaelis-Menten elimination.

    ``A_d' = -ka A_d``; ``C' = ka F A_d / V - (F Vmax / V) C / (Km + C) - kel C`` (C in ng/mL, doses in mg).
    """

    preset: str
    bioavailability: float
    ka: float
    volume_ml: float
    kel: float
    vmax_ng_per_day: float
    km_ng_per_ml: float
    molar_mass: float

    @classmethod
    def from_preset(cls, preset: str = "gibiansky-2012-central") -> DenosumabPK:
        data = drug_data().denosumab
        if preset not in data.pk_presets:
            raise InvalidInputError("pk", preset, list(data.pk_presets))
        v = data.pk_presets[preset].values
        weight = v.get("body_weight_kg", 1.0)
        ka = (
            v["absorption_rate_per_day"]
            if "absorption_rate_per_day" in v
            else math.log(2) / v["absorption_half_life_days"]
        )
        volume = v["central_volume_ml"] if "central_volume_ml" in v else v["central_volume_ml_per_kg"] * weight
        kel = (
            v["elimination_rate_per_day"]
            if "elimination_rate_per_day" in v
            else v["clearance_ml_per_hour"] * 24 / volume
        )
        vmax = v["vmax_ng_per_day"] if "vmax_ng_per_day" in v else v["vmax_ng_per_kg_day"] * weight
        return cls(
            preset, v["bioavailability"], ka, volume, kel, vmax, v["km_ng_per_ml"], data.molar_mass_g_per_mol.value
        )

    @property
    def linear(self) -> bool:
        return self.vmax_ng_per_day == 0.0

    def ng_per_ml_to_pm(self, concentration: Any) -> Any:
        """ng/mL to pM: x 1e6 / molar mass (g/mol)."""
        return concentration * 1e6 / self.molar_mass


@dataclass(frozen=True)
class ZoledronicAcidPK:
    """Bone-bound zoledronic acid: each dose leaves ``retained_fraction`` in bone, released at ``release_rate``."""

    retained_fraction: float
    release_rate: float

    @classmethod
    def from_data(cls) -> ZoledronicAcidPK:
        v = drug_data().zoledronic_acid.pk.values
        urinary = float(np.mean(v["urinary_excretion_24h_percent"])) / 100.0
        return cls(1.0 - urinary, math.log(2) / (v["terminal_half_life_hours"] / 24.0))


# --- regimens ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regimen:
    """A bone-targeted drug given on a schedule, with its PK and PD (see :func:`denosumab`, :func:`zoledronic_acid`)."""

    drug: Literal["denosumab", "zoledronic-acid"]
    schedule: DosingSchedule
    label: str
    pk_preset: str | None = None
    reasons: tuple[Reason, ...] = ()
    caveats: tuple[str, ...] = ()

    @property
    def start_day(self) -> float:
        return self.schedule.start_day

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(s for r in self.reasons for s in r.sources))

    def bind(self, days: float) -> BoundRegimen:
        """Precompute the doses up to ``days`` and return fast exposure/effect functions."""
        doses = self.schedule.dose_days(days)
        if self.drug == "denosumab":
            return _bind_denosumab(self, doses, days)
        return _bind_zoledronic(self, doses)


@dataclass
class BoundRegimen:
    """A regimen over a given horizon: scalar effect functions for the ODE and exposure series for output.

    ``production_factor(t)`` multiplies osteoclast production (1 without effect); ``removal_factor(t)``
    multiplies osteoclast removal (1 without effect).
    """

    regimen: Regimen
    dose_days: np.ndarray
    production_factor: Callable[[float], float]
    removal_factor: Callable[[float], float]
    exposure: Callable[[float], float]
    exposure_name: str
    exposure_unit: str
    extra: dict[str, Callable[[float], float]] = field(default_factory=dict)

    @property
    def breakpoints(self) -> list[float]:
        """Days where the effect changes abruptly (doses): the solver restarts there."""
        return [float(d) for d in self.dose_days]

    def concentration(self, t: float) -> float:
        return self.exposure(t)

    def series(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """Exposure and effect on the grid ``t`` (for the run's table and plots)."""
        out = {self.exposure_name: np.array([self.exposure(x) for x in t])}
        for name, fn in self.extra.items():
            out[name] = np.array([fn(x) for x in t])
        return out


def _bind_denosumab(regimen: Regimen, doses: np.ndarray, days: float) -> BoundRegimen:
    pk = DenosumabPK.from_preset(regimen.pk_preset or "gibiansky-2012-central")
    pd = drug_data().denosumab.pd.values
    potency = pd["accessibility"] * pd["rankl_binding_per_pm"]
    baseline = baseline_rankl_denominator()
    amount_ng = regimen.schedule.dose_mg * 1e6
    concentration = (
        _linear_one_compartment(doses, amount_ng, pk)
        if pk.linear
        else _tabulated_one_compartment(doses, amount_ng, pk, days)
    )
    to_pm = 1e6 / pk.molar_mass

    def free_rankl(t: float) -> float:
        return baseline / (baseline + potency * concentration(t) * to_pm)

    return BoundRegimen(
        regimen,
        doses,
        production_factor=free_rankl,
        removal_factor=lambda t: 1.0,
        exposure=concentration,
        exposure_name="denosumab_ng_per_ml",
        exposure_unit="ng/mL",
        extra={"rankl_free_fraction": free_rankl},
    )


def _bind_zoledronic(regimen: Regimen, doses: np.ndarray) -> BoundRegimen:
    pk = ZoledronicAcidPK.from_data()
    pd = drug_data().zoledronic_acid.pd.values
    emax, a50 = pd["emax"], pd["half_effect_mg"]
    retained = pk.retained_fraction * regimen.schedule.dose_mg
    k = pk.release_rate
    dose_list = doses.tolist()
    # Bone-bound amount just after each dose (recursion over the dose intervals).
    after: list[float] = []
    amount = 0.0
    for i, day in enumerate(dose_list):
        if i:
            amount *= math.exp(-k * (day - dose_list[i - 1]))
        amount += retained
        after.append(amount)

    def bone_amount(t: float) -> float:
        i = bisect.bisect_right(dose_list, t) - 1
        return 0.0 if i < 0 else after[i] * math.exp(-k * (t - dose_list[i]))

    def removal(t: float) -> float:
        a = bone_amount(t)
        return 1.0 + emax * a / (a + a50)

    return BoundRegimen(
        regimen,
        doses,
        production_factor=lambda t: 1.0,
        removal_factor=removal,
        exposure=bone_amount,
        exposure_name="zoledronic_acid_bone_mg",
        exposure_unit="mg bound to bone",
        extra={"osteoclast_removal_factor": removal},
    )


def _linear_one_compartment(doses: np.ndarray, amount_ng: float, pk: DenosumabPK) -> Callable[[float], float]:
    """Closed-form concentration (ng/mL) for the linear model, O(log n) per call."""
    ka, ke, f, volume = pk.ka, pk.kel, pk.bioavailability, pk.volume_ml
    dose_list = doses.tolist()
    depot_after: list[float] = []
    central_after: list[float] = []
    depot = central = 0.0
    for i, day in enumerate(dose_list):
        if i:
            tau = day - dose_list[i - 1]
            central = central * math.exp(-ke * tau) + depot * ka / (ka - ke) * (
                math.exp(-ke * tau) - math.exp(-ka * tau)
            )
            depot *= math.exp(-ka * tau)
        depot += f * amount_ng
        depot_after.append(depot)
        central_after.append(central)

    def concentration(t: float) -> float:
        i = bisect.bisect_right(dose_list, t) - 1
        if i < 0:
            return 0.0
        tau = t - dose_list[i]
        e_el, e_ab = math.exp(-ke * tau), math.exp(-ka * tau)
        return (central_after[i] * e_el + depot_after[i] * ka / (ka - ke) * (e_el - e_ab)) / volume

    return concentration


def _tabulated_one_compartment(
    doses: np.ndarray, amount_ng: float, pk: DenosumabPK, days: float
) -> Callable[[float], float]:
    """Concentration (ng/mL) for the non-linear model: LSODA on a 0.05-day table, linear interpolation."""
    from scipy.integrate import solve_ivp

    ka, ke, f, volume = pk.ka, pk.kel, pk.bioavailability, pk.volume_ml
    vmax, km = pk.vmax_ng_per_day * f / volume, pk.km_ng_per_ml

    def rhs(t: float, y: np.ndarray) -> list[float]:
        depot, c = y
        c = max(c, 0.0)
        return [-ka * depot, ka * depot / volume - vmax * c / (km + c) - ke * c]

    times: list[np.ndarray] = []
    values: list[np.ndarray] = []
    state = np.zeros(2)
    edges = [*doses.tolist(), float(days)]
    for i in range(len(doses)):
        state = state + np.array([f * amount_ng, 0.0])
        t0, t1 = edges[i], max(edges[i + 1], edges[i] + 1e-9)
        grid = np.linspace(t0, t1, max(2, math.ceil((t1 - t0) / 0.05) + 1))
        sol = solve_ivp(rhs, (t0, t1), state, method="LSODA", t_eval=grid, rtol=1e-9, atol=1e-9)
        if not sol.success:
            from metastasis.simulate.bone._solver import BoneSolverError

            raise BoneSolverError("denosumab PK", float(sol.t[-1]) if sol.t.size else t0, sol.message)
        times.append(sol.t)
        values.append(np.maximum(sol.y[1], 0.0))
        state = sol.y[:, -1]
    if not times:
        return lambda t: 0.0
    grid_t = np.concatenate(times)
    grid_c = np.concatenate(values)
    first = float(doses[0])

    def concentration(t: float) -> float:
        return 0.0 if t < first else float(np.interp(t, grid_t, grid_c))

    return concentration


@cache
def baseline_rankl_denominator() -> float:
    """The RANKL binding denominator of Lemaire 2004 at its steady state (about 24), without drug."""
    from metastasis.simulate.bone.rankl import Lemaire2004

    return Lemaire2004().rankl_denominator()


# --- constructors --------------------------------------------------------------------------------------------


def denosumab(
    *,
    start_day: float = 0.0,
    dose_mg: float | None = None,
    interval_days: float | None = None,
    schedule: Literal["oncology", "osteoporosis"] = "oncology",
    pk: DenosumabPkPreset = "gibiansky-2012-central",
    n_doses: int | None = None,
) -> Regimen:
    """Denosumab on a schedule: the preset's dose and interval unless the caller gives them.

    Parameters
    ----------
    start_day:
        Day of the first dose (days from the start of the simulation).
    dose_mg, interval_days:
        Override the schedule preset (``oncology``: 120 mg every 28 days; ``osteoporosis``: 60 mg every
        182.5 days).
    pk:
        ``gibiansky-2012-central`` (default; matches the oncology label's trough) or ``martinez-reina-2019``.
    n_doses:
        Stop after this many doses (default: dose until the end of the run).

    Returns
    -------
    Regimen
    """
    data = drug_data().denosumab
    if schedule not in data.schedules:
        raise InvalidInputError("schedule", schedule, list(data.schedules))
    if pk not in data.pk_presets:
        raise InvalidInputError("pk", pk, list(data.pk_presets))
    preset = data.schedules[schedule]
    plan = DosingSchedule(
        preset.dose_mg if dose_mg is None else dose_mg,
        preset.interval_days if interval_days is None else interval_days,
        start_day,
        n_doses,
    )
    custom = dose_mg is not None or interval_days is not None
    label = f"denosumab {plan.dose_mg:g} mg every {plan.interval_days:g} days from day {plan.start_day:g}"
    label += f" ({plan.n_doses} doses)" if plan.n_doses else ""
    reasons = (
        Reason(
            rule=f"denosumab.schedule:{'custom' if custom else schedule}",
            text=f"{label} ({'caller-chosen' if custom else preset.label}).",
            sources=("bone-sim-assumptions",) if custom else preset.sources,
        ),
        Reason(rule=f"denosumab.pk:{pk}", text=data.pk_presets[pk].label + ".", sources=data.pk_presets[pk].sources),
        Reason(
            rule="denosumab.pd:rankl-decoy",
            text="Osteoclast production scaled by the free-RANKL fraction D0 / (D0 + chi K C), with D0 the "
            "Lemaire 2004 steady-state RANKL binding denominator, chi = "
            f"{data.pd.values['accessibility']:g} and K = {data.pd.values['rankl_binding_per_pm']:g} /pM.",
            sources=(*data.pd.sources, "lemaire-2004"),
        ),
    )
    caveats = (
        *preset.caveats,
        *data.pk_presets[pk].caveats,
        *data.pd.caveats,
        "Denosumab's effect enters the power-law models as a scaling of osteoclast production by the relative "
        "RANK-RANKL signalling of the Lemaire 2004 model: a bridge between two models chosen by this project.",
    )
    return Regimen("denosumab", plan, label, pk, reasons, caveats)


def zoledronic_acid(
    *,
    start_day: float = 0.0,
    dose_mg: float | None = None,
    interval_days: float | None = None,
    schedule: Literal["q4w", "q12w"] = "q4w",
    n_doses: int | None = None,
) -> Regimen:
    """Zoledronic acid on a schedule (``q4w``: 4 mg every 28 days; ``q12w``: 4 mg every 84 days).

    Parameters are as for :func:`denosumab`. The effect size is a documented assumption (see ``drugs.yaml``).
    """
    data = drug_data().zoledronic_acid
    if schedule not in data.schedules:
        raise InvalidInputError("schedule", schedule, list(data.schedules))
    preset = data.schedules[schedule]
    plan = DosingSchedule(
        preset.dose_mg if dose_mg is None else dose_mg,
        preset.interval_days if interval_days is None else interval_days,
        start_day,
        n_doses,
    )
    custom = dose_mg is not None or interval_days is not None
    label = f"zoledronic acid {plan.dose_mg:g} mg every {plan.interval_days:g} days from day {plan.start_day:g}"
    label += f" ({plan.n_doses} doses)" if plan.n_doses else ""
    pd = data.pd.values
    reasons = (
        Reason(
            rule=f"zoledronic-acid.schedule:{'custom' if custom else schedule}",
            text=f"{label} ({'caller-chosen' if custom else preset.label}).",
            sources=("bone-sim-assumptions",) if custom else preset.sources,
        ),
        Reason(rule="zoledronic-acid.pk:bone-bound", text=data.pk.label + ".", sources=data.pk.sources),
        Reason(
            rule="zoledronic-acid.pd:osteoclast-removal",
            text=f"Osteoclast removal multiplied by 1 + {pd['emax']:g} A / (A + {pd['half_effect_mg']:g} mg), "
            "A = bone-bound drug (assumed effect size).",
            sources=data.pd.sources,
        ),
    )
    return Regimen("zoledronic-acid", plan, label, None, reasons, (*preset.caveats, *data.pk.caveats, *data.pd.caveats))


def regimen(drug: str, **options: Any) -> Regimen:
    """``denosumab(...)`` or ``zoledronic_acid(...)`` by name (``"denosumab"``, ``"zoledronic-acid"``)."""
    if drug == "denosumab":
        return denosumab(**options)
    if drug in ("zoledronic-acid", "zoledronic_acid"):
        return zoledronic_acid(**options)
    raise InvalidInputError("treatment", drug, DRUGS)
