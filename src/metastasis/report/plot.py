"""Figures of the whole-case report: calcium over time, spread-chain site probabilities, PREDICT outcomes.

Each function takes a :class:`metastasis.assess.case.Report` and returns a :class:`matplotlib.figure.Figure`
(built without pyplot), or ``None`` when the report has nothing to draw. The spread and PREDICT figures are the
capabilities' own (:func:`metastasis.simulate.spread.plot.site_probability_figure`,
:func:`metastasis.predict.plot.plot_predict_outcomes`); only the calcium figure is drawn here.
"""

from __future__ import annotations

from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from metastasis.assess.calcium import convert_calcium
from metastasis.assess.case import Report

_GRADE_COLOURS = {0: "#3a78b5", 1: "#e6a52e", 2: "#e6862e", 3: "#c8443a", 4: "#8e1f1a"}


def has_figure(report: Report, section_id: str) -> bool:
    """Whether the section has data to draw (without drawing it)."""
    if section_id == "calcium":
        return len(report.calcium.points) >= 2  # one result is a number, not a trend
    if section_id == "spread":
        return bool(report.spread.by_step) and report.spread.subtype is not None
    if section_id == "prognosis":
        return report.prognosis.predict is not None
    if section_id == "bone_simulation":
        section = report.bone_simulation
        return None not in (section.lesion, section.drug, section.years, section.start_day)
    return False


def calcium_figure(report: Report) -> Figure | None:
    """Calcium (corrected where albumin was measured the same day) by date, with the ULN; ``None`` with fewer than
    two results."""
    points = report.calcium.points
    if not has_figure(report, "calcium"):
        return None
    last = points[-1]
    units = last.corrected.units if last.corrected else ("si" if last.unit == "mmol/L" else "conventional")
    unit = "mmol/L" if units == "si" else "mg/dL"
    fig = Figure(figsize=(6.4, 3.2), layout="constrained")
    ax = fig.add_subplot()
    xs, ys = [], []
    for point in points:
        value, point_units = (
            (point.corrected.value, point.corrected.units)
            if point.corrected
            else (point.measured, "si" if point.unit == "mmol/L" else "conventional")
        )
        if point_units != units:
            value = convert_calcium(value=value, from_units=point_units, to_units=units)
        xs.append(point.date)
        ys.append(value)
        grade = point.grade.grade if point.grade else 0
        marker = "o" if point.corrected else "s"
        ax.scatter([point.date], [value], color=_GRADE_COLOURS[grade], s=60, marker=marker, zorder=3)
        ax.annotate(
            f"{value:.2f}\ngrade {grade}",
            (point.date, value),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=8,
        )
    ax.plot(xs, ys, color="#555555", lw=1.2, zorder=2)
    if last.grade is not None:
        ax.axhline(last.grade.uln, color="#888888", ls="--", lw=1, label=f"upper limit of normal ({last.grade.uln:g})")
        ax.legend(fontsize=8, loc="lower right", frameon=False)
    reference = [last.grade.uln] if last.grade else []
    low, high = min([*ys, *reference]), max([*ys, *reference])
    ax.set_ylim(low - 0.15 * (high - low + 0.1), high + 0.35 * (high - low + 0.1))
    ax.set_ylabel(f"calcium ({unit})")
    ax.set_title("Corrected calcium (circles; squares: not corrected)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=6))
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    return fig


def spread_figure(report: Report) -> Figure | None:
    """Site probabilities by model step from the involved organs (the spread chain's own figure)."""
    section = report.spread
    if not section.by_step or section.subtype is None:
        return None
    from metastasis.simulate.spread import breast_model
    from metastasis.simulate.spread.plot import site_probability_figure

    chain = breast_model(section.subtype).chain()
    start = ", ".join(section.current)
    return site_probability_figure(
        chain,
        section.start,
        len(section.by_step) - 1,
        title=f"Spread chain ({section.subtype}): site probabilities by step, starting from {start}",
    )


def bone_figure(report: Report) -> Figure | None:
    """Bone mass of the simulated lesion, untreated and treated (the bone simulation's own figure)."""
    section = report.bone_simulation
    if not has_figure(report, "bone_simulation"):
        return None
    from metastasis.simulate.bone import simulate_lesion
    from metastasis.simulate.bone.plot import plot_scenario

    scenario = simulate_lesion(section.lesion, section.drug, start_day=section.start_day, years=section.years)  # type: ignore[arg-type]
    return plot_scenario(scenario)


def predict_figure(report: Report) -> Figure | None:
    """PREDICT Breast survival by treatment and 'what happens to 100 women like this' at 10 years."""
    result = report.prognosis.predict
    return None if result is None else result.plot(year=10)
