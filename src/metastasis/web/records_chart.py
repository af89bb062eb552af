"""A record's timeline as one server-drawn chart: calcium and ALP over time, and bars for treatments, metastatic
sites and bone lesions (from the date found or started to the end, or to the case's "as of" date).

Drawn with matplotlib in the report's figure style and inlined as SVG (:func:`metastasis.report.figures.figure_svg`):
no script. Calcium is shown in mmol/L (converted with the library's own :func:`convert_calcium`), ALP in the unit
most of its results use (results in another unit are named in the caption, not drawn).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from metastasis.domain import Case

#: Most bars drawn (the newest first); a longer list is cut and the caption says so.
MAX_BARS = 24


@dataclass(frozen=True)
class Timeline:
    """The chart as inline SVG and its caption (what was drawn and what was left out)."""

    svg: str
    caption: str


def _calcium(case: Case) -> list[tuple[dt.date, float]]:
    from metastasis.assess.calcium import convert_calcium

    points = []
    for lab in case.labs:
        if lab.analyte != "calcium":
            continue
        value = float(lab.value)
        if lab.unit == "mg/dL":
            value = convert_calcium(value=value, from_units="conventional", to_units="si")
        points.append((lab.date, value))
    return sorted(points)


def _alp(case: Case) -> tuple[list[tuple[dt.date, float]], str | None, int]:
    labs = [lab for lab in case.labs if lab.analyte == "alp"]
    if not labs:
        return [], None, 0
    unit = Counter(lab.unit for lab in labs).most_common(1)[0][0]
    points = sorted((lab.date, float(lab.value)) for lab in labs if lab.unit == unit)
    return points, unit, len(labs) - len(points)


def _short(label: str, width: int = 32) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _bars(case: Case, end: dt.date) -> list[tuple[str, dt.date, dt.date, str]]:
    # an operation is a day, not an ongoing treatment: without an end date it is drawn on its date only
    bars = [
        (
            f"{t.kind.value.replace('_', ' ')}{': ' + t.drug if t.drug else ''}",
            t.start,
            t.end or (t.start if t.kind.value == "surgery" else end),
            "#3a78b5",
        )
        for t in case.treatments
    ]
    bars += [(f"site: {s.site.replace('_', ' ')}", s.date, end, "#c8443a") for s in case.metastatic_sites if s.date]
    bars += [
        (f"lesion: {b.site.replace('_', ' ')}{' ' + b.lesion_type if b.lesion_type else ''}", b.date, end, "#e6862e")
        for b in case.bone_lesions
        if b.date
    ]
    return sorted(bars, key=lambda b: b[1])


def timeline_chart(case: Case, figure_id: str) -> Timeline | None:
    """The record's timeline chart, or ``None`` when the case has nothing dated to draw.

    Parameters
    ----------
    case:
        The record's current case.
    figure_id:
        A prefix for the SVG's ids, unique on the page (``record-3-timeline``).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> chart = timeline_chart(load_example_case("hypercalcaemia"), "t")
    >>> chart is not None and chart.svg.startswith("<svg")
    True
    """
    from matplotlib.dates import AutoDateLocator, DateFormatter
    from matplotlib.figure import Figure

    from metastasis.report.figures import figure_svg

    calcium = _calcium(case)
    alp, alp_unit, alp_other = _alp(case)
    dates = [d for d, _ in calcium + alp] + [t.start for t in case.treatments]
    dates += [s.date for s in case.metastatic_sites if s.date] + [b.date for b in case.bone_lesions if b.date]
    if not dates:
        return None
    end = max([case.as_of or max(dates), *dates])
    bars = _bars(case, end)
    cut = max(0, len(bars) - MAX_BARS)
    bars = bars[cut:]
    panels = [name for name, data in (("calcium", calcium), ("alp", alp), ("bars", bars)) if data]
    heights = [2.0 if p != "bars" else 0.5 + 0.28 * len(bars) for p in panels]
    fig = Figure(figsize=(7.2, sum(heights) + 0.6))
    axes = fig.subplots(len(panels), 1, sharex=True, gridspec_kw={"height_ratios": heights}, squeeze=False)[:, 0]
    for ax, name in zip(axes, panels, strict=True):
        if name == "calcium":
            ax.plot([d for d, _ in calcium], [v for _, v in calcium], "o-", color="#8e1f1a", lw=1.2)
            ax.set_ylabel("calcium\n(mmol/L)", fontsize=9)
        elif name == "alp":
            ax.plot([d for d, _ in alp], [v for _, v in alp], "s-", color="#3a78b5", lw=1.2)
            ax.set_ylabel(f"ALP\n({alp_unit})", fontsize=9)
        else:
            for row, (_, start, stop, colour) in enumerate(bars):
                ax.barh(row, max((stop - start).days, 7), left=start, height=0.6, color=colour)
            ax.set_yticks(range(len(bars)), [_short(label) for label, *_ in bars], fontsize=8)
            ax.invert_yaxis()
        ax.grid(alpha=0.3)
    axes[-1].xaxis.set_major_locator(AutoDateLocator(minticks=2, maxticks=7))
    axes[-1].xaxis.set_major_formatter(DateFormatter("%Y-%m-%d"))
    fig.autofmt_xdate()
    # Fixed margins instead of a tight bounding box: the chart is drawn anew for every page view (it shows the
    # patient's own data, so it is not cached), and the tight box costs another layout pass over the text.
    height = fig.get_figheight()
    fig.subplots_adjust(left=0.36, right=0.97, top=1 - 0.4 / height, bottom=0.85 / height, hspace=0.25)
    fig.suptitle("Timeline: calcium, ALP, treatments and findings", fontsize=10)
    notes = ["Calcium in mmol/L (measured, not corrected)."] if calcium else []
    if alp_other:
        notes.append(f"{alp_other} ALP result(s) in another unit are not drawn.")
    if cut:
        notes.append(f"The {cut} oldest bar(s) are not drawn.")
    notes.append("Bars run to the end date, or to the record's 'as of' date while ongoing; an operation is its day.")
    svg = figure_svg(fig, id_prefix=figure_id, tight=False)
    return Timeline(svg=svg[svg.find("<svg") :], caption=" ".join(notes))  # inline: no XML prolog or doctype
