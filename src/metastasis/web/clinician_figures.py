"""Figures for the clinician pages, inlined as SVG: the library's own plot functions (the ones the CLI saves).

PREDICT uses :func:`metastasis.predict.plot.plot_predict_outcomes`, spread the chain's network and site-probability
figures, bone :func:`metastasis.simulate.bone.plot.plot_scenario`, the cascade
:func:`metastasis.simulate.cascade.plot.plot_cascade`.

Each figure is drawn twice: a wide drawing for desktop screens and a narrow one (``narrow=True``: one panel per row,
3.6 inches wide, text at least 10 pt) for phones, where it shows at about 330 px, so its text is at least 12 px. The
page shows one of them by the width of the figure's box (``figure.chart`` in ``static/css/site.css``: a container
query, no script). Every SVG id is prefixed with the figure's id and the drawing (``svg-<id>-wide-``), so figures
never share an id on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from matplotlib.figure import Figure

from metastasis.report.figures import figure_svg
from metastasis.simulate.cascade.plot import plot_cascade

#: The drawings of a figure, by the class of their SVG element.
DRAWINGS = ("wide", "narrow")


@dataclass(frozen=True)
class InlineFigure:
    """A figure ready for the page: an id, a caption (also its accessible name) and the SVG markup.

    ``svg`` holds the wide drawing then, where there is one, the narrow drawing, each an ``<svg>`` element with the
    class ``chart-wide`` or ``chart-narrow``; the stylesheet displays one.
    """

    id: str
    caption: str
    svg: Markup


def _svg_element(fig: Figure, prefix: str, caption: str, drawing: str) -> str:
    svg = figure_svg(fig, id_prefix=prefix)
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    attributes = f'<svg class="chart-{drawing}" role="img" aria-label="{escape(caption)}"'
    return body.replace("<svg", attributes, 1)


def inline_figure(fig_id: str, fig: Figure, caption: str, narrow: Figure | None = None) -> InlineFigure:
    """A matplotlib figure as inline SVG (no XML prolog), named for assistive technology by its caption.

    ``narrow`` is the same figure drawn for a phone screen; without one the wide drawing is shown everywhere.

    Parameters
    ----------
    fig_id:
        The figure's id on the page (a letter, then letters, digits, ``-`` or ``_``); its SVG ids start with it.
    fig:
        The wide drawing.
    caption:
        What the figure shows, in one sentence.
    narrow:
        The drawing for phones, if any.

    Returns
    -------
    InlineFigure
        Example: ``inline_figure("cascade-steps", plot_cascade(result), "Cells left")``.
    """
    parts = [_svg_element(fig, f"svg-{fig_id}-wide", caption, "wide")]
    if narrow is not None:
        parts.append(_svg_element(narrow, f"svg-{fig_id}-narrow", caption, "narrow"))
    return InlineFigure(fig_id, caption, Markup("\n".join(parts)))  # matplotlib's own markup; the caption is escaped


def _both(draw: Callable[..., Figure], *args: Any, **kwargs: Any) -> dict[str, Figure]:
    """The wide and the narrow drawing of one plot function's figure, as ``inline_figure``'s keywords."""
    return {"fig": draw(*args, **kwargs), "narrow": draw(*args, narrow=True, **kwargs)}


def predict_figures(result: Any) -> list[InlineFigure]:
    """PREDICT Breast: survival curves by treatment arm and "100 women like this" at 10 years."""
    from metastasis.predict.plot import plot_predict_outcomes

    caption = (
        "Overall survival by treatment arm, years 1 to 15, from 0 to 100 % (left, or above on a phone), and what "
        "happens to 100 women like this after 10 years"
    )
    return [inline_figure("predict-outcomes", **_both(plot_predict_outcomes, result, year=10), caption=caption)]


def spread_figures(report: Any) -> list[InlineFigure]:
    """The site network of the chain and the site probabilities by step (simulated shares as ticks)."""
    from metastasis.simulate.spread.defaults import breast_model
    from metastasis.simulate.spread.plot import network_figure, site_probability_figure
    from metastasis.simulate.spread.sampling import empirical_distributions

    chain = breast_model(report.subtype or "all").chain()
    title = f"{report.model[0].upper()}{report.model[1:]}: from {report.start}"
    network = _both(network_figure, chain, primary=report.start, roles_among=report.roles_among, title=title)
    paths = chain.simulate(start=report.start, steps=report.steps, patients=report.patients, seed=report.seed)
    simulated = empirical_distributions(paths, chain.n_sites)
    steps = _both(site_probability_figure, chain, report.start, report.steps, simulated=simulated, title=title)
    return [
        inline_figure(
            "spread-network",
            **network,
            caption="Site network: arrow width and label are one-step transition probabilities (those under 0.05 "
            "not drawn); node size is the stationary probability; colour marks the start, spreaders and sponges",
        ),
        inline_figure(
            "spread-steps",
            **steps,
            caption="Probability of being at each site after each model step (bars exact, black ticks simulated)",
        ),
    ]


def cascade_figures(result: Any) -> list[InlineFigure]:
    """The cascade's cells left after each step."""
    caption = "Cells left after each quantified step of the cascade (bars exact, black ticks simulated mean)"
    return [inline_figure("cascade-steps", **_both(plot_cascade, result), caption=caption)]


def bone_figures(scenario: Any) -> list[InlineFigure]:
    """Untreated against treated: osteoclasts, osteoblasts, bone mass, tumour and drug exposure."""
    from metastasis.simulate.bone.plot import plot_scenario

    caption = (
        "Bone lesion untreated (grey) and treated from the treatment start (blue; the dashed line marks the start): "
        "cells, bone mass and tumour"
        if scenario.treated is not None
        else "Bone lesion without treatment: cells, bone mass and tumour"
    )
    return [inline_figure("bone-scenario", **_both(plot_scenario, scenario), caption=caption)]
