"""ASSUMPTION: a link from bone resorption to skeletal-related-event (SRE) risk, calibrated to trial numbers.

No reviewed model links simulated bone remodelling to SREs (research note section 6.4), so this module states
one explicitly and calibrates it; it is never presented as established. The assumed hazard is

.. math::  h(t) = \\lambda_0 + \\lambda_1 r(t), \\qquad r(t) = k_1 \\max(C(t) - \\bar C, 0)

so the probability of at least one SRE over a window is ``1 - exp(-(lambda0 W + lambda1 R))``, with ``R`` the
bone resorbed in the window. The two constants are solved exactly from two trial arms (``data/sre.yaml``):
Kohno 2005's placebo (49.6 % with an SRE in one year) and zoledronic acid 4 mg every 4 weeks (29.8 %), matched
to the osteolytic lesion untreated and treated from day 180. Denosumab against zoledronic acid (Stopeck 2010,
HR 0.82) is then a check the model can pass or fail, reported by :func:`validation`.

Example
-------
>>> link = calibrate()
>>> link.baseline_per_year > 0 and link.per_percent_resorbed > 0
True
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
from pydantic import BaseModel, Field

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Evidenced, Reason
from metastasis.simulate.bone._data import load_yaml
from metastasis.simulate.bone.result import BoneRun

ASSUMPTION_CAVEAT = (
    "SRE risk here is a MODELLING ASSUMPTION of this project (hazard rising with the simulated resorption rate, "
    "calibrated to two arms of Kohno 2005), not an established relation: do not read it as a patient's risk."
)


class SreLink(Evidenced):
    """The calibrated (assumed) hazard ``baseline + slope * resorption``."""

    baseline_per_year: float = Field(description="lambda0 x 365.25: SREs per year not driven by resorption.")
    per_percent_resorbed: float = Field(description="lambda1: cumulative hazard per % of bone resorbed.")
    window_days: float
    reference: dict[str, object]
    targets: dict[str, float]
    model_resorbed: dict[str, float] = Field(description="Bone resorbed (%) in the window in the reference runs.")

    def probability(self, resorbed: float, window_days: float) -> float:
        """P(at least one SRE) over ``window_days`` in which ``resorbed`` % of bone was resorbed."""
        hazard = self.baseline_per_year / 365.25 * window_days + self.per_percent_resorbed * resorbed
        return 1.0 - math.exp(-hazard)


class SreCheck(BaseModel):
    """One trial comparison against the model's prediction."""

    id: str
    comparison: str
    measure: str
    trial_value: float
    trial_interval: tuple[float, float]
    model_value: float
    within_interval: bool
    sources: tuple[str, ...]


class SreValidation(Evidenced):
    """The model's denosumab-vs-zoledronic-acid prediction next to the trial numbers it was not fitted to."""

    checks: list[SreCheck]


def resorbed(run: BoneRun, start: float, window_days: float) -> float:
    """Bone resorbed (% of initial) from ``start`` to ``start + window_days``.

    Read from the run's cumulative resorption (integrated with the ODE), so it is exact at the grid days; the
    start and end are interpolated linearly between grid days.
    """
    end = start + window_days
    if end > run.t[-1] + 1e-9:
        raise InvalidInputError("window_days", window_days, f"a window ending by day {run.t[-1]:g}")
    total = run.series["resorbed_total"]
    return float(np.interp(end, run.t, total) - np.interp(start, run.t, total))


def _spec() -> dict:
    return load_yaml("sre")


