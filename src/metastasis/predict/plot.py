"""Plots for prognosis: PREDICT's "100 people like you" bars and survival curves; Kaplan-Meier curves of a cohort.

Every function returns a :class:`matplotlib.figure.Figure`; save it with
:func:`metastasis.report.figures.save_figure` or embed it with :func:`~metastasis.report.figures.figure_svg`.
"""

from __future__ import annotations

import textwrap
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


def plot_predict_outcomes(result: PredictResult, *, year: int = 10, narrow: bool = False) -> Figure:
    """Survival curves by treatment arm (left) and what happens to 100 women like this at ``year`` (right).

    The survival axis starts at 0 %, so that the decline is drawn to scale. ``narrow`` draws for a phone screen
    (about 330 px): the two charts one above the other, 3.6 inches wide, every text at least 10 pt, which shows as
    at least 12 px at that width.

    Example
    -------
    >>> from metastasis.predict import predict_breast
    >>> r = predict_breast(age=60, size_mm=20, nodes=1, grade=2, er="positive", her2="negative")
    >>> [float(y) for y in plot_predict_outcomes(r).axes[0].get_ylim()]
    [0.0, 100.0]
    """
    i = result._year_index(year)
    small = 10 if narrow else 8
    if narrow:
        fig = Figure(figsize=(3.6, 8.2), layout="constrained")
        curves, bars = fig.subplots(2, 1, height_ratios=(1.5, 1))
    else:
        fig = Figure(figsize=(11, 4.6), layout="constrained")
        curves, bars = fig.subplots(1, 2, width_ratios=(1, 1.25))
    years = np.arange(1, 16)
    for k, arm in enumerate(result.arms):
        colour = _ALIVE if k == 0 else _GAINS[(k - 1) % len(_GAINS)]
        curves.plot(years, 100 * np.array(arm.overall_survival), color=colour, lw=2, label=_fit(arm.label, narrow))
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
    curves.set(xlabel="Years after surgery", ylabel="Alive (%)", xlim=(1, 15), ylim=(0, 100), title="Overall survival")
    curves.axvline(year, color="#444", lw=0.8, ls=":")
    curves.grid(alpha=0.3)
    if narrow:
        curves.legend(fontsize=small, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=1, frameon=False)
    else:
        curves.legend(fontsize=small, loc="lower left")

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
        shown = _fit(f"{label}: {width:.1f}", narrow)
        bars.barh([0], [width], left=left, color=colour, edgecolor="white", label=shown)
        if width >= (8 if narrow else 4):
            bars.text(left + width / 2, 0, f"{width:.0f}", ha="center", va="center", color="white", fontsize=10)
        left += width
    bars.set(xlim=(0, 100), yticks=[], xlabel="Out of 100 women like this")
    chosen = "the treatments chosen" if gains else "surgery only"
    bars.set_title(f"After {year} years,\nwith {chosen}" if narrow else f"After {year} years, with {chosen}")
    anchor = (0.5, -0.45) if narrow else (0.5, -0.22)
    bars.legend(fontsize=small, loc="upper center", bbox_to_anchor=anchor, ncol=1 if narrow else 2, frameon=False)
    version = f"PREDICT Breast v{result.inputs.version}"
    fig.suptitle(
        f"{version}:\nestimates for groups, not one person"
        if narrow
        else f"{version}: estimates for groups, not one person",
        fontsize=11,
    )
    return fig


def _fit(label: str, narrow: bool) -> str:
    """A legend label broken into lines that fit a narrow figure (kept as it is otherwise)."""
    return textwrap.fill(label, 28, subsequent_indent="  ") if narrow else label


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
