"""Ayati et al. 2010: the Komarova model with a tumour that alters bone-cell signalling, and its treatment.

.. math::

    C' &= \\alpha_1 m_\\alpha(t) C^{g_{11}(1 + r_{11}\\tau)} B^{g_{21}(1 + r_{21}\\tau)} - \\beta_1 m_\\beta(t) C \\\\
    B' &= \\alpha_2 C^{g_{12}/(1 + r_{12}\\tau)} B^{g_{22} - r_{22}\\tau} - (\\beta_2 - V_1(t)) B \\\\
    T' &= (\\gamma_T - V_2(t)) T \\ln(L_T / T), \\qquad \\tau = T / L_T \\\\
    z' &= -k_1 \\max(C - \\bar C, 0) + k_2 \\max(B - \\bar B, 0)

``V1``, ``V2`` are Ayati's proteasome-inhibitor-like treatment (switched on at ``t_start``), as in the curated
BioModels encoding. ``m_alpha`` and ``m_beta`` are this package's hooks for bone-targeted drugs (1 without
drug): denosumab scales osteoclast production by the free-RANKL fraction, zoledronic acid raises osteoclast
removal (see :mod:`metastasis.simulate.bone.drugs`). ``C_bar`` and ``B_bar`` are the curator-corrected steady
state at full tumour burden (``T = L_T``), held fixed, as published.

Numerics: log coordinates for C, B and T (positive by construction; Gompertz growth becomes linear in ln T),
event-located restarts at the two ``max`` kinks, solver restarts at ``t_start`` and at every dose, and a bone
mass floor at 0 by exact reflection (the published equations let bone mass go negative).
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.simulate.bone._common import LOG_BAND, bone_outputs, log_of_positive, output_grid
from metastasis.simulate.bone._data import check_non_negative, model_spec, resolve_parameters
from metastasis.simulate.bone._solver import Switch, check_solver_options, integrate
from metastasis.simulate.bone.drugs import Regimen
from metastasis.simulate.bone.result import BoneRun

AyatiSet = Literal["normal", "tumour", "tumour_unstable", "tumour_treated"]
INITIAL_KEYS = ("osteoclasts", "osteoblasts", "tumour", "bone_mass")


class Ayati2010:
    """The Ayati 2010 tumour-bone model (myeloma), with Ayati's treatment and bone-targeted drug hooks.

    Parameters
    ----------
    parameter_set:
        ``"tumour"`` (Figs. 4-5, damped), ``"tumour_unstable"`` (Figs. 6-7, r11 = 0.02), ``"tumour_treated"``
        (Figs. 9-10, treatment from day 600) or ``"normal"`` (Fig. 2, no tumour).
    **overrides:
        Any parameter by name (see ``data/ayati2010.yaml``): rates, exponents, ``r11 r12 r21 r22`` (tumour effects
        on signalling), ``gamma_t``, ``tumour_capacity``, ``v1 v2 t_start`` (Ayati treatment).

    References
    ----------
    Ayati BP et al. Biol Direct 2010;5:28 (``ayati-2010``); BioModels BIOMD0000000401-403
    (``biomodels-ayati-2010``).

    Example
    -------
    >>> model = Ayati2010("tumour_treated")
    >>> [round(x, 2) for x in model.steady_state()]
    [4.99, 315.9]
    """

    name = "ayati2010"

    def __init__(self, parameter_set: AyatiSet = "tumour", **overrides: Any):
        pset, values = resolve_parameters(self.name, parameter_set, overrides)
        self.parameter_set: str = parameter_set
        self.parameters: dict[str, float] = values
        self.overrides = {k: values[k] for k in overrides}
        self.label: str = pset.label if not overrides else f"{pset.label}, with {', '.join(sorted(overrides))} changed"
        self.initial: dict[str, float] = dict(pset.initial)
        self._sources = tuple(dict.fromkeys(model_spec(self.name).sources + pset.sources))
        self._caveats = list(model_spec(self.name).caveats) + list(pset.caveats)
        p = values
        if 1 + p["r12"] <= 0:
            raise InvalidInputError(
                "r12", p["r12"], "a value > -1 (the exponent g12 / (1 + r12 T/L_T) must stay finite)"
            )
        e11, e21, e12, e22 = self._exponents(1.0)
        gamma = e12 * e21 - (1 - e11) * (1 - e22)
        changed = [k for k in ("g11", "g12", "g21", "g22", "r11", "r12", "r21", "r22") if k in overrides]
        field = ", ".join(changed) or "g11, g12, g21, g22, r11, r12, r21, r22"
        if abs(gamma) < 1e-12:
            raise InvalidInputError(
                field,
                {k: p[k] for k in changed} or None,
                "exponents with Gamma != 0 at full tumour burden",
                detail="Gamma = 0: the steady state is undefined",
            )
        r1, r2 = p["beta1"] / p["alpha1"], p["beta2"] / p["alpha2"]
        try:
            c_bar = r1 ** ((1 - e22) / gamma) * r2 ** (e21 / gamma)
            b_bar = r1 ** (e12 / gamma) * r2 ** ((1 - e11) / gamma)
        except OverflowError:
            c_bar = b_bar = math.inf
        if not (math.isfinite(c_bar) and math.isfinite(b_bar) and c_bar > 0 and b_bar > 0):
            raise InvalidInputError(field, {k: p[k] for k in changed} or None, "exponents giving a finite steady state")
        self.gamma: float = gamma
        self._steady = (c_bar, b_bar)

    def _exponents(self, tau: float) -> tuple[float, float, float, float]:
        p = self.parameters
        return (
            p["g11"] * (1 + p["r11"] * tau),
            p["g21"] * (1 + p["r21"] * tau),
            p["g12"] / (1 + p["r12"] * tau),
            p["g22"] - p["r22"] * tau,
        )

    # --- analysis ------------------------------------------------------------------------------------

    def steady_state(self) -> tuple[float, float]:
        """``(C_bar, B_bar)`` at full tumour burden T = L_T (the curator-corrected formulas; thresholds of z)."""
        return self._steady

    @property
    def stability_index(self) -> float:
        """Phi = beta1 (g11 (1 + r11) - 1) + beta2 (g22 - r22 - 1); < 0 damped, > 0 growing oscillations.

        Ayati's quoted values (-0.00145, +0.0002) equal Phi / 2, the real part of the eigenvalues.
        """
        p = self.parameters
        return p["beta1"] * (p["g11"] * (1 + p["r11"]) - 1) + p["beta2"] * (p["g22"] - p["r22"] - 1)

    # --- simulation ----------------------------------------------------------------------------------

    def simulate(
        self,
        days: float = 1000,
        *,
        initial: dict[str, float] | None = None,
        treatment: Regimen | None = None,
        floor: bool = True,
        step: float | None = None,
        t_eval: Any = None,
        method: str = "LSODA",
        rtol: float = 1e-8,
        atol: float = 1e-12,
    ) -> BoneRun:
        """Integrate the tumour-bone model.

        Parameters
        ----------
        days:
            Length of the run.
        initial:
            Override any of ``osteoclasts``, ``osteoblasts``, ``tumour`` (0 = no tumour) and ``bone_mass`` (%);
            the rest come from the parameter set.
        treatment:
            A bone-targeted drug :class:`~metastasis.simulate.bone.drugs.Regimen` (denosumab or zoledronic acid).
            Ayati's own treatment is set by the parameters ``v1``, ``v2``, ``t_start``.
        floor:
            Hold bone mass at 0 once reached (default True). ``False`` reproduces the published equations.
        step, t_eval, method, rtol, atol:
            Output grid and solver settings (see :class:`~metastasis.simulate.bone.komarova.Komarova2003`).

        Returns
        -------
        BoneRun
            With the series ``tumour``, ``bone_resorption`` and ``bone_formation`` (%/day),
            ``resorbed_total`` and ``formed_total`` (cumulative, % of initial bone, integrated with the ODE) and
            the drug's exposure and effect.
        """
        check_solver_options(method, rtol, atol)
        grid = output_grid(days, step, t_eval)
        start = dict(self.initial)
        for key, value in (initial or {}).items():
            if key not in INITIAL_KEYS:
                raise InvalidInputError(f"initial.{key}", value, list(INITIAL_KEYS))
            start[key] = value
        c0 = check_non_negative("initial.osteoclasts", start["osteoclasts"])
        b0 = check_non_negative("initial.osteoblasts", start["osteoblasts"])
        t_0 = check_non_negative("initial.tumour", start["tumour"])
        z0 = check_non_negative("initial.bone_mass", start["bone_mass"])
        u0, v0 = log_of_positive("initial.osteoclasts", c0), log_of_positive("initial.osteoblasts", b0)
        p = self.parameters
        has_tumour = t_0 > 0
        if has_tumour and 1 + p["r12"] * max(1.0, t_0 / p["tumour_capacity"]) <= 0:
            raise InvalidInputError("r12", p["r12"], "a value keeping 1 + r12 T/L_T > 0 over the run")
        w0 = math.log(t_0) if has_tumour else 0.0
        bound = treatment.bind(float(grid[-1])) if treatment is not None else None

        a1, a2, b1, b2 = p["alpha1"], p["alpha2"], p["beta1"], p["beta2"]
        g11, g21, g12, g22 = p["g11"], p["g21"], p["g12"], p["g22"]
        r11, r21, r12, r22 = p["r11"], p["r21"], p["r12"], p["r22"]
        k1, k2, gamma_t = p["k1"], p["k2"], p["gamma_t"]
        log_capacity, capacity = math.log(p["tumour_capacity"]), p["tumour_capacity"]
        v1, v2, t_start = p["v1"], p["v2"], p["t_start"]
        c_bar, b_bar = self._steady
        lc, lb = math.log(c_bar), math.log(b_bar)
        exp = math.exp
        production = bound.production_factor if bound is not None else None
        removal = bound.removal_factor if bound is not None else None

        def oc_growth(t: float, u: float, v: float, tau: float) -> float:
            m_a = production(t) if production is not None else 1.0
            m_b = removal(t) if removal is not None else 1.0
            return a1 * m_a * exp((g11 * (1 + r11 * tau) - 1) * u + g21 * (1 + r21 * tau) * v) - b1 * m_b

        def bone_rate(u: float, v: float) -> float:
            return -k1 * max(exp(u) - c_bar, 0.0) + k2 * max(exp(v) - b_bar, 0.0)

        def resorption(u: float) -> float:
            return k1 * max(exp(u) - c_bar, 0.0)

        def formation(v: float) -> float:
            return k2 * max(exp(v) - b_bar, 0.0)

        def rhs(t: float, y: np.ndarray) -> list[float]:
            u, v, w = y[0], y[1], y[2]
            tau = exp(w) / capacity if has_tumour else 0.0
            treated = t >= t_start
            du = oc_growth(t, u, v, tau)
            dv = a2 * exp(g12 / (1 + r12 * tau) * u + (g22 - r22 * tau - 1) * v) - (b2 - (v1 if treated else 0.0))
            dw = (gamma_t - (v2 if treated else 0.0)) * (log_capacity - w) if has_tumour else 0.0
            res, form = resorption(u), formation(v)
            return [du, dv, dw, form - res, res, form]

        switches = [
            Switch("resorption", lambda t, y: y[0] - lc, restart=True, band=LOG_BAND),
            Switch("formation", lambda t, y: y[1] - lb, restart=True, band=LOG_BAND),
            Switch(
                "osteoclast_peak",
                lambda t, y: oc_growth(t, y[0], y[1], exp(y[2]) / capacity if has_tumour else 0.0),
                restart=False,
                direction=-1,
            ),
            Switch("bone_rate", lambda t, y: bone_rate(y[0], y[1]), restart=False),
            Switch("bone_zero", lambda t, y: y[3], restart=False, direction=-1),
        ]
        breakpoints = [t_start] if (v1 or v2) and t_start > 0 else []
        if bound is not None:
            breakpoints += bound.breakpoints
        trajectory = integrate(
            rhs, [u0, v0, w0, z0, 0.0, 0.0], 0.0, float(grid[-1]), grid, model=self.name, switches=switches,
            breakpoints=breakpoints, method=method, rtol=rtol, atol=atol, log_states=2,
        )  # fmt: skip
        bone, minima, exhausted = bone_outputs(trajectory, 3, floor=floor)
        osteoclasts, osteoblasts = np.exp(trajectory.y[0]), np.exp(trajectory.y[1])
        series = {
            "tumour": np.exp(trajectory.y[2]) if has_tumour else np.zeros_like(trajectory.t),
            "bone_resorption": k1 * np.maximum(osteoclasts - c_bar, 0.0),
            "bone_formation": k2 * np.maximum(osteoblasts - b_bar, 0.0),
            "resorbed_total": trajectory.y[4],
            "formed_total": trajectory.y[5],
        }
        if bound is not None:
            series.update(bound.series(trajectory.t))
        peak_t = trajectory.crossing_times("osteoclast_peak", direction=-1)
        peak_states = trajectory.crossing_states("osteoclast_peak", direction=-1)
        reasons, caveats = self._provenance(start, treatment, floor)
        return BoneRun(
            model=self.name,
            label=self.label,
            t=trajectory.t,
            osteoclasts=osteoclasts,
            osteoblasts=osteoblasts,
            bone_mass=bone,
            parameters=dict(self.parameters),
            series=series,
            units={"osteoclasts": "cells", "osteoblasts": "cells", "bone_mass": "% of initial",
                   "tumour": "tumour units", "bone_resorption": "%/day", "bone_formation": "%/day",
                   "resorbed_total": "% of initial", "formed_total": "% of initial"},
            osteoclast_peaks=(peak_t, np.exp(peak_states[:, 0]) if peak_t.size else np.empty(0)),
            bone_mass_minima=minima,
            day_bone_exhausted=exhausted,
            floor=floor,
            treatment_start=treatment.start_day if treatment is not None else (t_start if v1 or v2 else None),
            treatment_label=treatment.label if treatment is not None else ("Ayati treatment" if v1 or v2 else None),
            reasons=reasons,
            caveats=caveats,
            solver={"method": method, "rtol": rtol, "atol": atol, "steps": trajectory.n_steps,
                    "restarts": trajectory.n_restarts},
        )  # fmt: skip

    def _provenance(
        self, start: dict[str, float], treatment: Regimen | None, floor: bool
    ) -> tuple[list[Reason], list[str]]:
        c_bar, b_bar = self._steady
        reasons = [
            Reason(
                rule=f"ayati2010.set:{self.parameter_set}",
                text=f"{self.label}; resorption above C_bar = {c_bar:.4g}, formation above B_bar = {b_bar:.4g} "
                f"(steady state at full tumour burden); stability index Phi = {self.stability_index:.4g}.",
                sources=self._sources,
            ),
            Reason(
                rule="ayati2010.start",
                text="Start: " + ", ".join(f"{k} {start[k]:g}" for k in INITIAL_KEYS) + ".",
                sources=self._sources[:1],
            ),
        ]
        if self.overrides:
            reasons.append(
                Reason(
                    rule="ayati2010.overrides",
                    text="Changed parameters: " + ", ".join(f"{k} = {v:g}" for k, v in sorted(self.overrides.items())),
                    sources=("bone-sim-assumptions",),
                )
            )
        caveats = list(self._caveats)
        if not floor:
            caveats.append("No bone-mass floor: bone mass can go below 0, as in the published equations.")
        if treatment is not None:
            reasons.extend(treatment.reasons)
            caveats.extend(treatment.caveats)
        return reasons, caveats

    def __repr__(self) -> str:
        changed = "".join(f", {k}={v!r}" for k, v in sorted(self.overrides.items()))
        return f"Ayati2010(parameter_set={self.parameter_set!r}{changed})"
