"""Plots for prognosis: PREDICT's "100 people like you" bars and survival curves; Kaplan-Meier curves of a cohort.

Every function returns a :class:`matplotlib.figure.Figure`; save it with
:func:`metastasis.report.figures.save_figure` or embed it with :func:`~metastasis.report.figures.figure_svg`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from metastasis.predict.cohort import CohortSurvival
    from metastasis.predict.predict_breast import PredictResult

_ALIVE = "#1b6f8f"
_GAINS = ("#5fb0c8", "#8fce8a", "#c8dd6e", "#f2c85b", "#f59f6b")
_BREAST = "#c6416d"
_OTHER = "#9a9a9a"


def plot_predict_outcomes(result: PredictResult, *, year: int = 10) -> Figure:
    """Survival curves by treatment arm (left) and what happens to 100 women like this at ``year`` (right)."""
    i = result._year_index(year)
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    curves, bars = fig.subplots(1, 2, width_ratios=(1, 1.25))
    years = np.arange(1, 16)
    for k, arm in enumerate(result.arms):
        colour = _ALIVE if k == 0 else _GAINS[(k - 1) % len(_GAINS)]
        curves.plot(years, 100 * np.array(arm.overall_survival), color=colour, lw=2, label=arm.label)
    last = result.arms[-1]
    if len(result.arms) > 1:
        curves.fill_between(
            years,
            100 * np.array(last.overall_survival_lower),
            100 * np.array(last.overall_survival_upper),
            color=_GAINS[(len(result.arms) - 2) % len(_GAINS)],
            alpha=0.25,
            label="95% range, all treatments",
        )
    curves.set(xlabel="Years after surgery", ylabel="Alive (%)", xlim=(1, 15), title="Overall survival")
    curves.axvline(year, color="#444", lw=0.8, ls=":")
    curves.grid(alpha=0.3)
    curves.legend(fontsize=8, loc="lower left")

    surgery_alive = 100 * result.arms[0].overall_survival[i]
    gains = [100 * c.benefit[i] for c in result.benefits if c.treatment != "all"]
    breast = 100 * last.breast_cancer_death[i]
    other = 100 * last.other_death[i]
    segments = [("Alive with surgery only", surgery_alive, _ALIVE)]
    segments += [
        (f"Extra alive from {arm.label[2:].lower()}", gain, _GAINS[k % len(_GAINS)])
        for k, (arm, gain) in enumerate(zip(result.arms[1:], gains, strict=True))
    ]
    segments += [("Died of breast cancer", breast, _BREAST), ("Died of other causes", other, _OTHER)]
    left = 0.0
    for label, width, colour in segments:
        bars.barh([0], [width], left=left, color=colour, edgecolor="white", label=f"{label}: {width:.1f}")
        if width >= 4:
            bars.text(left + width / 2, 0, f"{width:.0f}", ha="center", va="center", color="white", fontsize=10)
        left += width
    bars.set(xlim=(0, 100), yticks=[], xlabel="Out of 100 women like this")
    bars.set_title(f"After {year} years, with {'the treatments chosen' if gains else 'surgery only'}")
    bars.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, frameon=False)
    fig.suptitle(f"PREDICT Breast v{result.inputs.version}: estimates for groups, not one person", fontsize=11)
    return fig


def plot_kaplan_meier(survival: CohortSurvival, *, title: str | None = None) -> Figure:
    """Kaplan-Meier curves with 95% confidence bands and the numbers at risk under the plot."""
    from lifelines.plotting import add_at_risk_counts

    fig = Figure(figsize=(9, 5.8), layout="constrained")
    ax = fig.subplots()
    fitters = list(survival.fitters.values())
    for fitter in fitters:
        fitter.plot_survival_function(ax=ax, ci_show=True, lw=2)
    ax.set(xlabel=f"Time ({survival.time_column})", ylabel="Surviving (proportion)", ylim=(0, 1.02))
    ax.grid(alpha=0.3)
    ax.legend(title=survival.group_column, loc="lower left")
    if survival.logrank is not None:
        ax.text(
            0.99,
            0.98,
            f"log-rank p = {survival.logrank.p_value:.3g}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=9,
        )
    ax.set_title(title or (f"Kaplan-Meier by {survival.group_column}" if survival.group_column else "Kaplan-Meier"))
    add_at_risk_counts(*fitters, ax=ax, rows_to_show=["At risk"])
    return fig
