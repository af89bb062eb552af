"""Komarova et al. 2003: osteoclasts, osteoblasts and bone mass in one basic multicellular unit.

.. math::

    x_1' = \\alpha_1 x_1^{g_{11}} x_2^{g_{21}} - \\beta_1 x_1, \\qquad
    x_2' = \\alpha_2 x_1^{g_{12}} x_2^{g_{22}} - \\beta_2 x_2, \\qquad
    z' = -k_1 \\max(x_1 - \\bar x_1, 0) + k_2 \\max(x_2 - \\bar x_2, 0)

Numerics: the cell equations are integrated in log coordinates (``u = ln x1``, ``v = ln x2``), which keeps both
populations positive by construction, so the fractional powers are never taken of a negative number (the
power law is singular at 0; the cycling set drives osteoclasts down to about 3e-5). The two ``max`` terms are
handled by event detection: the solver restarts exactly where a population crosses its steady state.
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
from metastasis.simulate.bone.result import BoneRun

KomarovaSet = Literal["single_cycle", "cycling"]
NEUTRAL_TOLERANCE = 1e-12
"""|Psi| below this counts as exactly 0 (the neutral, cycling case)."""


def _exp_integral(c: float, w: float) -> float:
    """An antiderivative of exp(c w) in w."""
    return math.exp(c * w) / c if c != 0.0 else w


class Komarova2003:
    """The Komarova 2003 bone remodelling model.

    Parameters
    ----------
    parameter_set:
        ``"single_cycle"`` (Komarova Fig. 2, g11 = 0.5: one remodelling cycle after a stimulus) or ``"cycling"``
        (Fig. 3, g11 = 1.1: internally regulated cycles, Psi = 0).
    **overrides:
        Any parameter by name: ``alpha1, alpha2`` (production, > 0), ``beta1, beta2`` (removal, > 0),
        ``g11, g12, g21, g22`` (exponents), ``k1, k2`` (resorption/formation per excess cell, >= 0).

    Raises
    ------
    InvalidInputError
        For an unknown set or parameter, a rate that is not > 0 (or >= 0 for k1, k2), or exponents with
        ``gamma = g12 g21 - (1 - g11)(1 - g22) = 0`` (no steady state).

    References
    ----------
    Komarova SV et al. Bone 2003;33:206-215 (source ``komarova-2003``); curated encoding BioModels
    BIOMD0000000148 (``biomodels-komarova-2003``); cycling k1, k2 from Ayati 2010 Fig. 3 (``komarova-2003-fig3-k``).

    Example
    -------
    >>> model = Komarova2003(parameter_set="single_cycle")
    >>> [round(x, 5) for x in model.steady_state()]
    [1.06066, 212.13203]
    >>> run = model.simulate(days=400, osteoclast_excess=10)
    >>> round(float(run.bone_mass[-1]), 2)
    99.98
    """

    name = "komarova2003"

    def __init__(self, parameter_set: KomarovaSet = "single_cycle", **overrides: Any):
        pset, values = resolve_parameters(self.name, parameter_set, overrides)
        self.parameter_set: str = parameter_set
        self.label: str = pset.label if not overrides else f"{pset.label}, with {', '.join(sorted(overrides))} changed"
        self.parameters: dict[str, float] = values
        self.overrides: dict[str, float] = {k: values[k] for k in overrides}
        self._initial = dict(pset.initial)
        self._sources = tuple(dict.fromkeys(model_spec(self.name).sources + pset.sources))
        self._caveats = list(model_spec(self.name).caveats) + list(pset.caveats)
        p = values
        gamma = p["g12"] * p["g21"] - (1 - p["g11"]) * (1 - p["g22"])
        exponents = [k for k in ("g11", "g12", "g21", "g22") if k in overrides] or ["g11", "g12", "g21", "g22"]
        field = ", ".join(exponents)
        if abs(gamma) < 1e-12:
            raise InvalidInputError(
                field,
                {k: p[k] for k in exponents},
                "exponents with g12*g21 - (1 - g11)*(1 - g22) != 0",
                detail="gamma = 0: the steady state is undefined",
            )
        self.gamma: float = gamma
        with np.errstate(over="ignore"):
            r1, r2 = p["beta1"] / p["alpha1"], p["beta2"] / p["alpha2"]
            try:
                x1 = r1 ** ((1 - p["g22"]) / gamma) * r2 ** (p["g21"] / gamma)
                x2 = r1 ** (p["g12"] / gamma) * r2 ** ((1 - p["g11"]) / gamma)
            except OverflowError:
                x1 = x2 = math.inf
        if not (math.isfinite(x1) and math.isfinite(x2) and x1 > 0 and x2 > 0):
            raise InvalidInputError(
                field, {k: p[k] for k in exponents}, "exponents giving a finite, positive steady state"
            )
        self._steady = (x1, x2)

    # --- analysis --------------------------------------------------------------------------------------

    def steady_state(self) -> tuple[float, float]:
        """The non-trivial steady state ``(osteoclasts, osteoblasts)`` in closed form (curator-corrected)."""
        return self._steady

    @property
    def psi(self) -> float:
        """Psi = beta1 (g11 - 1) + beta2 (g22 - 1): the trace of the Jacobian at the steady state."""
        p = self.parameters
        return p["beta1"] * (p["g11"] - 1) + p["beta2"] * (p["g22"] - 1)

    def jacobian(self) -> np.ndarray:
        """The Jacobian of the cell equations at the steady state."""
        p = self.parameters
        x1, x2 = self._steady
        return np.array(
            [
                [p["beta1"] * (p["g11"] - 1), p["beta1"] * p["g21"] * x1 / x2],
                [p["beta2"] * p["g12"] * x2 / x1, p["beta2"] * (p["g22"] - 1)],
            ]
        )

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of :meth:`jacobian` (complex pair for a focus or a centre)."""
        return np.linalg.eigvals(self.jacobian())

    @property
    def regime(self) -> Literal["damped", "neutral", "growing"]:
        """``damped`` (Psi < 0), ``neutral`` (Psi = 0: closed orbits) or ``growing`` (Psi > 0, Paget-like).

        By the Dulac argument of the research notes there are no periodic orbits unless Psi = 0.
        """
        if abs(self.psi) < NEUTRAL_TOLERANCE:
            return "neutral"
        return "damped" if self.psi < 0 else "growing"

    def critical_g11(self) -> float:
        """The g11 at which Psi = 0 (the Hopf point): 1 + beta2 (1 - g22) / beta1."""
        p = self.parameters
        return 1 + p["beta2"] * (1 - p["g22"]) / p["beta1"]

    def first_integral(self, osteoclasts: Any, osteoblasts: Any) -> Any:
        """The conserved quantity H(x1, x2) of the neutral case (Psi = 0), constant along every orbit.

        With ``u = ln x1``, ``v = ln x2``, ``a = g11 - 1``, ``b = g22 - 1`` and Psi = 0,
        ``H = alpha1 E(g21 - b, v) - alpha2 E(g12 - a, u) + (beta1 / b) exp(-a u - b v)`` where ``E(c, w)`` is an
        antiderivative of ``exp(c w)`` (for ``b = 0``: ``alpha1 E(g21, v) - beta1 v - alpha2 E(g12, u) + beta2 u``).

        Raises
        ------
        InvalidInputError
            When Psi != 0 (no first integral exists: orbits spiral in or out).
        """
        if self.regime != "neutral":
            raise InvalidInputError(
                "g11", self.parameters["g11"], f"g11 = {self.critical_g11():.6g} (Psi = 0)", detail="Psi != 0"
            )
        p = self.parameters
        a, b = p["g11"] - 1, p["g22"] - 1
        u = np.log(np.asarray(osteoclasts, dtype=float))
        v = np.log(np.asarray(osteoblasts, dtype=float))
        vec = np.vectorize(_exp_integral)
        if b == 0.0:
            return p["alpha1"] * vec(p["g21"], v) - p["beta1"] * v - p["alpha2"] * vec(p["g12"], u) + p["beta2"] * u
        return (
            p["alpha1"] * vec(p["g21"] - b, v)
            - p["alpha2"] * vec(p["g12"] - a, u)
            + p["beta1"] / b * np.exp(-a * u - b * v)
        )

    # --- simulation ------------------------------------------------------------------------------------

    def simulate(
        self,
        days: float = 400,
        osteoclast_excess: float | None = None,
        osteoblast_excess: float = 0.0,
        bone_mass: float | None = None,
        *,
        step: float | None = None,
        t_eval: Any = None,
        floor: bool = False,
        method: str = "LSODA",
        rtol: float = 1e-10,
        atol: float = 1e-12,
    ) -> BoneRun:
        """Integrate from the steady state plus a perturbation.

        Parameters
        ----------
        days:
            Length of the run (days).
        osteoclast_excess, osteoblast_excess:
            Cells added to the steady state at day 0 (default: the parameter set's, +10 osteoclasts).
        bone_mass:
            Bone mass at day 0 in % (default 100).
        step, t_eval:
            Output spacing in days, or explicit output days (default: about 1 day, at most 2001 points).
        floor:
            Hold bone mass at 0 once reached (not needed for the published sets, which stay near 100 %).
        method, rtol, atol:
            SciPy solver (``LSODA`` default) and tolerances (on log cell numbers and on bone mass).

        Returns
        -------
        BoneRun
            ``t`` (days), ``osteoclasts``, ``osteoblasts`` (cells) and ``bone_mass`` (% of initial), with the
            exact osteoclast peaks and bone-mass minima.

        Raises
        ------
        InvalidInputError
            For bad days, perturbations leaving a population <= 0, a negative bone mass or bad solver options.
        BoneSolverError
            If the solver fails (for example when Psi > 0 makes oscillations grow without bound), with the day
            reached.
        """
        check_solver_options(method, rtol, atol)
        grid = output_grid(days, step, t_eval)
        oc_excess = self._initial.get("osteoclast_excess", 0.0) if osteoclast_excess is None else osteoclast_excess
        oc_excess = _finite("osteoclast_excess", oc_excess)
        ob_excess = _finite("osteoblast_excess", osteoblast_excess)
        z0 = check_non_negative("bone_mass", self._initial.get("bone_mass", 100.0) if bone_mass is None else bone_mass)
        x1_bar, x2_bar = self._steady
        u0 = log_of_positive("osteoclast_excess", x1_bar + oc_excess)
        v0 = log_of_positive("osteoblast_excess", x2_bar + ob_excess)

        p = self.parameters
        a1, a2, b1, b2 = p["alpha1"], p["alpha2"], p["beta1"], p["beta2"]
        c11, c21, c12, c22 = p["g11"] - 1, p["g21"], p["g12"], p["g22"] - 1
        k1, k2 = p["k1"], p["k2"]
        lx1, lx2 = math.log(x1_bar), math.log(x2_bar)
        exp = math.exp

        def bone_rate(u: float, v: float) -> float:
            return -k1 * max(exp(u) - x1_bar, 0.0) + k2 * max(exp(v) - x2_bar, 0.0)

        def rhs(t: float, y: np.ndarray) -> list[float]:
            u, v = y[0], y[1]
            return [a1 * exp(c11 * u + c21 * v) - b1, a2 * exp(c12 * u + c22 * v) - b2, bone_rate(u, v)]

        switches = [
            Switch("resorption", lambda t, y: y[0] - lx1, restart=True, band=LOG_BAND),
            Switch("formation", lambda t, y: y[1] - lx2, restart=True, band=LOG_BAND),
            Switch("osteoclast_peak", lambda t, y: a1 * exp(c11 * y[0] + c21 * y[1]) - b1, restart=False, direction=-1),
            Switch("bone_rate", lambda t, y: bone_rate(y[0], y[1]), restart=False),
            Switch("bone_zero", lambda t, y: y[2], restart=False, direction=-1),
        ]
        trajectory = integrate(
            rhs, [u0, v0, z0], 0.0, float(grid[-1]), grid, model=self.name, switches=switches,
            method=method, rtol=rtol, atol=atol, log_states=2,
        )  # fmt: skip
        bone, minima, exhausted = bone_outputs(trajectory, 2, floor=floor)
        peaks = trajectory.crossing_states("osteoclast_peak", direction=-1)
        peak_t = trajectory.crossing_times("osteoclast_peak", direction=-1)
        return BoneRun(
            model=self.name,
            label=self.label,
            t=trajectory.t,
            osteoclasts=np.exp(trajectory.y[0]),
            osteoblasts=np.exp(trajectory.y[1]),
            bone_mass=bone,
            parameters=dict(self.parameters),
            units={"osteoclasts": "cells", "osteoblasts": "cells", "bone_mass": "% of initial"},
            osteoclast_peaks=(peak_t, np.exp(peaks[:, 0]) if peak_t.size else np.empty(0)),
            bone_mass_minima=minima,
            day_bone_exhausted=exhausted,
            floor=floor,
            reasons=self._reasons(oc_excess, ob_excess),
            caveats=self._run_caveats(),
            solver={"method": method, "rtol": rtol, "atol": atol, "steps": trajectory.n_steps,
                    "restarts": trajectory.n_restarts},
        )  # fmt: skip

    def _reasons(self, oc_excess: float, ob_excess: float) -> list[Reason]:
        x1, x2 = self._steady
        reasons = [
            Reason(
                rule=f"komarova2003.set:{self.parameter_set}",
                text=f"{self.label}; steady state ({x1:.6g}, {x2:.6g}) cells; "
                f"regime {self.regime} (Psi = {self.psi:.4g}).",
                sources=self._sources,
            ),
            Reason(
                rule="komarova2003.start",
                text=f"Start at the steady state plus {oc_excess:g} osteoclasts and {ob_excess:g} osteoblasts.",
                sources=self._sources[:1],
            ),
        ]
        if self.overrides:
            reasons.append(
                Reason(
                    rule="komarova2003.overrides",
                    text="Caller-chosen parameters: "
                    + ", ".join(f"{k} = {v:g}" for k, v in sorted(self.overrides.items())),
                    sources=("bone-sim-assumptions",),
                )
            )
        return reasons

    def _run_caveats(self) -> list[str]:
        caveats = list(self._caveats)
        if self.regime == "growing":
            caveats.append(
                "Psi > 0: oscillations grow (the unstable, Paget-like mode); the run may end in solver failure."
            )
        return caveats

    def __repr__(self) -> str:
        changed = "".join(f", {k}={v!r}" for k, v in sorted(self.overrides.items()))
        return f"Komarova2003(parameter_set={self.parameter_set!r}{changed})"


def _finite(field: str, value: Any) -> float:
    if not (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)):
        raise InvalidInputError(field, value, "a finite number")
    return float(value)
