"""Lemaire et al. 2004: osteoblasts, osteoclasts and the RANKL/OPG/PTH signalling that couples them.

States (pM): responding osteoblasts ``R``, active osteoblasts ``B``, active osteoclasts ``C``.

.. math::

    R' = D_R \\pi_C - \\frac{D_B}{\\pi_C} R, \\quad B' = \\frac{D_B}{\\pi_C} R - k_B B, \\quad
    C' = D_C \\pi_L - D_A \\pi_C C

with the TGF-beta switch ``pi_C = (C + f0 C_s)/(C + C_s)``, the PTH occupancy ``pi_P`` and the RANK occupancy

.. math::

    \\pi_L = \\frac{k_3}{k_4} \\frac{K_{LP} \\pi_P B (1 + I_L / r_L)}
             {1 + k_3 K / k_4 + \\frac{k_1}{k_2 k_O}\\left(\\frac{K_{OP}}{\\pi_P} R + I_O\\right)
              + \\chi K_{den} C_{den}}

RANKL is explicit: total RANKL on osteoblasts ``K_LP pi_P B (1 + I_L/r_L)``, free RANKL (total divided by the
binding denominator), OPG ``(K_OP R / pi_P + I_O)/k_O``. Denosumab enters as an extra decoy term in the
denominator (Martinez-Reina and Pivonka structure). States are integrated in log coordinates (positive by
construction).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq

from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.simulate.bone._common import output_grid
from metastasis.simulate.bone._data import check_non_negative, model_spec, resolve_parameters
from metastasis.simulate.bone._solver import check_solver_options, integrate
from metastasis.simulate.bone.drugs import Regimen
from metastasis.simulate.bone.result import BoneRun


class Lemaire2004:
    """The Lemaire 2004 RANKL/OPG/PTH bone-cell model.

    Parameters
    ----------
    **overrides:
        Any published parameter by name (all > 0), e.g. ``K_LP`` or ``S_P``.

    References
    ----------
    Lemaire V et al. J Theor Biol 2004;229:293-309 (``lemaire-2004``), parameters as in the ``bone-models``
    package and the TIBD_microenvironment code (``bone-models-package``, ``tibd-microenvironment-code``).

    Example
    -------
    >>> model = Lemaire2004()
    >>> [f"{x:.4g}" for x in model.steady_state()]
    ['0.0007734', '0.0007283', '0.0009128']
    """

    name = "lemaire2004"

    def __init__(self, **overrides: Any):
        pset, values = resolve_parameters(self.name, "published", overrides)
        self.parameters: dict[str, float] = values
        self.overrides = {k: values[k] for k in overrides}
        self.label = pset.label if not overrides else f"{pset.label}, with {', '.join(sorted(overrides))} changed"
        self._sources = tuple(dict.fromkeys(model_spec(self.name).sources + pset.sources))
        self._caveats = list(model_spec(self.name).caveats)

    # --- algebra -------------------------------------------------------------------------------------

    def pth_occupancy(self, pth_input: float = 0.0) -> float:
        """pi_P = (I_P/k_P + S_P/k_P) / (I_P/k_P + k6/k5)."""
        p = self.parameters
        extra = pth_input / p["k_P"]
        return (extra + p["S_P"] / p["k_P"]) / (extra + p["k6"] / p["k5"])

    def _tgf(self, c: float) -> float:
        p = self.parameters
        return (c + p["f0"] * p["C_s"]) / (c + p["C_s"])

    def rankl_denominator(
        self, responding: float | None = None, *, pth_input: float = 0.0, opg_input: float = 0.0, decoy: float = 0.0
    ) -> float:
        """The RANKL binding denominator ``1 + k3 K/k4 + k1/(k2 kO) (K_OP R/pi_P + I_O) + decoy``.

        At the steady state without inputs it is about 24: the baseline against which denosumab's extra decoy
        term is compared.
        """
        p = self.parameters
        r = self.steady_state(pth_input=pth_input, opg_input=opg_input)[0] if responding is None else responding
        pi_p = self.pth_occupancy(pth_input)
        opg_term = p["k1"] / (p["k2"] * p["k_O"]) * (p["K_OP"] / pi_p * r + opg_input)
        return 1.0 + p["k3"] * p["K"] / p["k4"] + opg_term + decoy

    def _rank_occupancy(
        self, r: float, b: float, pi_p: float, rankl_input: float, opg_input: float, decoy: float
    ) -> float:
        p = self.parameters
        total = p["K_LP"] * pi_p * b * (1 + rankl_input / p["r_L"])
        denominator = (
            1.0 + p["k3"] * p["K"] / p["k4"] + p["k1"] / (p["k2"] * p["k_O"]) * (p["K_OP"] / pi_p * r + opg_input)
        )
        return p["k3"] / p["k4"] * total / (denominator + decoy)

    def steady_state(
        self, *, pth_input: float = 0.0, opg_input: float = 0.0, rankl_input: float = 0.0
    ) -> tuple[float, float, float]:
        """Steady state ``(R, B, C)`` in pM, for constant inputs (pM/day).

        R' = 0 and B' = 0 give ``B = D_R pi_C / k_B`` and ``R = D_R pi_C^2 / D_B``, so the steady state solves
        one equation in C (Brent's method on C in (1e-12, 1) pM).
        """
        for name, value in (("pth_input", pth_input), ("opg_input", opg_input), ("rankl_input", rankl_input)):
            check_non_negative(name, value)
        p = self.parameters
        d_b = p["f0"] * p["d_B"]
        pi_p = self.pth_occupancy(pth_input)

        def cells(c: float) -> tuple[float, float]:
            pi_c = self._tgf(c)
            return p["D_R"] * pi_c**2 / d_b, p["D_R"] * pi_c / p["k_B"]

        def balance(log_c: float) -> float:
            c = math.exp(log_c)
            r, b = cells(c)
            production = p["D_C"] * self._rank_occupancy(r, b, pi_p, rankl_input, opg_input, 0.0)
            return math.log(production) - math.log(p["D_A"] * self._tgf(c) * c)

        log_c = brentq(balance, math.log(1e-12), math.log(1.0), xtol=1e-14, rtol=1e-14)
        c = math.exp(log_c)
        r, b = cells(c)
        return r, b, c

    # --- simulation ----------------------------------------------------------------------------------

    def simulate(
        self,
        days: float = 200,
        *,
        initial: tuple[float, float, float] | None = None,
        pth_input: float = 0.0,
        opg_input: float = 0.0,
        rankl_input: float = 0.0,
        input_start: float = 0.0,
        input_stop: float | None = None,
        treatment: Regimen | None = None,
        step: float | None = None,
        t_eval: Any = None,
        method: str = "LSODA",
        rtol: float = 1e-8,
        atol: float = 1e-12,
    ) -> BoneRun:
        """Integrate from the steady state (or ``initial``), with optional inputs and denosumab.

        Parameters
        ----------
        days:
            Length of the run.
        initial:
            ``(R, B, C)`` in pM (default: the steady state without inputs).
        pth_input, opg_input, rankl_input:
            External PTH (or tumour PTHrP), OPG and RANKL production (pM/day), applied from ``input_start`` to
            ``input_stop`` (default: the end of the run).
        treatment:
            A denosumab :class:`~metastasis.simulate.bone.drugs.Regimen` (its RANKL decoy term is added to the
            binding denominator). Zoledronic acid is not part of this model.

        Returns
        -------
        BoneRun
            ``osteoclasts`` = C, ``osteoblasts`` = B (pM), ``bone_mass`` = None; series
            ``responding_osteoblasts``, ``rankl_total``, ``rankl_free``, ``opg`` (pM), ``rank_occupancy`` (pi_L),
            ``pth_occupancy`` (pi_P) and the drug's exposure.
        """
        check_solver_options(method, rtol, atol)
        grid = output_grid(days, step, t_eval)
        for name, value in (("pth_input", pth_input), ("opg_input", opg_input), ("rankl_input", rankl_input)):
            check_non_negative(name, value)
        start = check_non_negative("input_start", input_start)
        stop = float(grid[-1]) if input_stop is None else check_non_negative("input_stop", input_stop)
        if stop < start:
            raise InvalidInputError("input_stop", input_stop, f"a day >= input_start ({start:g})")
        if treatment is not None and treatment.drug != "denosumab":
            raise InvalidInputError(
                "treatment", treatment.drug, ["denosumab"], detail="Lemaire 2004 has no bisphosphonate term"
            )
        start_state = self.steady_state() if initial is None else initial
        if len(start_state) != 3 or not all(
            isinstance(x, int | float) and math.isfinite(x) and x > 0 for x in start_state
        ):
            raise InvalidInputError("initial", initial, "three concentrations (R, B, C) > 0 in pM")
        bound = treatment.bind(float(grid[-1])) if treatment is not None else None
        potency = 0.0
        to_pm = 0.0
        if bound is not None:
            from metastasis.simulate.bone.drugs import DenosumabPK, drug_data

            pd = drug_data().denosumab.pd.values
            potency = pd["accessibility"] * pd["rankl_binding_per_pm"]
            to_pm = DenosumabPK.from_preset(treatment.pk_preset or "gibiansky-2012-central").ng_per_ml_to_pm(1.0)

        p = self.parameters
        d_b = p["f0"] * p["d_B"]
        exp = math.exp

        # Constants of the right-hand side, precomputed for speed (inputs are piecewise constant).
        d_r, k_b, d_c, d_a = p["D_R"], p["k_B"], p["D_C"], p["D_A"]
        f0_cs, c_s = p["f0"] * p["C_s"], p["C_s"]
        k34 = p["k3"] / p["k4"]
        fixed = 1.0 + p["k3"] * p["K"] / p["k4"]
        opg_coeff = p["k1"] / (p["k2"] * p["k_O"])
        levels = {
            on: (self.pth_occupancy(i_p), p["K_LP"] * (1 + i_l / p["r_L"]), opg_coeff * i_o)
            for on, (i_p, i_o, i_l) in ((True, (pth_input, opg_input, rankl_input)), (False, (0.0, 0.0, 0.0)))
        }
        concentration = bound.concentration if bound is not None else None
        decoy_per_ng = potency * to_pm

        def rhs(t: float, y: np.ndarray) -> list[float]:
            r, b, c = exp(y[0]), exp(y[1]), exp(y[2])
            pi_p, rankl_per_b, opg_extra = levels[start <= t < stop or (t == stop and start <= t)]
            pi_c = (c + f0_cs) / (c + c_s)
            denominator = fixed + opg_coeff * p["K_OP"] / pi_p * r + opg_extra
            if concentration is not None:
                denominator += decoy_per_ng * concentration(t)
            pi_l = k34 * rankl_per_b * pi_p * b / denominator
            return [d_r * pi_c / r - d_b / pi_c, d_b / pi_c * r / b - k_b, d_c * pi_l / c - d_a * pi_c]

        breakpoints = [x for x in (start, stop) if 0 < x < grid[-1]]
        if bound is not None:
            breakpoints += bound.breakpoints
        trajectory = integrate(
            rhs, np.log(start_state), 0.0, float(grid[-1]), grid, model=self.name, breakpoints=breakpoints,
            method=method, rtol=rtol, atol=atol, log_states=3,
        )  # fmt: skip
        r, b, c = np.exp(trajectory.y)
        series: dict[str, np.ndarray] = {"responding_osteoblasts": r}
        # RANKL, OPG and occupancies on the grid (vectorised over the days).
        days_grid = trajectory.t
        on = ((days_grid >= start) & (days_grid < stop)) | ((days_grid == stop) & (days_grid >= start))
        i_p, i_o, i_l = (np.where(on, value, 0.0) for value in (pth_input, opg_input, rankl_input))
        pi_p = (i_p / p["k_P"] + p["S_P"] / p["k_P"]) / (i_p / p["k_P"] + p["k6"] / p["k5"])
        exposure = bound.series(days_grid) if bound is not None else {}
        concentration_grid = exposure.get("denosumab_ng_per_ml", np.zeros_like(days_grid))
        total = p["K_LP"] * pi_p * b * (1 + i_l / p["r_L"])
        denominator = fixed + opg_coeff * (p["K_OP"] / pi_p * r + i_o) + decoy_per_ng * concentration_grid
        series.update(
            rankl_total=total, rankl_free=total / denominator, opg=(p["K_OP"] * r / pi_p + i_o) / p["k_O"],
            rank_occupancy=k34 * total / denominator, pth_occupancy=pi_p,
        )  # fmt: skip
        series.update(exposure)
        reasons = [
            Reason(rule="lemaire2004.published", text=f"{self.label}.", sources=self._sources),
        ]
        if pth_input or opg_input or rankl_input:
            reasons.append(
                Reason(
                    rule="lemaire2004.inputs",
                    text=f"External inputs PTH {pth_input:g}, OPG {opg_input:g}, RANKL {rankl_input:g} pM/day "
                    f"from day {start:g} to day {stop:g}.",
                    sources=("lemaire-2004",),
                )
            )
        caveats = list(self._caveats)
        if treatment is not None:
            reasons.extend(treatment.reasons)
            caveats.extend(c for c in treatment.caveats if "power-law" not in c)
        return BoneRun(
            model=self.name,
            label=self.label,
            t=trajectory.t,
            osteoclasts=c,
            osteoblasts=b,
            bone_mass=None,
            parameters=dict(self.parameters),
            series=series,
            units={"osteoclasts": "pM", "osteoblasts": "pM", "responding_osteoblasts": "pM", "rankl_total": "pM",
                   "rankl_free": "pM", "opg": "pM"},
            treatment_start=treatment.start_day if treatment is not None else None,
            treatment_label=treatment.label if treatment is not None else None,
            reasons=reasons,
            caveats=caveats,
            solver={"method": method, "rtol": rtol, "atol": atol, "steps": trajectory.n_steps},
        )  # fmt: skip

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v!r}" for k, v in sorted(self.overrides.items()))
        return f"Lemaire2004({changed})"
