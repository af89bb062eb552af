"""Figures of the whole-case report: calcium over time, spread-chain site probabilities, PREDICT outcomes.

Each ``*_figure`` function takes a :class:`metastasis.assess.case.Report` and returns a
:class:`matplotlib.figure.Figure` (built without pyplot), or ``None`` when the report has nothing to draw. The
spread, bone and PREDICT figures are the capabilities' own
(:func:`metastasis.simulate.spread.plot.site_probability_figure`, :func:`metastasis.simulate.bone.plot.plot_scenario`,
:func:`metastasis.predict.plot.plot_predict_outcomes`); only the calcium figure is drawn here.

:func:`section_svg` gives a section's figure as inline SVG for the HTML report; with ``narrow=True`` (a web page)
it gives a wide and a narrow drawing (``narrow`` on each figure function: one panel per row, text at least 10 pt,
for a phone), classed ``chart-wide`` and ``chart-narrow`` for the page's stylesheet to show one. The model figures
(spread, bone, PREDICT) depend only on their model inputs, so their SVG is memoised by those inputs in bounded
caches; the calcium figure draws the patient's own results and is drawn anew every time (nothing of it is kept).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from matplotlib.dates import AutoDateLocator, DateFormatter
from matplotlib.figure import Figure

from metastasis.assess.calcium import convert_calcium
from metastasis.assess.case import Report
from metastasis.report.figures import figure_svg

if TYPE_CHECKING:
    from metastasis.predict import PredictInputs

_SVG_CACHE = 32
"""Figures kept per model figure cache (each SVG is 40-130 kB)."""

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


def calcium_figure(report: Report, *, narrow: bool = False) -> Figure | None:
    """Calcium (corrected where albumin was measured the same day) by date, with the ULN; ``None`` with fewer than
    two results. ``narrow`` draws for a phone screen (3.6 inches wide, text at least 10 pt)."""
    points = report.calcium.points
    if not has_figure(report, "calcium"):
        return None
    last = points[-1]
    units = last.corrected.units if last.corrected else ("si" if last.unit == "mmol/L" else "conventional")
    unit = "mmol/L" if units == "si" else "mg/dL"
    # Fixed margins that fit the labels and no layout engine: the report draws this figure anew for every report
    # (it shows the patient's own results, so it is never cached) and saves it without a tight bounding box, so
    # the text is laid out once, not again for the layout engine and the bounding box.
    small = 10 if narrow else 8
    fig = Figure(figsize=(3.6, 3.4) if narrow else (6.4, 3.2))
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
            fontsize=small,
        )
    ax.plot(xs, ys, color="#555555", lw=1.2, zorder=2)
    if last.grade is not None:
        ax.axhline(last.grade.uln, color="#888888", ls="--", lw=1, label=f"upper limit of normal ({last.grade.uln:g})")
        ax.legend(fontsize=small, loc="lower right", frameon=False)
    reference = [last.grade.uln] if last.grade else []
    low, high = min([*ys, *reference]), max([*ys, *reference])
    ax.set_ylim(low - 0.15 * (high - low + 0.1), high + 0.35 * (high - low + 0.1))
    ax.set_ylabel(f"calcium ({unit})")
    title = "Corrected calcium (circles; squares: not corrected)"
    ax.set_title(title.replace(" (", "\n(") if narrow else title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=6))
    ax.xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    if narrow:
        fig.subplots_adjust(left=0.2, right=0.97, top=0.84, bottom=0.3)
    else:
        fig.subplots_adjust(left=0.13, right=0.98, top=0.9, bottom=0.25)
    return fig


def spread_figure(report: Report, *, narrow: bool = False) -> Figure | None:
    """Site probabilities by model step from the involved organs (the spread chain's own figure)."""
    return _spread(*_spread_inputs(report), narrow=narrow) if has_figure(report, "spread") else None


def _spread_inputs(report: Report) -> tuple[str, tuple[tuple[str, float], ...], int, tuple[str, ...]]:
    """The spread figure's model inputs: subtype, start distribution, steps and the organs involved now."""
    s = report.spread
    return s.subtype, tuple(s.start.items()), len(s.by_step) - 1, tuple(s.current)  # type: ignore[return-value]


def _spread(
    subtype: str, start: tuple[tuple[str, float], ...], steps: int, current: tuple[str, ...], *, narrow: bool = False
) -> Figure:
    from metastasis.simulate.spread import breast_model
    from metastasis.simulate.spread.plot import site_probability_figure

    chain = breast_model(subtype).chain()
    return site_probability_figure(
        chain,
        dict(start),  # a start distribution over the sites
        steps,
        title=f"Spread chain ({subtype}): site probabilities by step, starting from {', '.join(current)}",
        narrow=narrow,
    )


def bone_figure(report: Report, *, narrow: bool = False) -> Figure | None:
    """Bone mass of the simulated lesion, untreated and treated (the bone simulation's own figure)."""
    return _bone(*_bone_inputs(report), narrow=narrow) if has_figure(report, "bone_simulation") else None


def _bone_inputs(report: Report) -> tuple[str, str, float, float]:
    """The bone simulation's model inputs: lesion type, drug, start day and horizon in years."""
    b = report.bone_simulation
    return b.lesion, b.drug, b.start_day, b.years  # type: ignore[return-value]


def _bone(lesion: str, drug: str, start_day: float, years: float, *, narrow: bool = False) -> Figure:
    from metastasis.assess.case.bone_simulation import lesion_scenario
    from metastasis.simulate.bone.plot import plot_scenario

    return plot_scenario(lesion_scenario(lesion, drug, start_day, years), narrow=narrow)  # the memoised runs


def predict_figure(report: Report, *, narrow: bool = False) -> Figure | None:
    """PREDICT Breast survival by treatment and 'what happens to 100 women like this' at 10 years."""
    from metastasis.predict.plot import plot_predict_outcomes

    result = report.prognosis.predict
    return None if result is None else plot_predict_outcomes(result, year=10, narrow=narrow)


# Bounded caches keyed only by immutable model inputs and the figure's id: they keep no patient data beyond these
# inputs (at most _SVG_CACHE entries each), and the figure drawn from them, as SVG text.


@lru_cache(maxsize=_SVG_CACHE)
def _spread_svg(
    subtype: str,
    start: tuple[tuple[str, float], ...],
    steps: int,
    current: tuple[str, ...],
    figure_id: str,
    narrow: bool = False,
) -> str:
    return figure_svg(_spread(subtype, start, steps, current, narrow=narrow), id_prefix=_prefix(figure_id, narrow))


@lru_cache(maxsize=_SVG_CACHE)
def _bone_svg(lesion: str, drug: str, start_day: float, years: float, figure_id: str, narrow: bool = False) -> str:
    return figure_svg(_bone(lesion, drug, start_day, years, narrow=narrow), id_prefix=_prefix(figure_id, narrow))


@lru_cache(maxsize=_SVG_CACHE)
def _predict_svg(inputs: PredictInputs, figure_id: str, narrow: bool = False) -> str:
    from metastasis.predict import predict_breast
    from metastasis.predict.plot import plot_predict_outcomes

    result = predict_breast(**inputs.model_dump())  # the same inputs give the same result (a pure model)
    return figure_svg(plot_predict_outcomes(result, year=10, narrow=narrow), id_prefix=_prefix(figure_id, narrow))


def _prefix(figure_id: str, narrow: bool) -> str:
    """The id prefix of a drawing: the two drawings of one figure share no id."""
    return f"fig-{figure_id}-narrow" if narrow else f"fig-{figure_id}"


def section_svg(report: Report, section_id: str, figure_id: str, *, narrow: bool = False) -> str | None:
    """The section's figure as inline SVG, reproducible, with every SVG id prefixed ``fig-<figure_id>-``
    (:func:`metastasis.report.figures.figure_svg`); ``None`` when the section has nothing to draw.

    ``narrow=True`` (for a web page) gives two ``<svg>`` elements without XML prolog: the wide drawing, classed
    ``chart-wide``, and a drawing for phones, classed ``chart-narrow`` (its ids prefixed ``fig-<figure_id>-narrow-``);
    the page's stylesheet shows one. Model figures come from bounded caches keyed by their model inputs; the
    calcium figure is drawn each time.
    """
    if not has_figure(report, section_id):
        return None
    if not narrow:
        return _drawing(report, section_id, figure_id, narrow=False)
    wide, small = (_drawing(report, section_id, figure_id, narrow=n) for n in (False, True))
    return f"{_classed(wide, 'chart-wide')}\n{_classed(small, 'chart-narrow')}"


def _drawing(report: Report, section_id: str, figure_id: str, *, narrow: bool) -> str:
    if section_id == "spread":
        return _spread_svg(*_spread_inputs(report), figure_id, narrow)
    if section_id == "bone_simulation":
        return _bone_svg(*_bone_inputs(report), figure_id, narrow)
    if section_id == "prognosis":
        return _predict_svg(report.prognosis.predict.inputs, figure_id, narrow)  # type: ignore[union-attr]
    fig = calcium_figure(report, narrow=narrow)  # drawn anew every time: the patient's own results are not kept
    return "" if fig is None else figure_svg(fig, id_prefix=_prefix(figure_id, narrow), tight=False)


def _classed(svg: str, css_class: str) -> str:
    """The ``<svg>`` element of an SVG document (no prolog), with a class for the page's stylesheet."""
    start = svg.find("<svg")
    return svg[start:].replace("<svg", f'<svg class="{css_class}"', 1) if start >= 0 else svg


def clear_caches() -> None:
    """Empty the memoised figures and bone simulations (to free memory, or to draw everything anew)."""
    from metastasis.assess.case.bone_simulation import lesion_scenario

    for cached in (_spread_svg, _bone_svg, _predict_svg, lesion_scenario):
        cached.cache_clear()