@cache
def calibrate() -> SreLink:
    """Solve the two hazard constants from the two Kohno 2005 arms (cached)."""
    from metastasis.simulate.bone.scenario import simulate_lesion

    spec = _spec()
    cal = spec["calibration"]
    ref, targets, window = cal["reference"], cal["targets"], float(cal["window_days"])
    scenario = simulate_lesion(
        ref["lesion"], ref["treatment"], start_day=ref["start_day"], schedule=ref["schedule"],
        years=(ref["start_day"] + window) / 365.25 + 0.01, t_eval=(0.0, ref["start_day"], ref["start_day"] + window),
    )  # fmt: skip
    r_u = resorbed(scenario.untreated, ref["start_day"], window)
    r_t = resorbed(scenario.treated, ref["start_day"], window)  # type: ignore[arg-type]
    h_u = -math.log(1 - targets["untreated"]["probability"])
    h_t = -math.log(1 - targets["treated"]["probability"])
    if r_u <= r_t:
        raise DataIntegrityError("SRE calibration: the reference treatment does not reduce resorption")
    slope = (h_u - h_t) / (r_u - r_t)
    baseline = (h_t - slope * r_t) / window
    if baseline < 0 or slope < 0:
        raise DataIntegrityError(f"SRE calibration infeasible: baseline {baseline:g}, slope {slope:g}")
    link = spec["link"]
    sources = tuple(dict.fromkeys([*targets["untreated"]["sources"], *targets["treated"]["sources"]]))
    return SreLink(
        baseline_per_year=baseline * 365.25,
        per_percent_resorbed=slope,
        window_days=window,
        reference=dict(ref),
        targets={"untreated": targets["untreated"]["probability"], "treated": targets["treated"]["probability"]},
        model_resorbed={"untreated": r_u, "treated": r_t},
        reasons=[
            Reason(
                rule="sre.link",
                text=f"{link['label']}: {link['form']}. {link['rationale']}",
                sources=tuple(link["sources"]),
            ),
            Reason(
                rule="sre.calibration",
                text=f"Calibrated so that the {ref['lesion']} lesion gives {targets['untreated']['probability']:.1%} "
                f"({targets['untreated']['label']}) untreated and {targets['treated']['probability']:.1%} "
                f"({targets['treated']['label']}) with zoledronic acid from day {ref['start_day']}, over "
                f"{window:g} days.",
                sources=sources,
            ),
        ],
        caveats=[ASSUMPTION_CAVEAT],
    )


def estimate_sre(
    untreated: BoneRun, treated: BoneRun | None, start_day: float, window_days: float | None = None
) -> tuple[object, list[Reason], list[str]]:
    """The assumed SRE probability after ``start_day`` for both arms (used by :func:`simulate_lesion`)."""
    from metastasis.simulate.bone.scenario import SreEstimate

    link = calibrate()
    window = link.window_days if window_days is None else window_days
    window = min(window, float(untreated.t[-1]) - start_day)
    p_u = link.probability(resorbed(untreated, start_day, window), window)
    p_t = link.probability(resorbed(treated, start_day, window), window) if treated is not None else None
    rr = None
    if p_t is not None and p_u > 0:
        rr = math.log(1 - p_t) / math.log(1 - p_u)
    estimate = SreEstimate(window_days=window, untreated=p_u, treated=p_t, relative_risk=rr)
    caveats = [ASSUMPTION_CAVEAT]
    if window < link.window_days:
        caveats.append(f"The SRE window was shortened to {window:g} days to fit the run.")
    return estimate, list(link.reasons), caveats


@cache
def validation() -> SreValidation:
    """Denosumab vs zoledronic acid in the calibration scenario, against Stopeck 2010 and Peddi 2012."""
    from metastasis.simulate.bone.scenario import simulate_lesion

    link = calibrate()
    ref = link.reference
    years = (float(ref["start_day"]) + link.window_days) / 365.25 + 0.01  # type: ignore[arg-type]
    start = float(ref["start_day"])  # type: ignore[arg-type]
    grid = (0.0, start, start + link.window_days)
    za = simulate_lesion(str(ref["lesion"]), "zoledronic-acid", start_day=start, years=years, t_eval=grid).treated
    den = simulate_lesion(str(ref["lesion"]), "denosumab", start_day=start, years=years, t_eval=grid).treated
    h_za = -math.log(1 - link.probability(resorbed(za, start, link.window_days), link.window_days))  # type: ignore[arg-type]
    h_den = -math.log(1 - link.probability(resorbed(den, start, link.window_days), link.window_days))  # type: ignore[arg-type]
    ratio = h_den / h_za
    checks = []
    for item in _spec()["validation"]:
        low, high = item["interval"]
        checks.append(
            SreCheck(
                id=item["id"],
                comparison=item["comparison"],
                measure=item["measure"],
                trial_value=item["value"],
                trial_interval=(low, high),
                model_value=ratio,
                within_interval=low <= ratio <= high,
                sources=tuple(item["sources"]),
            )
        )
    return SreValidation(
        checks=checks,
        reasons=[
            *link.reasons,
            *(
                Reason(
                    rule=f"sre.validation:{c.id}",
                    text=f"{c.comparison}: {c.measure} {c.trial_value:g}.",
                    sources=c.sources,
                )
                for c in checks
            ),
        ],
        caveats=[
            ASSUMPTION_CAVEAT,
            "The model's ratio of one-year cumulative hazards is compared with trial hazard ratios and relative "
            "risks measured over longer follow-up; a mismatch is expected and is reported, not tuned away.",
        ],
    )
